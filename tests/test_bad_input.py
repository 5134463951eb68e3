"""No input gives a 500: NULs, huge or negative numbers, over-long values and odd encodings in
every path, query parameter and form field of the web pages (the API has its own schema test).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, quote_from_bytes

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachlog.extensions import db

from .factories import PASSWORD, Factory

ADMIN = "beheer@example.nl"


@pytest.fixture
def world(app: Flask, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """An admin, an officer, a reporter and a breach with a measure: every route has something
    real to find, next to the nonsense it is sent."""
    from breachlog.catalogue.models import CatalogueEntry
    from breachlog.incidents import services as incident_services

    with app.app_context():
        make = Factory(app)
        org = make.organisation()
        admin = make.user("admin", email=ADMIN)
        officer = make.user("officer")
        incident = make.incident(org, officer)
        incident_services.add_measure(
            incident, officer, make.now, kind="corrective", description="Wachtwoorden vervangen"
        )
        db.session.commit()
        # a deployed breachlog is at its schema and has a sender ticking: /readyz then
        # answers by the input, not by a test database that init-db never stamped
        from breachlog import clock
        from breachlog.ops import heartbeat
        from breachlog.ops.readiness import expected_revisions

        from .test_readiness import stamp

        stamp(expected_revisions())
        monkeypatch.setattr(clock, "now", lambda: make.now)  # the sender stays "just seen"
        heartbeat.beat(clock.now())
        db.session.commit()
        found = {
            "ref": incident.ref,
            "user": officer.id,
            "admin": admin.id,
            "org": org.id,
            "measure": incident.measures[0].id,
            "entry": db.session.scalars(db.select(CatalogueEntry.id)).first(),
            "year": incident.aware_at.year,
        }
        db.session.remove()
    return found


def login(client: Any) -> None:
    response = client.post("/login", data={"email": ADMIN, "password": PASSWORD})
    assert response.status_code == 302, "the admin can still log in"


def assert_no_server_error(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


# -- what was seen: each of these gave a 500 before


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/register?type=%00", 400),
        ("/register?page=99999999999999999999", 404),
        ("/mine?page=99999999999999999999", 404),
        ("/register?q=%00", 400),
        ("/incidents/DL-2026-0001%00", 404),
    ],
)
def test_nul_and_huge_page_numbers_in_urls_give_a_clear_4xx(app, world, client, url, status):
    login(client)
    response = client.get(url)
    assert response.status_code == status
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_nul_in_a_form_field_is_refused_with_a_message(app, world, client):
    login(client)
    response = client.post(
        "/report", data={"title": "USB\x00-stick kwijt", "discovered_at": "2026-03-09T14:30"}
    )
    assert response.status_code == 400
    assert "Text cannot contain NUL characters." in response.get_data(as_text=True)


def test_a_login_with_an_e_mail_address_of_300_characters_is_just_a_failed_login(app, client):
    response = client.post("/login", data={"email": "a" * 300 + "@example.nl", "password": "x"})
    assert response.status_code == 200
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_value_the_database_cannot_hold_answers_4xx_not_500(app, world, client, monkeypatch):
    """The net under every form: a value too long for its column is the sender's input."""
    import sqlalchemy as sa

    from breachlog.incidents import views

    def too_long(*args: Any, **kwargs: Any) -> Any:
        raise sa.exc.DataError("UPDATE", {}, Exception("value too long for type"))

    monkeypatch.setattr(views, "visible_or_404", too_long)
    login(client)
    response = client.get(f"/incidents/{world['ref']}")
    assert response.status_code == 400
    assert "too long or out of range" in response.get_data(as_text=True)


# -- every route of the URL map, fuzzed

