"""The catalogues page: every kind with its entries, adding to the open kinds, (de)activating.

The catalogues are the installation's: every organisation reports with them, so only an
installation admin changes them, never the admin of one organisation.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..auth.access import require
from ..catalogue import services as catalogue
from ..catalogue.models import CatalogueEntry
from ..domain.catalogue import KINDS, OPEN_KINDS
from ..domain.errors import RuleViolation
from ..extensions import db
from ..forms import EmptyForm, attach_errors
from . import services
from .forms import KIND_LABELS, CatalogueEntryForm
from .views import bp


@bp.route("/catalogues", methods=["GET", "POST"])
@require("is_installation_admin")
def catalogues() -> Any:
    form = CatalogueEntryForm()
    if form.validate_on_submit():
        try:
            entry = services.add_entry(
                form.kind.data or "",
                form.code.data or "",
                form.label_nl.data or "",
                form.label_en.data or "",
                actor=current_user,
                now=clock.now(),
            )
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            flash(_("%(label)s was added.", label=entry.label(str(get_locale()))), "success")
            return redirect(url_for("admin.catalogues", _anchor=entry.kind))
    sections = [
        (
            kind,
            KIND_LABELS[kind],
            kind in OPEN_KINDS,
            catalogue.entries(kind, include_inactive=True),
        )
        for kind in KINDS
    ]
    return render_template("admin/catalogues.html", form=form, sections=sections)


@bp.post(
    "/catalogues/<int:entry_id>/deactivate",
    endpoint="catalogue_deactivate",
    defaults={"active": False},
)
@bp.post(
    "/catalogues/<int:entry_id>/reactivate",
    endpoint="catalogue_reactivate",
    defaults={"active": True},
)
@require("is_installation_admin")
def set_entry_active(entry_id: int, active: bool) -> Any:
    """Built-in and added entries alike; none is removed, since incidents keep their codes."""
    entry = db.get_or_404(CatalogueEntry, entry_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.set_entry_active(entry, active, actor=current_user, now=clock.now())
    name = entry.label(str(get_locale()))
    if active:
        flash(_("%(label)s is offered again.", label=name), "success")
    else:
        flash(_("%(label)s is no longer offered.", label=name), "success")
    return redirect(url_for("admin.catalogues", _anchor=entry.kind))
