"""The breachlog command line: start the app, prepare the database, users, tokens, checks."""

from __future__ import annotations

import contextlib
import getpass
import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext

from . import __version__, clock, config_check, configured_app, create_app
from .audit import chain
from .auth import services as auth
from .auth.models import User
from .catalogue import services as catalogue
from .config import defaults
from .config_check import StartRefused
from .db import writing
from .domain.audit import GENESIS, ChainLink, verify_chain
from .domain.errors import RuleViolation
from .domain.roles import ROLES
from .extensions import db
from .orgs import commands as organisation_commands
from .orgs.members import set_membership
from .orgs.models import Organisation
from .reminders import commands as reminder_commands
from .reminders import scheduler as reminder_scheduler
from .reminders import smtp
from .reminders.commands import show_logs as show_reminder_logs

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
            import flask_migrate  # loads Alembic: only commands that migrate need it

            flask_migrate.upgrade()
            added = catalogue.seed()
            db.session.commit()
    except sa.exc.OperationalError as exc:  # server down, wrong password, folder not writable
        raise click.ClickException(f"Cannot open the database: {exc.orig}".strip()) from None
    _private_database_files()
    return added


def _private_database_files() -> None:
    """The SQLite file holds the register: readable by the service user only, whatever the
    umask of whoever created it."""
    from .db import sqlite_path

    path = sqlite_path(db.engine.url)
    if path is None:
        return
    for name in (path, path + "-wal", path + "-shm"):
        if Path(name).exists():
            Path(name).chmod(0o600)


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
    if reminder_scheduler.start_inline(app) is not None:  # BREACHLOG_SCHEDULER=inline
        show_reminder_logs()
    with app.app_context():
        smtp.warn_if_unreachable(lambda text: click.echo(text, err=True))
    try:
        import waitress  # imported by the one command that serves

        waitress.serve(app, host=host, port=port, threads=threads, ident="breachlog")
    except OSError as exc:  # port taken, address not on this machine, no permission
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc.strerror}.") from None
    finally:
        reminder_scheduler.shutdown_inline()


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
    "--organisation",
    "organisations",
    type=int,
    multiple=True,
    metavar="ID",
    help="Id of an organisation the user is a member of (see `organisation list`); with "
    "one --role each, in the same order. Repeat both for more memberships.",
)
@click.option(
    "--role",
    "roles",
    required=True,
    multiple=True,
    type=click.Choice(ROLES),
    help="admin: everything in the organisation, including its members (without "
    "--organisation: an installation admin, who manages organisations and every user); "
    "officer: handles breaches (privacy officer, FG); reporter: reports breaches and sees "
    "their own reports; viewer: reads the whole register but changes nothing "
    "(management, an auditor).",
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
    email: str,
    organisations: tuple[int, ...],
    roles: tuple[str, ...],
    name: str,
    language: str,
    password_stdin: bool,
) -> None:
    """Add a user who logs in with EMAIL, a member of each --organisation with its --role.

    Also the way to create the first admin from the shell (--role admin without
    --organisation). Asks for the password twice without showing it.
    """
    if len(email) > 254 or len(name) > 200:
        raise Refused("Keep the e-mail address under 254 and the name under 200 characters.")
    memberships = _memberships(organisations, roles)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            "Password", hide_input=True, confirmation_prompt="Repeat the password"
        )
    with writing():
        try:
            first = memberships[0] if memberships else (None, roles[0])
            user = auth.create_user(
                email,
                first[1],
                password,
                actor=_actor(),
                now=clock.now(),
                name=name,
                language=language,
                organisation_id=first[0],
            )
            for organisation_id, role in memberships[1:]:
                organisation = db.session.get(Organisation, organisation_id)
                if organisation is None:
                    raise Refused(f"organisation: No organisation has id {organisation_id}.")
                set_membership(user, organisation, role, actor=_actor(), now=clock.now())
        except RuleViolation as violation:
            db.session.rollback()
            raise Refused(_explain(violation)) from None
        db.session.commit()
        click.echo(f"Created {user.role} {user.email}.")
        for membership in user.memberships:
            click.echo(f"  {membership.role} in {membership.organisation.name}")


