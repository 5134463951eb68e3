"""The yearly register as PDF or CSV, for scripts: the same files as the register page."""

from __future__ import annotations

from typing import Any

from .. import clock
from ..domain.dates import READABLE_YEARS
from ..domain.errors import N_
from ..orgs import scope
from ..register.export_csv import register_csv
from ..register.export_data import ExportRefused, export_filename, organisation_for_export
from ..register.export_pdf import register_pdf
from . import bp, parse
from .auth import caller, error, require
from .fields import CSV_PARAMETERS, REGISTER_PARAMETERS
from .incidents import _problem

YEARS = "int(min={}, max={})".format(*READABLE_YEARS)


def _organisation(params: dict[str, Any]) -> Any:
    try:
        reachable = scope.organisation_ids(caller(), "can_read_all")
        return organisation_for_export(params.get("organisation"), reachable)
    except ExportRefused as refusal:
        if params.get("organisation") is not None:
            return None
        raise _problem("organisation", N_("Several organisations: say which one.")) from refusal


@bp.get(f"/register/<{YEARS}:year>.pdf")
@require("can_read_all")
def register_year_pdf(year: int) -> Any:
    params = parse.query(REGISTER_PARAMETERS)
    organisation = _organisation(params)
    if organisation is None:
        return error(404, "No organisation with this id.")
    language = params.get("lang", "en")
    user = caller()
    data = register_pdf(
        organisation, year, language=language, generated_by=user.email, now=clock.now()
    )
    return data, {
        "Content-Type": "application/pdf",
        "Content-Disposition": "attachment; filename="
        + export_filename(organisation, year, "pdf", language),
    }


@bp.get(f"/register/<{YEARS}:year>.csv")
@require("can_read_all")
def register_year_csv(year: int) -> Any:
    params = parse.query(CSV_PARAMETERS)
    organisation = _organisation(params)
    if organisation is None:
        return error(404, "No organisation with this id.")
    language = params.get("lang", "en")
    data = register_csv(organisation, year, language=language, separator=params.get("sep", ";"))
    return data, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": "attachment; filename="
        + export_filename(organisation, year, "csv", language),
    }
