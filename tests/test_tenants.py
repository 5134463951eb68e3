"""Each organisation's register is its own: people of Blauw get nothing of Groen.

Groen and Blauw share one installation. Every test here is something a member of Blauw once
did to Groen's register, and now gets nothing from: a 404 like an unknown ref, and none of
Groen's titles or refs in what comes back.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from breachlog.auth import services as auth_services
from breachlog.auth.models import User
from breachlog.extensions import db
from breachlog.incidents import services
from breachlog.incidents.models import Incident, Measure
from breachlog.reminders import recipients
from breachlog.reminders.models import Reminder

from .factories import PASSWORD

ROLES = ("admin", "officer", "reporter", "viewer")
GROEN_TITLE = "Klantenbestand Groen op straat"


@pytest.fixture
def groen_blauw(make):
    groen = make.organisation(
        "Groen Installatietechniek B.V.", ref_prefix="DL", escalation_emails="directie@groen.nl"
    )
    blauw = make.organisation(
        "Blauw Zorg B.V.", ref_prefix="BZ", escalation_emails="directie@blauw.nl"
    )
    people: dict[str, dict[str, User]] = {"groen": {}, "blauw": {}}
    for key, org in (("groen", groen), ("blauw", blauw)):
        for role in ROLES:
            people[key][role] = make.user(role, email=f"{role}@{key}.example", organisation=org)
    incidents = [
        make.incident(groen, reporter=people["groen"]["reporter"], title=f"{GROEN_TITLE} {n}")
        for n in range(3)
    ]
    measure = services.add_measure(
        incidents[0], people["groen"]["officer"], make.now, kind="corrective", description="Wis"
    )
    db.session.commit()
    return groen, blauw, people, incidents, measure


def token(user: User, organisation: Any = None) -> dict[str, str]:
    secret = auth_services.issue_api_token(
        user,
        actor="test",
        now=user.created_at,
        organisation_id=organisation.id if organisation else None,
    )
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def shows_nothing_of(body: str, incidents: list[Incident], asked: str = "") -> bool:
    """No title or ref of Groen's, apart from the address asked for (the page links to it)."""
    body = body.replace(asked, "")
    return GROEN_TITLE not in body and not any(i.ref in body for i in incidents)


def test_an_api_token_of_another_organisation_lists_none_of_its_incidents(client, groen_blauw):
    groen, blauw, people, incidents, _ = groen_blauw
    headers = token(people["blauw"]["officer"])
    listed = client.get(f"/api/v1/incidents?organisation={groen.id}", headers=headers)
    assert listed.status_code == 200
    assert listed.get_json()["items"] == [] and listed.get_json()["total"] == 0
    everything = client.get("/api/v1/incidents?per_page=100", headers=headers)
    assert shows_nothing_of(everything.get_data(as_text=True), incidents)
    search = client.get("/api/v1/incidents?q=Klantenbestand", headers=headers)
    assert search.get_json()["total"] == 0


def test_an_api_token_of_another_organisation_cannot_read_change_or_add_measures(
    client, groen_blauw
):
    groen, blauw, people, incidents, _ = groen_blauw
    headers = token(people["blauw"]["officer"])
    target = incidents[-1]
    unknown = client.get("/api/v1/incidents/DL-2026-9999", headers=headers)
    for method, path, body in (
        ("GET", f"/api/v1/incidents/{target.ref}", None),
        ("PATCH", f"/api/v1/incidents/{target.ref}", {"cause": "gehackt door Blauw"}),
        (
            "POST",
            f"/api/v1/incidents/{target.ref}/measures",
            {"kind": "corrective", "description": "x"},
        ),
        (
            "POST",
            f"/api/v1/incidents/{target.ref}/assessment",
            {"risk": "none", "risk_rationale": "x"},
        ),
        ("GET", f"/api/v1/incidents/{target.ref}/ap-form", None),
    ):
        response = client.open(path, method=method, json=body, headers=headers)
        assert response.status_code == 404, (method, path)
        assert response.get_json() == unknown.get_json()
    db.session.expire_all()
    assert db.session.get(Incident, target.id).cause == ""
    assert db.session.scalar(sa.select(sa.func.count(Measure.id))) == 1


def test_an_api_token_of_another_organisation_gets_no_register_export(client, groen_blauw):
    groen, blauw, people, incidents, _ = groen_blauw
    headers = token(people["blauw"]["officer"])
    year = incidents[0].ref_year
    for extension in ("pdf", "csv"):
        response = client.get(
            f"/api/v1/register/{year}.{extension}?organisation={groen.id}", headers=headers
        )
        assert response.status_code == 404, extension
        assert shows_nothing_of(response.get_data(as_text=True), incidents)
    # its own organisation's register is there, without Groen's incidents in it
    own = client.get(f"/api/v1/register/{year}.csv", headers=headers)
    assert own.status_code == 200
    assert shows_nothing_of(own.get_data(as_text=True), incidents)


