"""Resetting how someone else logs in: the acting admin confirms with their own password or
code, wrong confirmations are throttled like a login, and the user is told by e-mail."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pyotp
import pytest
from flask import Flask

from breachlog import clock
from breachlog.auth import services, throttle, two_factor
from breachlog.auth.models import User
from breachlog.extensions import db

from .conftest import Auth
from .factories import PASSWORD, Factory

NEW = "een nieuw en lang wachtwoord"
STEP = timedelta(seconds=30)


def text(response: Any) -> str:
    return response.get_data(as_text=True)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def moment(make: Factory, monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock(make.now.replace(second=5))
    monkeypatch.setattr(clock, "now", fake)
    return fake


@pytest.fixture
def people(mail_app: Flask, make: Factory, moment: Clock) -> dict[str, User]:
    make.organisation()
    return {
        "admin": make.user("admin", email="beheer@blauw.example"),
        "officer": make.user("officer", email="fg@groen.example", language="nl"),
    }


def set_password(client, user: User, **proof: str):
    data = {"pw-password": NEW, "pw-confirm": NEW}
    data.update({f"pw-{k}": v for k, v in proof.items()})
    return client.post(f"/admin/users/{user.id}/password", data=data)


def password_is(user: User, password: str) -> bool:
    db.session.expire_all()
    return services.authenticate(user.email, password) is not None


def test_a_password_reset_without_the_admins_own_password_is_refused(client, auth, people):
    Auth(client).login(people["admin"].email)
    response = set_password(client, people["officer"])
    assert response.status_code == 200
    assert "Give a code from your app, or your password." in text(response)
    assert password_is(people["officer"], PASSWORD)
    wrong = set_password(client, people["officer"], your_password="niet mijn wachtwoord")
    assert "This is not your current password." in text(wrong)
    assert password_is(people["officer"], PASSWORD)


def test_a_confirmed_password_reset_tells_the_user_by_email(client, people, mailbox):
    Auth(client).login(people["admin"].email)
    response = set_password(client, people["officer"], your_password=PASSWORD)
    assert response.status_code == 302
    assert password_is(people["officer"], NEW)
    (mail,) = mailbox.to(people["officer"].email)
    assert "wachtwoord" in str(mail["Subject"])  # in the user's own language, Dutch
    body = mail.get_content()
    assert people["admin"].email in body
    assert "http://breachlog.test/account" in body


def test_wrong_confirmations_are_throttled_like_a_login(client, people, mailbox):
    Auth(client).login(people["admin"].email)
    for n in range(throttle.FREE_ATTEMPTS):
        set_password(client, people["officer"], your_password=f"gok nummer {n}")
    blocked = set_password(client, people["officer"], your_password=PASSWORD)
    assert "Too many failed attempts" in text(blocked)
    assert password_is(people["officer"], PASSWORD)
    assert mailbox.to(people["officer"].email) == []


def test_a_two_factor_reset_needs_the_admins_own_code_and_tells_the_user(
    client, people, mailbox, moment
):
    officer, admin = people["officer"], people["admin"]
    for user in (officer, admin):
        two_factor.start(user, now=moment.now)
        two_factor.confirm(user, pyotp.TOTP(user.totp_secret).at(moment.now), now=moment.now)
    db.session.commit()
    admin_app = pyotp.TOTP(admin.totp_secret)
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    moment.now += STEP
    assert client.post("/login/code", data={"code": admin_app.at(moment.now)}).status_code == 302
    url = f"/admin/users/{officer.id}/two-factor/reset"
    assert client.post(url).status_code == 200  # no confirmation: nothing happens
    db.session.expire_all()
    assert db.session.get(User, officer.id).has_two_factor
    moment.now += STEP
    assert client.post(url, data={"tf-your_code": admin_app.at(moment.now)}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, officer.id).has_two_factor
    (mail,) = mailbox.to(officer.email)
    assert "twee stappen" in str(mail["Subject"])


def test_a_mail_server_that_is_away_does_not_undo_the_reset(client, people, mailbox, app):
    app.config["SMTP_PORT"] = 9  # nothing listens there
    Auth(client).login(people["admin"].email)
    response = set_password(client, people["officer"], your_password=PASSWORD)
    assert response.status_code == 302
    assert password_is(people["officer"], NEW)
    page = text(client.get(response.headers["Location"]))
    assert "could not be told by e-mail" in page


def test_nobody_else_is_mailed(client, people, mailbox):
    Auth(client).login(people["admin"].email)
    set_password(client, people["officer"], your_password=PASSWORD)
    assert mailbox.envelopes == [[people["officer"].email]]
