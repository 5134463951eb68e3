"""The JSON API under /api/v1: Bearer tokens, no cookies, no CSRF, the same services as the web."""

from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# A token in a header cannot be sent by another site's form, so there is nothing to forge.
csrf.exempt(bp)

from . import incidents, notifications, openapi, register  # noqa: E402, F401 - views on bp
