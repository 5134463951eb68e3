"""`breachlog reminders tick` and `breachlog scheduler`: sending reminders from the shell."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from .. import clock
from . import scheduler, smtp
from .tick import PermanentFailure, TemporaryFailure, tick

reminders_group = AppGroup("reminders", help="Reminder e-mails before the AP deadline.")


def show_logs() -> None:
    """Our INFO lines (what was sent) on standard error; APScheduler's own only when wrong."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("breachlog").setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


@reminders_group.command("tick")  # AppGroup gives it the app context
def tick_command() -> None:
    """Send the reminders that are due now, once, and say what happened.

    Safe to run while `breachlog serve` or `breachlog scheduler` runs too: each reminder
    is sent by exactly one of them.
    """
    with smtp.Session() as send:
        result = tick(clock.now(), send)
    for line in scheduler.summary(result):
        click.echo(line)
    click.echo(
        f"Reminders: {len(result.sent)} sent, {len(result.retried)} to retry, "
        f"{len(result.failed)} failed, {len(result.superseded)} superseded, "
        f"{len(result.cancelled)} cancelled."
    )


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Send reminders every 30 seconds until stopped (SIGTERM or Ctrl+C).

    For installations where several processes serve breachlog: set
    BREACHLOG_SCHEDULER=off on those, and run this command once.
    """
    show_logs()
    smtp.warn_if_unreachable(lambda text: click.echo(text, err=True))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    scheduler.run_foreground(app, announce=click.echo)


@click.command("mail-test")
@click.argument("address")
@with_appcontext
def mail_test_command(address: str) -> None:
    """Send a test mail to ADDRESS through the configured mail server, and say what the
    server answered. Exits 1 when it did not take the mail, 2 for a bad address."""
    if (
        "@" not in address
        or any(c.isspace() or c == "\x00" for c in address)
        or len(address) > 254
    ):
        click.echo(f"Error: {address!r} is not an e-mail address.", err=True)
        raise SystemExit(2)
    try:
        smtp.send_test(address, clock.now(), sent_by="breachlog mail-test")
    except (TemporaryFailure, PermanentFailure) as error:
        click.echo(f"Not sent: {error}", err=True)
        raise SystemExit(1) from None
    click.echo(f"Test mail sent to {address} through {smtp.where()}.")


COMMANDS = (reminders_group, scheduler_command, mail_test_command)
