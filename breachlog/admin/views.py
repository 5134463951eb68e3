"""Admin pages: users and organisations (the catalogues are in catalogue_views)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from .. import clock
from ..auth import services as user_services
from ..auth import two_factor
from ..auth.access import require
from ..auth.forms import RevokeTokenForm
from ..auth.models import User
from ..domain.errors import RuleViolation
from ..extensions import db
from ..forms import EmptyForm, attach_errors
from ..orgs import services as org_services
from ..orgs.models import Organisation
from .forms import (
    LANGUAGE_NAMES,
    OrganisationForm,
    SetPasswordForm,
    UserCreateForm,
    UserEditForm,
    zone_choices,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.after_request
def no_store(response: Response) -> Response:
    # admin pages can carry a typed password back after a form error
    response.headers["Cache-Control"] = "no-store"
    return response


def organisation_choices(current_id: int | None = None) -> list[SelectChoice]:
    """Active organisations, plus the one already chosen even when it is no longer active."""
    shown: sa.ColumnElement[bool] = Organisation.is_active.is_(True)
    if current_id is not None:
        shown = sa.or_(shown, Organisation.id == current_id)
    query = sa.select(Organisation).where(shown).order_by(Organisation.name)
    none = SelectChoice("", _("— none —"))
    return [none, *(SelectChoice(str(org.id), org.name) for org in db.session.scalars(query))]


# Users


@bp.get("/users")
@require("can_administer")
def users() -> Any:
    page = db.paginate(
        sa.select(User).options(selectinload(User.organisation)).order_by(User.email),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template("admin/users.html", page=page, language_names=LANGUAGE_NAMES)


@bp.route("/users/new", methods=["GET", "POST"])
@require("can_administer")
def user_new() -> Any:
    form = UserCreateForm()
    form.organisation_id.choices = organisation_choices()
    if form.validate_on_submit():
        try:
            user = user_services.create_user(
                form.email.data or "",
                form.role.data or "",
                form.password.data or "",
                actor=current_user,
                now=clock.now(),
                name=form.name.data or "",
                language=form.language.data or "",
                organisation_id=form.organisation_id.data,
            )
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            flash(_("User %(email)s was created.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_new.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require("can_administer")
def user_edit(user_id: int) -> Any:
    user = db.get_or_404(User, user_id)
    form = user_edit_form(user)
    if form.validate_on_submit():
        changes = {
            "name": (form.name.data or "").strip(),
            "role": form.role.data,
            "language": form.language.data,
            "organisation_id": form.organisation_id.data,
            "is_active": form.is_active.data,
        }
        try:
            user_services.update_user(user, changes, actor=current_user, now=clock.now())
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            flash(_("User %(email)s was saved.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_user_edit(user, form, SetPasswordForm(formdata=None, prefix="pw"))


@bp.post("/users/<int:user_id>/password")
@require("can_administer")
def user_password(user_id: int) -> Any:
    user = db.get_or_404(User, user_id)
    password_form = SetPasswordForm(prefix="pw")
    if password_form.validate_on_submit():
        try:
            user_services.set_password(
                user, password_form.password.data or "", actor=current_user, now=clock.now()
            )
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(password_form, violation)
        else:
            if user.id == current_user.id:
                login_user(user)  # keep this session; the new session version ends the others
            flash(
                _(
                    "The password of %(email)s was changed; their sessions ended.",
                    email=user.email,
                ),
                "success",
            )
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_user_edit(user, user_edit_form(user, formdata=None), password_form)


@bp.post("/users/<int:user_id>/two-factor/reset")
@require("can_administer")
def user_two_factor_reset(user_id: int) -> Any:
    """For a lost phone without recovery codes: the user logs in with the password only."""
    user = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit() and (user.has_two_factor or user.totp_secret):
        two_factor.turn_off(user, actor=current_user, now=clock.now(), by_admin=True)
        flash(_("Two-factor login of %(email)s is off.", email=user.email), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/users/<int:user_id>/tokens/revoke")
@require("can_administer")
def user_tokens_revoke(user_id: int) -> Any:
    """One token (token_id is its id) or every one (token_id is "all")."""
    user = db.get_or_404(User, user_id)
    form = RevokeTokenForm()
    if form.validate_on_submit():
        now, chosen = clock.now(), form.token_id.data or ""
        if chosen == "all":
            user_services.revoke_api_tokens(user, actor=current_user, now=now)
            flash(_("Every API token of %(email)s was revoked.", email=user.email), "success")
        elif chosen.isdigit() and (token := user_services.token_of(user, int(chosen))):
            user_services.revoke_api_token(token, actor=current_user, now=now)
            flash(_("The token was revoked; it no longer works."), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id, _anchor="tokens"))


def user_edit_form(user: User, **kwargs: Any) -> UserEditForm:
    form = UserEditForm(obj=user, **kwargs)
    form.organisation_id.choices = organisation_choices(user.organisation_id)
    return form


def render_user_edit(user: User, form: UserEditForm, password_form: SetPasswordForm) -> str:
    return render_template(
        "admin/user_edit.html",
        user=user,
        form=form,
        password_form=password_form,
        tokens=user_services.tokens_of(user),
    )


# Organisations


@bp.get("/organisations")
@require("can_administer")
def organisations() -> Any:
    organisations = db.session.scalars(sa.select(Organisation).order_by(Organisation.name))
    return render_template("admin/organisations.html", organisations=list(organisations))


@bp.route("/organisations/new", methods=["GET", "POST"])
@require("can_administer")
def organisation_new() -> Any:
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = org_services.create_organisation(form.data, actor=current_user, now=clock.now())
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            flash(_("Organisation %(name)s was created.", name=org.name), "success")
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=None)


@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
@require("can_administer")
def organisation_edit(org_id: int) -> Any:
    org = db.get_or_404(Organisation, org_id)
    form = OrganisationForm(obj=org)
    form.timezone.choices = zone_choices(org.timezone)
    if form.validate_on_submit():
        try:
            org_services.update_organisation(org, form.data, actor=current_user, now=clock.now())
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            flash(_("Organisation %(name)s was saved.", name=org.name), "success")
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=org)


# The catalogue pages live in their own module; importing it adds them to bp.
from . import catalogue_views, mail_views  # noqa: E402, F401