def test_the_register_downloads_of_another_organisation_answer_404(client, auth, groen_blauw):
    groen, blauw, people, incidents, _ = groen_blauw
    year = incidents[0].ref_year
    for role in ("admin", "officer", "viewer"):
        auth.login(people["blauw"][role].email)
        for extension in ("pdf", "csv"):
            response = client.get(f"/register/{year}.{extension}?organisation={groen.id}")
            assert response.status_code == 404, (role, extension)
            assert shows_nothing_of(response.get_data(as_text=True), incidents)
        auth.logout()


def test_a_token_reaches_one_organisation_even_when_its_user_is_a_member_of_more(
    client, make, groen_blauw
):
    groen, blauw, people, incidents, _ = groen_blauw
    both = make.user("officer", email="fg@beide.example", organisation=blauw)
    from breachlog.orgs.members import set_membership

    set_membership(both, groen, "officer", actor="test", now=make.now)
    db.session.commit()
    with pytest.raises(Exception, match="Say which organisation"):
        auth_services.issue_api_token(both, actor="test", now=make.now)
    db.session.rollback()
    blauw_only = token(both, blauw)
    assert client.get("/api/v1/incidents", headers=blauw_only).get_json()["total"] == 0
    ref = incidents[0].ref
    assert client.get(f"/api/v1/incidents/{ref}", headers=blauw_only).status_code == 404
    patch = client.patch(f"/api/v1/incidents/{ref}", json={"cause": "x"}, headers=blauw_only)
    assert patch.status_code == 404
    groen_too = token(both, groen)
    assert client.get("/api/v1/incidents", headers=groen_too).get_json()["total"] == 3
    assert client.get(f"/api/v1/incidents/{ref}", headers=groen_too).status_code == 200


def test_the_edit_page_of_another_organisations_incident_answers_404(client, auth, groen_blauw):
    groen, blauw, people, incidents, measure = groen_blauw
    ref = incidents[-1].ref
    auth.login(people["blauw"]["officer"].email)
    for method, path in (
        ("GET", f"/incidents/{ref}/edit"),
        ("POST", f"/incidents/{ref}/edit"),
        ("GET", f"/incidents/{ref}"),
        ("POST", f"/incidents/{ref}/measures"),
        ("POST", f"/incidents/{incidents[0].ref}/measures/{measure.id}/done"),
    ):
        response = client.open(path, method=method)
        assert response.status_code == 404, (method, path)
        assert shows_nothing_of(response.get_data(as_text=True), incidents, path)


def test_a_viewer_of_another_organisation_reads_nothing(client, auth, groen_blauw):
    groen, blauw, people, incidents, _ = groen_blauw
    auth.login(people["blauw"]["viewer"].email)
    for path in (
        "/",
        "/register",
        f"/register?organisation={groen.id}",
        "/register?q=Klantenbestand",
        f"/incidents/{incidents[0].ref}",
    ):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert shows_nothing_of(response.get_data(as_text=True), incidents, path), path
    assert "Groen Installatietechniek" not in client.get("/register").get_data(as_text=True)
    # Groen's own viewer reads them all
    auth.logout()
    auth.login(people["groen"]["viewer"].email)
    assert GROEN_TITLE in client.get("/register").get_data(as_text=True)


def test_the_register_lists_only_the_years_of_the_readers_own_organisations(
    client, auth, make, groen_blauw
):
    """Before, the year filter listed every year of every organisation: Blauw learned that
    Groen had breaches in 2019."""
    groen, blauw, people, incidents, _ = groen_blauw
    old = make.now.replace(year=2019, month=6, day=1)
    make.incident(groen, reporter=people["groen"]["reporter"], now=old, discovered_at=old)
    make.incident(blauw, reporter=people["blauw"]["reporter"], title="Blauw's own")
    this_year = f'<option value="{make.now.year}"'
    auth.login(people["blauw"]["officer"].email)
    page = client.get("/register").get_data(as_text=True)
    assert this_year in page
    assert '<option value="2019"' not in page
    auth.logout()
    auth.login(people["groen"]["officer"].email)
    page = client.get("/register").get_data(as_text=True)
    assert '<option value="2019"' in page and this_year in page


