from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from breachlog import clock
from breachlog.api.fields import ASSESSED_FIELDS, INCIDENT_FIELDS, PART_FIELDS
from breachlog.audit.models import AuditEvent
from breachlog.auth import services as auth_services
from breachlog.auth.models import ApiToken
from breachlog.domain import law
from breachlog.extensions import db
from breachlog.incidents.models import ASSESSMENT_FIELDS, EDITABLE_FIELDS, Incident
from breachlog.notifications import services as law_services

from .conftest import NOW

API = "/api/v1"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def org(make):
    return make.organisation()


def bearer(user, organisation=None):
    secret = auth_services.issue_api_token(
        user, actor="test", now=NOW, organisation_id=organisation.id if organisation else None
    )
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def token_for(make, role):
    return bearer(make.user(role))


def assessed(make, incident, risk, rationale="Adressen en IBAN's van klanten"):
    """The assessment goes through its own service: PATCH does not take it."""
    law_services.assess(incident, make.user("officer"), NOW, risk=risk, risk_rationale=rationale)
    db.session.commit()
    return incident


def report(client, headers, **body):
    body.setdefault("title", "Factuur naar verkeerde klant gemaild")
    return client.post(f"{API}/incidents", json=body, headers=headers)


# -- who may call


def test_no_token_is_401_with_a_bearer_challenge(client, org):
    response = client.get(f"{API}/incidents")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "token" in response.get_json()["error"]


@pytest.mark.parametrize(
    "header", ["Bearer bl_not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "bl_no_scheme"]
)
def test_bad_token_is_401(client, org, header):
    response = client.get(f"{API}/incidents", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_named_invalid(client, org):
    response = client.get(f"{API}/incidents", headers={"Authorization": "Bearer bl_guess"})
    assert (
        response.headers["WWW-Authenticate"] == 'Bearer realm="breachlog", error="invalid_token"'
    )


def test_revoked_token_and_inactive_user_are_401(client, make, org):
    officer, viewer = make.user("officer"), make.user("viewer")
    revoked, deactivated = bearer(officer), bearer(viewer)
    assert client.get(f"{API}/incidents", headers=revoked).status_code == 200
    assert client.get(f"{API}/incidents", headers=deactivated).status_code == 200
    db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == officer.id)
    ).one().revoked_at = NOW
    auth_services.update_user(viewer, {"is_active": False}, actor=officer, now=NOW)
    db.session.commit()
    assert client.get(f"{API}/incidents", headers=revoked).status_code == 401
    assert client.get(f"{API}/incidents", headers=deactivated).status_code == 401


def test_web_session_does_not_authenticate_the_api(client, make, auth, org):
    officer = make.user("officer")
    assert auth.login(officer.email).status_code == 302
    response = client.get(f"{API}/incidents")
    assert response.status_code == 401
    assert "Set-Cookie" not in client.get(f"{API}/incidents", headers=bearer(officer)).headers


def test_api_needs_no_csrf_token(app, client, make, org):
    app.config["WTF_CSRF_ENABLED"] = True
    headers = token_for(make, "officer")
    assert client.post("/login", data={"email": "x@example.nl"}).status_code == 400
    assert report(client, headers).status_code == 201


@pytest.mark.parametrize(
    ("role", "report_status", "patch_status", "measure_status"),
    [
        ("reporter", 201, 403, 403),
        ("viewer", 201, 403, 403),
        ("officer", 201, 200, 201),
        ("admin", 201, 200, 201),
    ],
)
def test_what_each_role_may_do(
    client, make, org, role, report_status, patch_status, measure_status
):
    user = make.user(role)
    incident = make.incident(reporter=user, now=NOW)
    headers = bearer(user)
    assert client.get(f"{API}/incidents/{incident.ref}", headers=headers).status_code == 200
    assert report(client, headers).status_code == report_status
    patch = client.patch(f"{API}/incidents/{incident.ref}", json={"cause": "x"}, headers=headers)
    assert patch.status_code == patch_status
    measure = {"kind": "corrective", "description": "Laptop op afstand gewist"}
    added = client.post(f"{API}/incidents/{incident.ref}/measures", json=measure, headers=headers)
    assert added.status_code == measure_status
    if patch_status == 403:
        assert patch.get_json() == {"error": "Your role does not allow this."}


