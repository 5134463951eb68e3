"""Logging in and out, the first admin's one-time link, and one's own account."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import clock
from ..domain.errors import RuleViolation
from ..extensions import db
from ..forms import EmptyForm, attach_errors
from . import devices, pending, services, sessions, two_factor
from .forms import AccountForm, LoginForm, PasswordForm, ProofForm, RevokeTokenForm, SetupForm
from .models import User
from .reauth import too_many_attempts

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlparse(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("incidents.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email, now = form.email.data or "", clock.now()
        wait = devices.blocked_for(email, now)
        user = None if wait else services.authenticate(email, form.password.data or "")
        if wait:
            form.password.errors = [too_many_attempts(wait)]
            status = 429
        elif user is None:
            devices.record_failure(email, now)
            form.password.errors = [_("Wrong e-mail address or password.")]
        elif user.has_two_factor:
            # the throttle is cleared only after the second step, so it counts wrong codes too
            pending.begin(user, _safe_next(request.args.get("next")), now)
            return redirect(url_for("auth.login_code"))
        else:
            devices.record_success(email)
            return finish_login(user, _safe_next(request.args.get("next")))
    page = render_template("auth/login.html", form=form, needs_setup=not services.has_users())
    return page, status


def me() -> User:
    """The logged-in user itself, not the proxy: the audit trail records an object's type."""
    user: User = current_user._get_current_object()
    return user


def finish_login(user: User, target: str | None) -> Any:
    start_session(user)
    return devices.remember(redirect(target or url_for("incidents.dashboard")), user.email)


def start_session(user: User) -> None:
    """Log this browser in with a new session record (also after a password change)."""
    session.permanent = True  # the cookie ends after PERMANENT_SESSION_LIFETIME idle
    login_user(user)
    sessions.begin(user, clock.now())


@bp.post("/logout")
@login_required
def logout() -> Any:
    sessions.end_current(clock.now())
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str) -> Any:
    """The one-time link printed on first start: create the first admin."""
    now = clock.now()
    setup_token = services.valid_setup_token(token, now)
    if setup_token is None or services.has_users():
        return render_template("auth/setup_used.html"), 410
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.email.data or "",
                "admin",
                form.password.data or "",
                actor="setup link",
                now=now,
                name=form.name.data or "",
                language=form.language.data or "nl",
            )
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            setup_token.used_at = now
            start_session(user)
            flash(_("Welcome. You are the first admin; add an organisation to start."), "success")
            return redirect(url_for("admin.organisations"))
    return render_template("auth/setup.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> Any:
    form = AccountForm(obj=current_user, prefix="account")
    password_form = PasswordForm(prefix="pw")
    if "account-language" in request.form and form.validate_on_submit():
        services.update_user(
            me(), {"language": form.language.data}, actor=current_user, now=clock.now()
        )
        flash(_("Saved."), "success")
        return redirect(url_for("auth.account"))
    if "pw-password" in request.form and password_form.validate_on_submit():
        now = clock.now()
        # throttled like the login: an open session is no way around it
        wait = devices.blocked_for(current_user.email, now)
        user = (
            None
            if wait
            else services.authenticate(current_user.email, password_form.current.data or "")
        )
        if wait:
            password_form.current.errors = [too_many_attempts(wait)]
        elif user is None:
            devices.record_failure(current_user.email, now)
            password_form.current.errors = [_("This is not your current password.")]
        else:
            try:
                services.set_password(
                    user, password_form.password.data or "", actor=user, now=clock.now()
                )
            except RuleViolation as violation:
                db.session.rollback()
                attach_errors(password_form, violation)
            else:
                start_session(user)  # the others ended with the password change
                flash(_("Your password was changed; other sessions were logged out."), "success")
                return redirect(url_for("auth.account"))
    return render_account(form=form, password_form=password_form)


def render_account(**forms: Any) -> str:
    """The account page; a form given in `forms` shows what was typed and its errors."""
    forms.setdefault("form", AccountForm(obj=current_user, prefix="account", formdata=None))
    forms.setdefault("password_form", PasswordForm(prefix="pw", formdata=None))
    forms.setdefault("off_form", ProofForm(prefix="off", formdata=None))
    forms.setdefault("codes_form", ProofForm(prefix="codes", formdata=None))
    left = two_factor.recovery_codes_left(current_user) if current_user.has_two_factor else 0
    return render_template(
        "auth/account.html",
        tokens=services.tokens_of(current_user),
        user_sessions=sessions.live_sessions(current_user, clock.now()),
        two_factor_required=two_factor.required_of(current_user),
        this_session=sessions.current(),
        recovery_codes_left=left,
        **forms,
    )


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions() -> Any:
    """Log out everywhere else: a browser left logged in elsewhere opens nothing any more."""
    if EmptyForm().validate_on_submit():
        now = clock.now()
        ended = sessions.end_all(me(), now, keep=sessions.current())
        services.note_sessions_ended(me(), ended, now=now)
        flash(_("You were logged out everywhere else."), "success")
    return redirect(url_for("auth.account", _anchor="sessions"))


@bp.post("/account/tokens/revoke")
@login_required
def revoke_token() -> Any:
    """Only one's own tokens; an admin revokes someone else's on the admin user page."""
    form = RevokeTokenForm()
    token_id = form.token_id.data or ""
    token = None
    if form.validate_on_submit() and token_id.isdigit():
        token = services.token_of(current_user, int(token_id))
    if token is None:
        flash(_("This token does not exist or was revoked already."), "error")
    else:
        services.revoke_api_token(token, actor=current_user, now=clock.now())
        flash(_("The token was revoked; it no longer works."), "success")
    return redirect(url_for("auth.account", _anchor="tokens"))


@bp.post("/language/<code>")
def language(code: str) -> Any:
    """Switch the interface language; remembered on the account when logged in."""
    if code not in ("nl", "en"):
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated and current_user.language != code:
        services.update_user(me(), {"language": code}, actor=current_user, now=clock.now())
    return redirect(_safe_next(request.form.get("next")) or url_for("incidents.dashboard"))


# The two-factor pages live in their own module; importing it adds them to bp.
from . import two_factor_views  # noqa: E402, F401
