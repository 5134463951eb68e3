"""Telling a user by e-mail that an admin changed how they log in.

A password or second factor reset by someone else is exactly what an attacker with an admin
account would do, so the owner hears of it, in their own language, and can raise the alarm.
Best effort: the reset stands when the mail server is away, and the admin is told so.
"""

from __future__ import annotations

import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime as rfc2822
from email.utils import make_msgid

from flask import current_app
from flask_babel import force_locale, gettext

from ..domain.errors import N_
from ..reminders.smtp import connect
from ..web import local_time
from .models import User

SUBJECTS = {
    "password": N_("Your breachlog password was changed by an admin"),
    "two_factor": N_("Your breachlog two-factor login was turned off by an admin"),
}


def _body(user: User, what: str, actor: User, now: datetime) -> str:
    home = user.memberships[0].organisation if user.memberships else None
    zone = home.timezone if home else current_app.config["TIMEZONE"]
    when = local_time(now, zone)
    if what == "password":
        done = gettext(
            "%(admin)s set a new password for your account on %(when)s. "
            "Your sessions and API tokens ended; log in with the new password.",
            admin=actor.display_name,
            when=when,
        )
    else:
        done = gettext(
            "%(admin)s turned off two-factor login of your account on %(when)s. "
            "You log in with your password only; set it up again on your account page.",
            admin=actor.display_name,
            when=when,
        )
    alarm = gettext(
        "If you did not ask for this, tell your privacy officer or IT department at once."
    )
    return f"{done}\n\n{alarm}\n\n{current_app.config['BASE_URL'].rstrip('/')}/account\n"


def inform(user: User, what: str, *, actor: User, now: datetime) -> bool:
    """Mail `user` that an admin reset their `what` ("password" or "two_factor")."""
    with force_locale(user.language):
        message = EmailMessage()
        message["Subject"] = gettext(SUBJECTS[what])
        message["From"] = current_app.config["MAIL_FROM"]
        message["To"] = user.email
        message["Date"] = rfc2822(now)
        message["Message-ID"] = make_msgid(domain="breachlog")
        message.set_content(_body(user, what, actor, now))
    try:
        client = connect()
        try:
            client.send_message(message)
        finally:
            client.quit()
    except (smtplib.SMTPException, OSError):
        current_app.logger.warning("could not tell %s about a %s reset", user.email, what)
        return False
    return True
