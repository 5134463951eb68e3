from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from ..domain import law
from ..forms import LocalDateTimeField, MultiCheckboxField, ThreeStateField, choices
from ..incidents.fields import LABELS as FIELD_LABELS
from ..labels import LABELS

RISK_CHOICES = choices(
    [
        ("none", _l("No risk: the breach is unlikely to result in a risk to people")),
        ("risk", _l("Risk: notify the AP within 72 hours")),
        ("high", _l("High risk: notify the AP and inform the people concerned")),
    ]
)
DPC_CHOICES = choices(
    [
        ("", _l("not scored")),
        ("1", _l("1 – basic: name, contact details, education, family life")),
        ("2", _l("2 – behavioural: habits, location, traffic data, preferences")),
        ("3", _l("3 – financial: income, transactions, bank statements, investments")),
        ("4", _l("4 – sensitive: health, political, sexual, criminal, special categories")),
    ]
)
EI_CHOICES = choices(
    [
        ("", _l("not scored")),
        ("0.25", _l("0.25 – negligible: identifying the people is extremely hard")),
        ("0.5", _l("0.5 – limited: possible with considerable effort")),
        ("0.75", _l("0.75 – significant: possible with some effort or public information")),
        ("1", _l("1 – maximum: the data itself identifies them (name, BSN)")),
    ]
)
CB_PART = choices(
    [
        ("0", _l("0 – not affected")),
        ("0.25", _l("0.25 – affected, data recoverable or not further spread")),
        ("0.5", _l("0.5 – affected, not recoverable or spread further")),
    ]
)
PART_LABELS = LABELS["part"]
CHANNEL_CHOICES = choices(LABELS["channel"].items())
GROUND_CHOICES = choices(
    [
        ("unintelligible", _l("(a) The data is unintelligible to others, e.g. encrypted")),
        ("measures_taken", _l("(b) Later measures ensure the high risk no longer materialises")),
        (
            "disproportionate",
            _l(
                "(c) Informing everyone takes disproportionate effort: a public "
                "communication instead"
            ),
        ),
    ]
)


class AssessmentForm(FlaskForm):
    is_personal_data_breach = SelectField(
        _l("Is this a personal-data breach?"),
        choices=choices(
            [
                ("yes", _l("Yes: personal data was lost, seen, changed or unavailable")),
                ("no", _l("No: no personal data involved, or no breach of security")),
            ]
        ),
    )
    not_breach_rationale = TextAreaField(
        _l("Why this is not a personal-data breach"), validators=[Length(max=20_000)]
    )
    risk = SelectField(
        _l("Risk to the rights and freedoms of people"),
        choices=RISK_CHOICES,
        validate_choice=False,
    )
    risk_rationale = TextAreaField(_l("Rationale"), validators=[Length(max=20_000)])
    is_dpo_involved = ThreeStateField(_l("Was the FG (DPO) involved in this assessment?"))
    enisa_dpc = SelectField(_l("Data processing context (DPC)"), choices=DPC_CHOICES)
    enisa_dpc_base = SelectField(
        _l("Base data processing context, before adjusting for the context"),
        choices=DPC_CHOICES,
        default="",
    )
    enisa_dpc_reason = TextAreaField(
        _l("What in the context adjusts the base score"), validators=[Length(max=20_000)]
    )
    enisa_ei = SelectField(_l("Ease of identification (EI)"), choices=EI_CHOICES)
    cb_confidentiality = SelectField(_l("Loss of confidentiality"), choices=CB_PART)
    cb_integrity = SelectField(_l("Loss of integrity"), choices=CB_PART)
    cb_availability = SelectField(_l("Loss of availability"), choices=CB_PART)
    cb_malicious = BooleanField(_l("Malicious intent (+0.5)"))


class NotificationForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=choices(
            [
                ("initial", _l("Initial notification")),
                ("supplement", _l("Supplement (aanvulling)")),
                ("withdrawal", _l("Withdrawal (intrekking)")),
            ]
        ),
    )
    submitted_at = LocalDateTimeField(_l("Submitted to the AP at"), required=True)
    meldnummer = StringField(_l("Meldnummer given by the AP"), validators=[Length(max=64)])
    is_provisional = BooleanField(_l("Provisional: more information follows"))
    reasons_for_delay = TextAreaField(
        _l("Reasons for the delay (required after 72 hours)"), validators=[Length(max=20_000)]
    )
    follows = MultiCheckboxField(
        _l("Parts that follow later (Art. 33(4))"), choices=choices(PART_LABELS.items())
    )
    gives = MultiCheckboxField(
        _l("Owed parts this supplement gives"), choices=choices(PART_LABELS.items())
    )
    note = TextAreaField(
        _l("What this supplement says, or why the notification is withdrawn"),
        validators=[Length(max=20_000)],
    )
    receipt_at = LocalDateTimeField(_l("The AP confirmed receipt at"))
    receipt_text = TextAreaField(
        _l("The AP's confirmation of receipt"), validators=[Length(max=20_000)]
    )
    # sections 0 and 1 of the AP form: under which law, and who notifies
    law = SelectField(
        FIELD_LABELS["law"], choices=choices(LABELS["law"].items()), validate_choice=False
    )
    notifier_name = StringField(FIELD_LABELS["notifier_name"])
    notifier_role = StringField(FIELD_LABELS["notifier_role"])
    notifier_email = StringField(FIELD_LABELS["notifier_email"])
    notifier_phone = StringField(FIELD_LABELS["notifier_phone"])

    NOTIFIER = ("law", "notifier_name", "notifier_role", "notifier_email", "notifier_phone")

    def notifier(self) -> dict[str, str]:
        """The answers posted; one left out of the post stays as recorded."""
        return {
            name: (self[name].data or "").strip() for name in self.NOTIFIER if self[name].raw_data
        }


class CommunicationForm(FlaskForm):
    sent_at = LocalDateTimeField(_l("Sent at"), required=True)
    channel = SelectField(_l("Channel"), choices=CHANNEL_CHOICES)
    people_reached = IntegerField(
        _l("Number of people reached"),
        validators=[Optional(), NumberRange(min=0, max=2_000_000_000)],
    )
    text = TextAreaField(_l("The text that was sent"), validators=[Length(max=50_000)])
    shortfall_reason = TextAreaField(
        _l("Why fewer people were reached than were concerned"),
        validators=[Length(max=20_000)],
    )
    names_contact = BooleanField(_l("The text names a contact point for questions"))
    names_consequences = BooleanField(_l("The text describes the likely consequences"))
    names_measures = BooleanField(_l("The text describes the measures taken or proposed"))


class ExemptionForm(FlaskForm):
    ground = SelectField(_l("Ground (Art. 34(3))"), choices=GROUND_CHOICES)
    rationale = TextAreaField(_l("Why this ground applies"), validators=[Length(max=20_000)])
    public_communication = TextAreaField(
        _l("The public communication (ground c)"), validators=[Length(max=50_000)]
    )
    public_sent_at = LocalDateTimeField(_l("Made public at (ground c)"))
    public_channel = SelectField(
        _l("Where it was made public (ground c)"),
        choices=choices([("", "—"), *LABELS["channel"].items()]),
        validate_choice=False,
    )


class CloseForm(FlaskForm):
    evaluation = TextAreaField(
        _l("Evaluation and lessons learned"), validators=[Length(max=20_000)]
    )
    confirm_open_measures = BooleanField(
        _l("I close the incident with the measures listed above still open")
    )


class ReopenForm(FlaskForm):
    reason = StringField(_l("Reason for reopening"), validators=[Length(max=1000)])


assert set(PART_LABELS) == set(law.REQUIRED_PARTS)
