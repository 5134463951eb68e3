"""Secrets at rest: two-factor secrets encrypted with a key kept outside the database, the
keys and the SQLite database readable by their owner only, the migration that encrypts
secrets stored before, and `breachlog rotate-key`."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import flask_migrate
import pyotp
import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask import Flask

from breachlog import create_app, keys
from breachlog.auth import two_factor
from breachlog.auth.models import ApiToken, User
from breachlog.extensions import db

from .factories import Factory

NOW = datetime(2026, 3, 10, 9, 0, 5, tzinfo=UTC)


def stored_secret(user_id: int) -> str:
    return db.session.execute(
        sa.text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user_id}
    ).scalar_one()


def with_two_factor(app: Flask) -> tuple[int, str]:
    make = Factory(app)
    user = make.user("officer", email="fg@example.nl")
    two_factor.start(user, now=NOW)
    secret = user.totp_secret
    two_factor.confirm(user, pyotp.TOTP(secret).at(NOW), now=NOW)
    db.session.commit()
    return user.id, secret


def test_the_two_factor_secret_is_stored_encrypted(app, make):
    user_id, secret = with_two_factor(app)
    stored = stored_secret(user_id)
    assert secret not in stored
    key = keys.parse(app.config["ENCRYPTION_KEY"])[0]
    assert Fernet(key.encode()).decrypt(stored.encode()).decode() == secret
    db.session.expire_all()
    assert db.session.get(User, user_id).totp_secret == secret  # read back as it was


def test_the_key_is_in_the_instance_folder_not_the_database(app, make):
    user_id, _secret = with_two_factor(app)
    key_file = Path(app.instance_path) / "encryption_key"
    assert keys.parse(key_file.read_text()) == keys.parse(app.config["ENCRYPTION_KEY"])
    stored = stored_secret(user_id)
    app.config["ENCRYPTION_KEY"] = Fernet.generate_key().decode()  # a copy without the key
    db.session.expire_all()
    assert db.session.get(User, user_id).totp_secret is None  # no secret, and no 500
    with pytest.raises(RuntimeError, match="cannot be decrypted"):
        keys.decrypt(stored)


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_keys_and_the_database_are_readable_by_their_owner_only(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setenv("BREACHLOG_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("BREACHLOG_DATABASE_URL", raising=False)
    monkeypatch.delenv("BREACHLOG_SECRET_KEY", raising=False)
    monkeypatch.delenv("BREACHLOG_ENCRYPTION_KEY", raising=False)
    monkeypatch.setenv("BREACHLOG_SCHEDULER", "off")
    app = create_app()
    with app.app_context():
        db.create_all()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    for name in ("secret_key", "encryption_key", "breachlog.sqlite"):
        assert private(instance / name), name


def test_a_key_from_the_environment_is_used_and_none_written(tmp_path, monkeypatch):
    key = Fernet.generate_key().decode()
    instance = tmp_path / "instance"
    monkeypatch.setenv("BREACHLOG_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("BREACHLOG_ENCRYPTION_KEY", key)
    monkeypatch.setenv("BREACHLOG_DATABASE_URL", "sqlite:///" + str(tmp_path / "db.sqlite"))
    app = create_app()
    assert app.config["ENCRYPTION_KEY"] == key
    assert not (instance / "encryption_key").exists()


def test_rotate_key_re_encrypts_with_a_new_key_in_the_instance_folder(app, make):
    user_id, secret = with_two_factor(app)
    key_file = Path(app.instance_path) / "encryption_key"
    old_key, old_stored = key_file.read_text().strip(), stored_secret(user_id)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["rotate-key"])
    assert result.exit_code == 0, result.output
    assert "Re-encrypted 1 secret(s)" in result.output
    new_key = key_file.read_text().strip()
    assert new_key != old_key and len(keys.parse(new_key)) == 1
    assert private(key_file)
    db.session.expire_all()
    stored = stored_secret(user_id)
    assert stored != old_stored
    assert Fernet(new_key.encode()).decrypt(stored.encode()).decode() == secret


def test_rotate_key_from_the_environment_needs_the_new_and_the_old_key(app, make):
    user_id, secret = with_two_factor(app)
    old = keys.parse(app.config["ENCRYPTION_KEY"])[0]
    app.config.pop("ENCRYPTION_KEY_FILE")
    app.config["ENCRYPTION_KEY"] = old
    refused = app.test_cli_runner().invoke(args=["rotate-key"])
    assert refused.exit_code != 0 and "one key" in refused.output
    new = Fernet.generate_key().decode()
    app.config["ENCRYPTION_KEY"] = f"{new},{old}"
    done = app.test_cli_runner().invoke(args=["rotate-key"])
    assert done.exit_code == 0, done.output
    db.session.expire_all()
    assert Fernet(new.encode()).decrypt(stored_secret(user_id).encode()).decode() == secret


def test_the_migration_encrypts_secrets_and_dates_tokens_stored_before(empty_app, backend):
    secret = pyotp.random_base32()
    with empty_app.app_context():
        flask_migrate.upgrade(revision="0007")
        db.session.execute(
            sa.text(
                "INSERT INTO users (email, name, password_hash, role, language, is_active, "
                "created_at, session_version, totp_secret, totp_enabled_at) VALUES "
                "('fg@example.nl', '', 'x', 'officer', 'nl', true, :now, 1, :secret, :now)"
            ),
            {"now": NOW, "secret": secret},
        )
        db.session.execute(
            sa.text(
                "INSERT INTO api_tokens (user_id, token_hash, label, created_at) "
                "SELECT id, :hash, 'oud', :now FROM users"
            ),
            {"hash": "0" * 64, "now": NOW},
        )
        db.session.commit()
        db.session.remove()
        flask_migrate.upgrade()
        stored = db.session.execute(sa.text("SELECT totp_secret FROM users")).scalar_one()
        assert stored != secret
        user = db.session.scalars(sa.select(User)).one()
        assert user.totp_secret == secret
        token = db.session.scalars(sa.select(ApiToken)).one()
        assert token.expires_at > NOW and token.scope == "read-write"
        db.session.remove()
        flask_migrate.downgrade(revision="0007")
        assert db.session.execute(sa.text("SELECT totp_secret FROM users")).scalar_one() == secret
        db.session.remove()
