from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit.chain import jsonable
from ..auth.models import User
from ..db import UTCDateTime
from ..domain import measures as measure_rules
from ..domain.folding import folded_together
from ..extensions import db
from ..orgs.models import Organisation
from . import search_index
from .search_index import FOLDED

if TYPE_CHECKING:
    from ..notifications.models import Notification, SubjectCommunication


class RefCounter(db.Model):  # type: ignore[name-defined,misc]
    """The last incident number used per organisation and year, bumped atomically."""

    __tablename__ = "ref_counters"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


class Incident(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "incidents"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "ref"),
        sa.Index("ix_incidents_open_deadline", "status", "deadline_at"),
        # Lists show the newest first (register, API): page 1 reads 25 index entries instead
        # of sorting the table; with a year, or an organisation and a year (its register and
        # export), likewise. These two also serve what ref_year and organisation_id had.
        sa.Index("ix_incidents_aware", "aware_at", "id"),
        sa.Index("ix_incidents_year_aware", "ref_year", "aware_at", "id"),
        # a year's register by status (its count, and its search checked against the matches)
        sa.Index("ix_incidents_year_status", "ref_year", "status", "aware_at", "id"),
        sa.Index(
            "ix_incidents_organisation_year", "organisation_id", "ref_year", "aware_at", "id"
        ),
        # the dashboard's "notified to the AP this year, n within 72 hours", from the index alone
        sa.Index("ix_incidents_notified", "notified_at", "deadline_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(sa.String(32), unique=True)
    # the year of the register this incident is in: the year of aware_at in the organisation's
    # zone, moved with it when awareness is corrected; the ref keeps the year it was given in
    ref_year: Mapped[int]
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    reporter_contact: Mapped[str] = mapped_column(sa.String(500), default="")
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    # timeline (AP form section 2)
    occurred_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    occurred_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # three states (AP form): None is "not known yet", never shown as "no"
    is_ongoing: Mapped[bool | None]
    discovered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    aware_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # R14: the awareness first recorded and its deadline stand whatever is corrected later
    first_aware_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # a later awareness after the first deadline, waiting for a second officer
    pending_aware_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pending_aware_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # the proposer's user id, only to refuse their own approval: no constraint, so the
    # migration adds a plain column to a table that others refer to
    pending_aware_by_id: Mapped[int | None]
    # R14: a decision held for a second officer (domain/four_eyes): what, by whom, why, and
    # the act's own values, replayed on approval
    pending_act: Mapped[str] = mapped_column(sa.String(20), default="")
    pending_act_by_id: Mapped[int | None]
    pending_act_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pending_act_reason: Mapped[str] = mapped_column(sa.Text, default="")
    pending_act_values: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    pending_act_by: Mapped[User | None] = relationship(
        User, primaryjoin="foreign(Incident.pending_act_by_id) == User.id", viewonly=True
    )
    aware_at_reason: Mapped[str] = mapped_column(sa.Text, default="")
    how_discovered: Mapped[str] = mapped_column(sa.Text, default="")
    processor_name: Mapped[str] = mapped_column(sa.String(200), default="")
    processor_aware_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    processor_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # about this notification and who makes it (sections 0 and 1): domain/ap_values.py
    law: Mapped[str] = mapped_column(sa.String(16), default="avg")
    notifier_name: Mapped[str] = mapped_column(sa.String(200), default="")
    notifier_role: Mapped[str] = mapped_column(sa.String(200), default="")
    notifier_email: Mapped[str] = mapped_column(sa.String(254), default="")
    notifier_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    # other organisations involved besides the processor (section 1)
    other_organisations: Mapped[str] = mapped_column(sa.Text, default="")

    # the breach (section 3)
    incident_type: Mapped[str] = mapped_column(sa.String(64), default="other")
    nature: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # what happened to the data as the AP asks it: read, copied, changed, deleted, stolen,
    # unknown (domain/ap_values.DATA_OUTCOMES); empty while nobody has said
    data_outcomes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    # personal data and people (sections 4 and 5)
    personal_data: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    personal_data_details: Mapped[str] = mapped_column(sa.Text, default="")
    special_categories: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # special categories involved at all: None not known yet; which ones in the list above
    has_special_categories: Mapped[bool | None]
    subject_categories: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    people_min: Mapped[int | None]
    people_max: Mapped[int | None]
    records_count: Mapped[int | None]

    # protection and consequences (sections 6 and 7)
    is_protected: Mapped[bool | None]
    protection_details: Mapped[str] = mapped_column(sa.Text, default="")
    consequences: Mapped[str] = mapped_column(sa.Text, default="")
    # section 7 as the AP asks it: per aspect, the kinds of harm and an estimate of severity
    consequences_confidentiality: Mapped[str] = mapped_column(sa.Text, default="")
    consequences_integrity: Mapped[str] = mapped_column(sa.Text, default="")
    consequences_availability: Mapped[str] = mapped_column(sa.Text, default="")
    harm_kinds: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    severity: Mapped[str] = mapped_column(sa.String(16), default="")
    # R12: what the people concerned are told happened; the summary may name colleagues or
    # other customers, so the letter never starts from it
    subject_description: Mapped[str] = mapped_column(sa.Text, default="")

    # assessment (R1, R3)
    is_personal_data_breach: Mapped[bool] = mapped_column(default=True)
    not_breach_rationale: Mapped[str] = mapped_column(sa.Text, default="")
    risk: Mapped[str] = mapped_column(sa.String(16), default="unassessed", index=True)
    risk_rationale: Mapped[str] = mapped_column(sa.Text, default="")
    enisa_dpc: Mapped[float | None]
    enisa_ei: Mapped[float | None]
    enisa_cb: Mapped[float | None]
    # the parts of enisa_cb and the base context, so a re-saved form scores the same
    enisa_confidentiality: Mapped[float | None]
    enisa_integrity: Mapped[float | None]
    enisa_availability: Mapped[float | None]
    enisa_malicious: Mapped[bool | None]
    enisa_dpc_base: Mapped[float | None]
    enisa_dpc_reason: Mapped[str] = mapped_column(sa.Text, default="")
    is_dpo_involved: Mapped[bool | None]

    # international aspects (section 8)
    is_cross_border: Mapped[bool | None]
    member_states: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # other supervisory authorities told of it: None not known yet; each entry
    # {"authority", "country", "notified_on" (ISO date), "reference"}
    other_authorities_notified: Mapped[bool | None]
    other_authorities: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list)
    # informing the people concerned before it is done (section 8): "" not known yet,
    # "planned" (when), "not" (why not); done is what the communications record
    subjects_plan: Mapped[str] = mapped_column(sa.String(16), default="")
    subjects_plan_reason: Mapped[str] = mapped_column(sa.Text, default="")
    subjects_planned_on: Mapped[date | None]
    # section 9: anything else the AP should know
    other_remarks: Mapped[str] = mapped_column(sa.Text, default="")

    status: Mapped[str] = mapped_column(sa.String(16), default="open", index=True)
    # kept in step with the notifications by their services, so lists need no joins
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meldnummer: Mapped[str] = mapped_column(sa.String(64), default="")
    is_withdrawn: Mapped[bool] = mapped_column(default=False)
    # R11: the parts of Art. 33(3) marked "follows" that no supplement has given yet
    owed_parts: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    subjects_informed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exemption_ground: Mapped[str] = mapped_column(sa.String(32), default="")
    cause: Mapped[str] = mapped_column(sa.Text, default="")
    evaluation: Mapped[str] = mapped_column(sa.Text, default="")

    # the ref this incident had in a register kept elsewhere, when it was imported from there
    former_ref: Mapped[str] = mapped_column(sa.String(64), default="")
    # the searched texts folded (domain/folding.py), kept by the app: see _fold_search_text
    search_text: Mapped[str] = mapped_column(sa.Text, default="")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    measures: Mapped[list[Measure]] = relationship(
        back_populates="incident", order_by="Measure.id", cascade="all, delete-orphan"
    )
    notifications: Mapped[list[Notification]] = relationship(
        back_populates="incident", order_by="Notification.id"
    )
    subject_communications: Mapped[list[SubjectCommunication]] = relationship(
        back_populates="incident", order_by="SubjectCommunication.id"
    )

    def audit_state(self) -> dict[str, Any]:
        return {name: jsonable(getattr(self, name)) for name in AUDITED_FIELDS}


