"""The AP form page, with a frozen copy beside it, and the same form as a PDF."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request

from .. import clock
from ..auth.access import require
from ..incidents.views import visible_or_404
from . import ap_form
from .ap_form_pdf import ap_form_pdf
from .views import bp


@bp.get("/ap-form")
@require("can_read_all")
def ap_form_page(ref: str) -> Any:
    """Today's form; ?copy=<notification id> shows that notification's copy beside it."""
    incident = visible_or_404(ref)
    today = ap_form.sections(incident, now=clock.now())
    copies = [n for n in incident.notifications if (n.answers or {}).get("form")]
    chosen, then, changed = None, None, set()
    asked = request.args.get("copy", "").strip()
    if asked:
        # only this incident's notifications: any other id answers as an unknown one
        chosen = next((n for n in copies if str(n.id) == asked), None)
        if chosen is None:
            abort(404)
        then = ap_form.from_frozen(chosen.answers["form"])
        changed = ap_form.changed(today, then)
    return render_template(
        "notifications/ap_form.html",
        incident=incident,
        sections=today,
        copies=copies,
        chosen=chosen,
        then=then,
        changed=changed,
        missing=sum(a.missing for s in today for a in s.answers),
    )


@bp.get("/ap-form.pdf")
@require("can_read_all")
def ap_form_pdf_download(ref: str) -> Any:
    incident = visible_or_404(ref)
    now = clock.now()
    data = ap_form_pdf(incident, ap_form.sections(incident, now=now), now)
    return data, {
        "Content-Type": "application/pdf",
        "Content-Disposition": f"attachment; filename={incident.ref}-ap-form.pdf",
    }
