from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from breachlog import create_app
from breachlog.audit.models import AuditEvent
from breachlog.auth.models import User
from breachlog.catalogue.models import CatalogueEntry
from breachlog.extensions import db
from breachlog.orgs.models import Organisation

from .conftest import Auth, app_config
from .factories import PASSWORD, Factory

OTHER_ROLES = ("officer", "viewer", "reporter")


def text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def count(model: Any, *where: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def user_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "email": "Jan.Jansen@Example.nl",
        "name": "Jan Jansen",
        "role": "officer",
        "language": "en",
        "organisation_id": "",
        "password": "lange zin als wachtwoord",
        "confirm": "lange zin als wachtwoord",
    }
    data.update(overrides)
    return data


def organisation_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Installatiebedrijf Noord B.V.",
        "kvk_number": "87654321",
        "ref_prefix": "noord",
        "fg_name": "Fatima el Amrani",
        "fg_email": "FG@noord.example.nl",
        "escalation_emails": "directie@noord.example.nl, cfo@noord.example.nl",
        "timezone": "Europe/Amsterdam",
        "is_active": "y",
    }
    data.update(overrides)
    return data


def edit_form(user: User, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": user.name,
        "language": user.language,
        "is_active": "y",
        "is_installation_admin": "y" if user.is_installation_admin else None,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def admin(make: Factory, auth: Auth) -> User:
    user = make.user("admin", email="anna@example.nl", name="Anna de Beheerder", language="en")
    auth.login(user.email)
    return user


def admin_urls(make: Factory) -> list[str]:
    org = make.organisation()
    user = make.user("reporter", language="en")
    return [
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{user.id}",
        "/admin/organisations",
        "/admin/organisations/new",
        f"/admin/organisations/{org.id}",
        "/admin/catalogues",
    ]


# Who may use the admin pages


def test_admin_sees_every_admin_page(client, make, admin):
    for url in admin_urls(make):
        response = client.get(url)
        assert response.status_code == 200, url
        page = text(response)
        assert 'aria-label="Administration"' in page, url
        assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_403_on_every_admin_page_and_action(client, make, auth, role):
    urls = admin_urls(make)
    entry = db.session.scalars(sa.select(CatalogueEntry)).first()
    auth.login(make.user(role, language="en").email)
    for url in urls:
        assert client.get(url).status_code == 403, url
    users_before = count(User)
    posts = [
        ("/admin/users/new", user_form()),
        ("/admin/organisations/new", organisation_form()),
        (urls[2], {"is_installation_admin": "y", "is_active": "y", "language": "en"}),
        (urls[2] + "/password", {"pw-password": "x" * 12, "pw-confirm": "x" * 12}),
        ("/admin/catalogues", {"kind": "data_subject", "code": "x", "label_nl": "x"}),
        (f"/admin/catalogues/{entry.id}/deactivate", {}),
    ]
    for url, data in posts:
        assert client.post(url, data=data).status_code == 403, url
    assert count(User) == users_before
    assert count(User, User.is_installation_admin.is_(True)) == 0
    assert db.session.get(CatalogueEntry, entry.id).is_active


def test_anonymous_visitor_is_sent_to_login(client, make):
    for url in admin_urls(make):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url
    assert client.post("/admin/users/new", data=user_form()).status_code == 302
    assert count(User, User.email == "jan.jansen@example.nl") == 0


# Users


def test_admin_creates_user_with_audit_event(client, make, admin):
    org = make.organisation()
    response = client.post("/admin/users/new", data=user_form(organisation_id=str(org.id)))
    assert response.status_code == 302
    user = db.session.scalars(sa.select(User).where(User.email == "jan.jansen@example.nl")).one()
    assert (user.name, user.role, user.language) == ("Jan Jansen", "officer", "en")
    assert user.roles_by_organisation() == {org.id: "officer"} and user.is_active
    assert not user.is_installation_admin
    event = events("user.created")[-1]
    assert event.object_id == user.id and event.actor_id == admin.id
    joined = events("membership.added")[-1]
    assert joined.after == {"user": user.email, "organisation_id": org.id, "role": "officer"}
    listing = text(client.get("/admin/users"))
    assert "jan.jansen@example.nl" in listing and "privacy officer" in listing
    assert org.name in listing
    # the new user logs in with the initial password the admin typed
    client.post("/logout")
    assert (
        Auth(client).login("jan.jansen@example.nl", "lange zin als wachtwoord").status_code == 302
    )


def test_user_form_errors_show_on_fields_and_keep_what_was_typed(client, admin):
    response = client.post(
        "/admin/users/new",
        data=user_form(email="anna@example.nl", password="kort", confirm="kort"),
    )
    assert response.status_code == 200
    page = text(response)
    assert "A user with this e-mail address already exists." in page
    assert "Use at least 12 characters." in page
    assert 'value="anna@example.nl"' in page
    assert 'value="Jan Jansen"' in page
    assert 'value="kort"' in page  # the typed password is not wiped
    assert re.search(r'<option selected value="officer">', page)
    assert re.search(r'<option selected value="en">', page)
    assert count(User) == 1


def test_user_password_mismatch_is_refused(client, admin):
    page = text(client.post("/admin/users/new", data=user_form(confirm="iets anders dan dit")))
    assert "The passwords differ." in page
    assert count(User) == 1


def test_last_admin_cannot_be_demoted_or_deactivated(client, admin):
    message = "This is the last active installation admin; make someone else one first."
    demote = client.post(
        f"/admin/users/{admin.id}", data=edit_form(admin, is_installation_admin=None)
    )
    assert demote.status_code == 200
    page = text(demote)
    assert message in page
    # what the admin chose stays
    assert not re.search(r'<input checked[^>]*name="is_installation_admin"', page)
    deactivate = client.post(f"/admin/users/{admin.id}", data=edit_form(admin, is_active=None))
    assert message in text(deactivate)
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_installation_admin
    assert db.session.get(User, admin.id).is_active
    assert events("user.updated") == []


def test_admin_can_be_demoted_once_another_admin_exists(client, make, admin):
    other = make.user("admin", language="en")
    response = client.post(
        f"/admin/users/{other.id}", data=edit_form(other, is_installation_admin=None)
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, other.id).is_installation_admin
    (event,) = events("user.updated")
    assert (event.before, event.after) == (
        {"is_installation_admin": True},
        {"is_installation_admin": False},
    )
    assert event.actor_id == admin.id


def test_deactivated_user_is_logged_out_and_cannot_log_in(app):
    # Without the `make` fixture's app context each request gets its own, as in production.
    with app.app_context():
        factory = Factory(app)
        admin_email = factory.user("admin", language="en").email
        officer = factory.user("officer", language="en")
        officer_id, officer_email = officer.id, officer.email
    officer_client, admin_client = app.test_client(), app.test_client()
    Auth(officer_client).login(officer_email)
    assert officer_client.get("/account").status_code == 200
    Auth(admin_client).login(admin_email)
    response = admin_client.post(
        f"/admin/users/{officer_id}",
        data={"name": "", "role": "officer", "language": "en", "organisation_id": ""},
    )
    assert response.status_code == 302
    assert "deactivated" in text(admin_client.get("/admin/users"))
    assert officer_client.get("/account").status_code == 302  # the open session ended
    again = Auth(app.test_client()).login(officer_email)
    assert again.status_code == 200
    assert 'id="password-error"' in text(again)  # refused, on the anonymous (Dutch) page


def test_admin_sets_new_password(client, make, admin):
    user = make.user("reporter", language="en")
    short = client.post(
        f"/admin/users/{user.id}/password",
        data={"pw-password": "kort", "pw-confirm": "kort", "pw-your_password": PASSWORD},
    )
    assert short.status_code == 200
    assert "Use at least 12 characters." in text(short)
    new = "nieuw en lang wachtwoord"
    response = client.post(
        f"/admin/users/{user.id}/password",
        data={"pw-password": new, "pw-confirm": new, "pw-your_password": PASSWORD},
    )
    assert response.status_code == 302
    (event,) = events("user.password_changed")
    assert event.object_id == user.id and event.actor_id == admin.id
    client.post("/logout")
    assert Auth(client).login(user.email, PASSWORD).status_code == 200
    assert Auth(client).login(user.email, new).status_code == 302


def test_unknown_user_is_404(client, admin):
    assert client.get("/admin/users/999999").status_code == 404


# Organisations


def test_admin_creates_organisation_with_audit_event(client, admin):
    response = client.post("/admin/organisations/new", data=organisation_form())
    assert response.status_code == 302
    org = db.session.scalars(sa.select(Organisation)).one()
    assert org.name == "Installatiebedrijf Noord B.V."
    assert org.ref_prefix == "NOORD" and org.fg_email == "fg@noord.example.nl"
    assert org.escalation_list == ["directie@noord.example.nl", "cfo@noord.example.nl"]
    assert org.timezone == "Europe/Amsterdam" and org.is_active
    (event,) = events("organisation.created")
    assert event.object_id == org.id and event.actor_id == admin.id
    assert event.after["kvk_number"] == "87654321"
    listing = text(client.get("/admin/organisations"))
    assert "Installatiebedrijf Noord B.V." in listing and "NOORD" in listing


def test_organisation_form_offers_common_zones_amsterdam_first(client, admin):
    page = text(client.get("/admin/organisations/new"))
    zones = re.findall(r'<option (?:selected )?value="([^"]+)"', page)
    assert zones[0] == "Europe/Amsterdam"
    assert "Europe/Brussels" in zones and "America/Curacao" in zones
    assert "DL-2026-0007" in page  # the prefix is explained


def test_organisation_errors_show_on_fields_and_keep_what_was_typed(client, make, admin):
    make.organisation(ref_prefix="NOORD")
    response = client.post(
        "/admin/organisations/new",
        data=organisation_form(kvk_number="1234", escalation_emails="directie, cfo@example.nl"),
    )
    assert response.status_code == 200
    page = text(response)
    assert "A KvK number has 8 digits." in page
    assert "Another organisation uses this prefix; refs must stay unique." in page
    assert "Not an e-mail address: directie." in page
    assert 'value="Installatiebedrijf Noord B.V."' in page
    assert 'value="1234"' in page and 'value="Fatima el Amrani"' in page
    assert count(Organisation) == 1
    assert len(events("organisation.created")) == 1  # the factory's


def test_admin_edits_organisation(client, make, admin):
    org = make.organisation(timezone="Europe/Amsterdam")
    data = organisation_form(
        name=org.name, ref_prefix=org.ref_prefix, timezone="Europe/Brussels", is_active=None
    )
    del data["is_active"]
    response = client.post(f"/admin/organisations/{org.id}", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    org = db.session.get(Organisation, org.id)
    assert org.timezone == "Europe/Brussels" and not org.is_active
    (event,) = events("organisation.updated")
    assert event.after["timezone"] == "Europe/Brussels" and event.after["is_active"] is False


def test_organisation_with_zone_outside_the_list_keeps_it(client, make, admin):
    org = make.organisation(timezone="Asia/Tokyo")
    page = text(client.get(f"/admin/organisations/{org.id}"))
    assert '<option selected value="Asia/Tokyo">' in page


# Catalogues


def test_catalogues_page_lists_every_kind_with_both_labels(client, admin):
    page = text(client.get("/admin/catalogues"))
    for title in ("Categories of personal data", "Kinds of incident", "Nature of the breach"):
        assert title in page
    assert "Burgerservicenummer (BSN) of sofinummer" in page
    assert "Citizen service number (BSN) or social security number" in page
    assert "built-in" in page


def test_added_catalogue_entry_appears_in_the_list(client, admin):
    data = {
        "kind": "personal_data",
        "code": "camera_images",
        "label_nl": "Camerabeelden",
        "label_en": "Camera images",
    }
    response = client.post("/admin/catalogues", data=data)
    assert response.status_code == 302
    entry = db.session.scalars(
        sa.select(CatalogueEntry).where(CatalogueEntry.code == "camera_images")
    ).one()
    assert entry.kind == "personal_data" and not entry.is_builtin and entry.is_active
    page = text(client.get("/admin/catalogues"))
    assert "Camerabeelden" in page and "Camera images" in page and "added" in page
    (event,) = events("catalogue.entry_added")
    assert event.object_id == entry.id and event.actor_id == admin.id


def test_catalogue_entry_errors_keep_what_was_typed(client, admin):
    response = client.post(
        "/admin/catalogues",
        data={"kind": "personal_data", "code": "bsn", "label_nl": "Dubbel", "label_en": ""},
    )
    assert response.status_code == 200
    page = text(response)
    assert "This code is already in use." in page
    assert "Give the English label." in page
    assert 'value="Dubbel"' in page
    assert count(CatalogueEntry, CatalogueEntry.label_nl == "Dubbel") == 0


def test_nature_of_breach_is_a_fixed_catalogue(client, admin):
    data = {"kind": "nature", "code": "x", "label_nl": "x", "label_en": "x"}
    page = text(client.post("/admin/catalogues", data=data))
    assert "Not a valid choice." in page
    assert count(CatalogueEntry, CatalogueEntry.kind == "nature") == 3


def test_builtin_entry_is_deactivated_and_reactivated_not_removed(client, admin):
    entry = db.session.scalars(sa.select(CatalogueEntry).where(CatalogueEntry.code == "bsn")).one()
    entry_id = entry.id
    assert client.post(f"/admin/catalogues/{entry_id}/deactivate").status_code == 302
    db.session.expire_all()
    assert not db.session.get(CatalogueEntry, entry_id).is_active
    assert "bsn" not in {e.code for e in _offered("personal_data")}
    assert client.post(f"/admin/catalogues/{entry_id}/reactivate").status_code == 302
    db.session.expire_all()
    assert db.session.get(CatalogueEntry, entry_id).is_active
    actions = [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-2:] == ["catalogue.entry_deactivated", "catalogue.entry_activated"]


def _offered(kind: str) -> list[CatalogueEntry]:
    from breachlog.catalogue.services import entries

    return entries(kind)


# CSRF


@pytest.fixture
def csrf_app(app: Flask, tmp_path: Any, backend: str) -> Iterator[Flask]:
    """A second app on the same database, with CSRF protection on as in production."""
    config = app_config(tmp_path / "csrf", backend)
    config.update(
        WTF_CSRF_ENABLED=True,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        SQLALCHEMY_ENGINE_OPTIONS=app.config["SQLALCHEMY_ENGINE_OPTIONS"],
    )
    protected = create_app(config)
    yield protected
    with protected.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_form_post_without_csrf_token_is_refused(csrf_app, make):
    email = make.user("admin", language="en").email
    client = csrf_app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    login = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert login.status_code == 302
    refused = client.post("/admin/users/new", data=user_form())
    assert refused.status_code == 400
    assert "nothing was saved" in text(refused)
    assert count(User, User.email == "jan.jansen@example.nl") == 0
    token = csrf_token(client.get("/admin/users/new").get_data(as_text=True))
    accepted = client.post("/admin/users/new", data={**user_form(), "csrf_token": token})
    assert accepted.status_code == 302
    db.session.rollback()  # a fresh snapshot: the write came through the other app
    assert count(User, User.email == "jan.jansen@example.nl") == 1
