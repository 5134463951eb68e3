"""Input no page or form can store, refused at the door with a clear 4xx instead of a 500.

A NUL character cannot be stored by PostgreSQL (psycopg refuses to send one), so a NUL in
the path, a query parameter or a form field is refused before any view runs: the path
answers 404 like any unknown page, a parameter or field 400 (422 with the field's name in
the API). A page number beyond any register (more than seven digits) answers 404 as a page
past the last does. Every view still validates its own values; this only catches what no
view should have to think about.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, jsonify, render_template, request
from flask_babel import gettext as _

from .db import SAFE_METHODS

PAGE_ARGS = ("page", "per_page")
# forms that refuse a NUL themselves, with the form's own error beside the field
OWN_CHECK = frozenset({"auth.login"})
LONGEST_PAGE_NUMBER = 7  # digits: ten million pages of 25 is far beyond any register


def unstorable_fields() -> list[str]:
    """The names of query parameters and form fields that hold a NUL."""
    found = [name for name, value in request.args.items(multi=True) if "\x00" in name + value]
    if request.method not in SAFE_METHODS and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        found += [name for name, value in request.form.items(multi=True) if "\x00" in name + value]
        found += [
            name
            for name, upload in request.files.items(multi=True)
            if "\x00" in name + (upload.filename or "")
        ]
    return sorted({name.replace("\x00", "") or "?" for name in found})


def refuse_unstorable() -> Any:
    if "\x00" in request.path:
        abort(404)
    api = request.path.startswith("/api/")  # the API answers 422 from its own field table
    for name in PAGE_ARGS:
        if not api and len(request.args.get(name, "").strip()) > LONGEST_PAGE_NUMBER:
            abort(404)
    fields = [] if request.endpoint in OWN_CHECK else unstorable_fields()
    if not fields:
        return None
    message = _("Text cannot contain NUL characters.")
    if api:
        response = jsonify({"errors": {name: [message] for name in fields}})
        response.status_code = 422
        return response
    return render_template("error.html", code=400, message=message), 400


def init_app(app: Flask) -> None:
    # first of all before_request functions: nothing reads the user or the database before
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unstorable)
