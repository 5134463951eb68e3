from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..domain import ap_answers
from ..domain.ap_values import DATA_OUTCOMES, HARM_KINDS, SEVERITIES, SUBJECTS_PLANS
from ..forms import (
    InRegisterYears,
    LocalDateTimeField,
    MultiCheckboxField,
    ThreeStateField,
    choices,
)
from ..labels import LABELS as VALUE_LABELS
from .authorities import AuthoritiesField
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
    is_ongoing = ThreeStateField(_l("Is it still going on?"), unknown=_l("don't know"))
    has_special_categories = ThreeStateField(
        _l(
            "Was it also about data on health, criminal records or other special data "
            "(such as religion, ethnic origin or biometrics)?"
        ),
        unknown=_l("don't know"),
    )
    special_categories = MultiCheckboxField(_l("If yes: which, if you know"), choices=[])

    def facts(self, zone: str) -> dict[str, Any]:
        facts: dict[str, Any] = {
            "is_ongoing": self.is_ongoing.answer,
            "has_special_categories": self.has_special_categories.answer,
            "special_categories": list(self.special_categories.data or []),
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
    is_ongoing = ThreeStateField(LABELS["is_ongoing"])
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
    has_special_categories = ThreeStateField(LABELS["has_special_categories"])
    special_categories = MultiCheckboxField(LABELS["special_categories"], choices=[])
    personal_data_details = TextAreaField(
        LABELS["personal_data_details"], validators=[Length(max=20_000)]
    )
    records_count = _number("records_count")
    subject_categories = MultiCheckboxField(LABELS["subject_categories"], choices=[])
    people_min = _number("people_min")
    people_max = _number("people_max")
    is_protected = ThreeStateField(LABELS["is_protected"])
    protection_details = TextAreaField(
        LABELS["protection_details"], validators=[Length(max=20_000)]
    )
    consequences = TextAreaField(LABELS["consequences"], validators=[Length(max=20_000)])
    subject_description = TextAreaField(
        LABELS["subject_description"], validators=[Length(max=20_000)]
    )
    is_cross_border = ThreeStateField(LABELS["is_cross_border"])
    member_states = StringField(LABELS["member_states"], validators=[Length(max=200)])
    # the AP form's own questions (sections 1, 3, 7, 8 and 9)
    other_organisations = TextAreaField(
        LABELS["other_organisations"], validators=[Length(max=20_000)]
    )
    data_outcomes = MultiCheckboxField(
        LABELS["data_outcomes"],
        choices=choices((code, VALUE_LABELS["data_outcome"][code]) for code in DATA_OUTCOMES),
    )
    consequences_confidentiality = TextAreaField(
        LABELS["consequences_confidentiality"], validators=[Length(max=20_000)]
    )
    consequences_integrity = TextAreaField(
        LABELS["consequences_integrity"], validators=[Length(max=20_000)]
    )
    consequences_availability = TextAreaField(
        LABELS["consequences_availability"], validators=[Length(max=20_000)]
    )
    harm_kinds = MultiCheckboxField(
        LABELS["harm_kinds"],
        choices=choices((code, VALUE_LABELS["harm"][code]) for code in HARM_KINDS),
    )
    severity = SelectField(
        LABELS["severity"],
        choices=choices(
            [("", _l("not known yet"))]
            + [(code, VALUE_LABELS["severity"][code]) for code in SEVERITIES]
        ),
        default="",
    )
    other_authorities_notified = ThreeStateField(LABELS["other_authorities_notified"])
    other_authorities = AuthoritiesField(LABELS["other_authorities"])
    subjects_plan = SelectField(
        LABELS["subjects_plan"],
        choices=choices(
            [("", _l("not known yet"))]
            + [(code, VALUE_LABELS["subjects_plan"][code]) for code in SUBJECTS_PLANS]
        ),
        default="",
    )
    subjects_plan_reason = TextAreaField(
        LABELS["subjects_plan_reason"], validators=[Length(max=20_000)]
    )
    subjects_planned_on = DateField(
        LABELS["subjects_planned_on"], validators=[Optional(), InRegisterYears()]
    )
    other_remarks = TextAreaField(LABELS["other_remarks"], validators=[Length(max=20_000)])
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
        *ap_answers.TEXT_FIELDS,
    )
    TIMES = (
        "occurred_from",
        "occurred_until",
        "discovered_at",
        "aware_at",
        "processor_aware_at",
        "processor_notified_at",
    )
    LISTS = (
        "nature",
        "personal_data",
        "special_categories",
        "subject_categories",
        "data_outcomes",
        "harm_kinds",
    )
    PLAIN = (
        "incident_type",
        "records_count",
        "people_min",
        "people_max",
        "severity",
        "subjects_plan",
        "subjects_planned_on",
        "other_authorities",
    )
    THREE_STATE = (
        "is_ongoing",
        "is_cross_border",
        "is_protected",
        "has_special_categories",
        "other_authorities_notified",
    )

    def facts(self, zone: str) -> dict[str, Any]:
        facts: dict[str, Any] = {name: (self[name].data or "").strip() for name in self.TEXT}
        facts.update({name: self[name].to_utc(zone) for name in self.TIMES})
        facts.update({name: list(self[name].data or []) for name in self.LISTS})
        facts.update({name: self[name].data for name in self.PLAIN})
        facts.update({name: self[name].answer for name in self.THREE_STATE})
        facts["assignee_id"] = self.assignee_id.data or None
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
