"""Request plumbing shared by every page: language, time zone, login, one commit per request."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from babel import support
from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_babel import get_domain, get_locale, gettext
from flask_login import current_user

from .domain.deadlines import to_local
from .domain.errors import RuleViolation, Todo
from .extensions import db, login_manager
from .formats import day_text, moment_text


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a command or the reminder tick: its caller forces a locale
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return str(current_user.language)
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    if request.path.startswith("/api/"):
        return "en"
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    if not has_request_context():
        return str(current_app.config["TIMEZONE"])
    # a member of several organisations sees times in the zone of the first they joined
    if current_user and current_user.is_authenticated and current_user.memberships:
        return str(current_user.memberships[0].organisation.timezone)
    return str(current_app.config["TIMEZONE"])


class SessionInterface(SecureCookieSessionInterface):
    """The API authenticates by token only: its responses never set or refresh a cookie."""

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if has_request_context() and request.path.startswith("/api/"):
            return False
        return super().should_set_cookie(app, session)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        # A request the database refused leaves the browser's session as it was, too: no
        # "registered as DL-..." message, no login, for something that was not saved.
        if g.get("database_refused"):
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    login_manager.login_view = "auth.login"
    login_manager.login_message = ""
    login_manager.session_protection = "basic"
    from .auth import sessions

    login_manager.user_loader(sessions.load)

    from . import labels

    labels.init_app(app)
    from .orgs import scope

    app.before_request(scope.forget_token)
    app.after_request(commit_on_success)
    app.after_request(security_headers)
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: translations().ugettext(text),
        ngettext=lambda singular, plural, n: translations().ungettext(singular, plural, n),
        newstyle=True,
    )
    app.jinja_env.filters["local"] = local_time
    app.jinja_env.filters["local_iso"] = local_iso
    app.jinja_env.filters["day"] = local_day
    app.jinja_env.globals["errors_of"] = errors_of
    app.jinja_env.globals["todo"] = todo_text
    app.context_processor(template_globals)


def load_user(user_id: str) -> Any:
    from .auth.models import User

    try:
        ident, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, ident)
    if user is None or user.session_version != version or not user.is_active:
        return None
    return user


def commit_on_success(response: Response) -> Response:
    """The single commit of a request: only when it went well."""
    if response.status_code < 400:
        try:
            db.session.commit()
        except sa.exc.SQLAlchemyError as error:
            db.session.rollback()
            from .bookkeeping import say_storage_fault
            from .errors import is_storage_fault, unavailable

            if is_storage_fault(error):
                say_storage_fault(error, "a commit")  # once a minute, not per request
            else:
                current_app.logger.exception("commit failed")

            return security_headers(unavailable(error))  # that hook has run already
    else:
        db.session.rollback()
    return response


CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)


def security_headers(response: Response) -> Response:
    """On every response, pages and API alike; no inline script is ever needed."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.path != "/healthz" and not request.path.startswith("/static/"):
        headers.setdefault("Cache-Control", "no-store")  # breach details stay out of caches
    return response


def translations() -> support.NullTranslations:
    """The catalogue of the current language, looked up once per request rather than per text.

    Kept where Flask-Babel keeps it (its `babel_translations`), which `force_locale` and
    `refresh` reset, so a mail written in another language in the same context is right.
    """
    if not g:
        return support.NullTranslations()
    ctx = g.get("_flask_babel")
    found = getattr(ctx, "babel_translations", None)
    if found is None:
        found = get_domain().get_translations()
        g._flask_babel.babel_translations = found
    return found  # type: ignore[no-any-return]


def translate(message: str) -> str:
    """gettext for the many short texts of a page (labels, states), without its overhead."""
    return str(translations().ugettext(message))


def local_time(moment: datetime | None, zone: str | None = None, fmt: str = "") -> str:
    """A moment as every page, mail and export shows it (formats.py), with its zone.

    `fmt` is no longer read: one format per language, whatever the page.
    """
    if moment is None:
        return "—"
    language = str(get_locale() or "nl")
    return moment_text(moment, zone or select_timezone(), language, with_zone=True)


def local_day(day: date | None) -> str:
    return "—" if day is None else day_text(day, str(get_locale() or "nl"))


def local_iso(moment: datetime | None, zone: str) -> str:
    """The value for an <input type=datetime-local>."""
    if moment is None:
        return ""
    try:
        return to_local(moment, zone).strftime("%Y-%m-%dT%H:%M")
    except (OverflowError, ValueError):
        return moment.strftime("%Y-%m-%dT%H:%M")


def todo_text(item: str) -> str:
    """A step of still_missing in the reader's language, with any parts it names."""
    if isinstance(item, Todo):
        return item.render(translate)
    return translate(item)


def errors_of(violation: RuleViolation | None, field: str) -> list[str]:
    if violation is None:
        return []
    return violation.by_field(gettext).get(field, [])


def template_globals() -> dict[str, Any]:
    return {"languages": current_app.config["LANGUAGES"], "g": g, "get_locale": get_locale}
