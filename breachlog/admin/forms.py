"""Forms of the admin pages: the services check the rules; these limit lengths and choices."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, Length
from wtforms.widgets import PasswordInput

from ..domain import catalogue
from ..domain.roles import ROLES
from ..labels import label

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}

# Amsterdam first; then the neighbours where group companies sit, the Caribbean parts of the
# Kingdom, and UTC. A zone outside this list (set from the command line) is added when shown.
COMMON_ZONES = (
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/Luxembourg",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Madrid",
    "Europe/Lisbon",
    "Europe/Rome",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Copenhagen",
    "Europe/Stockholm",
    "Europe/Oslo",
    "Europe/Helsinki",
    "Europe/Warsaw",
    "Europe/Prague",
    "Europe/Athens",
    "Europe/Bucharest",
    "America/Curacao",
    "America/Aruba",
    "America/Kralendijk",
    "America/Lower_Princes",
    "UTC",
)

KIND_LABELS = {
    catalogue.PERSONAL_DATA: _l("Categories of personal data"),
    catalogue.SPECIAL_CATEGORY: _l("Special categories of personal data"),
    catalogue.DATA_SUBJECT: _l("Categories of people concerned"),
    catalogue.INCIDENT_TYPE: _l("Kinds of incident"),
    catalogue.NATURE: _l("Nature of the breach"),
}


def zone_choices(current: str | None = None) -> list[SelectChoice]:
    zones = list(COMMON_ZONES)
    if current and current not in zones:
        zones.append(current)
    return [SelectChoice(zone, zone.replace("_", " ")) for zone in zones]


def language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


def optional_id(value: Any) -> int | None:
    """Coerce a select's value: '' (no organisation) is None."""
    if value in (None, "", "None"):
        return None
    return int(value)


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role, label("role", role)) for role in ROLES]


class KeptPasswordField(PasswordField):
    """The admin types a password for someone else; a form error must not wipe it."""

    widget = PasswordInput(hide_value=False)


class UserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=200)])
    language = SelectField(_l("Language"), choices=language_choices(), default="nl")


class UserCreateForm(UserForm):
    role = SelectField(_l("Role"), choices=role_choices, default="reporter")
    # choices are the organisations the admin manages, filled in by the view
    organisation_id = SelectField(_l("Organisation"), coerce=optional_id, choices=[])
    email = EmailField(_l("E-mail address"), validators=[Length(max=254)])
    password = KeptPasswordField(_l("Initial password"))
    confirm = KeptPasswordField(
        _l("Initial password again"),
        validators=[EqualTo("password", message=_l("The passwords differ."))],
    )


class UserEditForm(UserForm):
    is_active = BooleanField(_l("Active (may log in)"))
    # read only when an installation admin saves the form
    is_installation_admin = BooleanField(
        _l("Installation admin (manages organisations and every user)")
    )


class MembershipForm(FlaskForm):
    """A role in one organisation; choosing another role for the same one changes it."""

    organisation_id = SelectField(_l("Organisation"), coerce=optional_id, choices=[])
    role = SelectField(_l("Role"), choices=role_choices, default="reporter")


class AdminProofForm(FlaskForm):
    """Resetting how someone else logs in: the acting admin proves it is really them."""

    your_code = StringField(
        _l("Your own code from your app"),
        validators=[Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    your_password = PasswordField(_l("Or your own password"))


class SetPasswordForm(AdminProofForm):
    password = KeptPasswordField(_l("New password"))
    confirm = KeptPasswordField(
        _l("New password again"),
        validators=[EqualTo("password", message=_l("The passwords differ."))],
    )


class OrganisationForm(FlaskForm):
    name = StringField(_l("Legal name"), validators=[Length(max=200)])
    kvk_number = StringField(_l("KvK number"), validators=[Length(max=20)])
    ref_prefix = StringField(_l("Reference prefix"), default="DL", validators=[Length(max=10)])
    fg_name = StringField(_l("Contact point / FG: name"), validators=[Length(max=200)])
    fg_email = EmailField(_l("Contact point / FG: e-mail address"), validators=[Length(max=254)])
    escalation_emails = StringField(_l("Escalation e-mail addresses (management)"))
    timezone = SelectField(_l("Time zone"), choices=zone_choices(), default="Europe/Amsterdam")
    is_active = BooleanField(_l("Active"), default=True)
    two_factor_required = BooleanField(_l("Officers and admins must use two-factor login"))
    four_eyes_required = BooleanField(
        _l("A second officer approves risk none, not a breach and a withdrawal")
    )


class CatalogueEntryForm(FlaskForm):
    kind = SelectField(
        _l("Catalogue"),
        choices=[SelectChoice(kind, KIND_LABELS[kind]) for kind in catalogue.OPEN_KINDS],
    )
    code = StringField(_l("Code"), validators=[Length(max=64)])
    label_nl = StringField(_l("Dutch label"), validators=[Length(max=200)])
    label_en = StringField(_l("English label"), validators=[Length(max=200)])
