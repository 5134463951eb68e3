"""The register: every incident, filtered and searchable (R1: notified or not, breach or not)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import orm

from .. import clock
from ..auth.access import require
from ..catalogue import services as catalogue
from ..domain.incidents import RISKS, STATUSES
from ..extensions import db
from ..incidents import search
from ..incidents.models import Incident
from ..orgs.models import Organisation
from .export_csv import SEPARATORS, register_csv
from .export_data import ExportRefused, export_filename, organisation_for_export
from .export_pdf import register_pdf

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
        query = query.where(search.matching(chosen["q"]))
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


@bp.get("/register/<int:year>.pdf")
@require("can_read_all")
def download_pdf(year: int) -> Any:
    """The year's register as PDF, in the user's language (or ?lang=nl|en)."""
    organisation, language = _export_choice(year)
    who = current_user.email
    if current_user.name:
        who = f"{current_user.name} ({current_user.email})"
    data = register_pdf(organisation, year, language=language, generated_by=who, now=clock.now())
    filename = export_filename(organisation, year, "pdf", language)
    return data, {
        "Content-Type": "application/pdf",
        "Content-Disposition": f"attachment; filename={filename}",
    }


@bp.get("/register/<int:year>.csv")
@require("can_read_all")
def download_csv(year: int) -> Any:
    """The year's register as CSV for Excel; ?sep=; (default, Dutch Excel) or ?sep=,"""
    organisation, language = _export_choice(year)
    separator = request.args.get("sep", ";")
    if separator not in SEPARATORS:
        abort(400, description="sep must be ; or ,")
    data = register_csv(organisation, year, language=language, separator=separator)
    filename = export_filename(organisation, year, "csv", language)
    return data, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f"attachment; filename={filename}",
    }


def _export_choice(year: int) -> tuple[Organisation, str]:
    if not 1900 <= year <= 9999:
        abort(404)
    language = request.args.get("lang") or str(get_locale() or "nl")
    if language not in ("nl", "en"):
        abort(400, description="lang must be nl or en")
    chosen = request.args.get("organisation", "")
    if chosen and not (chosen.isdigit() and len(chosen) < 10):
        abort(404)
    try:
        organisation = organisation_for_export(int(chosen) if chosen else None)
    except ExportRefused as refusal:
        abort(404 if chosen else 400, description=str(refusal))
    return organisation, language


def _per_page() -> int:
    from flask import current_app

    return int(current_app.config["PER_PAGE"])