def _memberships(organisations: tuple[int, ...], roles: tuple[str, ...]) -> list[tuple[int, str]]:
    """Pair each --organisation with its --role. Without --organisation: the only organisation
    there is; an admin of none is an installation admin."""
    if organisations:
        if len(organisations) != len(roles):
            raise Refused("Give one --role for each --organisation, in the same order.")
        if len(set(organisations)) != len(organisations):
            raise Refused("Name each organisation once.")
        return list(zip(organisations, roles, strict=True))
    if len(roles) > 1:
        raise Refused("Several --role options need an --organisation each.")
    if roles[0] == "admin":
        return []
    existing = db.session.scalars(sa.select(Organisation.id)).all()
    if len(existing) == 1:
        return [(existing[0], roles[0])]
    if not existing:
        raise Refused(
            "There is no organisation yet: breachlog organisation create NAME --prefix XX"
        )
    raise Refused("Say which organisation: --organisation ID (see `breachlog organisation list`).")


@click.command("api-token")
@click.argument("email")
@click.option("--label", default="", help="What the token is for, e.g. the name of a script.")
@click.option(
    "--scope",
    type=click.Choice(["read", "read-write"]),
    default="read-write",
    show_default=True,
    help="A read token gets 403 on anything but reading.",
)
@click.option(
    "--days",
    type=click.IntRange(1, 366),
    default=None,
    help="How long the token works (default: API_TOKEN_DAYS, 90).",
)
@click.option(
    "--list", "show", is_flag=True, help="List the user's working tokens instead of making one."
)
@click.option(
    "--revoke",
    metavar="ID|all",
    help="Revoke the token with this id (see --list), or all of the user's tokens.",
)
@click.option(
    "--organisation",
    type=int,
    metavar="ID",
    help="The one organisation the token reaches; needed when the user is a member of more.",
)
@with_appcontext
def api_token_command(
    email: str,
    label: str,
    scope: str,
    days: int | None,
    show: bool,
    revoke: str | None,
    organisation: int | None,
) -> None:
    """Print a new API token for the user with EMAIL; or list or revoke their tokens.

    The token is shown once: only a fingerprint of it is stored. Scripts send it as
    `Authorization: Bearer <token>`; it can do what the user's role allows in one
    organisation, even when the user is a member of more, or only read there with
    --scope read. It works for 90 days unless --days says otherwise; a revoked token,
    and every token of a user whose password changes, is refused from then on.
    """
    if show and revoke is not None:
        raise Refused("Give --list or --revoke, not both.")
    if len(label) > 100:
        raise Refused("label: Keep the label under 100 characters.")
    with writing():
        user = auth.user_by_email(email)
        if show or revoke is not None:
            if user is None:
                raise Refused(f"No user with e-mail address {email}.")
            if show:
                _list_tokens(user)
            else:
                _revoke_tokens(user, revoke or "")
            return
        if user is None or not user.is_active:
            raise Refused(f"No active user with e-mail address {email}.")
        now = clock.now()
        try:
            secret = auth.issue_api_token(
                user,
                actor=_actor(),
                now=now,
                label=label,
                scope=scope,
                days=days,
                organisation_id=organisation,
            )
        except RuleViolation as violation:
            db.session.rollback()
            raise Refused(_explain(violation)) from None
        db.session.commit()
        expires = auth.token_by_secret(secret).expires_at
    click.echo(
        f"API token for {user.email}, {scope}, until {expires:%Y-%m-%d %H:%M} UTC "
        "(copy it now; it is not shown again):",
        err=True,
    )
    click.echo(secret)


def _list_tokens(user: User) -> None:
    tokens = auth.tokens_of(user)
    if not tokens:
        click.echo(f"{user.email} has no working API tokens.")
        return
    click.echo(
        f"{'ID':>6}  {'CREATED (UTC)':16}  {'LAST USED (UTC)':16}  {'EXPIRES (UTC)':16}  "
        f"{'SCOPE':10}  LABEL"
    )
    for token in tokens:
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        click.echo(
            f"{token.id:>6}  {token.created_at:%Y-%m-%d %H:%M}  {used:16}  "
            f"{token.expires_at:%Y-%m-%d %H:%M}  {token.scope:10}  {token.label}"
        )


def _revoke_tokens(user: User, which: str) -> None:
    now = clock.now()
    if which.strip().lower() == "all":
        count = auth.revoke_api_tokens(user, actor=_actor(), now=now)
        db.session.commit()
        click.echo(f"Revoked {count} API token(s) of {user.email}.")
        return
    token = auth.token_of(user, int(which)) if which.strip().isdigit() else None
    if token is None:
        raise Refused(f"--revoke: {user.email} has no working API token with id {which}.")
    auth.revoke_api_token(token, actor=_actor(), now=now)
    db.session.commit()
    click.echo(f"Revoked API token {token.id} ({token.label or 'no label'}) of {user.email}.")


