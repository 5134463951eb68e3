"""Admin pages: users and organisations (the catalogues are in catalogue_views)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import clock
from ..auth import mail as account_mail
from ..auth import reauth, two_factor
from ..auth import services as user_services
from ..auth.access import require
from ..auth.forms import RevokeTokenForm
from ..auth.models import User
from ..auth.views import me, start_session
from ..domain.errors import RuleViolation
from ..extensions import db
from ..forms import attach_errors
from ..orgs import services as org_services
from ..orgs.members import set_membership
from . import reach
from .forms import (
    LANGUAGE_NAMES,
    AdminProofForm,
    MembershipForm,
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


def organisation_choices() -> list[SelectChoice]:
    """The active organisations the admin manages. Only an installation admin may choose
    none: an admin of no organisation is an installation admin."""
    chosen = [
        SelectChoice(str(org.id), org.name)
        for org in reach.managed_organisations(current_user)
        if org.is_active
    ]
    if current_user.is_installation_admin:
        return [SelectChoice("", _("— none (installation admin) —")), *chosen]
    return chosen


# Users


@bp.get("/users")
@require("can_administer")
def users() -> Any:
    page = db.paginate(
        reach.users_query(current_user),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "admin/users.html",
        page=page,
        language_names=LANGUAGE_NAMES,
        managed=reach.managed_organisation_ids(current_user),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@require("can_administer")
def user_new() -> Any:
    form = UserCreateForm()
    form.organisation_id.choices = organisation_choices()
    if form.validate_on_submit():
        chosen = form.organisation_id.data
        if chosen is None and not current_user.is_installation_admin:
            form.organisation_id.errors = [_("Choose an organisation.")]
        elif chosen is not None and chosen not in reach.managed_organisation_ids(current_user):
            form.organisation_id.errors = [_("Choose one of your organisations.")]
        elif chosen is None and form.role.data != "admin":
            form.organisation_id.errors = [
                _("Choose an organisation: only an admin can be without one.")
            ]
    if form.validate_on_submit() and not form.organisation_id.errors:
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
    user = reach.user_or_404(current_user, user_id, account=False)
    form = user_edit_form(user)
    if form.validate_on_submit():
        if not reach.manages_account(current_user, user):
            abort(403)
        changes: dict[str, object] = {
            "name": (form.name.data or "").strip(),
            "language": form.language.data,
            "is_active": form.is_active.data,
        }
        if current_user.is_installation_admin:
            changes["is_installation_admin"] = form.is_installation_admin.data
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
    user = reach.user_or_404(current_user, user_id)
    password_form = SetPasswordForm(prefix="pw")
    now = clock.now()
    if password_form.validate_on_submit() and _proven(password_form, now):
        try:
            user_services.set_password(
                user, password_form.password.data or "", actor=current_user, now=now
            )
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(password_form, violation)
        else:
            if user.id == current_user.id:
                start_session(user)  # a new session here; the password change ended the others
            else:
                _inform(user, "password", now)
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
    user = reach.user_or_404(current_user, user_id)
    form = AdminProofForm(prefix="tf")
    if not (user.has_two_factor or user.totp_secret):
        return redirect(url_for("admin.user_edit", user_id=user.id))
    now = clock.now()
    if form.validate_on_submit() and _proven(form, now):
        two_factor.turn_off(user, actor=current_user, now=now, by_admin=True)
        if user.id != current_user.id:
            _inform(user, "two_factor", now)
        flash(_("Two-factor login of %(email)s is off.", email=user.email), "success")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_user_edit(
        user,
        user_edit_form(user, formdata=None),
        SetPasswordForm(formdata=None, prefix="pw"),
        two_factor_form=form,
    )


def _proven(form: AdminProofForm, now: datetime) -> bool:
    """The acting admin's own code or password, throttled like their login."""
    errors = reauth.proof_errors(
        me(), code=form.your_code.data or "", password=form.your_password.data or "", now=now
    )
    for name, messages in errors.items():
        field = form.your_code if name == "code" else form.your_password
        field.errors = [*field.errors, *messages]
    return not errors


def _inform(user: User, what: str, now: datetime) -> None:
    if not account_mail.inform(user, what, actor=me(), now=now):
        flash(
            _("%(email)s could not be told by e-mail; tell them yourself.", email=user.email),
            "error",
        )


@bp.post("/users/<int:user_id>/tokens/revoke")
@require("can_administer")
def user_tokens_revoke(user_id: int) -> Any:
    """One token (token_id is its id) or every one (token_id is "all")."""
    user = reach.user_or_404(current_user, user_id)
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
    return UserEditForm(obj=user, **kwargs)


def render_user_edit(
    user: User,
    form: UserEditForm,
    password_form: SetPasswordForm,
    membership_form: MembershipForm | None = None,
    two_factor_form: AdminProofForm | None = None,
) -> str:
    managed = reach.managed_organisation_ids(current_user)
    if membership_form is None:
        membership_form = MembershipForm(formdata=None, prefix="m")
    membership_form.organisation_id.choices = [
        (org.id, org.name) for org in reach.managed_organisations(current_user) if org.is_active
    ]
    return render_template(
        "admin/user_edit.html",
        user=user,
        form=form,
        password_form=password_form,
        membership_form=membership_form,
        memberships=[m for m in user.memberships if m.organisation_id in managed],
        elsewhere=len([m for m in user.memberships if m.organisation_id not in managed]),
        manages_account=reach.manages_account(current_user, user),
        two_factor_form=two_factor_form or AdminProofForm(formdata=None, prefix="tf"),
        tokens=user_services.tokens_of(user),
    )


# Organisations


@bp.get("/organisations")
@require("can_administer")
def organisations() -> Any:
    return render_template(
        "admin/organisations.html", organisations=reach.managed_organisations(current_user)
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@require("is_installation_admin")
def organisation_new() -> Any:
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            now = clock.now()
            org = org_services.create_organisation(form.data, actor=current_user, now=now)
            # whoever sets up an organisation can then read and manage its register
            set_membership(current_user, org, "admin", actor=current_user, now=now)
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
    org = reach.organisation_or_404(current_user, org_id)
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


# The catalogue, membership and mail pages live in their own modules; importing them adds
# them to bp.
from . import catalogue_views, mail_views, member_views  # noqa: E402, F401