NASTIEST = st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "-1",
        "0",
        "-99999999999999999999",
        "99999999999999999999",
        "9" * 400,
        "1e309",
        "NaN",
        "2026-02-30T25:61",
        "2026-03-29T02:30",
        "DL-2026-0001",
        "x" * 70_000,
    ]
)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
NASTY = st.one_of(  # the known troublemakers more likely than the rest
    NASTIEST,
    NASTIEST,
    TEXT.map(lambda text: text + "\x00"),
    TEXT,
    st.integers().map(str),
)
RAW = st.binary(max_size=20).map(lambda raw: quote_from_bytes(raw, safe=""))
SKIP = {"static"}


def form_names(client: Any, world: dict[str, Any], rules: list[Any]) -> dict[str, list[str]]:
    """The field names each page's forms offer, read from the pages themselves; "" holds
    them all, for routes that only take a POST."""
    names: dict[str, list[str]] = {"": []}
    for rule in rules:
        if "GET" in rule.methods and rule.endpoint not in SKIP:
            page = client.get(path_of(rule.rule, world, {})).get_data()
            found = set(re.findall(r'name="([\w-]+)"', page.decode("utf-8", "replace")))
            names[rule.rule] = sorted(found - {"csrf_token"})
            names[""] = sorted(set(names[""]) | set(names[rule.rule]))
    return names


def path_of(rule: str, world: dict[str, Any], drawn: dict[str, str]) -> str:
    real = {
        "ref": world["ref"],
        "user_id": str(world["user"]),
        "org_id": str(world["org"]),
        "measure_id": str(world["measure"]),
        "entry_id": str(world["entry"]),
        "year": str(world["year"]),
        "action": "done",
        "code": "en",
        "token": "nothing",
        "filename": "style.css",
    }

    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        return drawn.get(name) or quote(real.get(name, "x"), safe="")

    return re.sub(r"<([^>]+)>", value, rule)


def web_routes() -> list[tuple[str, str]]:
    """(method, rule) of every page and form in the URL map, read from a bare app."""
    import tempfile

    from breachlog import create_app

    with tempfile.TemporaryDirectory() as folder:
        bare = create_app(
            {"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": folder, "SCHEDULER": "off"}
        )
        return sorted(
            (method, rule.rule)
            for rule in bare.url_map.iter_rules()
            if not rule.rule.startswith("/api/") and rule.endpoint not in SKIP
            for method in rule.methods - {"HEAD", "OPTIONS"}
        )


def test_no_web_route_answers_5xx_to_any_input(app, world):
    """For every page and form in the URL map, Hypothesis draws values for the route's path
    and for its page's fields (as query and as form), as the admin (who may reach every
    page); any 5xx fails with the request that caused it. A few examples per route keep it
    to seconds; Hypothesis' database replays a failure first next time."""
    client = app.test_client()
    login(client)
    rules = [r for r in app.url_map.iter_rules() if not r.rule.startswith("/api/")]
    names = form_names(client, world, rules)
    for method, rule in web_routes():
        login(client)  # a drawn POST /logout, or a change of language, is undone here
        checker(client, world, method, rule, names.get(rule) or names[""])()


EXAMPLES_PER_ROUTE = 3


def checker(client: Any, world: dict[str, Any], method: str, rule: str, own: list[str]) -> Any:
    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data: Any) -> None:
        one_request(client, world, method, rule, own, data)

    return check


def one_request(
    client: Any, world: dict[str, Any], method: str, rule: str, own: list[str], data: Any
) -> None:
    drawn = {
        name.split(":")[-1]: data.draw(st.one_of(NASTY.map(lambda v: quote(v, safe="")), RAW))
        for name in re.findall(r"<([^>]+)>", rule)
        if data.draw(st.booleans())
    }
    path = path_of(rule, world, drawn)
    fields = {
        name: data.draw(NASTY, name)
        for name in [*own, "page", "per_page", "q"]
        if data.draw(st.booleans())
    }
    if method == "POST":
        response = client.post(path, data=fields)
    else:
        query = "&".join(f"{quote(k)}={quote(v)}" for k, v in fields.items())
        query += "&raw=" + data.draw(RAW, "raw")
        response = client.get(path, query_string=query)
    assert_no_server_error(response, f"{method} {path} {fields!r}"[:2000])
