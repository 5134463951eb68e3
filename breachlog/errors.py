"""Error pages and JSON errors: never a traceback to the user."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db, login_manager

# What PostgreSQL (SQLSTATE) and SQLite (in words) say when storage refuses any write;
# 25006: a read-only transaction, on a standby or with default_transaction_read_only
STORAGE_FAULTS = {
    "read-only": ("25006", "readonly database"),
    "disk full": ("53100", "disk is full"),
    "disk I/O error": ("58030", "disk i/o error"),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def json_error(status: int, message: str, **extra: Any) -> Response:
    response = jsonify({"error": message, **extra})
    response.status_code = status
    return response


def storage_fault(error: BaseException) -> str | None:
    """What keeps the database from taking any write (read-only, disk full, I/O error), as
    opposed to a passing hiccup (a lost connection, a lock held too long); else None."""
    original = getattr(error, "orig", None) or error
    sqlstate = getattr(original, "sqlstate", None)
    text = str(original).lower()
    for fault, (code, words) in STORAGE_FAULTS.items():
        if sqlstate == code or words in text:
            return fault
    return None


def is_storage_fault(error: BaseException) -> bool:
    return storage_fault(error) is not None


def is_unavailable(error: sa.exc.DBAPIError) -> bool:
    """The database, not our code, failed: answer 503 rather than 500."""
    return (
        isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError)
        or error.connection_invalidated
        or is_storage_fault(error)
    )


def unavailable(error: BaseException | None = None) -> Response:
    """503: nothing was saved. The page is drawn without the database that just failed."""
    g.database_refused = True  # see web.SessionInterface: the session cookie stays as it was
    _forget_user()
    if error is not None and is_storage_fault(error):
        message = _(
            "The database cannot store anything at the moment: its disk is full or it is "
            "read-only. Nothing was changed. Please tell your administrator."
        )
    else:
        message = _("The database could not save this. Nothing was changed; please try again.")
    if wants_json():
        response = json_error(503, message)
    else:
        response = Response(render_template("error.html", code=503, message=message), 503)
    response.headers["Retry-After"] = "5"
    return response


def refused_value() -> Response:
    message = _("A value is too long or out of range. Nothing was changed.")
    if wants_json():
        response = jsonify({"errors": {"request": [message]}})
        response.status_code = 422
        return response
    return Response(render_template("error.html", code=400, message=message), 400)


def _forget_user() -> None:
    """Keep the user's language if their row can still be read, then draw the page for nobody
    in particular: the menu would read the user's row again, from a database that may be gone."""
    try:
        get_locale()  # remembered for the rest of the request
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
    g._login_user = login_manager.anonymous_user()


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        message = _(
            "This form has expired or was not sent from breachlog. Go back, reload "
            "the page and try again; nothing was saved."
        )
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        code = error.code or 500
        messages = {
            400: _("The request could not be understood."),
            401: _("Log in first."),
            403: _("Your role does not allow this."),
            404: _("This page or incident does not exist."),
            405: _("This action is not possible here."),
            413: _("The upload is too large."),
        }
        message = messages.get(code, error.description or "")
        if wants_json():
            response = json_error(code, message)
            if code == 401:
                response.headers["WWW-Authenticate"] = 'Bearer realm="breachlog"'
            return response
        return render_template("error.html", code=code, message=message), code

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        db.session.rollback()
        app.logger.exception("unexpected error")
        message = _("Something went wrong on our side. Nothing was saved; the error was logged.")
        if wants_json():
            return json_error(500, message)
        return render_template("error.html", code=500, message=message), 500

    @app.errorhandler(OverflowError)
    def number_too_large(error: OverflowError) -> Any:
        # a number of hundreds of digits that a validator tried to compare (WTForms'
        # NumberRange turns it into a float): the sender's input, not our fault
        db.session.rollback()
        app.logger.warning("number out of range: %s", error)
        return refused_value()

    @app.errorhandler(sa.exc.DBAPIError)
    def database_error(error: sa.exc.DBAPIError) -> Any:
        db.session.rollback()
        if isinstance(error, sa.exc.DataError):
            # a value the database cannot hold (too long, out of range) that a form let
            # through: the sender's input, so a 4xx; logged, since a check is missing
            app.logger.warning("value refused by the database: %s", error.orig)
            return refused_value()
        if not is_unavailable(error):
            return unexpected(error)  # e.g. a constraint we should have checked: our fault
        if is_storage_fault(error):
            from .bookkeeping import say_storage_fault

            say_storage_fault(error, f"{request.method} {request.path}")  # once a minute
        else:
            app.logger.exception("database error")
        return unavailable(error)

    @app.errorhandler(sa.exc.TimeoutError)
    def no_connection_free(error: sa.exc.TimeoutError) -> Any:
        db.session.rollback()
        app.logger.error("no database connection free: %s", error)
        return unavailable(error)
