"""Refs under concurrency and the audit chain inside the app (R10)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from breachlog.audit import chain
from breachlog.audit.models import AuditEvent
from breachlog.auth.models import User
from breachlog.db import writing
from breachlog.extensions import db
from breachlog.incidents import services
from breachlog.incidents.models import Incident
from breachlog.orgs.models import Organisation


def test_refs_count_per_organisation_and_year(make):
    first = make.organisation()
    second = make.organisation(ref_prefix="GRP")
    reporter = make.user("officer")
    jan_2025 = datetime(2025, 1, 10, 10, tzinfo=UTC)
    refs = [
        make.incident(first, reporter, discovered_at=jan_2025).ref,
        make.incident(first, reporter).ref,
        make.incident(first, reporter).ref,
        make.incident(second, reporter).ref,
    ]
    year = make.now.astimezone().year
    assert refs == ["DL-2025-0001", f"DL-{year}-0001", f"DL-{year}-0002", f"GRP-{year}-0001"]


def test_ref_year_follows_the_organisation_time_zone(make):
    org = make.organisation()
    # 23:30 UTC on New Year's Eve is already 00:30 on 1 January in Amsterdam
    incident = make.incident(
        org,
        discovered_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC),
        now=datetime(2026, 1, 1, 8, tzinfo=UTC),
    )
    assert incident.ref == "DL-2026-0001"


def test_concurrent_reports_get_unique_consecutive_refs_and_one_chain(app, make):
    org_id = make.organisation().id
    user_id = make.user("reporter").id
    now = make.now
    threads, errors, per_thread = 8, [], 5

    def report_many() -> None:
        try:
            with app.app_context():
                for i in range(per_thread):
                    with writing():
                        org = db.session.get(Organisation, org_id)
                        user = db.session.get(User, user_id)
                        services.report_incident(
                            user,
                            org,
                            {
                                "title": f"Gelijktijdige melding {i}",
                                "discovered_at": now - timedelta(minutes=5),
                            },
                            now,
                        )
                        db.session.commit()
                db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=report_many) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []
    db.session.rollback()  # look past this session's snapshot
    refs = db.session.scalars(sa.select(Incident.ref)).all()
    year = now.year
    assert sorted(refs) == [f"DL-{year}-{n:04d}" for n in range(1, threads * per_thread + 1)]
    assert chain.verify() is None


def test_every_act_is_an_audit_event_with_before_and_after(make):
    incident = make.incident()
    officer = make.user("officer")
    services.update_incident(incident, {"cause": "Geen schijfversleuteling"}, officer, make.now)
    services.add_measure(
        incident, officer, make.now, kind="preventive", description="BitLocker uitrollen"
    )
    db.session.commit()
    actions = db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.incident_id == incident.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["incident.reported", "incident.updated", "measure.added"]
    update = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "incident.updated")
    ).one()
    assert update.before == {"cause": ""}
    assert update.after == {"cause": "Geen schijfversleuteling"}
    assert update.actor == officer.email


def test_tampering_is_detected_and_names_the_event(make):
    make.incident()
    make.incident()
    assert chain.verify() is None
    victim = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id).offset(2)).first()
    db.session.execute(
        sa.update(AuditEvent).where(AuditEvent.id == victim.id).values(reason="rewritten")
    )
    db.session.commit()
    broken = chain.verify()
    assert broken is not None and broken.event_id == victim.id


def test_deleting_an_event_is_detected(make):
    make.incident()
    make.incident()
    ids = db.session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id)).all()
    db.session.execute(sa.delete(AuditEvent).where(AuditEvent.id == ids[1]))
    db.session.commit()
    broken = chain.verify()
    assert broken is not None and broken.event_id == ids[2]


def test_an_unchanged_save_writes_no_event(make):
    incident = make.incident()
    before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    services.update_incident(incident, {"title": incident.title}, make.user("officer"), make.now)
    db.session.commit()
    after = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    assert after == before + 2  # only the officer's own user.created and membership.added


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert "scheduler" in body
