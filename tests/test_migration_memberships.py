"""Migration 0008: today's users become members of their organisation with their role."""

from __future__ import annotations

from datetime import UTC, datetime

import flask_migrate
import sqlalchemy as sa
from flask import Flask

from breachlog.extensions import db

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def insert(table: str, **values: object) -> int:
    reflected = sa.Table(table, sa.MetaData(), autoload_with=db.session.connection())
    result = db.session.execute(sa.insert(reflected).values(**values))
    return int(result.inserted_primary_key[0])


def organisation(name: str, prefix: str) -> int:
    return insert(
        "organisations",
        name=name,
        kvk_number="",
        ref_prefix=prefix,
        fg_name="",
        fg_email="",
        escalation_emails="",
        timezone="Europe/Amsterdam",
        is_active=True,
        created_at=NOW,
    )


def user(email: str, role: str, organisation_id: int | None) -> int:
    return insert(
        "users",
        email=email,
        name="",
        password_hash="x",
        role=role,
        language="nl",
        is_active=True,
        organisation_id=organisation_id,
        created_at=NOW,
        session_version=1,
    )


def token(user_id: int, secret: str) -> int:
    return insert("api_tokens", user_id=user_id, token_hash=secret, label="", created_at=NOW)


def test_users_become_members_admins_installation_admins_tokens_keep_their_organisation(
    empty_app: Flask,
):
    with empty_app.app_context():
        flask_migrate.upgrade(revision="0007")
        groen, blauw = organisation("Groen B.V.", "GR"), organisation("Blauw B.V.", "BZ")
        admin = user("admin@groen.example", "admin", groen)
        officer = user("officer@blauw.example", "officer", blauw)
        everywhere = user("viewer@example.nl", "viewer", None)
        officer_token, viewer_token = token(officer, "a" * 64), token(everywhere, "b" * 64)
        insert("recovery_codes", user_id=officer, code_hash="c" * 64, created_at=NOW)
        db.session.commit()
        db.session.remove()

        flask_migrate.upgrade()
        members = set(
            tuple(row)
            for row in db.session.execute(
                sa.text("SELECT user_id, organisation_id, role FROM memberships")
            )
        )
        assert members == {
            (admin, groen, "admin"),
            (officer, blauw, "officer"),
            (everywhere, groen, "viewer"),
            (everywhere, blauw, "viewer"),
        }
        installation = {
            row[0]: bool(row[1])
            for row in db.session.execute(sa.text("SELECT id, is_installation_admin FROM users"))
        }
        assert installation == {admin: True, officer: False, everywhere: False}
        tokens = {
            row[0]: row[1]
            for row in db.session.execute(sa.text("SELECT id, organisation_id FROM api_tokens"))
        }
        # a token of one organisation keeps it; one of a user of two reaches nothing until
        # it is replaced by a token made for one of them
        assert tokens == {officer_token: blauw, viewer_token: None}
        # what refers to a user survives the rebuild of the users table on SQLite
        assert db.session.scalar(sa.text("SELECT user_id FROM recovery_codes")) == officer
        columns = {c["name"] for c in sa.inspect(db.session.connection()).get_columns("users")}
        assert "role" not in columns and "organisation_id" not in columns
        db.session.remove()

        flask_migrate.downgrade(revision="0007")
        back = {
            tuple(row)
            for row in db.session.execute(sa.text("SELECT id, role, organisation_id FROM users"))
        }
        assert back == {
            (admin, "admin", groen),
            (officer, "officer", blauw),
            (everywhere, "viewer", None),
        }
        db.session.remove()
