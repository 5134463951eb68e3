"""Login throttling per account and address, and passwords that are not too easy."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from breachlog import clock
from breachlog.auth import services, throttle
from breachlog.domain.errors import RuleViolation
from breachlog.extensions import db

from .factories import PASSWORD


def attempt(client, email, password, address="192.0.2.10"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_five_failures_then_a_growing_delay(client, make, monkeypatch):
    user = make.user("officer")
    now = make.now
    monkeypatch.setattr(clock, "now", lambda: now)
    for _ in range(throttle.FREE_ATTEMPTS):
        assert attempt(client, user.email, "wrong password!").status_code == 200
    blocked = attempt(client, user.email, PASSWORD)
    assert blocked.status_code == 429  # even the right password waits
    assert "Te veel mislukte pogingen" in blocked.get_data(as_text=True)  # anonymous: Dutch
    # after the delay one more failure doubles it
    now = now + throttle.FIRST_DELAY + timedelta(seconds=1)
    assert attempt(client, user.email, "wrong again!!").status_code == 200
    row = db.session.get(throttle.LoginFailure, f"account:{user.email}")
    db.session.refresh(row)
    assert row.blocked_until - now == throttle.FIRST_DELAY * 2
    now = now + throttle.FIRST_DELAY * 2 + timedelta(seconds=1)
    assert attempt(client, user.email, PASSWORD).status_code == 302
    db.session.rollback()
    assert db.session.get(throttle.LoginFailure, f"account:{user.email}") is None


def test_one_address_trying_many_accounts_is_slowed_too(client, make, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: make.now)
    victim = make.user("officer")
    for n in range(throttle.FREE_ATTEMPTS):
        attempt(client, f"guess{n}@example.nl", "wrong password!")
    assert attempt(client, victim.email, PASSWORD).status_code == 429
    assert attempt(client, victim.email, PASSWORD, address="198.51.100.7").status_code == 302


def test_failures_are_counted_in_the_database(make):
    for _ in range(7):
        throttle.record_failure("a@example.nl", "192.0.2.1", make.now)
    db.session.commit()
    rows = {r.key: r.failures for r in db.session.scalars(sa.select(throttle.LoginFailure))}
    assert rows == {"account:a@example.nl": 7, "address:192.0.2.1": 7}
    assert throttle.blocked_for("a@example.nl", None, make.now) == throttle.FIRST_DELAY * 4


@pytest.mark.parametrize(
    "password", ["wachtwoord123", "Welkom2026", "aaaaaaaaaaaa", "1234567890", "jan.jansen2026"]
)
def test_common_or_guessable_passwords_are_refused(make, password):
    with pytest.raises(RuleViolation) as refused:
        services.create_user(
            "jan.jansen@example.nl", "officer", password, actor="test", now=make.now
        )
    assert "password" in refused.value.by_field()


def test_a_long_uncommon_password_is_fine(make):
    services.create_user(
        "jan.jansen@example.nl", "officer", "paarse fiets op het dak", actor="test", now=make.now
    )
