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


# Bad input at login, the time a login takes, and the password's length

LONG_EMAIL = "a" * 300 + "@example.nl"


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("fg\x00@example.nl", PASSWORD),
        ("fg@example.nl", "correct\x00horse battery"),
        (LONG_EMAIL, PASSWORD),
    ],
    ids=["nul-in-email", "nul-in-password", "email-of-300-characters"],
)
def test_bad_input_at_login_gets_the_forms_error_not_a_500(client, make, email, password):
    make.user("officer", email="fg@example.nl")
    response = attempt(client, email, password)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<div class="errors" id="' in page


def test_a_known_and_an_unknown_address_cost_the_same_hashing(client, make, monkeypatch):
    """The slow part of a login is the password hash: one for either address."""
    import hashlib

    make.user("officer", email="fg@example.nl")
    attempt(client, "nobody@example.nl", "warm up the dummy hash")
    calls: list[int] = []
    real = hashlib.pbkdf2_hmac

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    attempt(client, "fg@example.nl", "wrong password!", address="192.0.2.20")
    known = len(calls)
    calls.clear()
    attempt(client, "nobody@example.nl", "wrong password!", address="192.0.2.21")
    assert known == len(calls) == 1


def test_passwords_need_twelve_characters(make):
    with pytest.raises(RuleViolation) as refused:
        services.create_user(
            "jan.jansen@example.nl", "officer", "paars fiets", actor="test", now=make.now
        )
    assert "12" in " ".join(refused.value.by_field()["password"])


def test_the_account_form_refuses_a_new_password_of_eleven_characters(client, make, auth):
    user = make.user("officer")
    auth.login(user.email)
    response = client.post(
        "/account",
        data={"pw-current": PASSWORD, "pw-password": "paars fiets", "pw-confirm": "paars fiets"},
    )
    assert response.status_code == 200
    assert "12" in response.get_data(as_text=True)
    auth.logout()
    assert auth.login(user.email).status_code == 302  # the old password still works


def test_create_user_on_the_command_line_refuses_eleven_characters(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "fg@example.nl", "--role", "admin", "--password-stdin"],
        input="paars fiets\n",
    )
    assert result.exit_code == 2
    assert "12" in result.output


def test_the_first_admin_setup_refuses_eleven_characters(app):
    with app.app_context():
        secret = services.create_setup_token(clock.now())
        db.session.commit()
    client = app.test_client()
    response = client.post(
        f"/setup/{secret}",
        data={
            "email": "admin@example.nl",
            "password": "paars fiets",
            "confirm": "paars fiets",
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert "12" in response.get_data(as_text=True)
    with app.app_context():
        assert not services.has_users()


# Throttling that never locks the owner out


def test_failures_from_elsewhere_do_not_hold_back_a_browser_that_logged_in_before(
    app, make, monkeypatch
):
    monkeypatch.setattr(clock, "now", lambda: make.now)
    officer = make.user("officer", email="fg@example.nl")
    own = app.test_client()
    assert attempt(own, officer.email, PASSWORD, address="192.0.2.10").status_code == 302
    own.post("/logout")
    attacker = app.test_client()
    for _ in range(throttle.FREE_ATTEMPTS * 2):
        attempt(attacker, officer.email, "raden raden raden", address="203.0.113.66")
    assert attempt(attacker, officer.email, PASSWORD, address="203.0.113.66").status_code == 429
    fresh = app.test_client()  # a browser that never logged in is held back: guessing stops
    assert attempt(fresh, officer.email, PASSWORD, address="192.0.2.10").status_code == 429
    assert attempt(own, officer.email, PASSWORD, address="192.0.2.10").status_code == 302


def test_a_known_browser_is_still_slowed_by_its_own_failures(app, make, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: make.now)
    officer = make.user("officer", email="fg@example.nl")
    own = app.test_client()
    assert attempt(own, officer.email, PASSWORD).status_code == 302
    own.post("/logout")
    for _ in range(throttle.FREE_ATTEMPTS):
        attempt(own, officer.email, "typefout typefout")
    assert attempt(own, officer.email, PASSWORD).status_code == 429


def test_a_device_cookie_of_another_account_does_not_count(app, make, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: make.now)
    mine = make.user("officer", email="fg@example.nl")
    victim = make.user("officer", email="directie@example.nl")
    browser = app.test_client()
    assert attempt(browser, mine.email, PASSWORD).status_code == 302
    browser.post("/logout")
    for _ in range(throttle.FREE_ATTEMPTS):
        attempt(browser, victim.email, "raden raden raden", address="203.0.113.66")
    assert attempt(browser, victim.email, PASSWORD, address="203.0.113.66").status_code == 429


def test_the_current_password_on_the_account_page_cannot_be_guessed_quickly(
    client, make, auth, monkeypatch
):
    monkeypatch.setattr(clock, "now", lambda: make.now)
    user = make.user("officer")
    auth.login(user.email)
    new = "een heel nieuw wachtwoord"

    def change(current):
        return client.post(
            "/account", data={"pw-current": current, "pw-password": new, "pw-confirm": new}
        )

    for n in range(throttle.FREE_ATTEMPTS):
        assert "not your current password" in change(f"geraden wachtwoord {n}").get_data(
            as_text=True
        )
    blocked = change(PASSWORD)  # even the right one waits now
    assert "Too many failed attempts" in blocked.get_data(as_text=True)
    db.session.expire_all()
    assert services.authenticate(user.email, PASSWORD) is not None  # unchanged
