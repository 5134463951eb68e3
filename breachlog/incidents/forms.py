from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import InRegisterYears, LocalDateTimeField, MultiCheckboxField, choices
from .fields import LABELS

PEOPLE_RANGES = choices(
    (
        ("", _l("I don't know")),
        ("1-1", _l("one person")),
        ("2-10", "2 – 10"),
        ("11-100", "11 – 100"),
        ("101-1000", "101 – 1.000"),
        ("1001-10000", "1.001 – 10.000"),
        ("10001-", _l("more than 10.000")),
    )
)


def _number(name: str) -> IntegerField:
    return IntegerField(
        LABELS[name], validators=[Optional(), NumberRange(min=0, max=2_000_000_000)]
    )


class ReportForm(FlaskForm):
    """The two-minute form for any employee."""

    # absent when there is only one organisation; the view then takes that one
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=False)
    title = StringField(
        _l("In one line: what happened?"), validators=[DataRequired(), Length(max=200)]
    )
    summary = TextAreaField(
        _l("Tell us more: what, where, who, what has been done already"),
        validators=[Length(max=20_000)],
    )
    discovered_at = LocalDateTimeField(_l("When was it discovered?"), required=True)
    personal_data = MultiCheckboxField(_l("Which data may be involved?"), choices=[])
    people = SelectField(_l("Roughly how many people?"), choices=PEOPLE_RANGES, default="")
    reporter_contact = StringField(
        _l("How can we reach you? (phone or e-mail)"), validators=[Length(max=500)]
    )
    processor_name = StringField(
        _l("Did a supplier (processor) tell us? Which one"), validators=[Length(max=200)]
    )
    processor_notified_at = LocalDateTimeField(_l("When did the supplier tell us?"))

    def facts(self, zone: str) -> dict[str, Any]:
        facts: dict[str, Any] = {
            "processor_name": (self.processor_name.data or "").strip(),
            "processor_notified_at": self.processor_notified_at.to_utc(zone),
            "title": (self.title.data or "").strip(),
            "summary": (self.summary.data or "").strip(),
            "discovered_at": self.discovered_at.to_utc(zone),
            "personal_data": list(self.personal_data.data or []),
            "reporter_contact": (self.reporter_contact.data or "").strip(),
        }
        low, _, high = (self.people.data or "").partition("-")
        facts["people_min"] = int(low) if low.isdigit() else None
        facts["people_max"] = int(high) if high.isdigit() else None
        return facts


class IncidentForm(FlaskForm):
    """Every fact of an incident, for the privacy officer."""

    title = StringField(LABELS["title"], validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(LABELS["summary"], validators=[Length(max=20_000)])
    assignee_id = SelectField(LABELS["assignee_id"], coerce=int)
    reporter_contact = StringField(LABELS["reporter_contact"], validators=[Length(max=500)])
    occurred_from = LocalDateTimeField(LABELS["occurred_from"])
    occurred_until = LocalDateTimeField(LABELS["occurred_until"])
    is_ongoing = BooleanField(LABELS["is_ongoing"])
    discovered_at = LocalDateTimeField(LABELS["discovered_at"])
    aware_at = LocalDateTimeField(LABELS["aware_at"], required=True)
    aware_at_reason = StringField(
        _l("Reason for changing the moment of awareness"), validators=[Length(max=1000)]
    )
    how_discovered = TextAreaField(LABELS["how_discovered"], validators=[Length(max=20_000)])
    processor_name = StringField(LABELS["processor_name"], validators=[Length(max=200)])
    processor_aware_at = LocalDateTimeField(LABELS["processor_aware_at"])
    processor_notified_at = LocalDateTimeField(LABELS["processor_notified_at"])
    incident_type = SelectField(LABELS["incident_type"])
    nature = MultiCheckboxField(LABELS["nature"], choices=[])
    personal_data = MultiCheckboxField(LABELS["personal_data"], choices=[])
    special_categories = MultiCheckboxField(LABELS["special_categories"], choices=[])
    personal_data_details = TextAreaField(
        LABELS["personal_data_details"], validators=[Length(max=20_000)]
    )
    records_count = _number("records_count")
    subject_categories = MultiCheckboxField(LABELS["subject_categories"], choices=[])
    people_min = _number("people_min")
    people_max = _number("people_max")
    is_protected = SelectField(
        LABELS["is_protected"],
        choices=choices([("", _l("unknown")), ("yes", _l("yes")), ("no", _l("no"))]),
    )
    protection_details = TextAreaField(
        LABELS["protection_details"], validators=[Length(max=20_000)]
    )
    consequences = TextAreaField(LABELS["consequences"], validators=[Length(max=20_000)])
    subject_description = TextAreaField(
        LABELS["subject_description"], validators=[Length(max=20_000)]
    )
    is_cross_border = BooleanField(LABELS["is_cross_border"])
    member_states = StringField(LABELS["member_states"], validators=[Length(max=200)])
    cause = TextAreaField(LABELS["cause"], validators=[Length(max=20_000)])
    evaluation = TextAreaField(LABELS["evaluation"], validators=[Length(max=20_000)])

    TEXT = (
        "title",
        "summary",
        "reporter_contact",
        "how_discovered",
        "processor_name",
        "personal_data_details",
        "protection_details",
        "consequences",
        "subject_description",
        "cause",
        "evaluation",
    )
    TIMES = (
        "occurred_from",
        "occurred_until",
        "discovered_at",
        "aware_at",
        "processor_aware_at",
        "processor_notified_at",
    )
    LISTS = ("nature", "personal_data", "special_categories", "subject_categories")
    PLAIN = (
        "incident_type",
        "records_count",
        "people_min",
        "people_max",
        "is_ongoing",
        "is_cross_border",
    )

    def facts(self, zone: str) -> dict[str, Any]:
        facts: dict[str, Any] = {name: (self[name].data or "").strip() for name in self.TEXT}
        facts.update({name: self[name].to_utc(zone) for name in self.TIMES})
        facts.update({name: list(self[name].data or []) for name in self.LISTS})
        facts.update({name: self[name].data for name in self.PLAIN})
        facts["assignee_id"] = self.assignee_id.data or None
        facts["is_protected"] = {"yes": True, "no": False}.get(self.is_protected.data or "")
        facts["member_states"] = [
            code.strip().upper()
            for code in (self.member_states.data or "").replace(";", ",").split(",")
            if code.strip()
        ]
        return facts

    def time_errors(self) -> bool:
        return any(self[name].errors for name in self.TIMES)


class MeasureForm(FlaskForm):
    kind = SelectField(
        LABELS["kind"],
        choices=choices(
            [
                ("corrective", _l("corrective: repairs this breach")),
                ("preventive", _l("preventive: stops it happening again")),
            ]
        ),
    )
    description = TextAreaField(
        LABELS["description"], validators=[DataRequired(), Length(max=20_000)]
    )
    owner = StringField(LABELS["owner"], validators=[Length(max=200)])
    due_on = DateField(LABELS["due_on"], validators=[Optional(), InRegisterYears()])
