"""Every route, every role: who gets in, who is sent to log in, who is refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from breachlog.auth.services import issue_api_token
from breachlog.extensions import db
from breachlog.incidents.models import Incident

ROLES = ("admin", "officer", "viewer", "reporter")
EVERYONE, READERS, HANDLERS, ADMINS = (
    set(ROLES),
    {"admin", "officer", "viewer"},
    {"admin", "officer"},
    {"admin"},
)
REPORTERS = {"admin", "officer", "reporter"}

# (method, path, roles allowed). {ref}: someone else's incident; {own}: the reporter's own.
WEB = [
    ("GET", "/", REPORTERS | READERS),
    ("GET", "/mine", REPORTERS),
    ("GET", "/report", REPORTERS),
    ("POST", "/report", REPORTERS),
    ("GET", "/register", READERS),
    ("GET", "/register/{year}.pdf", READERS),
    ("GET", "/register/{year}.csv", READERS),
    ("GET", "/incidents/{ref}", READERS),
    ("GET", "/incidents/{own}", EVERYONE),
    ("GET", "/incidents/{ref}/edit", HANDLERS),
    ("POST", "/incidents/{ref}/edit", HANDLERS),
    ("POST", "/incidents/{ref}/measures", HANDLERS),
    ("POST", "/incidents/{ref}/aware-at/approve", HANDLERS),
    ("POST", "/incidents/{ref}/measures/{measure}/done", HANDLERS),
    ("POST", "/incidents/{ref}/reminders/retry", HANDLERS),
    ("GET", "/account", EVERYONE),
    ("POST", "/account", EVERYONE),
    ("POST", "/account/tokens/revoke", EVERYONE),
    ("POST", "/account/two-factor/start", EVERYONE),
    ("GET", "/account/two-factor", EVERYONE),
    ("POST", "/account/two-factor", EVERYONE),
    ("POST", "/account/two-factor/disable", EVERYONE),
    ("POST", "/account/two-factor/recovery-codes", EVERYONE),
    ("GET", "/admin/users", ADMINS),
    ("GET", "/admin/users/new", ADMINS),
    ("POST", "/admin/users/new", ADMINS),
    ("GET", "/admin/users/{user}", ADMINS),
    ("POST", "/admin/users/{user}", ADMINS),
    ("POST", "/admin/users/{user}/password", ADMINS),
    ("POST", "/admin/users/{user}/two-factor/reset", ADMINS),
    ("POST", "/admin/users/{user}/tokens/revoke", ADMINS),
    ("GET", "/admin/organisations", ADMINS),
    ("GET", "/admin/organisations/new", ADMINS),
    ("POST", "/admin/organisations/new", ADMINS),
    ("GET", "/admin/organisations/{org}", ADMINS),
    ("POST", "/admin/organisations/{org}", ADMINS),
    ("GET", "/admin/catalogues", ADMINS),
    ("POST", "/admin/catalogues", ADMINS),
    ("POST", "/admin/catalogues/{entry}/deactivate", ADMINS),
    ("POST", "/admin/catalogues/{entry}/reactivate", ADMINS),
]
PUBLIC = {
    "auth.login",
    "auth.login_code",
    "auth.setup",
    "auth.language",
    "auth.logout",
    "health.healthz",
    "static",
}
API = [
    ("GET", "/api/v1/incidents", EVERYONE),
    ("POST", "/api/v1/incidents", REPORTERS),
    ("GET", "/api/v1/incidents/{ref}", READERS),
    ("GET", "/api/v1/incidents/{own}", EVERYONE),
    ("PATCH", "/api/v1/incidents/{ref}", HANDLERS),
    ("POST", "/api/v1/incidents/{ref}/measures", HANDLERS),
    ("POST", "/api/v1/incidents/{ref}/aware-at/approval", HANDLERS),
    ("GET", "/api/v1/register/{year}.pdf", READERS),
    ("GET", "/api/v1/register/{year}.csv", READERS),
]


@pytest.fixture
def world(make):
    org = make.organisation()
    users = {role: make.user(role) for role in ROLES}
    other = make.incident(org, reporter=make.user("reporter"))
    own = make.incident(org, reporter=users["reporter"])
    from breachlog.incidents import services

    measure = services.add_measure(
        other, users["officer"], make.now, kind="corrective", description="Wachtwoorden resetten"
    )
    db.session.commit()
    from breachlog.catalogue.models import CatalogueEntry

    entry = db.session.scalars(sa.select(CatalogueEntry)).first()
    values = {
        "ref": other.ref,
        "own": own.ref,
        "measure": measure.id,
        "user": users["viewer"].id,
        "org": org.id,
        "entry": entry.id,
        "year": other.ref_year,
    }
    return users, values


def fill(path, values):
    return path.format(**values)


def refused(status: int) -> bool:
    return status in (403, 404)


def test_every_route_is_in_the_matrix(app):
    covered = {(m, p.split("{")[0]) for m, p, _ in WEB + API}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC or rule.endpoint == "api.openapi_document":
            continue
        prefix = rule.rule.split("<")[0]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, prefix) in covered, f"{method} {rule.rule} has no access row"


@pytest.mark.parametrize(("method", "path", "allowed"), WEB)
def test_web_route_per_role(app, client, auth, world, method, path, allowed):
    users, values = world
    url = fill(path, values)
    anonymous = client.open(url, method=method)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    for role in ROLES:
        auth.login(users[role].email)
        status = client.open(url, method=method).status_code
        if role in allowed:
            assert not refused(status) and status < 500, f"{role} {method} {url}: {status}"
        else:
            assert refused(status), f"{role} should be refused {method} {url}, got {status}"
        auth.logout()
    db.session.rollback()


@pytest.mark.parametrize(("method", "path", "allowed"), API)
def test_api_route_per_role(app, client, make, world, method, path, allowed):
    users, values = world
    url = fill(path, values)
    assert client.open(url, method=method, json={}).status_code == 401
    before = db.session.scalar(sa.select(sa.func.count(Incident.id)))
    for role in ROLES:
        token = issue_api_token(users[role], actor="test", now=make.now)
        db.session.commit()
        response = client.open(
            url, method=method, json={}, headers={"Authorization": f"Bearer {token}"}
        )
        if role in allowed:
            assert not refused(response.status_code), f"{role} {method} {url}"
            assert response.status_code < 500
        else:
            assert refused(response.status_code), f"{role} {method} {url}"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Incident.id))) == before
