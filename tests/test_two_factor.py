"""Two-factor login: turning it on with a first code, the login's second step, recovery codes,
replays refused, the throttle counting wrong codes, turning it off, and the admin's reset.

Requests run without the `make` fixture's app context, so each gets its own, as in production.
The clock is ours: codes are made with pyotp for the moment the app believes it is.
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from breachlog import clock
from breachlog.audit.models import AuditEvent
from breachlog.auth import throttle, two_factor
from breachlog.auth.models import RecoveryCode, User
from breachlog.extensions import db

from .factories import PASSWORD, Factory

# five seconds into a 30-second step, so "one step on" is unambiguous
T0 = datetime(2026, 3, 10, 9, 0, 5, tzinfo=UTC)
STEP = timedelta(seconds=30)
CODE_LIST = re.compile(r"<li>([2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4})</li>")


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by


@pytest.fixture
def moment(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(clock, "now", fake)
    return fake


def browser(app: Flask) -> FlaskClient:
    """A browser that asked for English: the login steps are read before anyone logs in."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return browser(app)


@pytest.fixture
def people(app: Flask) -> dict[str, str]:
    with app.app_context():
        make = Factory(app)
        make.organisation()
        return {
            "officer": make.user("officer", email="fg@example.nl").email,
            "admin": make.user("admin", email="beheer@example.nl").email,
            "reporter": make.user("reporter", email="melder@example.nl").email,
        }


def text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def user(app: Flask, email: str) -> User:
    """The stored user, read fresh and detached: for looking, not for changing."""
    with app.app_context():
        found = db.session.scalars(sa.select(User).where(User.email == email)).one()
        db.session.expunge(found)
        return found


def actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def password_step(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    return client.post("/login", data={"email": email, "password": password})


def turn_on(app: Flask, client: FlaskClient, moment: Clock, email: str) -> tuple[str, list[str]]:
    """Log in, set up, confirm: the secret and the recovery codes as shown once."""
    assert password_step(client, email).status_code == 302
    assert client.post("/account/two-factor/start").status_code == 302
    secret = user(app, email).totp_secret
    assert secret
    page = client.post("/account/two-factor", data={"code": code_at(secret, moment.now)})
    assert page.status_code == 200
    codes = CODE_LIST.findall(page.get_data(as_text=True))
    client.post("/logout")
    moment.advance(STEP)  # the confirming code is spent
    return secret, codes


# Turning it on


def test_setup_shows_key_link_and_qr_code_and_is_on_only_after_a_right_code(
    app, client, people, moment
):
    email = people["officer"]
    password_step(client, email)
    client.post("/account/two-factor/start")
    secret = user(app, email).totp_secret
    page = client.get("/account/two-factor")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in body
    uri = text(page)
    assert f"otpauth://totp/breachlog:fg%40example.nl?secret={secret}&issuer=breachlog" in uri
    assert "<svg" in body and "<path" in body
    # the CSP allows neither inline: scripts only from files
    assert all(" src=" in tag for tag in re.findall(r"<script[^>]*>", body))
    assert 'style="' not in body

    wrong = client.post("/account/two-factor", data={"code": "000000"})
    assert wrong.status_code == 200
    assert "This code is not right." in text(wrong)
    assert not user(app, email).has_two_factor

    done = client.post("/account/two-factor", data={"code": code_at(secret, moment.now)})
    codes = CODE_LIST.findall(done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "They are shown only now." in text(done)
    assert user(app, email).has_two_factor
    assert "user.two_factor_enabled" in actions(app)
    # shown once: the account page no longer has them, the database only their hashes
    account = client.get("/account").get_data(as_text=True)
    assert not any(code in account for code in codes)
    assert "10 recovery codes left." in account
    with app.app_context():
        stored = set(db.session.scalars(sa.select(RecoveryCode.code_hash)))
    assert len(stored) == 10 and not stored & set(codes)


def test_the_confirming_code_cannot_be_used_again_to_log_in(app, client, people, moment):
    email = people["officer"]
    password_step(client, email)
    client.post("/account/two-factor/start")
    secret = user(app, email).totp_secret
    confirming = code_at(secret, moment.now)
    client.post("/account/two-factor", data={"code": confirming})
    client.post("/logout")
    password_step(client, email)
    again = client.post("/login/code", data={"code": confirming})
    assert "This code was used already." in text(again)


def test_turning_it_on_ends_the_other_sessions(app, people, moment):
    email = people["officer"]
    laptop, phone = browser(app), browser(app)
    password_step(phone, email)
    assert phone.get("/account").status_code == 200
    password_step(laptop, email)
    laptop.post("/account/two-factor/start")
    secret = user(app, email).totp_secret
    laptop.post("/account/two-factor", data={"code": code_at(secret, moment.now)})
    assert laptop.get("/account").status_code == 200  # this session stays
    assert phone.get("/account").status_code == 302  # started without the second factor


@pytest.mark.parametrize("role", ["reporter", "admin"])
def test_any_role_may_turn_it_on(app, client, people, moment, role):
    secret, codes = turn_on(app, client, moment, people[role])
    assert user(app, people[role]).has_two_factor and len(codes) == 10


# The login's second step


def test_password_alone_does_not_log_in_a_user_with_two_factor(app, client, people, moment):
    secret, _ = turn_on(app, client, moment, people["officer"])
    first = password_step(client, people["officer"])
    assert first.status_code == 302 and first.headers["Location"].endswith("/login/code")
    assert client.get("/account").status_code == 302  # not logged in yet
    assert "Two-factor login" in text(client.get("/login/code"))
    done = client.post("/login/code", data={"code": code_at(secret, moment.now)})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get("/account").status_code == 200


def test_the_second_step_keeps_where_the_user_was_going(app, client, people, moment):
    secret, _ = turn_on(app, client, moment, people["officer"])
    client.post("/login?next=/register", data={"email": people["officer"], "password": PASSWORD})
    done = client.post("/login/code", data={"code": code_at(secret, moment.now)})
    assert done.headers["Location"] == "/register"


def test_wrong_password_never_reaches_the_second_step(app, client, people, moment):
    turn_on(app, client, moment, people["officer"])
    wrong = password_step(client, people["officer"], "not the password")
    assert wrong.status_code == 200
    assert client.get("/login/code").headers["Location"].endswith("/login")


def test_a_code_one_step_early_or_late_works_two_steps_do_not(app, client, people, moment):
    secret, _ = turn_on(app, client, moment, people["officer"])
    for offset, accepted in ((-2, False), (2, False), (-1, True), (1, True)):
        client.post("/logout")
        moment.advance(STEP * 4)  # a fresh step each round, past every code used before
        password_step(client, people["officer"])
        answer = client.post(
            "/login/code", data={"code": code_at(secret, moment.now + offset * STEP)}
        )
        assert (answer.status_code == 302) is accepted, offset


def test_a_code_cannot_be_replayed_within_its_window(app, client, people, moment):
    secret, _ = turn_on(app, client, moment, people["officer"])
    code = code_at(secret, moment.now)
    password_step(client, people["officer"])
    assert client.post("/login/code", data={"code": code}).status_code == 302
    client.post("/logout")
    moment.advance(timedelta(seconds=20))  # the same code is still within the ±1 step window
    password_step(client, people["officer"])
    replay = client.post("/login/code", data={"code": code})
    assert replay.status_code == 200
    assert "This code was used already. Wait for the next one." in text(replay)
    # an older code, though within the window, does not work after a newer one either
    older = code_at(secret, moment.now - STEP)
    assert older != code
    assert client.post("/login/code", data={"code": older}).status_code == 200
    moment.advance(STEP)
    assert (
        client.post("/login/code", data={"code": code_at(secret, moment.now)}).status_code == 302
    )


def test_two_workers_given_the_same_code_accept_it_once(app, people, moment):
    with app.app_context():
        admin = db.session.scalars(sa.select(User).where(User.email == people["admin"])).one()
        two_factor.start(admin, now=moment.now)
        two_factor.confirm(admin, code_at(admin.totp_secret, moment.now), now=moment.now)
        db.session.commit()
        moment.advance(STEP)
        code = code_at(admin.totp_secret, moment.now)
        assert two_factor.check_app_code(admin, code, moment.now) == "accepted"
        db.session.commit()
        # another worker's copy of the user still remembers the older step
        db.session.expire_all()
        stale = db.session.get(User, admin.id)
        assert two_factor.check_app_code(stale, code, moment.now) == "used"


def test_the_second_step_expires_after_five_minutes(app, client, people, moment):
    secret, _ = turn_on(app, client, moment, people["officer"])
    password_step(client, people["officer"])
    moment.advance(timedelta(minutes=5, seconds=1))
    late = client.post("/login/code", data={"code": code_at(secret, moment.now)})
    assert late.status_code == 302 and late.headers["Location"].endswith("/login")
    assert "Log in again" in text(client.get("/login"))
    assert client.get("/account").status_code == 302


def test_the_pending_login_lives_in_the_signed_session_only(app, client, people, moment):
    turn_on(app, client, moment, people["officer"])
    password_step(client, people["officer"])
    with client.session_transaction() as session:
        pending = session["two_factor_pending"]
        assert "_user_id" not in session  # not logged in
    assert pending["until"] == (moment.now + timedelta(minutes=5)).timestamp()
    # another browser without that cookie gets nowhere
    assert browser(app).get("/login/code").status_code == 302


def test_wrong_codes_count_towards_the_login_throttle(app, client, people, moment):
    secret, _ = turn_on(app, client, moment, people["officer"])
    password_step(client, people["officer"])
    for _ in range(throttle.FREE_ATTEMPTS):
        assert client.post("/login/code", data={"code": "123456"}).status_code == 200
    blocked = client.post("/login/code", data={"code": code_at(secret, moment.now)})
    assert blocked.status_code == 429
    assert "Too many failed attempts" in text(blocked)
    # giving the password again does not clear the count
    password_step(client, people["officer"])
    assert (
        client.post("/login/code", data={"code": code_at(secret, moment.now)}).status_code == 429
    )
    moment.advance(throttle.FIRST_DELAY + timedelta(seconds=1))
    password_step(client, people["officer"])
    assert (
        client.post("/login/code", data={"code": code_at(secret, moment.now)}).status_code == 302
    )
    with app.app_context():
        assert db.session.get(throttle.LoginFailure, f"account:{people['officer']}") is None


# Recovery codes


def test_a_recovery_code_logs_in_once(app, client, people, moment):
    _, codes = turn_on(app, client, moment, people["officer"])
    password_step(client, people["officer"])
    typed = codes[3].upper().replace("-", " ")  # as read aloud or typed from paper
    assert client.post("/login/code", data={"code": typed}).status_code == 302
    assert "9 recovery codes left." in text(client.get("/account"))
    client.post("/logout")
    password_step(client, people["officer"])
    again = client.post("/login/code", data={"code": codes[3]})
    assert again.status_code == 200 and "This code is not right." in text(again)
    assert "user.recovery_code_used" in actions(app)


def test_recovery_codes_are_stored_as_salted_hashes(app, client, people, moment):
    _, codes = turn_on(app, client, moment, people["officer"])
    officer = user(app, people["officer"])
    with app.app_context():
        stored = set(db.session.scalars(sa.select(RecoveryCode.code_hash)))
    expected = {
        hashlib.sha256(f"{officer.id}:{code.replace('-', '')}".encode()).hexdigest()
        for code in codes
    }
    assert stored == expected


def test_new_recovery_codes_replace_the_old_ones(app, client, people, moment):
    secret, old = turn_on(app, client, moment, people["officer"])
    password_step(client, people["officer"])
    client.post("/login/code", data={"code": old[0]})
    refused = client.post("/account/two-factor/recovery-codes", data={"codes-password": "wrong!"})
    assert "This is not your current password." in text(refused)
    page = client.post(
        "/account/two-factor/recovery-codes", data={"codes-code": code_at(secret, moment.now)}
    )
    new = CODE_LIST.findall(page.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert "Your earlier recovery codes no longer work." in text(page)
    client.post("/logout")
    password_step(client, people["officer"])
    assert client.post("/login/code", data={"code": old[1]}).status_code == 200
    assert client.post("/login/code", data={"code": new[1]}).status_code == 302
    assert "user.recovery_codes_renewed" in actions(app)


# Turning it off


def test_turning_off_needs_a_current_code_or_the_password(app, client, people, moment):
    secret, _ = turn_on(app, client, moment, people["officer"])
    password_step(client, people["officer"])
    client.post("/login/code", data={"code": code_at(secret, moment.now)})
    nothing = client.post("/account/two-factor/disable", data={})
    assert "Give a code from your app, or your password." in text(nothing)
    wrong = client.post("/account/two-factor/disable", data={"off-password": "not it at all"})
    assert "This is not your current password." in text(wrong)
    spent = client.post(
        "/account/two-factor/disable", data={"off-code": code_at(secret, moment.now)}
    )
    assert "This code was used already." in text(spent)
    assert user(app, people["officer"]).has_two_factor
    off = client.post("/account/two-factor/disable", data={"off-password": PASSWORD})
    assert off.status_code == 302
    officer = user(app, people["officer"])
    assert not officer.has_two_factor and officer.totp_secret is None
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(RecoveryCode.id))) == 0
    assert "user.two_factor_disabled" in actions(app)
    client.post("/logout")
    assert password_step(client, people["officer"]).headers["Location"] == "/"


def test_turning_off_with_a_code(app, client, people, moment):
    secret, codes = turn_on(app, client, moment, people["officer"])
    password_step(client, people["officer"])
    client.post("/login/code", data={"code": codes[0]})
    off = client.post(
        "/account/two-factor/disable", data={"off-code": code_at(secret, moment.now)}
    )
    assert off.status_code == 302 and not user(app, people["officer"]).has_two_factor


def test_guessing_the_password_on_the_account_page_is_throttled_too(app, client, people, moment):
    secret, codes = turn_on(app, client, moment, people["officer"])
    password_step(client, people["officer"])
    client.post("/login/code", data={"code": codes[0]})
    for n in range(throttle.FREE_ATTEMPTS):
        client.post("/account/two-factor/disable", data={"off-password": f"guess number {n}"})
    blocked = client.post("/account/two-factor/disable", data={"off-password": PASSWORD})
    assert "Too many failed attempts" in text(blocked)
    assert user(app, people["officer"]).has_two_factor


def test_admin_resets_two_factor_of_a_user_who_lost_their_phone(app, people, moment):
    officer_client, admin_client = browser(app), browser(app)
    turn_on(app, officer_client, moment, people["officer"])
    officer_id = user(app, people["officer"]).id
    password_step(admin_client, people["admin"])
    page = text(admin_client.get(f"/admin/users/{officer_id}"))
    assert "Turn off two-factor login" in page
    reset = admin_client.post(
        f"/admin/users/{officer_id}/two-factor/reset", data={"tf-your_password": PASSWORD}
    )
    assert reset.status_code == 302
    assert not user(app, people["officer"]).has_two_factor
    with app.app_context():
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "user.two_factor_reset")
        ).one()
        assert event.actor == people["admin"] and event.object_id == officer_id
        assert (event.before, event.after) == ({"two_factor": True}, {"two_factor": False})
    assert password_step(officer_client, people["officer"]).headers["Location"] == "/"


