"""GET /healthz: is the database there, and what does the scheduler do. No login."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from .extensions import csrf, db

bp = Blueprint("health", __name__)
csrf.exempt(bp)


@bp.get("/healthz")
def healthz() -> Any:
    database: dict[str, Any] = {"backend": db.engine.dialect.name}
    try:
        db.session.execute(sa.text("SELECT 1"))
        database["ok"] = True
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        database.update(ok=False, error=type(exc).__name__)
    body = {
        "status": "ok" if database["ok"] else "error",
        "database": database,
        "scheduler": {"mode": current_app.config["SCHEDULER"]},
    }
    return jsonify(body), 200 if database["ok"] else 503