def test_reporter_sees_only_own_reports(client, make, org):
    alice, bob = make.user("reporter"), make.user("reporter")
    own = make.incident(reporter=alice, now=NOW, title="Van Alice")
    other = make.incident(reporter=bob, now=NOW, title="Van Bob")
    headers = bearer(alice)
    listed = client.get(f"{API}/incidents", headers=headers).get_json()
    assert [item["ref"] for item in listed["items"]] == [own.ref]
    assert listed["total"] == 1
    hidden = client.get(f"{API}/incidents/{other.ref}", headers=headers)
    unknown = client.get(f"{API}/incidents/DL-2026-9999", headers=headers)
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.get_json() == unknown.get_json()
    viewer = bearer(make.user("viewer"))
    assert client.get(f"{API}/incidents", headers=viewer).get_json()["total"] == 2


@pytest.mark.parametrize("ref", ["DL-2026-9999", "nonsense", "DL-2026-0001%00"])
def test_unknown_ref_is_404_everywhere(client, make, org, ref):
    headers = token_for(make, "officer")
    assert client.get(f"{API}/incidents/{ref}", headers=headers).status_code == 404
    patch = client.patch(f"{API}/incidents/{ref}", json={"title": "x"}, headers=headers)
    assert patch.status_code == 404
    measure = {"kind": "corrective", "description": "x"}
    added = client.post(f"{API}/incidents/{ref}/measures", json=measure, headers=headers)
    assert added.status_code == 404
    assert added.get_json() == {"error": "No incident with this ref."}


# -- reporting


def test_report_creates_an_incident_with_ref_deadline_and_location(client, make, org):
    reporter = make.user("reporter")
    response = report(
        client,
        bearer(reporter),
        summary="Een factuur met adresgegevens ging naar Bakkerij De Vries.",
        aware_at="2026-03-10T08:30:00+01:00",
        personal_data=["name_address", "financial"],
        people_min=1,
        people_max=1,
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["ref"] == "DL-2026-0001"
    assert body["aware_at"] == "2026-03-10T07:30:00+00:00"
    assert body["deadline_at"] == "2026-03-13T07:30:00+00:00"
    assert body["risk"] == "unassessed"
    assert body["status"] == "open"
    assert body["reporter"] == reporter.email
    assert body["assignee"] is None
    assert body["organisation"] == {"id": org.id, "name": org.name}
    assert body["measures"] == []
    assert response.headers["Location"] == f"{API}/incidents/DL-2026-0001"
    assert body["is_personal_data_breach"] is True
    assert body["enisa"] is None
    assert (body["notified_at"], body["meldnummer"], body["is_withdrawn"]) == (None, "", False)
    assert (body["subjects_informed_at"], body["exemption_ground"]) == (None, None)
    assert body["still_missing"] == ["assess the risk"]
    assert body["notifications"] == body["subject_communications"] == []
    expected = {*EDITABLE_FIELDS, *ASSESSMENT_FIELDS, "ref", "deadline_at", "status", "enisa"}
    expected |= {"notified_at", "meldnummer", "is_withdrawn", "subjects_informed_at"}
    expected |= {"exemption_ground", "still_missing", "organisation", "reporter", "assignee"}
    expected |= {"created_at", "updated_at", "closed_at", "measures", "notifications"}
    expected |= {"subject_communications", "owed_parts"}
    expected |= {"first_aware_at", "first_deadline_at", "aware_at_reason"}
    expected |= {"pending_aware_at", "pending_aware_reason", "pending_act"}
    assert set(body) == expected
    again = report(client, bearer(reporter)).get_json()
    assert again["ref"] == "DL-2026-0002"
    assert client.get(response.headers["Location"], headers=bearer(reporter)).status_code == 200


def test_aware_at_defaults_to_discovery_then_to_now(client, make, org):
    headers = token_for(make, "officer")
    discovered = report(client, headers, discovered_at="2026-03-09T14:30:00Z").get_json()
    assert discovered["aware_at"] == "2026-03-09T14:30:00+00:00"
    assert discovered["deadline_at"] == "2026-03-12T14:30:00+00:00"
    plain = report(client, headers).get_json()
    assert plain["aware_at"] == NOW.isoformat()


def test_a_token_reports_into_its_own_organisation_only(client, make, org):
    other = make.organisation()
    headers = bearer(make.user("officer"), other)  # a member of both; the token of one
    unknown = report(client, headers, organisation_id=999_999)
    assert unknown.status_code == 422
    elsewhere = report(client, headers, organisation_id=org.id)
    assert elsewhere.status_code == 422
    assert elsewhere.get_json() == unknown.get_json()
    chosen = report(client, headers)
    assert chosen.status_code == 201
    assert chosen.get_json()["ref"] == f"{other.ref_prefix}-2026-0001"
    named = report(client, headers, organisation_id=other.id)
    assert named.get_json()["ref"] == f"{other.ref_prefix}-2026-0002"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"discovered_at": "2026-03-10T08:00:00"}, "discovered_at"),
        ({"discovered_at": "gisteren"}, "discovered_at"),
        ({"aware_at": "0001-01-01T00:00:00+01:00"}, "aware_at"),
        ({"aware_at": "2027-01-01T00:00:00+00:00"}, "aware_at"),
        ({"incident_type": "meteorite"}, "incident_type"),
        ({"personal_data": ["shoe_size"]}, "personal_data"),
        ({"personal_data": ["email", "email"]}, "personal_data"),
        ({"personal_data": "email"}, "personal_data"),
        ({"people_min": 10, "people_max": 2}, "people_max"),
        ({"people_min": "ten"}, "people_min"),
        ({"people_min": True}, "people_min"),
        ({"people_min": 1.5}, "people_min"),
        ({"people_min": -1}, "people_min"),
        ({"people_min": 10**30}, "people_min"),
        ({"title": None}, "title"),
        ({"title": 5}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": {"nested": [["junk"]]}}, "title"),
        ({"summary": "nul\x00byte"}, "summary"),
        ({"risk": "high"}, "risk"),
        ({"shoe_size": 43}, "shoe_size"),
    ],
)
def test_bad_report_is_422_naming_the_field(client, make, org, body, field):
    response = report(client, token_for(make, "reporter"), **body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert db.session.scalar(sa.select(sa.func.count(Incident.id))) == 0


def test_time_without_offset_says_so(client, make, org):
    response = report(client, token_for(make, "reporter"), aware_at="2026-03-10T08:00")
    assert response.get_json() == {
        "errors": {"aware_at": ["Give a time zone offset, for example 2026-03-01T09:30:00+01:00."]}
    }


def test_missing_title_and_unknown_field_are_reported_together(client, make, org):
    response = client.post(
        f"{API}/incidents", json={"titel": "typo"}, headers=token_for(make, "reporter")
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "title": ["This field is required."],
        "titel": ["Unknown field."],
    }


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("", "application/json"),
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ('"title"', "application/json"),
        ('{"title": NaN}', "application/json"),
        ('{"title": -Infinity}', "application/json"),
        ("[" * 100_000, "application/json"),
        (b"\xff\xfe", "application/json"),
        ("title=Laptop", "application/x-www-form-urlencoded"),
        ('{"title": "Laptop"}', "text/plain"),
    ],
)
def test_body_that_is_not_a_json_object_is_422(client, make, org, data, content_type):
    headers = {**token_for(make, "officer"), "Content-Type": content_type}
    response = client.post(f"{API}/incidents", data=data, headers=headers)
    assert response.status_code == 422
    assert "body" in response.get_json()["errors"]


