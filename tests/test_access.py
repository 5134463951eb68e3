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
# every employee reports, viewers (management) too
REPORTERS = EVERYONE

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
    ("POST", "/incidents/{ref}/pending-act/approve", HANDLERS),
    ("POST", "/incidents/{ref}/measures/{measure}/done", HANDLERS),
    ("GET", "/incidents/{ref}/measures/{measure}/edit", HANDLERS),
    ("POST", "/incidents/{ref}/measures/{measure}/edit", HANDLERS),
    ("POST", "/incidents/{ref}/measures/{measure}/reopen", HANDLERS),
    ("POST", "/incidents/{ref}/measures/{measure}/cancel", HANDLERS),
    ("POST", "/incidents/{ref}/reminders/retry", HANDLERS),
    ("POST", "/incidents/{ref}/move", HANDLERS),
    ("GET", "/account", EVERYONE),
    ("POST", "/account", EVERYONE),
    ("POST", "/account/tokens/revoke", EVERYONE),
    ("POST", "/account/sessions/end-others", EVERYONE),
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
    ("POST", "/admin/users/{user}/memberships", ADMINS),
    ("POST", "/admin/users/{user}/memberships/{org}/end", ADMINS),
    ("GET", "/admin/organisations", ADMINS),
    ("GET", "/admin/organisations/new", ADMINS),
    ("POST", "/admin/organisations/new", ADMINS),
    ("GET", "/admin/organisations/{org}", ADMINS),
    ("POST", "/admin/organisations/{org}", ADMINS),
    ("GET", "/admin/catalogues", ADMINS),
    ("POST", "/admin/catalogues", ADMINS),
    ("POST", "/admin/catalogues/{entry}/deactivate", ADMINS),
    ("POST", "/admin/catalogues/{entry}/reactivate", ADMINS),
    ("GET", "/admin/mail", ADMINS),
    ("POST", "/admin/mail", ADMINS),
    # the AP form, its copies as submitted and its PDF
    ("GET", "/incidents/{ref}/ap-form", READERS),
    ("GET", "/incidents/{ref}/ap-form?copy={notification}", READERS),
    ("GET", "/incidents/{ref}/ap-form.pdf", READERS),
]
PUBLIC = {
    "auth.login",
    "auth.login_code",
    "auth.setup",
    "auth.language",
    "auth.logout",
    "health.healthz",
    "ops.readyz",
    "ops.metrics",
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
    ("POST", "/api/v1/incidents/{ref}/pending-act/approval", HANDLERS),
    ("GET", "/api/v1/register/{year}.pdf", READERS),
    ("GET", "/api/v1/register/{year}.csv", READERS),
    # the AP form: whoever may read the incident
    ("GET", "/api/v1/incidents/{ref}/ap-form", READERS),
    ("GET", "/api/v1/incidents/{own}/ap-form", EVERYONE),
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
    from breachlog.notifications import services as law

    law.assess(other, users["officer"], make.now, risk="risk", risk_rationale="Adressen")
    notification = law.record_notification(
        other,
        users["officer"],
        make.now,
        kind="initial",
        submitted_at=make.now,
        meldnummer="M-2026-0001",
        answers={"nature": "Laptop gestolen", "consequences": "Phishing"},
        follows=["measures", "subjects", "contact", "records"],
    )
    db.session.commit()
    from breachlog.catalogue.models import CatalogueEntry

    entry = db.session.scalars(sa.select(CatalogueEntry)).first()
    values = {
        "notification": notification.id,
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


# The tenant axis: each role of a second organisation, with the first organisation's ids, on
# every route of the URL map and every operation of the OpenAPI document.

FIRST_TITLE = "Groenlek van klantgegevens"
UNKNOWN_REF = "GR-2026-9999"
# how each URL argument is filled with the first organisation's ids; a route with an argument
# not named here fails test_every_route_is_on_the_tenant_axis until it is classified
TENANT_ARGUMENTS = {
    "ref": "ref",
    "measure_id": "measure",
    "user_id": "user",
    "org_id": "org",
    "entry_id": "entry",
    "year": "year",
    "action": "action",
}


@pytest.fixture
def tenants(make):
    first = make.organisation("Groen Installatietechniek B.V.", ref_prefix="GR")
    second = make.organisation("Blauw Zorg B.V.", ref_prefix="BZ")
    theirs = {
        role: make.user(role, email=f"{role}@groen.example", organisation=first) for role in ROLES
    }
    ours = {
        role: make.user(role, email=f"{role}@blauw.example", organisation=second) for role in ROLES
    }
    from breachlog.incidents import services
    from breachlog.notifications import services as law

    incidents = [
        make.incident(first, reporter=theirs["reporter"], title=f"{FIRST_TITLE} {n}")
        for n in range(2)
    ]
    law.assess(incidents[0], theirs["officer"], make.now, risk="risk", risk_rationale="Adressen")
    measure = services.add_measure(
        incidents[0], theirs["officer"], make.now, kind="corrective", description="Wissen"
    )
    make.incident(second, reporter=ours["reporter"], title="Blauwlek")
    db.session.commit()
    from breachlog.catalogue.models import CatalogueEntry

    values = {
        "ref": incidents[0].ref,
        "measure": measure.id,
        "user": theirs["officer"].id,
        "org": first.id,
        "entry": db.session.scalars(sa.select(CatalogueEntry)).first().id,
        "year": incidents[0].ref_year,
        "action": "done",
    }
    secrets = {
        "incident_ids": [i.id for i in incidents],
        "user_ids": [u.id for u in theirs.values()],
        "org_id": first.id,
        "refs": [i.ref for i in incidents],
        "words": [FIRST_TITLE, first.name, *(u.email for u in theirs.values())],
    }
    return first, ours, values, secrets


def their_state(secrets):
    """Everything of the first organisation a request could change, and its audit events."""
    from breachlog.audit.models import AuditEvent
    from breachlog.auth.models import User
    from breachlog.orgs.members import Membership

    db.session.expire_all()
    about_them = sa.or_(
        AuditEvent.incident_id.in_(secrets["incident_ids"]),
        sa.and_(AuditEvent.object_type == "user", AuditEvent.object_id.in_(secrets["user_ids"])),
        sa.and_(
            AuditEvent.object_type == "organisation", AuditEvent.object_id == secrets["org_id"]
        ),
    )
    return (
        db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(about_them)),
        sorted(
            db.session.execute(
                sa.select(
                    User.email, User.password_hash, User.totp_secret, User.is_active_user
                ).where(User.id.in_(secrets["user_ids"]))
            )
        ),
        sorted(
            db.session.execute(
                sa.select(Membership.user_id, Membership.role).where(
                    Membership.organisation_id == secrets["org_id"]
                )
            )
        ),
    )


def tenant_urls(app, values):
    """(method, url) of every route but the public ones, filled with the first's ids."""
    adapter = app.url_map.bind("breachlog.test")
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC or rule.endpoint == "api.openapi_document":
            continue
        unknown = set(rule.arguments) - set(rule.defaults or {}) - set(TENANT_ARGUMENTS)
        assert not unknown, f"{rule.rule}: classify {unknown} in TENANT_ARGUMENTS"
        filled = {
            name: values[TENANT_ARGUMENTS[name]]
            for name in rule.arguments
            if name not in (rule.defaults or {})
        }
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            url = adapter.build(rule.endpoint, filled, method=method)
            # an organisation filter names the first organisation wherever one is read
            yield method, url + (f"?organisation={values['org']}" if method == "GET" else "")


def names_theirs(url: str, values) -> bool:
    """The URL names one of the first organisation's incidents, users or the organisation
    itself, or asks for its register: nothing but 403 or 404 will do."""
    path = url.split("?")[0]
    theirs = (
        f"/incidents/{values['ref']}",
        f"/admin/users/{values['user']}",
        f"/admin/organisations/{values['org']}",
        f"/memberships/{values['org']}/",
    )
    return any(f"{part}/" in f"{path}/" for part in theirs) or path.startswith(
        ("/register/", "/api/v1/register/")
    )


def shows_nothing_of_theirs(response, url, secrets) -> bool:
    body = response.get_data(as_text=True).replace(url.split("?")[0], "")
    body += response.headers.get("Location", "").replace(url.split("?")[0], "")
    return not any(ref in body for ref in secrets["refs"]) and not any(
        word in body for word in secrets["words"]
    )


def test_every_route_is_on_the_tenant_axis(app, tenants):
    first, ours, values, secrets = tenants
    assert len(list(tenant_urls(app, values))) > 50


def test_every_openapi_operation_is_a_route_on_the_tenant_axis(app, client, tenants):
    first, ours, values, secrets = tenants
    document = client.get("/api/v1/openapi.json").get_json()
    prefix = next(iter(document.get("servers", [])), {}).get("url", "/api/v1")
    adapter = app.url_map.bind("breachlog.test")
    for path, operations in document["paths"].items():
        concrete = prefix + path.replace("{ref}", values["ref"]).replace(
            "{year}", str(values["year"])
        )
        for method in operations:
            if method.upper() not in {"GET", "POST", "PATCH", "PUT", "DELETE"}:
                continue
            endpoint, _ = adapter.match(concrete, method=method.upper())
            assert endpoint not in PUBLIC, path


@pytest.mark.parametrize("role", ROLES)
def test_a_role_of_another_organisation_gets_nothing_of_the_first_on_the_web(
    app, client, auth, tenants, role
):
    first, ours, values, secrets = tenants
    before = their_state(secrets)
    for method, url in tenant_urls(app, values):
        if url.startswith("/api/"):
            continue
        auth.login(ours[role].email)
        response = client.open(url, method=method)
        assert response.status_code < 500, f"{role} {method} {url}"
        assert shows_nothing_of_theirs(response, url, secrets), f"{role} {method} {url}"
        if values["ref"] in url:
            # exactly as an unknown ref: 404, or 403 where the role may not use the page at all
            unknown = client.open(url.replace(values["ref"], UNKNOWN_REF), method=method)
            assert response.status_code == unknown.status_code, f"{role} {method} {url}"
        if names_theirs(url, values):
            assert response.status_code in (403, 404), f"{role} {method} {url}"
        auth.logout()
    assert their_state(secrets) == before


@pytest.mark.parametrize("role", ROLES)
def test_a_role_of_another_organisation_gets_nothing_of_the_first_in_the_api(
    app, client, make, tenants, role
):
    first, ours, values, secrets = tenants
    token = issue_api_token(ours[role], actor="test", now=make.now)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    before = their_state(secrets)
    for method, url in tenant_urls(app, values):
        if not url.startswith("/api/"):
            continue
        response = client.open(url, method=method, json={}, headers=headers)
        assert response.status_code < 500, f"{role} {method} {url}"
        assert shows_nothing_of_theirs(response, url, secrets), f"{role} {method} {url}"
        if values["ref"] in url:
            unknown = client.open(
                url.replace(values["ref"], UNKNOWN_REF), method=method, json={}, headers=headers
            )
            assert response.status_code == unknown.status_code, f"{role} {method} {url}"
            assert response.get_json() == unknown.get_json(), f"{role} {method} {url}"
        if names_theirs(url, values):
            assert response.status_code in (403, 404), f"{role} {method} {url}"
    assert their_state(secrets) == before
