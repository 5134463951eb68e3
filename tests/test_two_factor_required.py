"""Two-factor login made compulsory by an organisation for its officers and admins: who has
not set it up is sent to do so before anything else, over the web and the API, and cannot
turn it off again; reporters and viewers are not asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
import sqlalchemy as sa
from flask import Flask

from breachlog import clock
from breachlog.auth import services
from breachlog.auth.models import User
from breachlog.extensions import db
from breachlog.orgs import services as org_services

from .factories import PASSWORD, Factory

T0 = datetime(2026, 3, 10, 9, 0, 5, tzinfo=UTC)


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
def people(app: Flask, moment: Clock) -> dict[str, str]:
    with app.app_context():
        make = Factory(app)
        org = make.organisation()
        org_services.update_organisation(org, {"two_factor_required": True}, actor="test", now=T0)
        db.session.commit()
        return {
            "officer": make.user("officer", email="fg@example.nl", organisation=org).email,
            "reporter": make.user("reporter", email="m@example.nl", organisation=org).email,
        }


def browser(app: Flask, email: str) -> Any:
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = "en"
    answer = client.post("/login", data={"email": email, "password": PASSWORD})
    assert answer.status_code == 302
    return client


def test_an_officer_without_it_is_sent_to_set_it_up_before_anything_else(app, people, moment):
    client = browser(app, people["officer"])
    for path in ("/", "/register", "/report"):
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer.headers["Location"].endswith("/account#two-factor"), path
    page = client.get("/account", follow_redirects=True).get_data(as_text=True)
    assert "Your organisation requires two-factor login: set it up first." in page
    assert client.post("/account/two-factor/start").status_code == 302
    with app.app_context():
        secret = db.session.scalars(
            sa.select(User.totp_secret).where(User.email == people["officer"])
        ).one()
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).at(T0)})
    assert done.status_code == 200
    assert client.get("/register").status_code == 200


def test_a_reporter_of_that_organisation_is_not_asked(app, people, moment):
    client = browser(app, people["reporter"])
    assert client.get("/report").status_code == 200


def test_the_api_refuses_a_token_of_an_officer_who_owes_it(app, people, moment):
    with app.app_context():
        officer = services.user_by_email(people["officer"])
        secret = services.issue_api_token(officer, actor="test", now=T0)
        db.session.commit()
    answer = app.test_client().get(
        "/api/v1/incidents", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status_code == 403
    assert "two-factor" in answer.get_json()["error"]


def test_it_cannot_be_turned_off_where_it_is_required(app, people, moment):
    client = browser(app, people["officer"])
    client.post("/account/two-factor/start")
    with app.app_context():
        secret = db.session.scalars(
            sa.select(User.totp_secret).where(User.email == people["officer"])
        ).one()
    client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).at(T0)})
    moment.now = T0 + timedelta(seconds=30)
    page = client.get("/account").get_data(as_text=True)
    assert "Turn off two-factor login" not in page
    answer = client.post("/account/two-factor/disable", data={"off-password": PASSWORD})
    assert answer.status_code == 302
    with app.app_context():
        assert services.user_by_email(people["officer"]).has_two_factor


def test_the_organisation_form_sets_it(app, client, make, auth):
    admin = make.user("admin", email="beheer@example.nl")
    org = make.organisation()
    auth.login(admin.email)
    form = {
        "name": org.name,
        "kvk_number": org.kvk_number,
        "ref_prefix": org.ref_prefix,
        "fg_name": org.fg_name,
        "fg_email": org.fg_email,
        "escalation_emails": org.escalation_emails,
        "timezone": org.timezone,
        "is_active": "y",
        "two_factor_required": "y",
    }
    assert client.post(f"/admin/organisations/{org.id}", data=form).status_code == 302
    db.session.expire_all()
    assert org.two_factor_required
