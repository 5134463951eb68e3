"""A database that takes no writes (read-only, or a full disk): reading and logging in go on,
only acts get a clear 503, and the log says so once a minute, not once per request."""

from __future__ import annotations

import logging

import pytest

from breachlog import bookkeeping

from .test_faults import REPORT, STORAGE_MESSAGE, login, on_every_connection, people

READ_ONLY = {
    "sqlite": "PRAGMA query_only = ON",  # what a read-only file or folder does
    "postgresql": "SET default_transaction_read_only = on",  # what a standby does
}


@pytest.fixture(autouse=True)
def nothing_said_yet(monkeypatch):
    monkeypatch.setattr(bookkeeping, "_said", {})


def test_on_a_read_only_database_reads_and_logins_work_and_writes_get_503(
    app, client, backend, caplog
):
    who = people(app)  # its API token was never used: its first use wants a write
    writable_again = on_every_connection(app, READ_ONLY[backend])
    try:
        with caplog.at_level(logging.ERROR):
            login(client, who["reporter"])  # a failed-login counter is cleared: best effort
            for url in ("/mine", "/report", "/account"):
                assert client.get(url).status_code == 200, url
            api = app.test_client()
            for _ in range(3):
                listed = api.get("/api/v1/incidents", headers=who["bearer"])
                assert listed.status_code == 200, listed.get_data(as_text=True)
            for _ in range(10):
                refused = client.post("/report", data=REPORT)
                assert refused.status_code == 503
            created = api.post("/api/v1/incidents", json={"title": "x"}, headers=who["bearer"])
            assert created.status_code == 503 and STORAGE_MESSAGE in created.get_json()["error"]
        said = [r for r in caplog.records if "the database takes no writes" in r.getMessage()]
        assert len(said) == 1, [r.getMessage() for r in caplog.records]
        assert "Traceback" not in caplog.text
    finally:
        writable_again()


def test_a_wrong_password_on_a_read_only_database_is_still_just_refused(app, client, backend):
    who = people(app)
    writable_again = on_every_connection(app, READ_ONLY[backend])
    try:
        wrong = client.post("/login", data={"email": who["reporter"], "password": "wrong"})
        assert wrong.status_code == 200
        assert "Onjuist e-mailadres of wachtwoord." in wrong.get_data(as_text=True)
    finally:
        writable_again()


def test_a_storage_fault_is_said_once_a_minute():
    ticks = iter([0.0, 1.0, 59.0, 61.0, 62.0])
    said = [bookkeeping.once_a_minute("disk full", lambda: next(ticks)) for _ in range(5)]
    assert said == [True, False, False, True, False]
