"""The move of an incident to another organisation, from its page (see moving.py)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length

from .. import clock
from ..auth.access import require
from ..domain.errors import RuleViolation
from ..extensions import db
from ..orgs import scope
from ..orgs import services as orgs
from .moving import move_incident
from .views import bp, visible_or_404


class MoveForm(FlaskForm):
    organisation_id = SelectField(coerce=int, validate_choice=False)
    reason = StringField(validators=[Length(max=500)])


def targets(incident: Any) -> list[Any]:
    """The other active organisations where the caller is an officer too."""
    handled = scope.organisation_ids(current_user, "can_handle")
    return [o for o in orgs.active() if o.id in handled and o.id != incident.organisation_id]


@bp.post("/incidents/<ref>/move")
@require("can_handle")
def move(ref: str) -> Any:
    incident = visible_or_404(ref)
    form = MoveForm()
    form.validate()
    target = next((o for o in targets(incident) if o.id == form.organisation_id.data), None)
    old = incident.ref
    try:
        move_incident(incident, target, current_user, clock.now(), form.reason.data or "")
    except RuleViolation as violation:
        db.session.rollback()
        for problem in violation.problems:
            flash(problem.render(_), "error")
        return redirect(url_for("incidents.show", ref=old))
    flash(_("Moved: %(old)s is now %(new)s.", old=old, new=incident.ref), "success")
    return redirect(url_for("incidents.show", ref=incident.ref))
