"""The register: every incident, filtered and searchable (R1: notified or not, breach or not)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from markupsafe import Markup
from sqlalchemy import orm

from .. import clock
from ..auth.access import require
from ..catalogue import services as catalogue
from ..domain.dates import READABLE_YEARS
from ..domain.incidents import RISKS, STATUSES
from ..extensions import db
from ..incidents import search
from ..incidents.models import Incident
from ..kept import kept
from ..orgs import scope
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


class SearchPage(SelectPagination):
    """A page of search results whose total comes with its rows (count(*) OVER ()): the search
    runs once, not a second time for the count. Only a page past the last is counted apart.

    For PostgreSQL, where each trigram search rechecks its matches; SQLite answers the two
    queries from its FTS table faster than it sorts every match for the window.
    """

    def _query_items(self) -> list[Any]:
        query = self._query_args["select"].add_columns(sa.func.count().over())
        rows = db.session.execute(query.limit(self.per_page).offset(self._query_offset)).all()
        self._total = rows[0][1] if rows else (0 if self.page == 1 else None)
        return [row[0] for row in rows]

    def _query_count(self) -> int:
        if self._total is not None:
            return int(self._total)
        return super()._query_count()


def registered_years(readable: frozenset[int]) -> list[int]:
    """The years in which these organisations have incidents, newest first: another
    organisation's years are its own business.

    Found year by year for each organisation, each the largest below the one before it: one
    step of the (organisation, year) index per year, where DISTINCT would read an entry for
    every incident ever registered.
    """
    found: set[int] = set()
    for organisation_id in sorted(readable):
        mine = Incident.organisation_id == organisation_id
        years = (
            sa.select(sa.func.max(Incident.ref_year).label("year"))
            .where(mine)
            .cte("years", recursive=True)
        )
        before = (
            sa.select(sa.func.max(Incident.ref_year))
            .where(mine, Incident.ref_year < years.c.year)
            .scalar_subquery()
        )
        years = years.union_all(sa.select(before).where(years.c.year.is_not(None)))
        found.update(db.session.scalars(sa.select(years.c.year).where(years.c.year.is_not(None))))
    return sorted(found, reverse=True)


@bp.get("/register")
@require("can_read_all")
def index() -> Any:
    # readers of the same organisations see the same register: made once per second, change,
    # language, query and set of organisations; nothing of another's register is shown
    readable = frozenset(scope.organisation_ids(current_user, "can_read_all"))
    key = (str(get_locale()), request.query_string, _per_page(), tuple(sorted(readable)))
    content = kept("register", clock.now(), key, lambda second: _page(request.args, readable))
    return render_template("register/index.html", content=content)


def _page(query_args: Any, readable: frozenset[int]) -> Markup:
    chosen = filters_from(query_args)
    shown = orm.load_only(
        Incident.ref,
        Incident.title,
        Incident.aware_at,
        Incident.incident_type,
        Incident.is_personal_data_breach,
        Incident.risk,
        Incident.status,
        Incident.organisation_id,
    )
    # every organisation is read first: each row's then comes from the session, not the database
    organisations = db.session.scalars(
        sa.select(Organisation)
        .where(Organisation.id.in_(sorted(readable)))
        .order_by(Organisation.name)
    ).all()
    # a page of the register reads only what its table shows, not every text of 25 records
    query = (
        sa.select(Incident).options(shown).where(Incident.organisation_id.in_(sorted(readable)))
    )
    query = filtered(query, chosen)
    query = query.order_by(Incident.aware_at.desc(), Incident.id.desc())
    paging = {"per_page": _per_page(), "error_out": False, "max_per_page": 100}
    if chosen["q"] and db.session.get_bind().dialect.name == "postgresql":
        page: Pagination = SearchPage(select=query, session=db.session, **paging)
    else:
        page = db.paginate(query, **paging)
    # a template's output: the template escaped every text in it
    return Markup(  # noqa: S704
        render_template(
            "register/_page.html",
            page=page,
            chosen=chosen,
            args={k: v for k, v in chosen.items() if v is not None},
            years=registered_years(readable),
            organisations=organisations,
            types=catalogue.choices("incident_type", str(get_locale())),
            statuses=STATUSES,
            risks=RISKS,
        )
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
    first, last = READABLE_YEARS
    if not first <= year <= last:
        abort(404)
    language = request.args.get("lang") or str(get_locale() or "nl")
    if language not in ("nl", "en"):
        abort(400, description="lang must be nl or en")
    chosen = request.args.get("organisation", "")
    if chosen and not (chosen.isdigit() and len(chosen) < 10):
        abort(404)
    try:
        organisation = organisation_for_export(
            int(chosen) if chosen else None, scope.organisation_ids(current_user, "can_read_all")
        )
    except ExportRefused as refusal:
        abort(404 if chosen else 400, description=str(refusal))
    return organisation, language


def _per_page() -> int:
    from flask import current_app

    return int(current_app.config["PER_PAGE"])