def test_a_reporter_reports_only_into_their_own_organisation(client, auth, groen_blauw):
    groen, blauw, people, incidents, _ = groen_blauw
    auth.login(people["blauw"]["reporter"].email)
    form = client.get("/report").get_data(as_text=True)
    assert "Groen" not in form
    before = db.session.scalar(sa.select(sa.func.count(Incident.id)))
    response = client.post(
        "/report",
        data={
            "organisation_id": str(groen.id),
            "title": "Ingediend bij Groen",
            "summary": "Door een melder van Blauw",
            "discovered_at": "2026-03-10T08:00",
            "reporter_contact": "reporter@blauw.example",
        },
    )
    assert response.status_code == 200
    assert "Choose one of your organisations." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Incident.id))) == before
    api = client.post(
        "/api/v1/incidents",
        json={"organisation_id": groen.id, "title": "x", "discovered_at": "2026-03-10T08:00:00Z"},
        headers=token(people["blauw"]["reporter"]),
    )
    assert api.status_code == 422 and list(api.get_json()["errors"]) == ["organisation_id"]
    assert db.session.scalar(sa.select(sa.func.count(Incident.id))) == before


def test_a_report_into_another_organisation_stays_unreadable_to_its_reporter(
    client, auth, make, groen_blauw
):
    """A report filed before the separation: its reporter, no member of Groen, reads nothing."""
    groen, blauw, people, incidents, _ = groen_blauw
    reporter = people["blauw"]["reporter"]
    from breachlog.orgs.members import set_membership

    membership = set_membership(reporter, groen, "reporter", actor="test", now=make.now)
    filed = make.incident(groen, reporter=reporter, title=f"{GROEN_TITLE} via Blauw")
    db.session.delete(membership)
    db.session.commit()
    auth.login(reporter.email)
    assert client.get(f"/incidents/{filed.ref}").status_code == 404
    assert filed.ref not in client.get("/mine").get_data(as_text=True)


def test_an_admin_of_another_organisation_cannot_take_over_its_accounts(client, auth, groen_blauw):
    groen, blauw, people, incidents, _ = groen_blauw
    groen_admin, groen_officer = people["groen"]["admin"], people["groen"]["officer"]
    groen_officer.totp_secret = "JBSWY3DPEHPK3PXP"
    groen_officer.totp_enabled_at = groen_officer.created_at
    db.session.commit()
    hash_before = groen_admin.password_hash
    auth.login(people["blauw"]["admin"].email)
    new = "overgenomen door blauw"
    taken = client.post(
        f"/admin/users/{groen_admin.id}/password", data={"pw-password": new, "pw-confirm": new}
    )
    assert taken.status_code == 404
    reset = client.post(f"/admin/users/{groen_officer.id}/two-factor/reset")
    assert reset.status_code == 404
    for path in (
        f"/admin/users/{groen_admin.id}",
        f"/admin/organisations/{groen.id}",
    ):
        assert client.get(path).status_code == 404, path
    joined = client.post(
        f"/admin/users/{people['blauw']['officer'].id}/memberships",
        data={"m-organisation_id": str(groen.id), "m-role": "officer"},
    )
    assert joined.status_code in (404, 422)
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "@groen.example" not in listing
    assert "Groen Installatietechniek" not in client.get("/admin/organisations").get_data(
        as_text=True
    )
    assert client.get("/admin/organisations/new").status_code == 403
    db.session.expire_all()
    assert db.session.get(User, groen_admin.id).password_hash == hash_before
    assert db.session.get(User, groen_officer.id).has_two_factor
    assert not people["blauw"]["officer"].can_read_all_in(groen.id)


