"""API tokens: listed with when they were last used, revoked by their owner, an admin or the
command line; a revoked token is refused with 401. The last use is written at most once a
minute, so a busy script does not turn every read into a write."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from breachlog import clock
from breachlog.audit.models import AuditEvent
from breachlog.auth import services
from breachlog.auth.models import ApiToken
from breachlog.domain.errors import RuleViolation
from breachlog.extensions import db

from .factories import PASSWORD, Factory

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
INCIDENTS = "/api/v1/incidents"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def moment(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(clock, "now", fake)
    return fake


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    """Two officers with a token each and an admin; secrets as shown once."""
    with app.app_context():
        make = Factory(app)
        make.organisation()
        anna = make.user("officer", email="anna@example.nl")
        bram = make.user("officer", email="bram@example.nl")
        make.user("admin", email="beheer@example.nl")
        secrets = {
            "anna-nightly": services.issue_api_token(
                anna, actor="test", now=T0, label="nightly export"
            ),
            "anna-bi": services.issue_api_token(anna, actor="test", now=T0, label="BI dashboard"),
            "bram": services.issue_api_token(bram, actor="test", now=T0, label="bram's script"),
        }
        db.session.commit()
    return secrets


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def token_row(app: Flask, label: str) -> ApiToken:
    with app.app_context():
        token = db.session.scalars(sa.select(ApiToken).where(ApiToken.label == label)).one()
        db.session.expunge(token)
        return token


def text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def logged_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = "en"
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def token_writes(sql_sent: list[str]) -> list[str]:
    """The UPDATEs of api_tokens among the statements sent."""
    return [s for s in sql_sent if s.lstrip().upper().startswith("UPDATE API_TOKENS")]


def test_a_revoked_token_gets_401(app, world, moment):
    client = app.test_client()
    assert client.get(INCIDENTS, headers=bearer(world["anna-nightly"])).status_code == 200
    anna = logged_in(app, "anna@example.nl")
    token = token_row(app, "nightly export")
    revoked = anna.post("/account/tokens/revoke", data={"token_id": str(token.id)})
    assert revoked.status_code == 302
    assert "The token was revoked" in text(anna.get("/account"))
    refused = client.get(INCIDENTS, headers=bearer(world["anna-nightly"]))
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    # her other token still works
    assert client.get(INCIDENTS, headers=bearer(world["anna-bi"])).status_code == 200
    with app.app_context():
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "api_token.revoked")
        ).one()
        assert event.actor == "anna@example.nl" and event.object_id == token.id


def test_the_account_page_lists_ones_own_tokens_with_their_last_use(app, world, moment):
    app.test_client().get(INCIDENTS, headers=bearer(world["anna-bi"]))
    page = text(logged_in(app, "anna@example.nl").get("/account"))
    tokens = page[page.index('id="tokens"') :]
    assert "nightly export" in tokens and "BI dashboard" in tokens
    assert "bram's script" not in tokens
    bi_row, nightly_row = tokens.split("</tr>")[1:3]  # newest first; same age: by id
    assert "BI dashboard" in bi_row and bi_row.count("10 Mar 2026, 10:00 CET") == 2  # made, used
    assert "nightly export" in nightly_row and "never" in nightly_row
    assert world["anna-bi"] not in page  # the secret is never shown again


def test_last_use_is_written_at_most_once_a_minute(app, world, moment, sql_sent):
    client = app.test_client()
    assert token_row(app, "bram's script").last_used_at is None
    client.get(INCIDENTS, headers=bearer(world["bram"]))
    assert token_row(app, "bram's script").last_used_at == T0
    assert len(token_writes(sql_sent)) == 1
    for seconds in (1, 20, 59):
        moment.now = T0 + timedelta(seconds=seconds)
        assert client.get(INCIDENTS, headers=bearer(world["bram"])).status_code == 200
    assert len(token_writes(sql_sent)) == 1  # reads stayed reads
    assert token_row(app, "bram's script").last_used_at == T0
    moment.now = T0 + timedelta(minutes=1)
    client.get(INCIDENTS, headers=bearer(world["bram"]))
    assert token_row(app, "bram's script").last_used_at == T0 + timedelta(minutes=1)
    assert len(token_writes(sql_sent)) == 2


def test_nobody_revokes_someone_elses_token_from_their_account(app, world, moment):
    bram_token = token_row(app, "bram's script")
    anna = logged_in(app, "anna@example.nl")
    answer = anna.post("/account/tokens/revoke", data={"token_id": str(bram_token.id)})
    assert answer.status_code == 302
    assert "This token does not exist or was revoked already." in text(anna.get("/account"))
    assert token_row(app, "bram's script").revoked_at is None
    assert app.test_client().get(INCIDENTS, headers=bearer(world["bram"])).status_code == 200


def test_admin_revokes_one_token_or_all_of_a_user(app, world, moment):
    admin = logged_in(app, "beheer@example.nl")
    anna_id = token_row(app, "nightly export").user_id
    page = text(admin.get(f"/admin/users/{anna_id}"))
    assert "nightly export" in page and "BI dashboard" in page
    nightly = token_row(app, "nightly export")
    admin.post(f"/admin/users/{anna_id}/tokens/revoke", data={"token_id": str(nightly.id)})
    client = app.test_client()
    assert client.get(INCIDENTS, headers=bearer(world["anna-nightly"])).status_code == 401
    assert client.get(INCIDENTS, headers=bearer(world["anna-bi"])).status_code == 200
    # a token of someone else, sent on anna's page, is left alone
    bram = token_row(app, "bram's script")
    admin.post(f"/admin/users/{anna_id}/tokens/revoke", data={"token_id": str(bram.id)})
    assert client.get(INCIDENTS, headers=bearer(world["bram"])).status_code == 200
    admin.post(f"/admin/users/{anna_id}/tokens/revoke", data={"token_id": "all"})
    assert client.get(INCIDENTS, headers=bearer(world["anna-bi"])).status_code == 401
    assert client.get(INCIDENTS, headers=bearer(world["bram"])).status_code == 200
    assert "No API tokens." in text(admin.get(f"/admin/users/{anna_id}"))
    with app.app_context():
        actors = db.session.scalars(
            sa.select(AuditEvent.actor).where(AuditEvent.action == "api_token.revoked")
        ).all()
    assert actors == ["beheer@example.nl", "beheer@example.nl"]


def test_the_command_line_lists_and_revokes_tokens(app, world, moment):
    def run(*args: str) -> Any:
        return app.test_cli_runner().invoke(args=["api-token", *args])

    listed = run("anna@example.nl", "--list")
    assert listed.exit_code == 0, listed.output
    assert "nightly export" in listed.stdout and "BI dashboard" in listed.stdout
    assert "2026-03-10 09:00" in listed.stdout and "never" in listed.stdout
    nightly = token_row(app, "nightly export")
    revoked = run("anna@example.nl", "--revoke", str(nightly.id))
    assert revoked.exit_code == 0, revoked.output
    assert f"Revoked API token {nightly.id} (nightly export)" in revoked.stdout
    assert "nightly export" not in run("anna@example.nl", "--list").stdout

    # only the user's own working tokens: an id of someone else's or a revoked one is refused
    bram = token_row(app, "bram's script")
    assert run("anna@example.nl", "--revoke", str(bram.id)).exit_code == 2
    assert run("anna@example.nl", "--revoke", str(nightly.id)).exit_code == 2
    assert run("anna@example.nl", "--revoke", "soon").exit_code == 2
    assert run("anna@example.nl", "--list", "--revoke", "all").exit_code == 2

    everything = run("anna@example.nl", "--revoke", "all")
    assert "Revoked 1 API token(s) of anna@example.nl." in everything.stdout
    assert "anna@example.nl has no working API tokens." in run("anna@example.nl", "--list").stdout
    client = app.test_client()
    assert client.get(INCIDENTS, headers=bearer(world["anna-bi"])).status_code == 401
    assert client.get(INCIDENTS, headers=bearer(world["bram"])).status_code == 200
    with app.app_context():
        actors = db.session.scalars(
            sa.select(AuditEvent.actor).where(AuditEvent.action == "api_token.revoked")
        ).all()
    assert len(actors) == 2 and all(a.startswith("command line") for a in actors)


# Expiry, scope, and revocation with the password


def test_a_new_token_works_90_days_by_default(app, moment):
    from breachlog.config import defaults

    assert defaults("instance")["API_TOKEN_DAYS"] == 90
    app.config["API_TOKEN_DAYS"] = 90
    with app.app_context():
        factory = Factory(app)
        factory.organisation()
        user = factory.user("officer", email="script@example.nl")
        secret = services.issue_api_token(user, actor="test", now=T0)
        db.session.commit()
    client = app.test_client()
    moment.now = T0 + timedelta(days=90) - timedelta(seconds=1)
    assert client.get(INCIDENTS, headers=bearer(secret)).status_code == 200
    moment.now = T0 + timedelta(days=90)
    expired = client.get(INCIDENTS, headers=bearer(secret))
    assert expired.status_code == 401
    assert 'error="invalid_token"' in expired.headers["WWW-Authenticate"]


def test_a_read_token_reads_and_gets_403_on_writes(app, moment):
    with app.app_context():
        make = Factory(app)
        make.organisation()
        user = make.user("officer", email="lezer@example.nl")
        secret = services.issue_api_token(user, actor="test", now=T0, scope="read")
        db.session.commit()
    client = app.test_client()
    assert client.get(INCIDENTS, headers=bearer(secret)).status_code == 200
    refused = client.post(INCIDENTS, headers=bearer(secret), json={"title": "Lek"})
    assert refused.status_code == 403
    assert refused.get_json() == {"error": "This token may only read."}


def test_an_unknown_scope_or_a_lifetime_out_of_range_is_refused(app, make):
    user = make.user("officer")
    for options in ({"scope": "admin"}, {"days": 0}, {"days": 400}):
        with pytest.raises(RuleViolation):
            services.issue_api_token(user, actor="test", now=T0, **options)


def test_a_password_change_revokes_every_token_of_the_user(app, world, moment):
    anna = logged_in(app, "anna@example.nl")
    new = "een nieuw lang wachtwoord"
    changed = anna.post(
        "/account", data={"pw-current": PASSWORD, "pw-password": new, "pw-confirm": new}
    )
    assert changed.status_code == 302
    client = app.test_client()
    assert client.get(INCIDENTS, headers=bearer(world["anna-bi"])).status_code == 401
    assert client.get(INCIDENTS, headers=bearer(world["anna-nightly"])).status_code == 401
    assert client.get(INCIDENTS, headers=bearer(world["bram"])).status_code == 200


def test_deactivating_a_user_revokes_their_tokens(app, world, moment):
    with app.app_context():
        anna = services.user_by_email("anna@example.nl")
        services.update_user(anna, {"is_active": False}, actor="test", now=T0)
        services.update_user(anna, {"is_active": True}, actor="test", now=T0)
        db.session.commit()
    client = app.test_client()
    assert client.get(INCIDENTS, headers=bearer(world["anna-bi"])).status_code == 401


def test_the_account_page_shows_until_when_and_what_a_token_may_do(app, moment):
    with app.app_context():
        make = Factory(app)
        make.organisation()
        user = make.user("officer", email="lezer@example.nl")
        services.issue_api_token(user, actor="test", now=T0, label="rapport", scope="read", days=7)
        db.session.commit()
    page = text(logged_in(app, "lezer@example.nl").get("/account"))
    row = page[page.index("rapport") :].split("</tr>")[0]
    assert "17 Mar 2026" in row and "read only" in row


def test_the_command_line_makes_a_read_token_for_some_days(app, world, moment):
    made = app.test_cli_runner().invoke(
        args=["api-token", "bram@example.nl", "--scope", "read", "--days", "7", "--label", "r"]
    )
    assert made.exit_code == 0, made.output
    assert "read, until 2026-03-17 09:00 UTC" in made.stderr
    token = token_row(app, "r")
    assert token.scope == "read" and token.expires_at == T0 + timedelta(days=7)
    listed = app.test_cli_runner().invoke(args=["api-token", "bram@example.nl", "--list"])
    assert "2026-03-17 09:00  read" in listed.stdout