# -- changing


def test_patch_changes_facts_and_writes_an_audit_event(client, make, org):
    officer = make.user("officer", email="fg@example.nl")
    incident = make.incident(now=NOW)
    response = client.patch(
        f"{API}/incidents/{incident.ref.lower()}",
        json={"cause": "Laptop niet versleuteld", "assignee_id": officer.id},
        headers=bearer(officer),
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["cause"], body["assignee"]) == ("Laptop niet versleuteld", "fg@example.nl")
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "incident.updated")
    ).one()
    assert event.actor == "fg@example.nl"
    assert event.incident_id == incident.id
    assert (event.before["cause"], event.before["assignee_id"]) == ("", None)
    assert (event.after["cause"], event.after["assignee_id"]) == (
        "Laptop niet versleuteld",
        officer.id,
    )


def test_moving_aware_at_needs_a_reason(client, make, org):
    incident = make.incident(now=NOW)
    headers = token_for(make, "officer")
    assert incident.aware_at == NOW - timedelta(hours=2)
    later = "2026-03-10T09:00:00+01:00"
    url = f"{API}/incidents/{incident.ref}"
    refused = client.patch(url, json={"aware_at": later}, headers=headers)
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["aware_at_reason"]
    moved = client.patch(
        url,
        json={"aware_at": later, "aware_at_reason": "Mail was al eerder gelezen"},
        headers=headers,
    )
    assert moved.status_code == 200
    assert moved.get_json()["deadline_at"] == "2026-03-13T08:00:00+00:00"
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "incident.updated")
    ).one()
    assert event.reason == "Mail was al eerder gelezen"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "closed"}, "status"),
        ({"title": None}, "title"),
        ({"aware_at": None}, "aware_at"),
        ({"is_ongoing": "yes"}, "is_ongoing"),
        ({"is_protected": 1}, "is_protected"),
        ({"member_states": ["Belgium"]}, "member_states"),
        ({"is_cross_border": True}, "member_states"),
        ({"assignee_id": 999_999}, "assignee_id"),
        ({"organisation_id": 999_999}, "organisation_id"),
        ({"people_min": 10**30}, "people_min"),
        ({"people_max": 2.5}, "people_max"),
    ],
)
def test_bad_patch_is_422_and_changes_nothing(client, make, org, body, field):
    incident = make.incident(now=NOW)
    before = client.get(f"{API}/incidents/{incident.ref}", headers=token_for(make, "viewer"))
    response = client.patch(
        f"{API}/incidents/{incident.ref}", json=body, headers=token_for(make, "officer")
    )
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    after = client.get(f"{API}/incidents/{incident.ref}", headers=token_for(make, "viewer"))
    assert after.get_json() == before.get_json()


