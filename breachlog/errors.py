"""Error pages and JSON errors: never a traceback to the user."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def json_error(status: int, message: str, **extra: Any) -> Response:
    response = jsonify({"error": message, **extra})
    response.status_code = status
    return response


def unavailable() -> Response:
    message = _("The database could not save this. Nothing was changed; please try again.")
    if wants_json():
        return json_error(503, message)
    response = Response(render_template("error.html", code=503, message=message), 503)
    response.headers["Retry-After"] = "5"
    return response


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

    @app.errorhandler(sa.exc.OperationalError)
    def database_error(error: Exception) -> Any:
        db.session.rollback()
        app.logger.exception("database error")
        return unavailable()

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        db.session.rollback()
        app.logger.exception("unexpected error")
        message = _("Something went wrong on our side. Nothing was saved; the error was logged.")
        if wants_json():
            return json_error(500, message)
        return render_template("error.html", code=500, message=message), 500
