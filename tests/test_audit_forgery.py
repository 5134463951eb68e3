"""The audit chain proves the register: three forgeries straight in the database, each found
by `verify-audit` on SQLite and PostgreSQL."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from breachlog.audit import seal
from breachlog.audit.models import AuditEvent
from breachlog.domain import audit as rules
from breachlog.extensions import db
from breachlog.reminders import scheduler

from .factories import Factory
from .reminder_helpers import T0, assess, notify, report


def verify(app: Flask) -> Any:
    return app.test_cli_runner().invoke(args=["verify-audit"])


def notified_breach(app: Flask) -> tuple[int, str]:
    """A high-risk breach, notified to the AP with its meldnummer."""
    with app.app_context():
        make = Factory(app)
        make.organisation()
        officer = make.user("officer")
        incident = report(make, title="Klantenbestand gemaild naar verkeerde klant")
        assess(incident, officer, T0, "high")
        notify(incident, officer, T0)
        found = (incident.id, incident.ref)
        db.session.remove()
    return found


def many_events(app: Flask, count: int) -> None:
    with app.app_context():
        make = Factory(app)
        for number in range(count):
            make.user("viewer", email=f"lezer{number}@example.nl")
        db.session.remove()


def test_an_incident_changed_straight_in_the_database_is_named_with_its_fields(app):
    incident_id, ref = notified_breach(app)
    assert verify(app).exit_code == 0
    with app.app_context():
        db.session.execute(
            sa.text(
                "UPDATE incidents SET risk = 'none', notified_at = NULL, meldnummer = '', "
                "status = 'closed' WHERE id = :id"
            ),
            {"id": incident_id},
        )
        db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    for field in ("risk", "notified_at", "meldnummer", "status"):
        assert f"{ref} incident {incident_id}, {field}: history says" in result.stderr
    assert "'high'" in result.stderr and "M-2026-0042" in result.stderr


def test_a_row_added_or_removed_without_history_is_found(app):
    incident_id, ref = notified_breach(app)
    with app.app_context():
        db.session.execute(
            sa.text("DELETE FROM reminders WHERE incident_id = :id"), {"id": incident_id}
        )
        db.session.execute(
            sa.text("DELETE FROM notifications WHERE incident_id = :id"), {"id": incident_id}
        )
        db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert f"{ref} notification 1, *: history says 'recorded in the history'" in result.stderr


def rewrite_from(app: Flask, event_id: int, key: bytes | None) -> None:
    """Change one event and recompute every hash after it, as a forger with the database but
    without the key would (with `key`: as one who guessed a wrong key)."""
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.id >= event_id).order_by(AuditEvent.id)
        ).all()
        events[0].after = {**events[0].after, "risk": "none"}
        prev = events[0].prev_hash
        for event in events:
            event.prev_hash = prev
            event.hash = rules.event_hash(prev, event.chain_fields(), key)
            prev = event.hash
            db.session.flush()
        db.session.commit()


def assessment_event(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                sa.select(AuditEvent.id).where(AuditEvent.after["risk"].as_string() == "high")
            )
        )


def test_an_event_rewritten_with_the_hashes_after_it_recomputed_is_found(app):
    notified_breach(app)
    many_events(app, 30)
    edited = assessment_event(app)
    rewrite_from(app, edited, key=None)
    result = verify(app)
    assert result.exit_code == 1
    assert f"Audit chain broken at event {edited}: not sealed with the key" in result.stderr
    assert "risk: history says 'none', database has 'high'" in result.stderr


def test_an_event_resealed_with_a_guessed_key_is_found(app):
    notified_breach(app)
    edited = assessment_event(app)
    rewrite_from(app, edited, key=b"not the key")
    result = verify(app)
    assert result.exit_code == 1
    assert f"Audit chain broken at event {edited}: contents do not match" in result.stderr


def test_cutting_off_the_newest_events_after_an_anchor_is_found(app, tmp_path):
    notified_breach(app)
    many_events(app, 60)
    scheduler.run_anchor(app)  # the daily anchor
    exported = app.test_cli_runner().invoke(
        args=["export-register", "--year", "2026", "-o", str(tmp_path / "register.csv")]
    )
    assert exported.exit_code == 0, exported.output
    with app.app_context():
        last = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
        anchored, _ = seal.anchors()
        assert last in anchored
        db.session.execute(sa.text("DELETE FROM audit_events WHERE id > :id"), {"id": last - 50})
        db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert f"Audit chain broken at event {last}: an anchored head is no longer" in result.stderr


def test_the_key_and_anchors_live_in_the_instance_folder_readable_by_us_only(app):
    notified_breach(app)
    instance = Path(app.instance_path)
    for name in (seal.KEY_FILE, seal.ANCHOR_FILE):
        assert stat.S_IMODE((instance / name).stat().st_mode) == 0o600
    lines = (instance / seal.ANCHOR_FILE).read_text().splitlines()
    assert lines[0].startswith(f"0 {rules.GENESIS} - sealing begins")
    with app.app_context():
        assert seal.key() == (instance / seal.KEY_FILE).read_text().strip().encode()


def test_a_chain_from_before_sealing_stays_valid_and_is_protected_by_the_first_seal(
    app, monkeypatch
):
    with monkeypatch.context() as before_sealing:  # as written by an older breachlog
        before_sealing.setattr(seal, "key", lambda: None)
        many_events(app, 3)
    notified_breach(app)  # the key is made now, and the head anchored
    result = verify(app)
    assert result.exit_code == 0, result.output
    rewrite_from(app, 1, key=None)  # the old part rewritten: the first seal no longer fits
    result = verify(app)
    assert result.exit_code == 1
    assert "Audit chain broken at event 3: differs from the head anchored" in result.stderr