@click.command("verify-audit")
@with_appcontext
def verify_audit_command() -> None:
    """Check that the history is whole and that the register is what it says.

    Every entry is sealed with a key kept outside the database and carries the seal of the
    one before it; every head anchored in the instance folder must still be there; and the
    incidents, measures, notifications and communications in the database must be what
    their history makes of them. Exits 1 on any difference, naming the ref and the field.
    """
    from .audit import replay, seal

    anchored, unreadable = seal.anchors()
    links = chain.links()
    counted = _Counted(links)
    try:
        problem = verify_chain(counted, seal.key(), anchored)
    finally:
        links.close()  # a break found early leaves the database cursor open otherwise
    failed = False
    for line in unreadable:
        click.echo(f"Anchors file: cannot read {line}.", err=True)
        failed = True
    if problem is not None:
        click.echo(f"Audit chain broken at event {problem.event_id}: {problem.reason}.", err=True)
        failed = True
    else:
        click.echo(
            f"Audit chain intact: {counted.count} events, last {counted.last_hash}, "
            f"{len(anchored)} anchored head(s) found"
        )
    differences = 0
    for difference in replay.differences():
        differences += 1
        click.echo(
            f"{difference.ref} {difference.kind} {difference.object_id}, {difference.field}: "
            f"history says {difference.recorded!r}, database has {difference.stored!r}",
            err=True,
        )
    if differences:
        click.echo(f"The register differs from its history in {differences} place(s).", err=True)
        failed = True
    else:
        click.echo("The register matches its history.")
    if failed:
        sys.exit(1)


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


@click.command("backup")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="File to write the copy to (an existing file is replaced), or an existing folder: "
    "the copy is then named breachlog-<UTC time>.sqlite or .dump in it.",
)
@click.option(
    "--keep",
    type=click.IntRange(1, 10000),
    help="With a folder: keep this many newest backups there and delete older ones.",
)
@with_appcontext
def backup_command(output: Path, keep: int | None) -> None:
    """Copy the database to a file, safely while breachlog runs, readable by you only.

    SQLite: the copy is one consistent moment of the register, checked like an inspector
    would: the database's own integrity check and the history (as verify-audit).
    PostgreSQL: pg_dump in its custom format, checked by reading its contents back.
    Exits 0 when the copy is sound, 1 when it was written but the checks found a problem
    in the database, 2 when no copy was made.
    """
    from . import backup, backup_postgres

    url = db.engine.url
    postgres = url.get_backend_name() == "postgresql"
    folder = output if output.is_dir() else None
    if folder is not None:
        output = folder / f"breachlog-{clock.now():%Y-%m-%dT%H%M%SZ}.{backup_suffix(postgres)}"
    elif keep is not None:
        raise Refused("--keep: give a folder as --output, not a file.")
    try:
        make = backup_postgres.backup if postgres else backup.backup
        checked = make(url, output)
    except backup.BackupRefused as exc:
        raise Refused(str(exc)) from None
    click.echo(f"Backed up to {checked.path}: {checked.summary()}.")
    if folder is not None and keep is not None:
        old = sorted(folder.glob(f"breachlog-*.{backup_suffix(postgres)}"))[:-keep]
        for path in old:
            path.unlink()
        if old:
            click.echo(f"Deleted {len(old)} older backup(s), keeping {keep}.")
    if checked.problems:
        sys.exit(1)


