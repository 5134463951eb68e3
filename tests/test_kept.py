"""Answers kept for their second: the dashboard's board, a register page, an API list page.

Each must show an audited change at once, move with the clock, and never hand one caller,
language or query what was made for another."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from breachlog import clock
from breachlog.auth import services as auth_services
from breachlog.extensions import db
from breachlog.incidents import services as incident_services
from breachlog.orgs import services as org_services

from .conftest import Auth
from .factories import Factory

NOW = datetime(2026, 3, 10, 9, 15, 30, 250_000, tzinfo=UTC)


@pytest.fixture
def now(monkeypatch):
    moment = {"now": NOW}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


def dashboard(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def open_incident(make, **facts):
    return make.incident(
        make.first_organisation(), discovered_at=NOW - timedelta(hours=3), **facts
    )


def test_a_second_look_in_the_same_second_reads_no_incident(client, make, auth, now, sql_sent):
    open_incident(make, title="Laptop in de trein")
    auth.login(make.user("officer").email)
    first = dashboard(client)
    sql_sent.clear()
    again = dashboard(client)
    assert again == first
    assert not [s for s in sql_sent if "FROM incidents" in s]

    now["now"] = NOW + timedelta(seconds=1)
    sql_sent.clear()
    dashboard(client)
    assert [s for s in sql_sent if "FROM incidents" in s]


def test_an_edit_shows_at_once_within_the_same_second(app, client, make, auth, now):
    org = make.first_organisation()
    incident = open_incident(make, title="Laptop in de trein")
    officer = make.user("officer", name="Anna de Vries")
    auth.login(officer.email)
    assert "Laptop in de trein" in dashboard(client)

    incident_services.update_incident(
        incident, {"title": "USB-stick kwijt", "assignee_id": officer.id}, officer, NOW
    )
    db.session.commit()
    page = dashboard(client)
    assert "USB-stick kwijt" in page and "Laptop in de trein" not in page
    assert "Anna de Vries" in page

    auth_services.update_user(officer, {"name": "Anna Jansen"}, actor=officer, now=NOW)
    db.session.commit()
    page = dashboard(client)
    assert "Anna Jansen" in page and "Anna de Vries" not in page

    # the deadline is shown in the organisation's zone, named
    assert "CET" in page
    org_services.update_organisation(org, {"timezone": "UTC"}, actor=officer, now=NOW)
    db.session.commit()
    page = dashboard(client)
    assert "CET" not in page and "UTC" in page


def test_the_countdown_moves_with_the_clock(client, make, auth, now):
    open_incident(make)
    auth.login(make.user("officer").email)
    # aware three hours ago: 69 hours left, 2 d 21 h
    assert "2 d 21 h 0 min" in dashboard(client)
    now["now"] = NOW + timedelta(minutes=1)
    assert "2 d 20 h 59 min" in dashboard(client)
    now["now"] = NOW + timedelta(hours=70)
    page = dashboard(client)
    assert "2 d 20 h 59 min" not in page
    assert 'data-count="overdue">1<' in page


def test_each_language_gets_its_own_board(app, auth, now):
    # made in an app context of its own: make's would share its g (and the locale Flask-Babel
    # keeps there) with every request
    with app.app_context():
        make = Factory(app)
        open_incident(make)
        dutch = make.user("officer", language="nl").email
        english = make.user("officer", language="en").email
    browsers = {email: app.test_client() for email in (dutch, english)}
    for email, browser in browsers.items():
        Auth(browser).login(email)
    assert "nog 2 d 21 u 0 min" in dashboard(browsers[dutch])
    page = dashboard(browsers[english])
    assert "2 d 21 h 0 min left" in page and "nog 2 d" not in page
    assert "nog 2 d 21 u 0 min" in dashboard(browsers[dutch])


def bearer(user) -> dict[str, str]:
    secret = auth_services.issue_api_token(user, actor="test", now=NOW)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def listed(client, headers, query: str = "") -> list[str]:
    response = client.get("/api/v1/incidents" + query, headers=headers)
    assert response.status_code == 200
    return [item["title"] for item in response.get_json()["items"]]


def test_an_api_page_is_kept_for_its_caller_only(app, client, make, now):
    org = make.first_organisation()
    anna, bram = make.user("reporter"), make.user("reporter")
    make.incident(org, reporter=anna, title="Anna's laptop")
    make.incident(org, reporter=bram, title="Bram's USB-stick")
    officer, as_anna = bearer(make.user("officer")), bearer(anna)
    assert sorted(listed(client, officer)) == ["Anna's laptop", "Bram's USB-stick"]
    # the same URL in the same second, for a reporter: only her own report
    assert listed(client, as_anna) == ["Anna's laptop"]
    assert listed(client, officer, "?q=usb") == ["Bram's USB-stick"]


def test_an_api_page_shows_an_edit_at_once(app, client, make, now, sql_sent):
    incident = open_incident(make, title="Laptop in de trein")
    officer = make.user("officer")
    headers = bearer(officer)
    assert listed(client, headers) == ["Laptop in de trein"]
    sql_sent.clear()
    assert listed(client, headers) == ["Laptop in de trein"]
    assert not [s for s in sql_sent if "FROM incidents" in s]

    incident_services.update_incident(incident, {"title": "USB-stick kwijt"}, officer, NOW)
    db.session.commit()
    assert listed(client, headers) == ["USB-stick kwijt"]


def register_page(client, query: str = "") -> str:
    response = client.get("/register" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_register_page_is_kept_per_query_and_shows_an_edit_at_once(
    client, make, auth, now, sql_sent
):
    incident = open_incident(make, title="Laptop in de trein")
    open_incident(make, title="Telefoon kwijt")
    officer = make.user("officer")
    auth.login(officer.email)
    first = register_page(client)
    assert "Laptop in de trein" in first and "Telefoon kwijt" in first
    sql_sent.clear()
    assert register_page(client) == first
    assert not [s for s in sql_sent if "FROM incidents" in s]

    searched = register_page(client, "?q=telefoon")
    assert "Telefoon kwijt" in searched and "Laptop in de trein" not in searched

    incident_services.update_incident(incident, {"title": "USB-stick kwijt"}, officer, NOW)
    db.session.commit()
    page = register_page(client)
    assert "USB-stick kwijt" in page and "Laptop in de trein" not in page
