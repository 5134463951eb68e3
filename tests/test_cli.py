"""The breachlog command line, driven the way an installer or privacy officer would use it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from breachlog import clock, create_app
from breachlog.audit.models import AuditEvent
from breachlog.auth import services as auth
from breachlog.auth.models import User
from breachlog.extensions import db
from breachlog.incidents import search_index
from breachlog.incidents.models import ASSESSMENT_FIELDS, Incident
from breachlog.notifications.services import still_missing
from breachlog.orgs.models import Organisation
from breachlog.orgs.services import create_organisation

from .conftest import NOW, app_config

PASSWORD = "correct horse battery"


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


def invoke(app: Flask, *args: str, input: str | None = None) -> Any:
    return app.test_cli_runner().invoke(args=list(args), input=input)


def add_organisation(app: Flask, name: str = "Voorbeeld B.V.", prefix: str = "DL") -> int:
    with app.app_context():
        org = create_organisation({"name": name, "ref_prefix": prefix}, actor="test", now=NOW)
        db.session.commit()
        return org.id


def add_user(app: Flask, email: str = "fg@example.nl", role: str = "officer") -> None:
    """A user of the only organisation (made when there is none yet)."""
    with app.app_context():
        found = db.session.scalar(sa.select(Organisation.id))
    organisation_id = found or add_organisation(app)
    with app.app_context():
        auth.create_user(
            email, role, PASSWORD, actor="test", now=NOW, organisation_id=organisation_id
        )
        db.session.commit()


def audit_ids(app: Flask) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id)))


# create-user


def test_create_user_asks_for_the_password_twice(app: Flask) -> None:
    add_organisation(app)
    result = invoke(
        app,
        "create-user",
        "FG@Example.nl",
        "--role",
        "officer",
        "--name",
        "Fenna de Vries",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created officer fg@example.nl." in result.stdout
    assert PASSWORD not in result.output
    with app.app_context():
        user = auth.authenticate("fg@example.nl", PASSWORD)
        assert user is not None
        assert (user.role, user.name, user.language) == ("officer", "Fenna de Vries", "nl")


def test_create_user_reads_the_password_from_stdin(app: Flask) -> None:
    result = invoke(
        app,
        "create-user",
        "admin@example.nl",
        "--role",
        "admin",
        "--language",
        "en",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = auth.authenticate("admin@example.nl", PASSWORD)
        assert user is not None and user.role == "admin" and user.language == "en"


def test_create_user_is_recorded_in_the_audit_chain(app: Flask) -> None:
    invoke(
        app, "create-user", "a@example.nl", "--role", "admin", "--password-stdin", input=PASSWORD
    )
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent)).one()
    assert event.action == "user.created"
    assert event.actor.startswith("command line")


def test_create_user_refuses_a_duplicate_email(app: Flask) -> None:
    add_user(app, "fg@example.nl")
    result = invoke(
        app, "create-user", "fg@example.nl", "--role", "admin", "--password-stdin", input=PASSWORD
    )
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_create_user_refuses_an_unknown_role(app: Flask) -> None:
    result = invoke(
        app, "create-user", "x@example.nl", "--role", "boss", "--password-stdin", input=PASSWORD
    )
    assert result.exit_code == 2
    assert "'boss' is not one of" in result.stderr


def test_create_user_refuses_a_short_password(app: Flask) -> None:
    result = invoke(
        app, "create-user", "x@example.nl", "--role", "admin", "--password-stdin", input="short\n"
    )
    assert result.exit_code == 2
    assert "at least 12 characters" in result.stderr
    with app.app_context():
        assert not auth.has_users()


def test_create_user_without_role_is_a_usage_error(app: Flask) -> None:
    result = invoke(app, "create-user", "x@example.nl")
    assert result.exit_code == 2
    assert "Missing option '--role'" in result.stderr


# api-token


def test_api_token_prints_a_token_that_authenticates(app: Flask) -> None:
    add_user(app, "script@example.nl")
    result = invoke(app, "api-token", "script@example.nl", "--label", "nightly export")
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("bl_") and "\n" not in token
    assert "not shown again" in result.stderr
    with app.app_context():
        user = auth.user_for_token(token, NOW)
        assert user is not None and user.email == "script@example.nl"
        stored = db.session.scalar(sa.text("SELECT token_hash FROM api_tokens"))
    assert token not in stored


def test_api_token_for_an_unknown_user_exits_2(app: Flask) -> None:
    result = invoke(app, "api-token", "nobody@example.nl")
    assert result.exit_code == 2
    assert "No active user with e-mail address nobody@example.nl" in result.stderr


# verify-audit


def test_verify_audit_on_an_intact_chain(app: Flask) -> None:
    add_user(app, "a@example.nl")
    add_user(app, "b@example.nl")
    result = invoke(app, "verify-audit")
    assert result.exit_code == 0, result.output
    with app.app_context():
        last = db.session.scalar(sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()))
    # the organisation, and each user with their membership
    assert result.stdout.splitlines() == [
        f"Audit chain intact: 5 events, last {last}, 1 anchored head(s) found",
        "The register matches its history.",
    ]


def test_verify_audit_names_an_edited_event(app: Flask) -> None:
    for n in range(3):
        add_user(app, f"user{n}@example.nl")
    edited = audit_ids(app)[1]
    with app.app_context():
        db.session.execute(
            sa.text('UPDATE audit_events SET "after" = :after WHERE id = :id').bindparams(
                sa.bindparam("after", type_=sa.JSON)
            ),
            {"after": {"email": "someone-else@example.nl", "role": "admin"}, "id": edited},
        )
        db.session.commit()
    result = invoke(app, "verify-audit")
    assert result.exit_code == 1
    assert f"Audit chain broken at event {edited}:" in result.stderr
    assert "edited" in result.stderr


def test_verify_audit_notices_a_deleted_event(app: Flask) -> None:
    for n in range(3):
        add_user(app, f"user{n}@example.nl")
    middle, last = audit_ids(app)[3:5]
    with app.app_context():
        db.session.execute(sa.text("DELETE FROM audit_events WHERE id = :id"), {"id": middle})
        db.session.commit()
    result = invoke(app, "verify-audit")
    assert result.exit_code == 1
    assert f"Audit chain broken at event {last}:" in result.stderr
    assert "deleted" in result.stderr


# demo


def test_demo_fills_a_register_with_an_intact_history(app: Flask, fixed_clock: datetime) -> None:
    result = invoke(app, "demo")
    assert result.exit_code == 0, result.output
    password = re.search(r"password (\S+):", result.stdout)
    assert password is not None
    assert "Created Blauw Zorg B.V. with 3 incidents." in result.stdout
    with app.app_context():
        org, second = db.session.scalars(sa.select(Organisation).order_by(Organisation.id))
        assert (org.name, second.name) == ("Groen Installatietechniek B.V.", "Blauw Zorg B.V.")
        assert org.kvk_number and org.fg_email and org.escalation_list
        assert second.ref_prefix == "BZ"
        refs = list(db.session.scalars(sa.select(Incident.ref)))
        assert len(refs) >= 20
        assert len(set(refs)) == len(refs)
        incidents = list(db.session.scalars(sa.select(Incident)))
        assert all(i.aware_at < fixed_clock for i in incidents)
        assert {i.ref_year for i in incidents} == {fixed_clock.year}
        assert any(i.processor_name and i.processor_notified_at for i in incidents)
        assert any(i.measures for i in incidents)
        assert any(i.risk == "none" and i.risk_rationale for i in incidents)
        assert any(i.assignee_id for i in incidents)
        roles = {
            org.id: sorted((u.role_in(org.id) or "-") for u in db.session.scalars(sa.select(User)))
            for org in (org, second)
        }
        assert [r for r in roles[org.id] if r != "-"] == [
            "admin",
            "officer",
            "officer",
            "reporter",
            "viewer",
        ]
        assert [r for r in roles[second.id] if r != "-"] == [
            "admin",
            "officer",
            "reporter",
            "viewer",
        ]
        # nobody of one is a member of the other; Groen's admin runs the installation
        assert all(len(u.memberships) == 1 for u in db.session.scalars(sa.select(User)))
        groen_admin = auth.authenticate("beheer@groen-installatietechniek.example", password[1])
        assert groen_admin is not None and groen_admin.is_installation_admin
        assert auth.authenticate("k.blauw@blauw-zorg.example", password[1])
    check = invoke(app, "verify-audit")
    assert check.exit_code == 0, check.output


def test_demo_meets_every_branch_of_articles_33_and_34(app: Flask, fixed_clock: datetime) -> None:
    """Each situation a privacy officer meets, made through the services at past moments."""
    assert invoke(app, "demo").exit_code == 0
    with app.app_context():
        incidents = list(db.session.scalars(sa.select(Incident).order_by(Incident.ref)))
        notes = [n for i in incidents for n in i.notifications]
        comms = [c for i in incidents for c in i.subject_communications]

        assert {"open", "assessed", "notified", "closed"} <= {i.status for i in incidents}
        assert all(not still_missing(i) for i in incidents if i.status == "closed")
        # the clock: unassessed and overdue, under 12 hours left, and fresh
        unassessed = [i.deadline_at - fixed_clock for i in incidents if i.risk == "unassessed"]
        assert any(left < timedelta(0) for left in unassessed)
        assert any(timedelta(0) < left < timedelta(hours=12) for left in unassessed)
        assert any(left > timedelta(hours=48) for left in unassessed)
        # R1: no risk, and not a personal-data breach, each with reasons and closed
        assert any(i.risk == "none" and i.risk_rationale and i.closed_at for i in incidents)
        assert any(
            not i.is_personal_data_breach and i.not_breach_rationale and i.closed_at
            for i in incidents
        )
        # R4: on time, late with reasons, provisional with a supplement, withdrawn
        initial = [n for n in notes if n.kind == "initial"]
        assert all(re.fullmatch(r"M-\d{4}-\d{5}", n.meldnummer) for n in notes)
        assert len({n.meldnummer for n in initial}) == len(initial)
        assert any(not n.is_late and n.incident.closed_at for n in initial)
        assert any(n.is_late and n.reasons_for_delay for n in initial)
        assert all(n.reasons_for_delay for n in initial if n.is_late)
        provisional = [n for n in initial if n.is_provisional and n.follows]
        assert any(
            s.kind == "supplement"
            and s.meldnummer == n.meldnummer
            and s.submitted_at > n.submitted_at
            for n in provisional
            for s in n.incident.notifications
        )
        withdrawn = [n.incident for n in notes if n.kind == "withdrawal"]
        assert withdrawn
        assert all(i.is_withdrawn and not i.is_personal_data_breach for i in withdrawn)
        # R5: a processor's breach, its times recorded, notified within 72 hours
        assert any(
            i.incident_type == "ransomware"
            and i.processor_aware_at < i.processor_notified_at <= i.aware_at
            and i.notified_at is not None
            and i.notified_at <= i.deadline_at
            for i in incidents
        )
        # R3, R7, R8: high risk informed by e-mail with the letter, or exempted (a) and (c)
        high = [i for i in incidents if i.risk == "high"]
        assert high and all(i.is_dpo_involved for i in high)
        assert any(
            c.channel == "email" and c.people_reached and c.text and c.incident.closed_at
            for c in comms
        )
        grounds = {c.ground: c for c in comms if c.is_exemption}
        assert grounds["unintelligible"].incident.closed_at is not None
        assert grounds["disproportionate"].public_communication
        assert any(i.enisa_dpc is not None for i in incidents)
        # every act at its own past moment, in time order; assessments only through assess()
        events = list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))
        moments = [e.at for e in events]
        assert moments == sorted(moments) and moments[-1] <= fixed_clock
        assert all(n.submitted_at <= n.created_at for n in notes)
        assert not any(
            set(e.after) & set(ASSESSMENT_FIELDS) for e in events if e.action == "incident.updated"
        )
    check = invoke(app, "verify-audit")
    assert check.exit_code == 0, check.output


def test_demo_early_in_the_year_still_shows_a_full_register(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_year = datetime(2027, 1, 3, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: new_year)
    assert invoke(app, "demo").exit_code == 0
    with app.app_context():
        aware = list(db.session.scalars(sa.select(Incident.aware_at)))
    assert len(aware) >= 20
    assert all(moment < new_year for moment in aware)


def test_demo_refuses_to_run_twice(app: Flask, fixed_clock: datetime) -> None:
    assert invoke(app, "demo").exit_code == 0
    again = invoke(app, "demo")
    assert again.exit_code == 2
    assert "already exists" in again.stderr


# init-db and serve on a fresh database


def test_init_db_creates_every_table_matching_the_models(empty_app: Flask) -> None:
    result = invoke(empty_app, "init-db")
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        tables = set(sa.inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) | {"alembic_version"} <= tables
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": search_index.include_name}
            )
            assert compare_metadata(context, db.metadata) == []
        assert db.session.scalar(sa.text("SELECT count(*) FROM catalogue_entries")) > 0


def test_init_db_twice_changes_nothing(empty_app: Flask) -> None:
    assert invoke(empty_app, "init-db").exit_code == 0
    result = invoke(empty_app, "init-db")
    assert result.exit_code == 0, result.output
    assert "(0 catalogue entries added)" in result.stdout


def test_serve_prepares_the_database_and_prints_the_setup_link(
    empty_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr("waitress.serve", lambda app, **options: served.update(options, app=app))
    result = invoke(empty_app, "serve", "--port", "8080", "--threads", "2")
    assert result.exit_code == 0, result.output
    link = re.search(
        r"Open this link once to create the first admin: http://breachlog\.test/setup/(\S+)",
        result.stdout,
    )
    assert link is not None
    assert served["app"] is empty_app
    assert (served["host"], served["port"], served["threads"]) == ("127.0.0.1", 8080, 2)
    with empty_app.app_context():
        assert auth.valid_setup_token(link[1], clock.now()) is not None
    page = empty_app.test_client().get(f"/setup/{link[1]}")
    assert page.status_code == 200


def test_serve_prints_no_link_once_someone_can_log_in(
    empty_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("waitress.serve", lambda app, **options: None)
    assert invoke(empty_app, "init-db").exit_code == 0
    add_user(empty_app, "admin@example.nl", "admin")
    result = invoke(empty_app, "serve")
    assert result.exit_code == 0, result.output
    assert "/setup/" not in result.output


def test_serve_without_base_url_links_to_the_address_it_listens_on(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = app_config(tmp_path, "sqlite")
    del config["BASE_URL"]
    app = create_app(config)
    monkeypatch.setattr("waitress.serve", lambda app, **options: None)
    result = invoke(app, "serve", "--host", "0.0.0.0", "--port", "8081")
    assert "first admin: http://127.0.0.1:8081/setup/" in result.stdout
    with app.app_context():
        db.engine.dispose()


def test_bad_port_is_a_usage_error(app: Flask) -> None:
    result = invoke(app, "serve", "--port", "99999")
    assert result.exit_code == 2
    assert "99999" in result.stderr


def test_demo_shows_every_state_of_the_meldformulier(app: Flask, fixed_clock: datetime) -> None:
    """Facts not known yet, known yes and known no; the AP's own questions answered or not."""
    assert invoke(app, "demo").exit_code == 0
    with app.app_context():
        incidents = list(db.session.scalars(sa.select(Incident).order_by(Incident.ref)))
        for name in ("is_ongoing", "is_dpo_involved", "is_cross_border"):
            assert {None, True, False} <= {getattr(i, name) for i in incidents}, name
        assert {None, True, False} <= {i.has_special_categories for i in incidents}
        assert any(i.other_authorities and i.other_authorities_notified for i in incidents)
        assert any(i.other_authorities_notified is False for i in incidents)
        assert any(i.subjects_plan == "not" and i.subjects_plan_reason for i in incidents)
        assert any(i.subjects_plan == "planned" and i.subjects_planned_on for i in incidents)
        assert any(i.severity and i.harm_kinds for i in incidents)
        assert any(not i.severity and not i.data_outcomes for i in incidents)
        assert any(i.notifier_email for i in incidents if i.notified_at)
