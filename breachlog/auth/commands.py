"""`breachlog rotate-key`: encrypt the stored two-factor secrets with a new key."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask import current_app
from flask.cli import with_appcontext

from .. import keys
from ..db import writing
from ..extensions import db


def rotate_all() -> int:
    """Re-encrypt every stored secret with the first key; returns how many there were."""
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("totp_secret", sa.String))
    rows = db.session.execute(
        sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))
    ).all()
    for user_id, value in rows:
        db.session.execute(
            users.update().where(users.c.id == user_id).values(totp_secret=keys.rotate(value))
        )
    return len(rows)


@click.command("rotate-key")
@with_appcontext
def rotate_key_command() -> None:
    """Encrypt the two-factor secrets with a new encryption key.

    With the key in the instance folder: makes a new key, re-encrypts, and keeps only the
    new key in the file. With BREACHLOG_ENCRYPTION_KEY: set it to "NEW,OLD" first (a new key
    is printed when it holds one key only), run this, then set it to NEW alone. Stop
    breachlog while rotating; back up the new key afterwards.
    """
    config = current_app.config
    old = keys.parse(str(config["ENCRYPTION_KEY"]))
    key_file = config.get("ENCRYPTION_KEY_FILE")
    if not key_file and len(old) < 2:
        new = Fernet.generate_key().decode("ascii")
        raise click.ClickException(
            "BREACHLOG_ENCRYPTION_KEY holds one key. Set it to the new key, a comma and the "
            f"old key, then run rotate-key again. A new key: {new}"
        )
    new = Fernet.generate_key().decode("ascii") if key_file else old[0]
    if key_file:
        # both keys on disk first: a crash half-way leaves every secret readable
        config["ENCRYPTION_KEY"] = "\n".join([new, *old])
        keys.write_private(Path(key_file), config["ENCRYPTION_KEY"] + "\n", replace=True)
    with writing():
        count = rotate_all()
        db.session.commit()
    if key_file:
        config["ENCRYPTION_KEY"] = new
        keys.write_private(Path(key_file), new + "\n", replace=True)
        click.echo(f"Re-encrypted {count} secret(s); {key_file} holds the new key only.")
    else:
        click.echo(
            f"Re-encrypted {count} secret(s) with the first key; now set "
            "BREACHLOG_ENCRYPTION_KEY to that key alone."
        )
    click.echo("Back up the new key: without it nobody can log in with two-factor login.")


COMMANDS = (rotate_key_command,)
