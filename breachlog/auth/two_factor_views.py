"""Two-factor login: the login's second step, and turning it on and off from one's account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from markupsafe import Markup

from .. import clock
from ..domain.errors import RuleViolation
from ..extensions import db
from ..forms import EmptyForm, attach_errors
from . import devices, pending, reauth, sessions, two_factor
from .forms import CodeForm, ConfirmCodeForm, ProofForm
from .reauth import too_many_attempts
from .views import bp, finish_login, me, render_account


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> Any:
    """After the right password: a code from the app or a recovery code, within five minutes."""
    if current_user.is_authenticated:
        return redirect(url_for("incidents.dashboard"))
    now = clock.now()
    user = pending.user(now)
    if user is None:
        pending.end()
        flash(_("Log in again: the time to give the code ran out."), "error")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        wait = devices.blocked_for(user.email, now)
        outcome = None if wait else two_factor.check_second_factor(user, form.code.data or "", now)
        if wait:
            form.code.errors = [too_many_attempts(wait)]
            status = 429
        elif outcome == "accepted":
            target = pending.target()
            pending.end()
            devices.record_success(user.email)
            return finish_login(user, target)
        else:
            devices.record_failure(user.email, now)
            if outcome == "used":
                form.code.errors = [_("This code was used already. Wait for the next one.")]
            else:
                form.code.errors = [_("This code is not right.")]
    return render_template("auth/login_code.html", form=form), status


def _account() -> Any:
    return redirect(url_for("auth.account", _anchor="two-factor"))


@bp.post("/account/two-factor/start")
@login_required
def two_factor_start() -> Any:
    if EmptyForm().validate_on_submit():
        try:
            two_factor.start(me(), now=clock.now())
        except RuleViolation:
            db.session.rollback()
            return _account()
    return redirect(url_for("auth.two_factor_setup"))


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_setup() -> Any:
    """The secret as QR code, key and link; on with the first code the app shows."""
    user = me()
    if user.has_two_factor or not user.totp_secret:
        return _account()
    form = ConfirmCodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm(user, form.code.data or "", now=clock.now())
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            # the new session version: this session stays, the others end
            sessions.end_all(user, clock.now(), keep=sessions.current())
            login_user(user)
            return render_template("auth/recovery_codes.html", codes=codes, first=True)
    uri = two_factor.provisioning_uri(user)
    # safe to insert: qrcode draws path data only, and ElementTree escapes the aria-label
    label = _("QR code for your authenticator app")
    qr = Markup(two_factor.qr_code_svg(uri, label))  # noqa: S704
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        uri=uri,
        secret=two_factor.grouped_secret(user),
        qr=qr,
    )


@bp.post("/account/two-factor/disable")
@login_required
def two_factor_disable() -> Any:
    form = ProofForm(prefix="off")
    if not current_user.has_two_factor:
        return _account()
    now = clock.now()
    if two_factor.required_of(me()):
        flash(_("Your organisation requires two-factor login."), "error")
        return _account()
    if form.validate_on_submit() and _proven(form, now):
        two_factor.turn_off(me(), actor=current_user, now=now)
        flash(_("Two-factor login is off. You log in with your password only."), "success")
        return _account()
    return render_account(off_form=form)


# what a user who still owes the second factor may open: setting it up, and leaving
SET_UP_FIRST_ALLOWS = {
    "auth.account",
    "auth.two_factor_start",
    "auth.two_factor_setup",
    "auth.logout",
    "auth.language",
    "static",
}


@bp.before_app_request
def two_factor_first() -> Any:
    """Where the organisation requires two-factor login, nothing else opens before it is on."""
    if request.endpoint in SET_UP_FIRST_ALLOWS or request.blueprint in ("api", "health"):
        return None
    if not current_user.is_authenticated or not two_factor.owed_by(current_user):
        return None
    flash(_("Your organisation requires two-factor login: set it up first."), "error")
    return redirect(url_for("auth.account", _anchor="two-factor"))


@bp.post("/account/two-factor/recovery-codes")
@login_required
def recovery_codes() -> Any:
    form = ProofForm(prefix="codes")
    if not current_user.has_two_factor:
        return _account()
    now = clock.now()
    if form.validate_on_submit() and _proven(form, now):
        codes = two_factor.regenerate_recovery_codes(me(), actor=current_user, now=now)
        return render_template("auth/recovery_codes.html", codes=codes, first=False)
    return render_account(codes_form=form)


def _proven(form: ProofForm, now: datetime) -> bool:
    """A current code or the password, throttled like the login (see reauth.py)."""
    errors = reauth.proof_errors(
        me(), code=form.code.data or "", password=form.password.data or "", now=now
    )
    for name, messages in errors.items():
        getattr(form, name).errors = [*getattr(form, name).errors, *messages]
    return not errors
