"""The register: every incident, filtered and searchable (R1: notified or not, breach or not)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_babel import get_locale
from sqlalchemy import orm

from ..auth.access import require
from ..catalogue import services as catalogue
from ..domain.incidents import RISKS, STATUSES
from ..extensions import db
from ..incidents.models import Incident
from ..orgs.models import Organisation

bp = Blueprint("register", __name__)


def filters_from(args: Any) -> dict[str, Any]:
    def number(name: str) -> int | None:
        value = args.get(name, "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else None

    return {
        "year": number("year"),
        "organisation": number("organisation"),
        "status": args.get("status") if args.get("status") in STATUSES else None,
        "risk": args.get("risk") if args.get("risk") in RISKS else None,
        "type": (args.get("type") or "").strip()[:64] or None,
        "q": (args.get("q") or "").strip()[:200] or None,
    }


def filtered(query: sa.Select[Any], chosen: dict[str, Any]) -> sa.Select[Any]:
    if chosen["year"]:
        query = query.where(Incident.ref_year == chosen["year"])
    if chosen["organisation"]:
        query = query.where(Incident.organisation_id == chosen["organisation"])
    if chosen["status"]:
        query = query.where(Incident.status == chosen["status"])
    if chosen["risk"]:
        query = query.where(Incident.risk == chosen["risk"])
    if chosen["type"]:
        query = query.where(Incident.incident_type == chosen["type"])
    if chosen["q"]:
        pattern = (
            "%" + chosen["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        query = query.where(
            sa.or_(
                Incident.ref.ilike(pattern, escape="\\"),
                Incident.title.ilike(pattern, escape="\\"),
                Incident.summary.ilike(pattern, escape="\\"),
                Incident.cause.ilike(pattern, escape="\\"),
            )
        )
    return query


@bp.get("/register")
@require("can_read_all")
def index() -> Any:
    chosen = filters_from(request.args)
    query = filtered(sa.select(Incident).options(orm.selectinload(Incident.organisation)), chosen)
    query = query.order_by(Incident.aware_at.desc(), Incident.id.desc())
    page = db.paginate(query, per_page=_per_page(), error_out=False, max_per_page=100)
    years = db.session.scalars(
        sa.select(Incident.ref_year).distinct().order_by(Incident.ref_year.desc())
    ).all()
    organisations = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    args = {k: v for k, v in chosen.items() if v is not None}
    return render_template(
        "register/index.html",
        page=page,
        chosen=chosen,
        args=args,
        years=years,
        organisations=organisations,
        types=catalogue.choices("incident_type", str(get_locale())),
        statuses=STATUSES,
        risks=RISKS,
    )


def _per_page() -> int:
    from flask import current_app

    return int(current_app.config["PER_PAGE"])
