"""The one thing to do about reminders in the browser: send failed ones again."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, url_for
from flask_babel import ngettext
from flask_login import current_user

from .. import clock
from ..auth.access import require
from ..incidents.views import visible_or_404
from . import planning

bp = Blueprint("reminders", __name__)


@bp.post("/incidents/<ref>/reminders/retry")
@require("can_handle")
def retry(ref: str) -> Any:
    incident = visible_or_404(ref)
    stages = planning.retry_failed(incident, current_user, clock.now())
    if stages:
        flash(
            ngettext(
                "%(num)d reminder will be sent again within a minute.",
                "%(num)d reminders will be sent again within a minute.",
                len(stages),
            ),
            "success",
        )
    return redirect(url_for("incidents.dashboard"))
