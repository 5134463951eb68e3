"""Migration 0015: a "no" nobody gave becomes "not known yet", and the chain says so."""

from __future__ import annotations

from datetime import timedelta

import flask_migrate
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale

from breachlog.audit import chain, replay
from breachlog.audit.models import AuditEvent
from breachlog.catalogue import services as catalogue
from breachlog.extensions import db
from breachlog.incidents import services as incident_services
from breachlog.incidents.history import readable_history
from breachlog.incidents.models import Incident
from tests.factories import Factory


def facts(ref: str) -> dict[str, object]:
    row = db.session.execute(
        sa.text(
            "SELECT is_ongoing, is_dpo_involved, is_cross_border, has_special_categories "
            "FROM incidents WHERE ref = :ref"
        ),
        {"ref": ref},
    ).one()
    return {
        "is_ongoing": row[0],
        "is_dpo_involved": row[1],
        "is_cross_border": row[2],
        "has_special_categories": row[3],
    }


def test_defaults_nobody_set_become_not_known_and_the_audit_chain_still_proves_the_register(
    empty_app: Flask,
) -> None:
    with empty_app.app_context():
        flask_migrate.upgrade()
        catalogue.seed()
        db.session.commit()
        make = Factory(empty_app)
        officer = make.user("officer")
        # as reports came in before: "no" stored for what nobody was asked
        untouched = make.incident(reporter=officer, is_ongoing=False, is_cross_border=False)
        # an officer answered "no" later: a person set it, so it stays
        answered = make.incident(
            reporter=officer, is_ongoing=True, is_cross_border=True, member_states=["BE"]
        )
        incident_services.update_incident(
            answered,
            {"is_ongoing": False, "is_cross_border": False, "member_states": []},
            officer,
            make.now + timedelta(minutes=5),
        )
        # "yes" is always someone's answer; special categories recorded mean "yes"
        ticked = make.incident(reporter=officer, is_ongoing=True, special_categories=["health"])
        db.session.commit()
        refs = (untouched.ref, answered.ref, ticked.ref)
        db.session.remove()

        flask_migrate.downgrade(revision="0014")
        db.session.remove()
        flask_migrate.upgrade()

        assert facts(refs[0]) == {
            "is_ongoing": None,
            "is_dpo_involved": None,
            "is_cross_border": None,
            "has_special_categories": None,
        }
        assert facts(refs[1])["is_ongoing"] in (False, 0)
        assert facts(refs[1])["is_cross_border"] in (False, 0)
        assert facts(refs[2])["is_ongoing"] in (True, 1)
        assert facts(refs[2])["has_special_categories"] in (True, 1)
        upgraded = db.session.execute(
            sa.text("SELECT object_id, actor FROM audit_events WHERE action = 'incident.upgraded'")
        ).all()
        ids = {
            ref: db.session.scalar(sa.select(Incident.id).where(Incident.ref == ref))
            for ref in refs
        }
        assert {row[0] for row in upgraded} == {ids[refs[0]], ids[refs[1]], ids[refs[2]]}
        assert {row[1] for row in upgraded} == {"breachlog upgrade"}
        # the history says it in the reader's words
        events = db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.incident_id == ids[refs[0]])
            .order_by(AuditEvent.id)
        ).all()
        with force_locale("nl"):
            last = readable_history(events, "Europe/Amsterdam")[-1]
            assert str(last.action) == (
                "upgrade: een ja of nee die niemand had gegeven werd nog onbekend"
            )
            assert {(c.before, c.after) for c in last.changes} == {("nee", "nog onbekend")}
        # the chain is whole and sealed, and the rows are what the history now says
        assert chain.verify() is None
        assert list(replay.differences()) == []
        db.session.remove()
