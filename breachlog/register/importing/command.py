"""`breachlog import`: what the command does once click has read its options."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask_babel import force_locale

from ...extensions import db
from ...orgs.models import Organisation
from . import acts, dry, mapping, readers
from .importer import Actor, Importer, Refusal
from .report import lines


def run(
    path: Path,
    *,
    organisation_id: int | None,
    dry_run: bool,
    maps: Sequence[str],
    language: str,
    separator: str,
    sheet_name: str | None,
    actor: str,
    now: datetime,
    echo: Callable[[str], None] = click.echo,
    progress: bool | None = None,
) -> int:
    """Import (or with dry_run only check) the register in `path`; returns the exit status.

    Raises Refusal for what makes the import impossible to start, or a file that turns out
    to be unreadable or too large on the way (exit status 2); nothing is written then.
    A progress bar is shown on a terminal (`progress` says otherwise).
    """
    try:
        overrides = mapping.parse_overrides(maps)
    except ValueError as exc:
        raise Refusal(f"--map {exc}") from None
    organisation = None
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None or not organisation.is_active:
            raise Refusal(f"no active organisation with id {organisation_id}; {_known()}")
    try:
        sheet = readers.read(path, separator, sheet_name)
    except readers.ReadError as exc:
        raise Refusal(str(exc)) from None
    shown = sys.stdout.isatty() if progress is None else progress
    try:
        with force_locale(language):  # the language of the AP form answers frozen on import
            importer = Importer(
                sheet,
                organisation=organisation,
                overrides=overrides,
                language=language,
                now=now,
                actor=Actor(actor),
                dry_run=dry_run,
            )
            if dry_run:
                # by the bytes of the file read: the rows are not counted before they are checked
                with _progress("Checking", sheet.size, shown) as step:
                    dry.check(importer, step)
            else:
                pending = importer.pending()
                recorder = importer.recorder(acts.Services(importer.codes))
                with _progress("Importing", len(pending), shown and len(pending) > 1) as step:
                    for result, row, org in pending:
                        importer.record(recorder, result, row, org)
                        step(1)
    except readers.ReadError as exc:
        raise Refusal(str(exc)) from None
    finally:
        sheet.close()
    report = importer.report
    written = report.ok and not dry_run
    if written:
        db.session.commit()
    else:
        db.session.rollback()
    for line in lines(report, language, written):
        echo(line)
    return 0 if report.ok else 1


@contextmanager
def _progress(label: str, length: int, shown: bool) -> Iterator[Callable[[int], None]]:
    """A progress bar on the terminal, moved on by the steps given to the function it yields."""
    if not shown or length <= 0:
        yield lambda steps: None
        return
    with click.progressbar(length=length, label=label, file=sys.stdout) as bar:
        yield bar.update


def _known() -> str:
    active = db.session.execute(
        sa.select(Organisation.id, Organisation.name)
        .where(Organisation.is_active.is_(True))
        .order_by(Organisation.id)
    ).all()
    if not active:
        return "there is none yet"
    return "choose one of: " + ", ".join(f"{id_} ({name})" for id_, name in active)
