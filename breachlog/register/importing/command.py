"""`breachlog import`: what the command does once click has read its options."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask_babel import force_locale

from ...extensions import db
from ...orgs.models import Organisation
from . import mapping, readers
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
) -> int:
    """Import (or with dry_run only check) the register in `path`; returns the exit status.

    Raises Refusal for what makes the import impossible to start (exit status 2).
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
        pending = importer.pending
        if sys.stdout.isatty() and len(pending) > 1:
            label = "Checking" if dry_run else "Importing"
            with click.progressbar(pending, label=label, file=sys.stdout) as bar:
                for result, org in bar:
                    importer.record(result, org)
        else:
            for result, org in pending:
                importer.record(result, org)
    report = importer.report
    written = report.ok and not dry_run
    if written:
        db.session.commit()
    else:
        db.session.rollback()
    for line in lines(report, language, written):
        echo(line)
    return 0 if report.ok else 1


def _known() -> str:
    active = db.session.execute(
        sa.select(Organisation.id, Organisation.name)
        .where(Organisation.is_active.is_(True))
        .order_by(Organisation.id)
    ).all()
    if not active:
        return "there is none yet"
    return "choose one of: " + ", ".join(f"{id_} ({name})" for id_, name in active)
