from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..forms import choices

LANGUAGES = choices([("nl", "Nederlands"), ("en", "English")])


def no_control_characters(form: FlaskForm, field: Field) -> None:
    """A NUL or other control character is never part of an address or password we made."""
    if any(ord(char) < 32 or ord(char) == 127 for char in field.data or ""):
        raise ValidationError(_l("This contains a character that is not allowed."))


class LoginForm(FlaskForm):
    # 254 characters is the longest e-mail address there is (RFC 5321)
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254), no_control_characters],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=1024), no_control_characters]
    )


class SetupForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[Length(max=200)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("Password again"), validators=[EqualTo("password", message=_l("The passwords differ."))]
    )
    language = SelectField(_l("Language"), choices=LANGUAGES)


class AccountForm(FlaskForm):
    language = SelectField(_l("Language"), choices=LANGUAGES)


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("New password again"),
        validators=[EqualTo("password", message=_l("The passwords differ."))],
    )


class CodeForm(FlaskForm):
    """The login's second step: a code from the app, or a recovery code."""

    code = StringField(
        _l("Code from your app, or a recovery code"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )


class ConfirmCodeForm(FlaskForm):
    code = StringField(
        _l("Code from your app"),
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ProofForm(FlaskForm):
    """Proof that it is really the user: a current code, or else the password."""

    code = StringField(
        _l("Code from your app"),
        validators=[Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    password = PasswordField(_l("Or your password"))


class RevokeTokenForm(FlaskForm):
    token_id = HiddenField()
