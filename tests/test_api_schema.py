"""The OpenAPI document against the running app: generated requests, checked responses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.formats import unregister_string_format

from breachlog import clock
from breachlog.auth import services as auth_services
from breachlog.extensions import db
from breachlog.incidents import services as incident_services
from breachlog.notifications import services as law_services

from .conftest import NOW

pytestmark = [
    # schemathesis 3 builds on jsonschema's RefResolver, deprecated since jsonschema 4.18
    pytest.mark.filterwarnings("ignore:jsonschema.RefResolver is deprecated:DeprecationWarning"),
    # TIMES below replaces the generator of date-time on purpose
    pytest.mark.filterwarnings("ignore:Overriding standard format 'date-time'"),
]

CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)
OPERATIONS = (
    "listIncidents",
    "reportIncident",
    "getIncident",
    "updateIncident",
    "addMeasure",
    "approveAwareAt",
    "approvePendingAct",
    "assessIncident",
    "recordNotification",
    "recordSubjectCommunication",
    "getApForm",
    "getRegisterPdf",
    "getRegisterCsv",
    "openapi",
)


# Times spread over years 1 to 9999 would nearly all be refused as future or too old;
# mix in recent ones so that successful writes are generated and checked too.
OFFSETS = [UTC, timezone(timedelta(hours=-12)), timezone(timedelta(hours=14))]
TIMES = st.one_of(
    st.datetimes(timezones=st.sampled_from(OFFSETS)),
    st.datetimes(datetime(2025, 1, 1), datetime(2026, 3, 10, 8), timezones=st.just(UTC)),
).map(datetime.isoformat)


@pytest.fixture
def api_schema(app, client, make, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    make.organisation()
    schemathesis.openapi.format("date-time", TIMES)
    document = client.get("/api/v1/openapi.json").get_json()
    # validate_schema: the document itself must be valid OpenAPI 3.0
    yield schemathesis.from_dict(document, app=app, validate_schema=True)
    unregister_string_format("date-time")


def tokens(make, reporter):
    """Mostly an admin, who may do everything; sometimes a role that may do less."""
    users = {role: make.user(role) for role in ("admin", "officer", "viewer")}
    users["reporter"] = reporter
    headers = {
        role: "Bearer " + auth_services.issue_api_token(user, actor="test", now=NOW)
        for role, user in users.items()
    }
    db.session.commit()
    return st.sampled_from([headers["admin"]] * 3 + list(headers.values()))


def seeded(make, reporter):
    """Named refs of incidents on which generated requests can succeed, so those are checked too.

    `complete` has every Art. 33(3) part and its risk assessed: a generated (or documented)
    initial notification is recorded on it. `notified` had its initial notification long ago,
    under a meldnummer of its own, so supplements and withdrawals succeed.
    """
    officer = make.user("officer")
    first = make.incident(now=NOW)
    own = make.incident(now=NOW, reporter=reporter)
    facts = {
        "nature": ["confidentiality"],
        "subject_categories": ["customers"],
        "consequences": "Phishing met echte factuurgegevens.",
    }
    complete = make.incident(now=NOW, **facts)
    notified = make.incident(now=NOW, discovered_at=datetime(2025, 1, 1, tzinfo=UTC), **facts)
    for incident in (complete, notified):
        incident_services.add_measure(incident, officer, NOW, kind="corrective", description="W")
        law_services.assess(incident, officer, NOW, risk="high", risk_rationale="IBAN's")
    law_services.assess(own, officer, NOW, risk="high", risk_rationale="IBAN's en adressen")
    law_services.record_notification(
        notified,
        officer,
        NOW,
        kind="initial",
        submitted_at=datetime(2025, 1, 2, tzinfo=UTC),
        meldnummer="AP-2025-000001",
    )
    db.session.commit()
    return {"first": first.ref, "own": own.ref, "complete": complete.ref, "notified": notified.ref}


def test_document_lists_every_operation_tested(api_schema):
    ids = {result.ok().definition.raw["operationId"] for result in api_schema.get_all_operations()}
    assert ids == set(OPERATIONS)


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_api_conforms_to_its_openapi_document(api_schema, make, operation_id):
    operation = api_schema.get_operation_by_id(operation_id)
    reporter = make.user("reporter")
    seed = seeded(make, reporter)
    refs = [seed["first"], seed["first"].lower(), seed["own"], "DL-2026-9999"]
    refs += [seed["complete"], seed["notified"]] * 2
    authorizations = tokens(make, reporter)
    # the document's request examples, now and then, so that documented writes are sent too
    examples = operation.get_strategies_from_examples()
    cases = st.one_of(operation.as_strategy(), *([st.one_of(examples)] if examples else []))

    @given(data=st.data())
    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    def check(data):
        case = data.draw(cases)
        ref = data.draw(st.sampled_from([*refs, None]))
        if case.path_parameters and ref is not None:
            # a generated ref is almost never a real one; mostly use one that exists
            case.path_parameters["ref"] = ref
        case.headers = {**(case.headers or {}), "Authorization": data.draw(authorizations)}
        case.call_and_validate(checks=CHECKS)

    check()


# Each request example of the document, sent where and in the order that it is accepted.
DOCUMENTED = [
    ("assessIncident", "first", "not_a_breach", 200),
    ("assessIncident", "complete", "high_risk", 200),
    ("recordNotification", "complete", "initial", 201),
    ("recordNotification", "complete", "supplement", 201),
    ("recordSubjectCommunication", "complete", "communication", 201),
    ("recordSubjectCommunication", "own", "exemption", 201),
    ("recordNotification", "notified", "withdrawal", 201),
]


def test_documented_examples_are_accepted_and_answered_as_documented(api_schema, make):
    reporter = make.user("reporter")
    refs = seeded(make, reporter)
    admin = "Bearer " + auth_services.issue_api_token(make.user("admin"), actor="test", now=NOW)
    db.session.commit()
    documented = set()
    for result in api_schema.get_all_operations():
        operation = result.ok()
        content = operation.definition.raw.get("requestBody", {}).get("content", {})
        for name in content.get("application/json", {}).get("examples", {}):
            documented.add((operation.definition.raw["operationId"], name))
    assert documented == {(operation_id, name) for operation_id, _, name, _ in DOCUMENTED}
    for operation_id, incident, name, status in DOCUMENTED:
        operation = api_schema.get_operation_by_id(operation_id)
        media = operation.definition.raw["requestBody"]["content"]["application/json"]
        case = operation.make_case(
            path_parameters={"ref": refs[incident]},
            body=media["examples"][name]["value"],
            media_type="application/json",
            headers={"Authorization": admin},
        )
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == status, (operation_id, name, response.json())
    for incident in refs.values():
        case = api_schema.get_operation_by_id("getApForm").make_case(
            path_parameters={"ref": incident},
            query={"lang": "nl"},
            headers={"Authorization": admin},
        )
        assert case.call_and_validate(checks=CHECKS).status_code == 200