def backup_suffix(postgres: bool) -> str:
    return "dump" if postgres else "sqlite"


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database with a backup made by `breachlog backup`.

    Stop breachlog first: the web server, `breachlog scheduler` and cron jobs. restore
    cannot always know whether breachlog still runs; with SQLite it refuses when it sees
    the database in use. The backup is checked first (integrity and history) and used
    only when sound; the current database is kept beside it as
    <name>.before-restore-<time>.sqlite; the swap is a rename, never a half-copied file.
    PostgreSQL: pg_restore in one transaction, leaving extensions as they are.
    Afterwards, reminders the backup still had waiting are held for an officer: they may
    have gone out after the backup was made.
    """
    from . import backup, backup_postgres
    from .reminders.held import hold_after_restore

    url = db.engine.url
    db.session.remove()
    db.engine.dispose()  # this command's own connections would count as "in use"
    kept = None
    try:
        if url.get_backend_name() == "postgresql":
            target = str(url.database)
            if not yes:
                click.confirm(f"Replace the database {target} with {file}?", abort=True)
            backup_postgres.restore(url, file, Path(current_app.instance_path))
            summary = "pg_restore done"
        else:
            target = str(backup.database_file(url))
            if not yes:
                click.confirm(f"Replace {target} with {file}?", abort=True)
            restored = backup.restore(url, file, clock.now())
            summary, kept = restored.checked.summary(), restored.kept
    except backup.BackupRefused as exc:
        raise Refused(str(exc)) from None
    click.echo(f"Restored {target} from {file}: {summary}.")
    if kept is not None:
        click.echo(f"The database as it was before is kept in {kept}.")
    try:
        held = hold_after_restore(clock.now())
    except sa.exc.SQLAlchemyError:  # an old backup: its tables come up to date at the start
        db.session.rollback()
        held = 0
    if held:
        click.echo(
            f"{held} reminder(s) were waiting in the backup and are held: they may have gone "
            "out after the backup was made. The dashboard lists them; an officer checks and "
            "sends them again."
        )
    click.echo(
        "Start breachlog again; `breachlog serve` or `init-db` brings an older backup up to date."
    )


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Add a demo organisation with users and realistic breaches.

    For trying breachlog out, not for a register in real use. The demo users share
    one password, printed at the end.
    """
    from .demo import create_demo

    if not sa.inspect(db.engine).has_table("organisations"):
        prepare_database()  # as `serve` does: trying breachlog out may start here
    with writing():
        try:
            demo = create_demo(clock.now())
        except RuleViolation as violation:
            db.session.rollback()
            raise Refused(_explain(violation)) from None
        db.session.commit()
        for org in demo.organisations:
            count = sum(1 for incident in demo.incidents if incident.organisation_id == org.id)
            click.echo(f"Created {org.name} with {count} incidents.")
        click.echo("Users, all with the password " + demo.password + ":")
        for user in demo.users:
            where = ", ".join(m.organisation.name for m in user.memberships)
            installation = " (installation admin)" if user.is_installation_admin else ""
            click.echo(f"  {user.email:45} {user.role:9} {where}{installation}")
        click.echo("Each organisation's people see only their own register.")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--organisation", type=int, help="Id of the organisation whose register it is.")
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar='"HEADER=KEY"',
    help='Read a column breachlog does not recognise, e.g. --map "Datum melding=notified_at"; '
    '"HEADER=" ignores a column. Repeatable.',
)
@click.option(
    "--lang",
    default="nl",
    show_default=True,
    type=click.Choice(["nl", "en"]),
    help="Language of the file; headers and labels are read in both, notes are written in this.",
)
@click.option(
    "--separator",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", ";", ",", "tab"]),
    help="CSV separator.",
)
@click.option("--sheet", default=None, help="Worksheet of an .xlsx file (default: the first).")
@with_appcontext
def import_command(
    file: Path,
    organisation: int | None,
    dry_run: bool,
    maps: tuple[str, ...],
    lang: str,
    separator: str,
    sheet: str | None,
) -> None:
    """Bring in a register kept in Excel until now (CSV or XLSX).

    Columns are found by their Dutch or English header. Every row is checked with the
    same rules as in the app and gets a new reference. All rows are imported or none:
    with any problem nothing is written and the report says what to fix. Exits 0 when
    every row is fine, 1 when some are not, 2 when the import cannot start.
    """
    from .register.importing.command import run
    from .register.importing.importer import Refusal

    # a dry run only reads: it leaves the write lock to the app however long it takes
    with writing() if not dry_run else contextlib.nullcontext():
        try:
            status = run(
                file,
                organisation_id=organisation,
                dry_run=dry_run,
                maps=maps,
                language=lang,
                separator=separator,
                sheet_name=sheet,
                actor=_actor(),
                now=clock.now(),
            )
        except Refusal as exc:
            db.session.rollback()
            raise Refused(str(exc)) from None
    sys.exit(status)


