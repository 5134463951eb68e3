"""Flask-Migrate, loaded only by a command that migrates the database.

Importing Flask-Migrate imports Alembic, about a third of a command's start-up. A worker
that serves pages, or `export-register`, never migrates, so create_app only notes where the
migrations are; Flask-Migrate is set up when something first asks for it.
"""

from __future__ import annotations

import os
from typing import Any

import click
from flask import Flask

DIRECTORY = os.path.join(os.path.dirname(__file__), "migrations")
# SQLite alters tables by copying them: batch mode keeps migrations portable
OPTIONS = {"render_as_batch": True, "compare_type": True}


def init_app(app: Flask) -> None:
    app.extensions["migrate"] = _Deferred(app)
    app.cli.add_command(_Commands("db", help="Database migrations (Alembic), for developers."))


def set_up(app: Flask) -> Any:
    """Flask-Migrate's own app.extensions["migrate"], made now if it was deferred."""
    if isinstance(app.extensions.get("migrate"), _Deferred):
        from flask_migrate import Migrate

        from .extensions import db

        Migrate().init_app(app, db, directory=DIRECTORY, **OPTIONS)
    return app.extensions["migrate"]


class _Deferred:
    """Stands in for Flask-Migrate's config until something reads it (flask_migrate.upgrade,
    the migrations' env.py); then Flask-Migrate is set up and answers instead."""

    def __init__(self, app: Flask) -> None:
        self._app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(set_up(self._app), name)


class _Commands(click.Group):
    """`breachlog db ...`: Flask-Migrate's commands, imported when one is asked for."""

    @staticmethod
    def _group() -> click.Group:
        from flask_migrate.cli import db as group

        return group

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        # Flask-Migrate's own options (--directory, -x) and what they set for its commands
        group = self._group()
        self.params, self.callback = group.params, group.callback
        return super().make_context(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._group().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._group().get_command(ctx, name)