def test_an_organisation_admin_manages_the_members_of_their_organisation(
    client, auth, groen_blauw
):
    groen, blauw, people, incidents, _ = groen_blauw
    auth.login(people["blauw"]["admin"].email)
    viewer = people["blauw"]["viewer"]
    changed = client.post(
        f"/admin/users/{viewer.id}/memberships",
        data={"m-organisation_id": str(blauw.id), "m-role": "officer"},
    )
    assert changed.status_code == 302
    new = "nieuw wachtwoord voor de viewer"
    password = client.post(
        f"/admin/users/{viewer.id}/password",
        data={"pw-password": new, "pw-confirm": new, "pw-your_password": PASSWORD},
    )
    assert password.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, viewer.id).roles_by_organisation() == {blauw.id: "officer"}
    created = client.post(
        "/admin/users/new",
        data={
            "email": "nieuw@blauw.example",
            "role": "reporter",
            "language": "en",
            "organisation_id": str(groen.id),
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert created.status_code == 200  # not into Groen
    assert auth_services.user_by_email("nieuw@blauw.example") is None


def test_new_report_and_reminder_mails_reach_only_the_organisations_own_people(make, groen_blauw):
    groen, blauw, people, incidents, _ = groen_blauw
    blauw_people = {user.email for user in people["blauw"].values()} | {"directie@blauw.nl"}
    rows = db.session.scalars(
        sa.select(Reminder).where(Reminder.incident_id.in_([i.id for i in incidents]))
    ).all()
    assert {row.kind for row in rows} >= {"new_report", "deadline"}
    for row in rows:
        row.level = "management"  # the widest level: officers and escalation addresses
        reached = {r.email for r in recipients.for_reminder(row)}
        assert reached and not reached & blauw_people, row.stage
        assert "officer@groen.example" in reached


def test_a_measure_owner_is_a_member_or_a_name_without_an_address(make, groen_blauw):
    groen, blauw, people, incidents, _ = groen_blauw
    officer = people["groen"]["officer"]
    with pytest.raises(Exception, match="member of this organisation"):
        services.add_measure(
            incidents[0],
            officer,
            make.now,
            kind="corrective",
            description="Wissen",
            owner="officer@blauw.example",
            due_on=(make.now + timedelta(days=3)).date(),
        )
    db.session.rollback()
    for owner in ("Jan van ICT", "admin@groen.example"):
        services.add_measure(
            incidents[0], officer, make.now, kind="corrective", description="x", owner=owner
        )
    db.session.commit()


def test_a_measure_reminder_is_not_mailed_to_an_owner_address_of_no_member(make, groen_blauw):
    groen, blauw, people, incidents, measure = groen_blauw
    measure.owner = "officer@blauw.example"  # typed before owners were checked
    measure.due_on = (make.now + timedelta(days=3)).date()
    db.session.flush()
    from breachlog.reminders import planning

    planning.plan_measure(measure, make.now)
    row = db.session.scalars(
        sa.select(Reminder).where(Reminder.stage == f"measure-{measure.id}")
    ).one()
    reached = {r.email for r in recipients.for_reminder(row)}
    assert "officer@blauw.example" not in reached
    assert reached <= {u.email for u in people["groen"].values()}


def test_the_first_admin_starts_at_the_organisations_and_joins_the_one_they_add(
    client, auth, make
):
    root = make.user("admin", email="root@example.nl")  # no organisation exists yet
    assert root.is_installation_admin and root.memberships == []
    auth.login(root.email)
    landing = client.get("/")
    assert landing.status_code == 302 and landing.headers["Location"] == "/admin/organisations"
    created = client.post(
        "/admin/organisations/new",
        data={"name": "Rood B.V.", "ref_prefix": "RD", "timezone": "Europe/Amsterdam"},
    )
    assert created.status_code == 302
    db.session.expire_all()
    assert {m.organisation.name: m.role for m in db.session.get(User, root.id).memberships} == {
        "Rood B.V.": "admin"
    }
    assert client.get("/").status_code == 200


def test_the_mail_page_names_no_address_of_another_organisation(client, auth, groen_blauw):
    """A reminder of Groen's the mail server refused: its answer names Groen's officer. Blauw's
    admin learns that reminders are not going out, not to whom at Groen."""
    groen, blauw, people, incidents, _ = groen_blauw
    from breachlog.reminders.models import FAILED

    row = db.session.scalars(
        sa.select(Reminder).where(Reminder.incident_id == incidents[0].id)
    ).first()
    row.status = FAILED
    row.last_error = "recipients refused: officer@groen.example: 550 5.1.1 No such user"
    db.session.commit()
    auth.login(people["blauw"]["admin"].email)
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "Reminder e-mails are not going out." in page
    assert "officer@groen.example" not in page and "groen" not in page.lower()
    auth.logout()
    installation = auth_services.create_user(
        "root@example.nl", "admin", PASSWORD, actor="test", now=row.updated_at
    )
    db.session.commit()
    assert installation.is_installation_admin
    auth.login(installation.email)
    assert "officer@groen.example" in client.get("/admin/mail").get_data(as_text=True)


def test_only_an_installation_admin_changes_the_catalogues_every_organisation_reports_with(
    client, auth, make, groen_blauw
):
    """The catalogues are the installation's: Blauw's admin taking a category off would take it
    off Groen's report form too."""
    groen, blauw, people, incidents, _ = groen_blauw
    from breachlog.catalogue.models import CatalogueEntry

    entry = db.session.scalars(sa.select(CatalogueEntry)).first()
    auth.login(people["blauw"]["admin"].email)
    assert "/admin/catalogues" not in client.get("/admin/users").get_data(as_text=True)
    assert client.get("/admin/catalogues").status_code == 403
    added = {"kind": "data_subject", "code": "blauw", "label_nl": "x", "label_en": "x"}
    assert client.post("/admin/catalogues", data=added).status_code == 403
    assert client.post(f"/admin/catalogues/{entry.id}/deactivate").status_code == 403
    db.session.expire_all()
    assert db.session.get(CatalogueEntry, entry.id).is_active
    auth.logout()
    root = make.user("admin", email="root@example.nl")
    assert root.is_installation_admin
    auth.login(root.email)
    assert client.post(f"/admin/catalogues/{entry.id}/deactivate").status_code == 302
