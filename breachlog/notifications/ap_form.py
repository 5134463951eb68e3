"""The incident laid out as the AP's meldformulier datalekken asks for it, section by section."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale, ngettext
from flask_babel import lazy_gettext as _l

from ..formats import moment_text
from ..incidents.fields import LABELS
from ..incidents.history import show
from ..incidents.models import Incident
from ..labels import label as value_label


@dataclass
class Answer:
    key: str
    question: str
    value: str | None  # None: still missing

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass
class Section:
    number: int
    title: str
    answers: list[Answer]


def _value(incident: Incident, name: str) -> str | None:
    raw = getattr(incident, name)
    if raw is None or raw == "" or raw == []:
        return None
    return show(name, raw, incident.organisation.timezone)


def _local(incident: Incident, moment: Any) -> str | None:
    if moment is None:
        return None
    return moment_text(
        moment, incident.organisation.timezone, str(get_locale() or "nl"), with_zone=True
    )


def parts(incident: Incident) -> dict[str, str]:
    """The Art. 33(3)(a)-(d) parts as they stand now; empty where nothing is known yet."""
    org = incident.organisation
    people = _people(incident)
    subjects = "; ".join(v for v in (_value(incident, "subject_categories"), people) if v)
    records = "; ".join(
        v
        for v in (
            _value(incident, "personal_data"),
            _value(incident, "special_categories"),
            _value(incident, "records_count"),
        )
        if v
    )
    nature = "; ".join(
        v
        for v in (
            _value(incident, "incident_type"),
            _value(incident, "nature"),
            incident.summary.strip() or None,
        )
        if v
    )
    contact = ", ".join(v for v in (org.fg_name, org.fg_email) if v)
    measures = "\n".join(f"- {m.description}" for m in incident.measures)
    return {
        "nature": nature if incident.nature else "",
        "subjects": subjects if incident.subject_categories and people else "",
        "records": records if incident.personal_data else "",
        "contact": contact,
        "consequences": incident.consequences.strip(),
        "measures": measures,
    }


def _people(incident: Incident) -> str | None:
    low, high = incident.people_min, incident.people_max
    if low is None and high is None:
        return None
    if low == high or high is None:
        return str(low)
    return f"{low if low is not None else 0} – {high}"


def sections(incident: Incident) -> list[Section]:
    org = incident.organisation
    notified = incident.notifications[0] if incident.notifications else None
    communicated = [c for c in incident.subject_communications if not c.is_exemption]
    exemption = next((c for c in incident.subject_communications if c.is_exemption), None)
    informing: str | None
    if communicated:
        informing = ngettext(
            "Done: %(num)d person informed on %(when)s",
            "Done: %(num)d people informed on %(when)s",
            communicated[-1].people_reached or 0,
            when=_local(incident, communicated[-1].sent_at),
        )
    elif exemption:
        informing = str(
            _l(
                "Not: %(ground)s — %(why)s",
                ground=value_label("ground", exemption.ground),
                why=exemption.rationale,
            )
        )
    else:
        informing = None

    def a(key: str, question: Any, value: str | None) -> Answer:
        return Answer(key, str(question), value)

    return [
        Section(
            1,
            str(_l("Contact details and general information")),
            [
                a(
                    "organisation",
                    _l("Organisation (controller)"),
                    f"{org.name}" + (f", KvK {org.kvk_number}" if org.kvk_number else ""),
                ),
                a(
                    "contact",
                    _l("Contact for questions (FG)"),
                    ", ".join(v for v in (org.fg_name, org.fg_email) if v) or None,
                ),
                a(
                    "processor",
                    _l("Other organisations involved (processor)"),
                    incident.processor_name or str(_l("none")),
                ),
            ],
        ),
        Section(
            2,
            str(_l("Timeline")),
            [
                a(
                    "occurred",
                    _l("When did the breach happen?"),
                    " – ".join(
                        v
                        for v in (
                            _local(incident, incident.occurred_from),
                            _local(incident, incident.occurred_until),
                        )
                        if v
                    )
                    or None,
                ),
                a(
                    "is_ongoing",
                    _l("Is the breach still going on?"),
                    _value(incident, "is_ongoing"),
                ),
                a(
                    "discovered_at",
                    _l("When was it discovered?"),
                    _local(incident, incident.discovered_at),
                ),
                a("aware_at", LABELS["aware_at"], _local(incident, incident.aware_at)),
                *_first_awareness(incident),
                a(
                    "reasons_for_delay",
                    _l("Reasons for a notification later than 72 hours"),
                    (notified.reasons_for_delay or str(_l("not late"))) if notified else None,
                ),
            ],
        ),
        Section(
            3,
            str(_l("The breach")),
            [
                a("summary", _l("Summary of the incident"), incident.summary.strip() or None),
                a("incident_type", LABELS["incident_type"], _value(incident, "incident_type")),
                a("nature", LABELS["nature"], _value(incident, "nature")),
            ],
        ),
        Section(
            4,
            str(_l("Personal data")),
            [
                a("personal_data", LABELS["personal_data"], _value(incident, "personal_data")),
                a(
                    "special_categories",
                    LABELS["special_categories"],
                    # "none" only when someone said so; unasked it is still missing
                    _value(incident, "special_categories")
                    or (str(_l("none")) if incident.has_special_categories is False else None),
                ),
                a("records_count", LABELS["records_count"], _value(incident, "records_count")),
            ],
        ),
        Section(
            5,
            str(_l("The people concerned")),
            [
                a(
                    "subject_categories",
                    LABELS["subject_categories"],
                    _value(incident, "subject_categories"),
                ),
                a("people", _l("Number of people (minimum – maximum)"), _people(incident)),
            ],
        ),
        Section(
            6,
            str(_l("Protection before the breach")),
            [
                a("is_protected", LABELS["is_protected"], _value(incident, "is_protected")),
                a(
                    "protection_details",
                    LABELS["protection_details"],
                    _value(incident, "protection_details"),
                ),
            ],
        ),
        Section(
            7,
            str(_l("Consequences")),
            [
                a("consequences", LABELS["consequences"], _value(incident, "consequences")),
            ],
        ),
        Section(
            8,
            str(_l("Follow-up")),
            [
                a("informing", _l("Informing the people concerned"), informing),
                a("measures", _l("Measures taken"), parts(incident)["measures"] or None),
                a(
                    "is_cross_border",
                    LABELS["is_cross_border"],
                    _value(incident, "is_cross_border"),
                ),
                a(
                    "member_states",
                    LABELS["member_states"],
                    _value(incident, "member_states") if incident.is_cross_border else "—",
                ),
            ],
        ),
    ]


def _first_awareness(incident: Incident) -> list[Answer]:
    """R14: where awareness was moved, the first recorded one and why stand beside it."""
    first = incident.first_aware_at
    if first is None or first == incident.aware_at:
        return []
    value = str(
        _l(
            "%(when)s (deadline %(deadline)s); moved because: %(reason)s",
            when=_local(incident, first),
            deadline=_local(incident, incident.first_deadline_at),
            reason=incident.aware_at_reason or "—",
        )
    )
    return [Answer("first_aware_at", str(_l("First recorded awareness")), value)]


def missing(incident: Incident) -> list[str]:
    return [a.question for s in sections(incident) for a in s.answers if a.missing]
