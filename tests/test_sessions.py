"""Login sessions end on the server: a saved cookie opens nothing after a logout, a password
change or a deactivation; a session ends 12 hours after its login however busy; the account
page lists one's sessions and logs out everywhere else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from breachlog import clock
from breachlog.auth.models import User
from breachlog.auth.sessions import UserSession
from breachlog.extensions import db

from .factories import PASSWORD, Factory

COOKIE = "breachlog_session"
T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


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
def people(app: Flask) -> dict[str, str]:
    with app.app_context():
        make = Factory(app)
        make.organisation()
        return {
            "officer": make.user("officer", email="fg@example.nl").email,
            "admin": make.user("admin", email="beheer@example.nl").email,
        }


def browser(app: Flask, agent: str = "Firefox/128.0") -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    return client


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


def cookie(client: FlaskClient) -> str:
    found = client.get_cookie(COOKIE)
    assert found is not None
    return found.value


def opens_register(client: FlaskClient) -> bool:
    return client.get("/register").status_code == 200


def test_a_cookie_saved_before_logout_opens_nothing_afterwards(app, people, moment):
    client = browser(app)
    log_in(client, people["officer"])
    saved = cookie(client)
    assert opens_register(client)
    client.post("/logout")
    client.set_cookie(COOKIE, saved)  # the attacker's copy, replayed
    response = client.get("/register")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_password_change_ends_every_other_session_on_the_server(app, people, moment):
    here, elsewhere = browser(app), browser(app, "Safari/17")
    log_in(here, people["officer"])
    log_in(elsewhere, people["officer"])
    saved = cookie(here)
    new = "een nieuw lang wachtwoord"
    response = here.post(
        "/account",
        data={"pw-current": PASSWORD, "pw-password": new, "pw-confirm": new},
    )
    assert response.status_code == 302
    assert opens_register(here)  # this browser stays logged in, with a new session
    assert not opens_register(elsewhere)
    replay = browser(app)
    replay.set_cookie(COOKIE, saved)  # the cookie this browser had before the change
    assert not opens_register(replay)


def test_deactivation_ends_the_users_sessions_on_the_server(app, people, moment):
    officer, admin = browser(app), browser(app)
    log_in(officer, people["officer"])
    log_in(admin, people["admin"])
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == people["officer"])).one()
        form = {"name": "", "language": "en"}  # "is_active" left out: deactivated
        user_id = user.id
    assert admin.post(f"/admin/users/{user_id}", data=form).status_code == 302
    with app.app_context():
        ended = db.session.scalars(
            sa.select(UserSession.ended_at).where(UserSession.user_id == user_id)
        ).all()
    assert ended and all(at is not None for at in ended)
    assert not opens_register(officer)


def test_a_session_ends_twelve_hours_after_login_however_busy(app, people, moment):
    client = browser(app)
    log_in(client, people["officer"])
    for _ in range(5):  # a page every two hours: never idle
        moment.now += timedelta(hours=2)
        assert opens_register(client)
    moment.now += timedelta(hours=2)  # twelve hours since the login
    assert not opens_register(client)


def test_the_absolute_lifetime_is_configurable(app, people, moment):
    app.config["SESSION_ABSOLUTE_LIFETIME"] = timedelta(hours=1)
    client = browser(app)
    log_in(client, people["officer"])
    moment.now += timedelta(minutes=59)
    assert opens_register(client)
    moment.now += timedelta(minutes=1)
    assert not opens_register(client)


def test_a_session_idle_longer_than_the_idle_limit_ends_on_the_server(app, people, moment):
    client = browser(app)
    log_in(client, people["officer"])
    moment.now += app.config["PERMANENT_SESSION_LIFETIME"]
    assert not opens_register(client)


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def test_the_account_page_lists_sessions_and_logs_out_everywhere_else(app, people, moment):
    here, elsewhere = browser(app, "Firefox/128.0"), browser(app, "Safari/17.4")
    log_in(elsewhere, people["officer"])
    moment.now += timedelta(minutes=5)
    log_in(here, people["officer"])
    page = text(here.get("/account"))
    assert "Firefox/128.0" in page and "Safari/17.4" in page
    response = here.post("/account/sessions/end-others")
    assert response.status_code == 302
    assert opens_register(here)
    assert not opens_register(elsewhere)
    page = text(here.get("/account"))
    assert "Firefox/128.0" in page and "Safari/17.4" not in page
