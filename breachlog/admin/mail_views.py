"""The mail page: which server reminders go through, whether it is in trouble, a test mail."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import DataRequired, Length

from .. import clock
from ..auth.access import require
from ..reminders import smtp, status
from ..reminders.tick import PermanentFailure, TemporaryFailure
from .views import bp


class MailTestForm(FlaskForm):
    address = EmailField(_l("Send a test mail to"), validators=[DataRequired(), Length(max=254)])


@bp.route("/mail", methods=["GET", "POST"])
@require("can_administer")
def mail() -> Any:
    form = MailTestForm()
    if form.validate_on_submit():
        address = (form.address.data or "").strip()
        try:
            smtp.send_test(address, clock.now(), sent_by=current_user.email)
        except (TemporaryFailure, PermanentFailure) as error:
            flash(_("The test mail was not sent: %(reason)s", reason=str(error)), "error")
        else:
            flash(_("A test mail was sent to %(address)s.", address=address), "success")
        return redirect(url_for("admin.mail"))
    trouble = status.mail_trouble(clock.now())
    if trouble is not None and not current_user.is_installation_admin:
        # the server's answer may name recipients of another organisation: an organisation's
        # admin reads it only when it is about the mail server itself, as on the dashboard
        trouble = status.server_level(trouble) or ""
    return render_template(
        "admin/mail.html",
        form=form,
        server=smtp.where(),
        trouble=trouble,
    )
