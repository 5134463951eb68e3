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


def test_document_lists_every_operation_tested(api_schema):
    ids = {result.ok().definition.raw["operationId"] for result in api_schema.get_all_operations()}
    assert ids == set(OPERATIONS)


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_api_conforms_to_its_openapi_document(api_schema, make, operation_id):
    operation = api_schema.get_operation_by_id(operation_id)
    reporter = make.user("reporter")
    first = make.incident(now=NOW)
    own = make.incident(now=NOW, reporter=reporter, risk="high")
    refs = [first.ref, first.ref.lower(), own.ref, "DL-2026-9999"]
    authorizations = tokens(make, reporter)
    cases = operation.as_strategy()

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