def test_other_roles_cannot_reset_someone_elses_two_factor(app, client, people, moment):
    officer_client = browser(app)
    turn_on(app, officer_client, moment, people["officer"])
    officer_id = user(app, people["officer"]).id
    password_step(client, people["reporter"])
    assert client.post(f"/admin/users/{officer_id}/two-factor/reset").status_code == 403
    assert user(app, people["officer"]).has_two_factor


def test_every_change_is_in_the_audit_chain_without_secrets(app, client, people, moment):
    secret, codes = turn_on(app, client, moment, people["officer"])
    password_step(client, people["officer"])
    client.post("/login/code", data={"code": codes[0]})
    client.post("/account/two-factor/recovery-codes", data={"codes-password": PASSWORD})
    client.post("/account/two-factor/disable", data={"off-password": PASSWORD})
    two_factor_actions = [a for a in actions(app) if "two_factor" in a or "recovery" in a]
    assert two_factor_actions == [
        "user.two_factor_started",
        "user.two_factor_enabled",
        "user.recovery_code_used",
        "user.recovery_codes_renewed",
        "user.two_factor_disabled",
    ]
    officer_id = user(app, people["officer"]).id
    with app.app_context():
        events = list(db.session.scalars(sa.select(AuditEvent)))
        stored = " ".join(f"{e.before} {e.after} {e.reason}" for e in events)
        about = {(e.object_type, e.object_id) for e in events if e.action in two_factor_actions}
    assert about == {("user", officer_id)}
    assert secret not in stored and not any(code in stored for code in codes)
