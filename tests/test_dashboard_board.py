"""The dashboard's board (counts and open incidents) is kept per second and per change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

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


@pytest.fixture
def statements(app):
    """The SQL the app sends, from the moment a test clears the list."""
    sent: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", note)
    yield sent
    sa.event.remove(engine, "before_cursor_execute", note)


def dashboard(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def open_incident(make, **facts):
    return make.incident(
        make.first_organisation(), discovered_at=NOW - timedelta(hours=3), **facts
    )


def test_a_second_look_in_the_same_second_reads_no_incident(client, make, auth, now, statements):
    open_incident(make, title="Laptop in de trein")
    auth.login(make.user("officer").email)
    first = dashboard(client)
    statements.clear()
    again = dashboard(client)
    assert again == first
    assert not [s for s in statements if "FROM incidents" in s]

    now["now"] = NOW + timedelta(seconds=1)
    statements.clear()
    dashboard(client)
    assert [s for s in statements if "FROM incidents" in s]


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