@pytest.mark.parametrize("name", ASSESSMENT_FIELDS)
def test_patch_refuses_the_assessment_fields(client, make, org, name):
    incident = make.incident(now=NOW)
    value = {"risk": "high", "enisa_dpc": 2}.get(name, "x")
    response = client.patch(
        f"{API}/incidents/{incident.ref}",
        json={name: value, "cause": "Laptop niet versleuteld"},
        headers=token_for(make, "officer"),
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        name: ["Part of the assessment: send it with POST /incidents/{ref}/assessment."]
    }
    db.session.expire_all()
    assert (incident.risk, incident.cause) == ("unassessed", "")


def test_number_too_large_for_a_float_is_422(client, make, org):
    incident = make.incident(now=NOW)
    headers = {**token_for(make, "officer"), "Content-Type": "application/json"}
    url = f"{API}/incidents/{incident.ref}/assessment"
    for raw in ("1e400", "1" + "0" * 400):
        body = f'{{"risk": "none", "risk_rationale": "x", "enisa": {{"dpc": {raw}, "ei": 1}}}}'
        response = client.post(url, data=body, headers=headers)
        assert response.status_code == 422
        assert list(response.get_json()["errors"]) == ["enisa.dpc"]


def test_measures_are_added_and_listed(client, make, org):
    incident = make.incident(now=NOW)
    headers = token_for(make, "officer")
    url = f"{API}/incidents/{incident.ref}/measures"
    response = client.post(
        url,
        json={
            "kind": "preventive",
            "description": "Versleutel alle laptops",
            "owner": "IT",
            "due_on": "2026-04-01",
        },
        headers=headers,
    )
    assert response.status_code == 201
    assert response.headers["Location"] == f"{API}/incidents/{incident.ref}"
    measure = response.get_json()
    assert (measure["kind"], measure["due_on"], measure["done_at"]) == (
        "preventive",
        "2026-04-01",
        None,
    )
    shown = client.get(f"{API}/incidents/{incident.ref}", headers=headers).get_json()
    assert shown["measures"] == [measure]
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "measure.added" in actions
    for bad, field in (
        ({"kind": "sideways", "description": "x"}, "kind"),
        ({"kind": "corrective"}, "description"),
        ({"kind": "corrective", "description": "x", "due_on": "1 april"}, "due_on"),
        ({"kind": "corrective", "description": "x", "done_at": "2026-03-10T09:00"}, "done_at"),
    ):
        refused = client.post(url, json=bad, headers=headers)
        assert refused.status_code == 422
        assert field in refused.get_json()["errors"]


# -- the register list


def test_list_filters(client, make, org):
    second = make.organisation()
    laptop = make.incident(now=NOW, incident_type="lost_device", title="Laptop in de trein")
    mail = assessed(
        make,
        make.incident(now=NOW, incident_type="wrong_recipient", title="Mail 100% verkeerd"),
        "high",
    )
    older = make.incident(now=NOW, title="Oud lek", discovered_at=NOW - timedelta(days=400))
    make.incident(now=NOW, title="Elders", organisation=second)
    headers = bearer(make.user("viewer"), org)

    def refs(**params):
        response = client.get(f"{API}/incidents", query_string=params, headers=headers)
        assert response.status_code == 200
        return {item["ref"] for item in response.get_json()["items"]}

    assert refs() == {laptop.ref, mail.ref, older.ref}
    assert refs(year=2025) == {older.ref}
    assert refs(organisation=org.id) == {laptop.ref, mail.ref, older.ref}
    assert refs(organisation=second.id) == set()  # the token's organisation only
    assert refs(risk="high") == {mail.ref}
    assert refs(status="open", type="lost_device") == {laptop.ref}
    assert refs(q="TREIN") == {laptop.ref}
    assert refs(q="100%") == {mail.ref}
    assert refs(q="%") == {mail.ref}
    assert refs(q=mail.ref.lower()) == {mail.ref}
    assert refs(q="klantgegevens") == {laptop.ref, mail.ref, older.ref}