@click.command("export-register")
@click.option(
    "--year",
    required=True,
    type=click.IntRange(1900, 9999),
    help="Year of awareness (kennisname) in the organisation's time zone.",
)
@click.option("--organisation", type=int, help="Organisation id; needed if there are several.")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["pdf", "csv"]),
    help="Default: csv for an OUTPUT ending in .csv, otherwise pdf.",
)
@click.option(
    "--lang", default="nl", show_default=True, type=click.Choice(["nl", "en"]), help="Language."
)
@click.option(
    "--separator",
    default=";",
    show_default=True,
    type=click.Choice([";", ","]),
    help="CSV field separator: ; for Dutch Excel, , for English.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="File to write, or - for standard output.",
)
@with_appcontext
def export_register_command(
    year: int,
    organisation: int | None,
    file_format: str | None,
    lang: str,
    separator: str,
    output: Path,
) -> None:
    """Write the register of one organisation and year as PDF (for an inspector) or CSV."""
    from .register.export_csv import write_register_csv
    from .register.export_data import ExportRefused, organisation_for_export
    from .register.export_pdf import write_register_pdf

    try:
        chosen = organisation_for_export(organisation)
    except ExportRefused as exc:
        raise Refused(f"--organisation: {exc}") from None
    if file_format is None:
        file_format = "csv" if output.suffix.lower() == ".csv" else "pdf"

    def write(out: BinaryIO) -> None:
        if file_format == "csv":
            write_register_csv(out, chosen, year, language=lang, separator=separator)
        else:
            now = clock.now()
            write_register_pdf(
                out, chosen, year, language=lang, generated_by=_actor(), now=now, in_parallel=True
            )

    if str(output) == "-":
        write(sys.stdout.buffer)
        return
    # written beside the target and renamed at the end: a failed export leaves no half file
    part = output.with_name(output.name + ".part")
    try:
        with part.open("wb") as out:
            write(out)
        part.replace(output)
    except OSError as exc:
        raise click.ClickException(f"Cannot write {output}: {exc.strerror}.") from None
    finally:
        part.unlink(missing_ok=True)
    click.echo(f"Wrote the {year} register of {chosen.name} to {output}.", err=True)


COMMANDS = (
    serve_command,
    init_db_command,
    create_user_command,
    api_token_command,
    verify_audit_command,
    demo_command,
    export_register_command,
    import_command,
    backup_command,
    restore_command,
)


def register(app: Flask) -> None:
    from .auth.commands import COMMANDS as account_commands

    for command in (
        *COMMANDS,
        *reminder_commands.COMMANDS,
        *organisation_commands.COMMANDS,
        *account_commands,
    ):
        app.cli.add_command(command)


def _app_or_refusal() -> Flask:
    """Wrong settings, or a command run as the wrong user, end the command at once with exit
    status 2 and the reason, before anything is read or written."""
    try:
        return create_app()
    except StartRefused as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


@click.command("check-config")
def check_config_command() -> None:
    """Check every setting (config.py in the instance folder, BREACHLOG_* variables).

    Prints each problem with the setting's name and exits 2, or says the settings are
    fine and exits 0. serve, scheduler and gunicorn refuse to start on the same problems.
    """
    app = configured_app()
    problems = config_check.problems(app.config, app.instance_path)
    if problems:
        raise Refused(config_check.refusal_text(problems))
    click.echo(f"Settings are fine. Instance folder: {app.instance_path}")


def main() -> None:
    # Flask's `run` starts the development server; `serve` is the one to use.
    cli = FlaskGroup(
        create_app=_app_or_refusal,
        add_default_commands=False,
        add_version_option=False,
        help=HELP,
    )
    cli.add_command(check_config_command)
    cli.add_command(shell_command)
    cli.add_command(routes_command)
    click.version_option(__version__, prog_name="breachlog")(cli)
    try:
        cli.main(prog_name="breachlog")
    except (sa.exc.OperationalError, sa.exc.ProgrammingError) as exc:
        if not _no_tables(exc):
            raise
        click.echo(
            "The database has no breachlog tables yet, or not all of this version's: "
            "run `breachlog init-db` first (`breachlog serve` does it too).",
            err=True,
        )
        sys.exit(2)


def _no_tables(exc: sa.exc.DBAPIError) -> bool:
    """SQLite's "no such table" and PostgreSQL's undefined table (SQLSTATE 42P01)."""
    return "no such table" in str(exc.orig) or getattr(exc.orig, "sqlstate", None) == "42P01"
