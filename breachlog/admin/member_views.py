"""Memberships on a user's admin page: a role per organisation the admin manages."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..auth.access import require
from ..domain.errors import RuleViolation
from ..extensions import db
from ..forms import EmptyForm, attach_errors
from ..orgs.members import end_membership, membership_of, set_membership
from . import reach
from .forms import MembershipForm, SetPasswordForm
from .views import bp, render_user_edit, user_edit_form


@bp.post("/users/<int:user_id>/memberships")
@require("can_administer")
def membership_set(user_id: int) -> Any:
    user = reach.user_or_404(current_user, user_id, account=False)
    form = MembershipForm(prefix="m")
    form.organisation_id.choices = [
        (org.id, org.name) for org in reach.managed_organisations(current_user) if org.is_active
    ]
    if form.validate_on_submit():
        organisation = reach.organisation_or_404(current_user, form.organisation_id.data or 0)
        try:
            set_membership(
                user, organisation, form.role.data or "", actor=current_user, now=clock.now()
            )
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            flash(
                _("%(email)s is a member of %(name)s.", email=user.email, name=organisation.name),
                "success",
            )
            return redirect(url_for("admin.user_edit", user_id=user.id, _anchor="memberships"))
    page = render_user_edit(
        user,
        user_edit_form(user, formdata=None),
        SetPasswordForm(formdata=None, prefix="pw"),
        form,
    )
    return page, 422


@bp.post("/users/<int:user_id>/memberships/<int:org_id>/end")
@require("can_administer")
def membership_end(user_id: int, org_id: int) -> Any:
    user = reach.user_or_404(current_user, user_id, account=False)
    organisation = reach.organisation_or_404(current_user, org_id)
    membership = membership_of(user, organisation.id)
    if membership is not None and EmptyForm().validate_on_submit():
        end_membership(membership, actor=current_user, now=clock.now())
        flash(
            _(
                "%(email)s is no longer a member of %(name)s.",
                email=user.email,
                name=organisation.name,
            ),
            "success",
        )
    return redirect(url_for("admin.user_edit", user_id=user.id, _anchor="memberships"))