def test_list_pages(client, make, org):
    for hours in range(5):
        make.incident(now=NOW, discovered_at=NOW - timedelta(hours=hours + 1))
    headers = token_for(make, "viewer")
    first = client.get(f"{API}/incidents?per_page=2", headers=headers).get_json()
    last = client.get(f"{API}/incidents?per_page=2&page=3", headers=headers).get_json()
    assert (first["total"], first["page"], first["per_page"]) == (5, 1, 2)
    assert [i["ref"] for i in first["items"]] == ["DL-2026-0001", "DL-2026-0002"]
    assert [i["ref"] for i in last["items"]] == ["DL-2026-0005"]


def test_list_pages_follow_awareness_not_the_order_of_reporting(client, make, org):
    made = {
        hours: make.incident(now=NOW, discovered_at=NOW - timedelta(hours=hours)).ref
        for hours in (3, 1, 5, 2, 4)
    }
    headers = token_for(make, "viewer")
    listed = []
    for page in (1, 2):
        answer = client.get(f"{API}/incidents?per_page=3&page={page}", headers=headers)
        listed += [item["ref"] for item in answer.get_json()["items"]]
    assert listed == [made[hours] for hours in (1, 2, 3, 4, 5)]


@pytest.mark.parametrize(
    "query",
    [
        "per_page=101",
        "per_page=0",
        "page=0",
        "page=99999999999999999999999999",
        "year=twenty",
        "status=lost",
        "risk=extreme",
        "type=meteorite",
        "q=" + "x" * 201,
        "q=%00",
    ],
)
def test_bad_list_parameters_are_422(client, make, org, query):
    response = client.get(f"{API}/incidents?{query}", headers=token_for(make, "viewer"))
    assert response.status_code == 422
    assert query.split("=")[0] in response.get_json()["errors"]


# -- the document


def test_openapi_document_is_public_and_names_every_operation(client, org):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"] == "3.0.3"
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    operations = {
        (path, method)
        for path, item in doc["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert operations == {
        ("/incidents", "get"),
        ("/incidents", "post"),
        ("/incidents/{ref}", "get"),
        ("/incidents/{ref}", "patch"),
        ("/incidents/{ref}/measures", "post"),
        ("/incidents/{ref}/aware-at/approval", "post"),
        ("/incidents/{ref}/pending-act/approval", "post"),
        ("/incidents/{ref}/assessment", "post"),
        ("/incidents/{ref}/notifications", "post"),
        ("/incidents/{ref}/subject-communications", "post"),
        ("/incidents/{ref}/ap-form", "get"),
        ("/register/{year}.pdf", "get"),
        ("/register/{year}.csv", "get"),
        ("/openapi.json", "get"),
    }
    schemas = doc["components"]["schemas"]
    assert set(schemas["IncidentChanges"]["properties"]) == {*EDITABLE_FIELDS, "aware_at_reason"}
    assert schemas["NewIncident"]["additionalProperties"] is False
    assert "lost_device" in schemas["NewIncident"]["properties"]["incident_type"]["enum"]

    assert not set(ASSESSMENT_FIELDS) & set(schemas["IncidentChanges"]["properties"])
    assert set(schemas["Incident"]["properties"]) >= {*EDITABLE_FIELDS, *ASSESSMENT_FIELDS}
    assert set(schemas["Assessment"]["properties"]["enisa"]["required"]) == {"dpc", "ei"}


def test_api_knows_every_editable_field():
    assert tuple(INCIDENT_FIELDS) == EDITABLE_FIELDS


def test_api_shows_every_assessment_field():
    assert tuple(ASSESSED_FIELDS) == ASSESSMENT_FIELDS


def test_api_knows_every_part_of_article_33_3():
    assert tuple(PART_FIELDS) == tuple(law.REQUIRED_PARTS)