@sa.event.listens_for(Incident, "before_insert")
@sa.event.listens_for(Incident, "before_update")
def _fold_search_text(mapper: Any, connection: Any, incident: Incident) -> None:
    """Every write of an incident through the app refreshes its folded search text."""
    incident.search_text = folded_together(getattr(incident, name) for name in FOLDED)


# the text search's index, made beside the table (by migration 0007 where Alembic manages it)
sa.event.listen(Incident.__table__, "after_create", search_index.create)
sa.event.listen(Incident.__table__, "before_drop", search_index.drop)


class Measure(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(sa.ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    description: Mapped[str] = mapped_column(sa.Text)
    owner: Mapped[str] = mapped_column(sa.String(200), default="")
    due_on: Mapped[date | None]
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    incident: Mapped[Incident] = relationship(back_populates="measures")

    def audit_state(self) -> dict[str, Any]:
        return {name: jsonable(getattr(self, name)) for name in MEASURE_AUDITED}

    def is_overdue(self, today: date) -> bool:
        return measure_rules.is_overdue(self.due_on, today, self.done_at, self.cancelled_at)


MEASURE_AUDITED = ("kind", "description", "owner", "due_on", "done_at", "cancelled_at")


# The AP form's own questions (sections 0, 1, 3, 4, 7, 8 and 9), editable with the other facts.
AP_FORM_FIELDS = (
    "law",
    "notifier_name",
    "notifier_role",
    "notifier_email",
    "notifier_phone",
    "other_organisations",
    "data_outcomes",
    "has_special_categories",
    "consequences_confidentiality",
    "consequences_integrity",
    "consequences_availability",
    "harm_kinds",
    "severity",
    "other_authorities_notified",
    "other_authorities",
    "subjects_plan",
    "subjects_plan_reason",
    "subjects_planned_on",
    "other_remarks",
)
EDITABLE_FIELDS = (
    "title",
    "summary",
    "reporter_contact",
    "assignee_id",
    "organisation_id",
    "occurred_from",
    "occurred_until",
    "is_ongoing",
    "discovered_at",
    "aware_at",
    "how_discovered",
    "processor_name",
    "processor_aware_at",
    "processor_notified_at",
    "incident_type",
    "nature",
    "personal_data",
    "personal_data_details",
    "special_categories",
    "subject_categories",
    "people_min",
    "people_max",
    "records_count",
    "is_protected",
    "protection_details",
    "consequences",
    "subject_description",
    "is_cross_border",
    "member_states",
    "cause",
    "evaluation",
    # the AP form's own questions (sections 0, 1, 3, 4, 7, 8 and 9); the edit form leaves the
    # law and who notifies to the notification form, which records them as it is submitted
    *AP_FORM_FIELDS,
)
# The assessment changes only through notifications.services.assess, where R1 and R3 are checked.
ASSESSMENT_FIELDS = (
    "is_personal_data_breach",
    "not_breach_rationale",
    "risk",
    "risk_rationale",
    "enisa_dpc",
    "enisa_ei",
    "enisa_cb",
    "enisa_confidentiality",
    "enisa_integrity",
    "enisa_availability",
    "enisa_malicious",
    "enisa_dpc_base",
    "enisa_dpc_reason",
    "is_dpo_involved",
)
AUDITED_FIELDS = (
    "ref",
    *EDITABLE_FIELDS,
    *ASSESSMENT_FIELDS,
    "deadline_at",
    "first_aware_at",
    "first_deadline_at",
    "pending_aware_at",
    "pending_aware_reason",
    "pending_act",
    "pending_act_by_id",
    "pending_act_reason",
    "aware_at_reason",
    "status",
    "reporter_id",
    "closed_at",
    "notified_at",
    "meldnummer",
    "is_withdrawn",
    "owed_parts",
    "subjects_informed_at",
    "exemption_ground",
)
