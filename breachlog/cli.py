"""The breachlog command line: start the app, prepare the database, users, tokens, checks."""

from __future__ import annotations

import getpass
import logging
import sys
from collections.abc import Iterable, Iterator

import click
import flask_migrate
import sqlalchemy as sa
import waitress
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext

from . import __version__, clock, create_app
from .audit import chain
from .auth import services as auth
from .catalogue import services as catalogue
from .config import defaults
from .db import writing
from .domain.audit import GENESIS, ChainLink, verify_chain
from .domain.errors import RuleViolation
from .domain.roles import ROLES
from .extensions import db

HELP = """breachlog keeps the register of data breaches (datalekken) of your organisation
and counts down the 72 hours you have to notify the Autoriteit Persoonsgegevens.

Start it with `breachlog serve` and open the link it prints. Settings come from
instance/config.py or BREACHLOG_* environment variables (see the README).
"""


class Refused(click.ClickException):
    """The command was asked for something the rules do not allow; exits like a usage error."""

    exit_code = 2


def _actor() -> str:
    """The audit trail names the shell user behind a command when the system knows it."""
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):
        return "command line"


def _explain(violation: RuleViolation) -> str:
    return "\n".join(f"{problem.field}: {problem.render()}" for problem in violation.problems)


def prepare_database() -> int:
    """Create or upgrade the schema, then add missing catalogue entries. Returns entries added."""
    try:
        with writing():
            flask_migrate.upgrade()
            added = catalogue.seed()
            db.session.commit()
    except sa.exc.OperationalError as exc:  # server down, wrong password, folder not writable
        raise click.ClickException(f"Cannot open the database: {exc.orig}".strip()) from None
    return added


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Use 0.0.0.0 to accept connections from other computers.",
)
@click.option(
    "--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port number."
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="How many requests are handled at the same time.",
)
@with_appcontext
def serve_command(host: str, port: int, threads: int) -> None:
    """Start breachlog for everyday use.

    Brings the database up to date first (it is created if it does not exist yet).
    When nobody can log in yet, prints a one-time link to create the first admin.
    """
    prepare_database()
    with writing():
        if not auth.has_users():
            token = auth.create_setup_token(clock.now())
            db.session.commit()
            click.echo(
                "Open this link once to create the first admin: "
                f"{_base_url(host, port)}/setup/{token}"
            )
    db.session.remove()
    app = current_app._get_current_object()
    logging.getLogger("waitress").setLevel(logging.INFO)  # its "Serving on ..." line
    try:
        waitress.serve(app, host=host, port=port, threads=threads, ident="breachlog")
    except OSError as exc:  # port taken, address not on this machine, no permission
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc.strerror}.") from None


def _base_url(host: str, port: int) -> str:
    configured = current_app.config.get("BASE_URL") or ""
    if configured and configured != defaults(current_app.instance_path)["BASE_URL"]:
        return str(configured).rstrip("/")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database or bring it up to date.

    Run it after installing a new version of breachlog. `serve` does this by itself;
    use this command when another program (such as gunicorn) serves the app.
    """
    added = prepare_database()
    click.echo(f"Database is up to date ({added} catalogue entries added).")


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    required=True,
    type=click.Choice(ROLES),
    help="admin: everything, including users; officer: handles breaches (privacy officer, "
    "FG); reporter: reports breaches and sees their own reports; viewer: reads the whole "
    "register but changes nothing (management, an auditor).",
)
@click.option("--name", default="", help="Full name, shown in the register and history.")
@click.option(
    "--language",
    default="nl",
    show_default=True,
    type=click.Choice(["nl", "en"]),
    help="Language of screens and e-mails.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of asking for it, for scripts.",
)
@with_appcontext
def create_user_command(
    email: str, role: str, name: str, language: str, password_stdin: bool
) -> None:
    """Add a user who logs in with EMAIL.

    Also the way to create the first admin from the shell. Asks for the password
    twice without showing it.
    """
    if len(email) > 254 or len(name) > 200:
        raise Refused("Keep the e-mail address under 254 and the name under 200 characters.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            "Password", hide_input=True, confirmation_prompt="Repeat the password"
        )
    with writing():
        try:
            user = auth.create_user(
                email,
                role,
                password,
                actor=_actor(),
                now=clock.now(),
                name=name,
                language=language,
            )
        except RuleViolation as violation:
            db.session.rollback()
            raise Refused(_explain(violation)) from None
        db.session.commit()
        click.echo(f"Created {user.role} {user.email}.")


@click.command("api-token")
@click.argument("email")
@click.option("--label", default="", help="What the token is for, e.g. the name of a script.")
@with_appcontext
def api_token_command(email: str, label: str) -> None:
    """Print a new API token for the user with EMAIL.

    The token is shown once: only a fingerprint of it is stored. Scripts send it as
    `Authorization: Bearer <token>`; it can do what the user's role allows.
    """
    if len(label) > 100:
        raise Refused("label: Keep the label under 100 characters.")
    with writing():
        user = auth.user_by_email(email)
        if user is None or not user.is_active:
            raise Refused(f"No active user with e-mail address {email}.")
        secret = auth.issue_api_token(user, actor=_actor(), now=clock.now(), label=label)
        db.session.commit()
    click.echo(f"API token for {user.email} (copy it now; it is not shown again):", err=True)
    click.echo(secret)


@click.command("verify-audit")
@with_appcontext
def verify_audit_command() -> None:
    """Check that no history entry was changed or removed.

    Every entry carries a fingerprint of the one before it. Prints the fingerprint of
    the newest entry; keep it somewhere else to detect entries cut off at the end later.
    """
    links = chain.links()
    counted = _Counted(links)
    try:
        problem = verify_chain(counted)
    finally:
        links.close()  # a break found early leaves the database cursor open otherwise
    if problem is not None:
        click.echo(f"Audit chain broken at event {problem.event_id}: {problem.reason}.", err=True)
        sys.exit(1)
    click.echo(f"Audit chain intact: {counted.count} events, last {counted.last_hash}")


class _Counted:
    """Counts the links as verification walks them, so count and hash describe one pass."""

    def __init__(self, links: Iterable[ChainLink]) -> None:
        self.links = links
        self.count = 0
        self.last_hash = GENESIS

    def __iter__(self) -> Iterator[ChainLink]:
        for link in self.links:
            self.count += 1
            self.last_hash = link.hash
            yield link


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Add a demo organisation with users and realistic breaches.

    For trying breachlog out, not for a register in real use. The demo users share
    one password, printed at the end.
    """
    from .demo import create_demo

    with writing():
        try:
            demo = create_demo(clock.now())
        except RuleViolation as violation:
            db.session.rollback()
            raise Refused(_explain(violation)) from None
        db.session.commit()
        click.echo(f"Created {demo.organisation.name} with {len(demo.incidents)} incidents.")
        click.echo("Users, all with the password " + demo.password + ":")
        for user in demo.users:
            click.echo(f"  {user.email:45} {user.role}")


COMMANDS = (
    serve_command,
    init_db_command,
    create_user_command,
    api_token_command,
    verify_audit_command,
    demo_command,
)


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def main() -> None:
    # Flask's `run` starts the development server; `serve` is the one to use.
    cli = FlaskGroup(
        create_app=create_app,
        add_default_commands=False,
        add_version_option=False,
        help=HELP,
    )
    cli.add_command(shell_command)
    cli.add_command(routes_command)
    click.version_option(__version__, prog_name="breachlog")(cli)
    cli.main(prog_name="breachlog")
