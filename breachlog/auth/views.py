"""Logging in and out, the first admin's one-time link, and one's own account."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from .. import clock
from ..domain.errors import RuleViolation
from ..extensions import db
from ..forms import attach_errors
from . import services, throttle
from .forms import AccountForm, LoginForm, PasswordForm, SetupForm

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
        wait = throttle.blocked_for(email, request.remote_addr, now)
        user = None if wait else services.authenticate(email, form.password.data or "")
        if wait:
            minutes = max(1, round(wait.total_seconds() / 60))
            form.password.errors = [
                ngettext(
                    "Too many failed attempts. Try again in %(num)d minute.",
                    "Too many failed attempts. Try again in %(num)d minutes.",
                    minutes,
                )
            ]
            status = 429
        elif user is None:
            throttle.record_failure(email, request.remote_addr, now)
            form.password.errors = [_("Wrong e-mail address or password.")]
        else:
            throttle.record_success(email, request.remote_addr)
            session.permanent = True  # ends after PERMANENT_SESSION_LIFETIME
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("incidents.dashboard"))
    page = render_template("auth/login.html", form=form, needs_setup=not services.has_users())
    return page, status


@bp.post("/logout")
@login_required
def logout() -> Any:
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
            login_user(user)
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
            current_user, {"language": form.language.data}, actor=current_user, now=clock.now()
        )
        flash(_("Saved."), "success")
        return redirect(url_for("auth.account"))
    if "pw-password" in request.form and password_form.validate_on_submit():
        user = services.authenticate(current_user.email, password_form.current.data or "")
        if user is None:
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
                login_user(user)  # the new session version; other sessions end
                flash(_("Your password was changed; other sessions were logged out."), "success")
                return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, password_form=password_form)


@bp.post("/language/<code>")
def language(code: str) -> Any:
    """Switch the interface language; remembered on the account when logged in."""
    if code not in ("nl", "en"):
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated and current_user.language != code:
        services.update_user(current_user, {"language": code}, actor=current_user, now=clock.now())
    return redirect(_safe_next(request.form.get("next")) or url_for("incidents.dashboard"))
