"""The register's search: any part of a ref, title, summary or cause, fast at any size."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask

from breachlog.catalogue import services as catalogue
from breachlog.extensions import db
from breachlog.incidents.models import Incident
from breachlog.notifications import services as law_services
from breachlog.register.views import filtered, filters_from

from .conftest import NOW
from .factories import PASSWORD, Factory
from .test_api import API, token_for
from .test_incidents_web import edit_form

TOTAL = re.compile(r"(\d+) incidents?</p>")
REF = re.compile(r'class="ref" href="[^"]*">([^<]+)</a>')


def found(client: Any, **params: Any) -> set[str]:
    """The refs the register lists for a search, all on one page."""
    return set(register(client, **params)[1])


def register(client: Any, **params: Any) -> tuple[int, list[str]]:
    """The count above the register and the refs on the page, as an officer sees them."""
    response = client.get("/register", query_string=params)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    total = TOTAL.search(page)
    assert total is not None
    return int(total[1]), REF.findall(page)


def report(make: Factory, title: str, summary: str = "", cause: str = "", **facts: Any) -> str:
    facts.setdefault("now", NOW)
    return make.incident(title=title, summary=summary, cause=cause, **facts).ref


@pytest.fixture
def officer(make: Factory, auth: Any) -> None:
    make.organisation()
    auth.login(make.user("officer").email)


def search_plan(q: str) -> str:
    """How the database runs the register's search; on PostgreSQL with sequential scans
    discouraged, since with a handful of rows reading them all is cheaper than any index."""
    query = filtered(sa.select(Incident.id), filters_from({"q": q}))
    sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql).all()
        else:
            connection.exec_driver_sql("SET enable_seqscan = off")
            rows = connection.exec_driver_sql("EXPLAIN " + sql).all()
    return "\n".join(str(row[-1]) for row in rows)


def uses_the_index(backend: str, q: str = "laptop") -> bool:
    index = "incidents_folded VIRTUAL TABLE" if backend == "sqlite" else "ix_incidents_folded"
    return index in search_plan(q)


def has_the_folded_index(backend: str) -> bool:
    """Whether the schema still holds the folded text or the index over it."""
    inspector = sa.inspect(db.engine)
    if "search_text" in {c["name"] for c in inspector.get_columns("incidents")}:
        return True
    if backend == "sqlite":
        return "incidents_folded" in inspector.get_table_names()
    return "ix_incidents_folded" in {i["name"] for i in inspector.get_indexes("incidents")}


def trigram_installed() -> bool:
    query = sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    return db.session.scalar(query) is not None


def test_a_search_finds_part_of_a_word_in_each_searched_text(make, client, officer):
    laptop = report(make, "Laptop verloren in de trein")
    summary = report(make, "Brief kwijt", summary="Envelop met loonstroken zoekgeraakt")
    cause = report(make, "Mail verkeerd", cause="Autocomplete koos de verkeerde collega")
    other = report(make, "Phishing", summary="Wachtwoord gegeven", cause="Geen training")
    assert found(client, q="apto") == {laptop}
    assert found(client, q="loonstrok") == {summary}
    assert found(client, q="complete") == {cause}
    assert found(client, q=other[-6:]) == {other}
    assert found(client, q="verkeerd") == {cause}
    assert found(client, q="nergens") == set()


def test_a_search_ignores_case_also_of_accented_letters(make, client, officer):
    zurich = report(make, "Koffer gestolen in ZÜRICH", summary="Tijdens de ÉTÉ-campagne")
    report(make, "Laptop verloren")
    assert found(client, q="zürich") == {zurich}
    assert found(client, q="été-camp") == {zurich}
    assert found(client, q="LAPTOP") == found(client, q="laptop") != set()
    assert found(client, q=zurich.lower()) == {zurich}


def test_one_and_two_letter_searches_still_find_what_contains_them(make, client, officer):
    fax = report(make, "Fax naar verkeerd nummer")
    report(make, "Brief kwijt")
    assert found(client, q="X") == {fax}
    assert found(client, q="ax") == {fax}
    assert found(client, q="q") == set()


@pytest.mark.parametrize(
    ("q", "title"),
    [
        ("%", "Zeker 100% van de klanten"),
        ("0% v", "Zeker 100% van de klanten"),
        ("_", "Bestand klant_lijst.xlsx gedeeld"),
        ("t_l", "Bestand klant_lijst.xlsx gedeeld"),
        ("\\", "Map C:\\temp\\export openbaar"),
        ("p\\e", "Map C:\\temp\\export openbaar"),
        ('"', 'Mail "vertrouwelijk" doorgestuurd'),
        ('"vertrouwelijk"', 'Mail "vertrouwelijk" doorgestuurd'),
        ('l "v', 'Mail "vertrouwelijk" doorgestuurd'),
        ("AND", "Diefstal AND inbraak"),
        ("AND inb", "Diefstal AND inbraak"),
        ("*", "Wachtwoord ***** in de notulen"),
        ("d **", "Wachtwoord ***** in de notulen"),
        ("NEAR(", "Lek NEAR(x) in de logica"),
        ("{ref} : lek", "Titel {ref} : lek"),
        ("lek OR koffer", "Een lek OR koffer"),
    ],
)
def test_special_characters_are_searched_for_as_they_are(make, client, officer, q, title):
    wanted = report(make, title)
    report(make, "Koffer met klantdossiers kwijt", summary="Een lek van 100 adressen")
    report(make, "Inbraak in het archief", summary="Diefstal en inbraak")
    report(make, "Brief naar een oud adres", summary="Verkeerde klant-lijst, 10 procent")
    assert found(client, q=q) == {wanted}


@pytest.mark.parametrize("q", ["\x00", "lap\x00top"])
def test_a_search_with_a_nul_character_is_refused_with_a_message(make, client, officer, q):
    report(make, "Laptop verloren")
    response = client.get("/register", query_string={"q": q})
    assert response.status_code == 400
    assert "Text cannot contain NUL characters." in response.get_data(as_text=True)


def test_an_edited_title_and_summary_are_found_by_their_new_text_only(make, client, officer):
    incident = make.incident(title="Laptop verloren", summary="In de trein naar Utrecht")
    ref = incident.ref
    response = client.post(
        f"/incidents/{ref}/edit",
        data=edit_form(incident, title="Telefoon gestolen", summary="Op het station Zwolle"),
    )
    assert response.status_code == 302
    assert found(client, q="telefoon") == found(client, q="zwolle") == {ref}
    assert found(client, q="laptop") == found(client, q="utrecht") == set()


def test_a_search_narrows_the_year_and_status_chosen_and_pages_through_them(
    app, make, client, officer
):
    app.config["PER_PAGE"] = 2
    hours = iter(range(1, 100))

    def lost(title: str, **facts: Any) -> str:
        facts.setdefault("discovered_at", NOW - timedelta(hours=next(hours)))
        return report(make, title, **facts)

    newest, newer, older = (lost(f"Laptop {n} kwijt") for n in range(3))
    assessed = make.incident(now=NOW, title="Laptop 3 kwijt", discovered_at=NOW)
    law_services.assess(assessed, make.user(), NOW, risk="none", risk_rationale="Versleuteld")
    db.session.commit()
    last_year = lost("Laptop van vorig jaar", discovered_at=NOW - timedelta(days=400))
    lost("Telefoon kwijt")
    assert register(client, q="laptop", year=2026, status="open") == (3, [newest, newer])
    assert register(client, q="laptop", year=2026, status="open", page=2) == (3, [older])
    assert register(client, q="laptop", year=2026) == (4, [assessed.ref, newest])
    assert register(client, q="laptop", status="assessed") == (1, [assessed.ref])
    assert register(client, q="laptop", year=2025) == (1, [last_year])
    assert register(client, q="op", year=2025) == (1, [last_year])
    # past the last page, and a search that finds nothing: the count is still right
    assert register(client, q="laptop", year=2026, status="open", page=9) == (3, [])
    assert register(client, q="nergens te vinden") == (0, [])


def test_the_year_filter_offers_each_year_that_has_incidents(make, client, officer):
    years = re.compile(r'<option value="(\d{4})"')
    assert years.findall(client.get("/register").get_data(as_text=True)) == []
    two_years_ago = datetime(NOW.year - 2, 6, 1, 12, tzinfo=UTC)  # none in the year between
    for discovered in (NOW - timedelta(hours=5), NOW - timedelta(hours=9), two_years_ago):
        report(make, "Laptop kwijt", discovered_at=discovered)
    page = client.get("/register").get_data(as_text=True)
    assert years.findall(page) == [str(NOW.year), str(NOW.year - 2)]


def test_the_api_searches_ref_title_and_summary(make, client, officer):
    laptop = report(make, "Laptop in de trein", cause="Geen versleuteling")
    report(make, "Brief kwijt", summary="Geen adres")
    headers = token_for(make, "viewer")

    def refs(q: str) -> set[str]:
        response = client.get(f"{API}/incidents", query_string={"q": q}, headers=headers)
        assert response.status_code == 200
        return {item["ref"] for item in response.get_json()["items"]}

    assert refs("APTO") == refs("pt") == {laptop}
    assert refs("versleutel") == set()  # q of the API is documented without the cause


def test_the_search_reads_its_index(app, backend):
    with app.app_context():
        if backend == "postgresql" and not trigram_installed():
            pytest.skip("pg_trgm is not installed in the test database")
        assert uses_the_index(backend)


def test_the_migrations_give_a_fresh_database_a_search_index_built_from_its_rows(
    empty_app: Flask, backend: str
):
    with empty_app.app_context():
        # rows made with today's models, then the schema taken back to before the index
        # (later migrations add columns those models need) and brought forward again
        flask_migrate.upgrade()
        make = Factory(empty_app)
        catalogue.seed()
        make.organisation()
        before = make.incident(title="Laptop verloren", cause="Niet versleuteld").ref
        db.session.remove()  # reading that ref began a snapshot of the database
        # back to before the search indexes and the folded text, with the incident kept
        flask_migrate.downgrade(revision="0006")
        # the search reads the folded text (0011), so the plan cannot be asked here: the
        # schema shows the folded text and its index gone
        assert not has_the_folded_index(backend)
        db.session.remove()
        flask_migrate.upgrade()
        if backend == "sqlite" or trigram_installed():
            assert uses_the_index(backend)
        after = make.incident(title="Telefoon verloren").ref
        client = logged_in(empty_app, make)
    assert found(client, q="versleuteld") == {before}
    assert found(client, q="verloren") == {before, after}


def test_without_its_index_the_search_gives_the_same_answers(empty_app: Flask, backend: str):
    with empty_app.app_context():
        flask_migrate.upgrade()
        _drop_search_indexes(backend)
        assert not uses_the_index(backend)
        make = Factory(empty_app)
        catalogue.seed()
        make.organisation()
        laptop = make.incident(title="Laptop verloren", summary="100% zeker").ref
        letter = make.incident(title="Brief kwijt", summary="Bij de post").ref
        client = logged_in(empty_app, make)
    assert found(client, q="APTO") == found(client, q="0%") == {laptop}
    assert found(client, q="KWIJT") == {letter}


def _drop_search_indexes(backend: str) -> None:
    """A database whose SQLite has no FTS5 trigram tokenizer, or PostgreSQL no pg_trgm."""
    if backend == "sqlite":
        for table in ("incidents_search", "incidents_folded"):
            for trigger in ("insert", "delete", "update"):
                db.session.execute(sa.text(f"DROP TRIGGER IF EXISTS {table}_{trigger}"))
            db.session.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
    else:
        for index in ("ix_incidents_search", "ix_incidents_folded"):
            db.session.execute(sa.text(f"DROP INDEX IF EXISTS {index}"))
    db.session.commit()


def logged_in(app: Flask, make: Factory) -> Any:
    client = app.test_client()
    email = make.user("officer").email
    db.session.remove()
    client.post("/login", data={"email": email, "password": PASSWORD})
    return client
