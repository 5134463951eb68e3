"""`breachlog organisation create|list`: the controllers whose registers are kept here."""

from __future__ import annotations

import getpass

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from .. import clock
from ..db import writing
from ..domain.errors import RuleViolation
from ..extensions import db
from .members import Membership
from .models import Organisation
from .services import create_organisation


class Refused(click.ClickException):
    exit_code = 2


def _actor() -> str:
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):
        return "command line"


@click.group("organisation")
def organisation_group() -> None:
    """Organisations: each keeps its own register, seen only by its members."""


@organisation_group.command("create")
@click.argument("name")
@click.option("--prefix", required=True, help="Prefix of the refs, e.g. BZ gives BZ-2026-0001.")
@click.option("--timezone", default="Europe/Amsterdam", show_default=True)
@click.option("--kvk", default="", help="KvK number (8 digits).")
@click.option("--fg-name", default="", help="Contact point / FG: name.")
@click.option("--fg-email", default="", help="Contact point / FG: e-mail address.")
@click.option(
    "--escalation", default="", help="Escalation addresses (management), comma separated."
)
@with_appcontext
def create_command(
    name: str, prefix: str, timezone: str, kvk: str, fg_name: str, fg_email: str, escalation: str
) -> None:
    """Add the organisation NAME (its legal name)."""
    values = {
        "name": name,
        "ref_prefix": prefix,
        "timezone": timezone,
        "kvk_number": kvk,
        "fg_name": fg_name,
        "fg_email": fg_email,
        "escalation_emails": escalation,
    }
    if len(name) > 200 or len(prefix) > 10 or len(fg_email) > 254 or len(fg_name) > 200:
        raise Refused("Keep the name under 200 characters and the prefix under 10.")
    with writing():
        try:
            org = create_organisation(values, actor=_actor(), now=clock.now())
        except RuleViolation as violation:
            db.session.rollback()
            raise Refused(
                "\n".join(f"{p.field}: {p.render()}" for p in violation.problems)
            ) from None
        db.session.commit()
        click.echo(f"Created organisation {org.id}: {org.name} (refs {org.ref_prefix}-...).")


@organisation_group.command("list")
@with_appcontext
def list_command() -> None:
    """List the organisations with their ids, for --organisation elsewhere."""
    counted = (
        sa.select(Membership.organisation_id, sa.func.count())
        .group_by(Membership.organisation_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Organisation, counted.c.count)
        .outerjoin(counted, counted.c.organisation_id == Organisation.id)
        .order_by(Organisation.id)
    ).all()
    if not rows:
        click.echo("No organisations yet: breachlog organisation create NAME --prefix XX")
        return
    click.echo(f"{'ID':>4}  {'PREFIX':10}  {'MEMBERS':>7}  {'TIME ZONE':20}  NAME")
    for org, count in rows:
        state = "" if org.is_active else "  (inactive)"
        click.echo(
            f"{org.id:>4}  {org.ref_prefix:10}  {count or 0:>7}  {org.timezone:20}  "
            f"{org.name}{state}"
        )


COMMANDS = (organisation_group,)
