"""The three-state facts and the meldformulier's own answers through the JSON API."""

from __future__ import annotations

import pytest

from breachlog.extensions import db
from breachlog.incidents.models import Incident

from .conftest import NOW
from .test_api import API, bearer, fixed_clock, org, report  # noqa: F401
from .test_api_law import assess, errors, notify

BELGIAN = {"authority": "APD", "country": "BE", "notified_on": "2026-03-09", "reference": "X1"}


@pytest.fixture
def officer(make, org):  # noqa: F811
    return make.user("officer", email="fg@example.nl", name="Fenna de Groot")


@pytest.fixture
def headers(officer):
    return bearer(officer)


def patch(client, headers, ref, **body):
    return client.patch(f"{API}/incidents/{ref}", json=body, headers=headers)


def test_a_new_report_gives_null_for_what_nobody_said(client, headers):
    body = report(client, headers).get_json()
    for name in (
        "is_ongoing",
        "is_dpo_involved",
        "is_cross_border",
        "is_protected",
        "has_special_categories",
        "other_authorities_notified",
    ):
        assert body[name] is None, name
    assert (body["law"], body["severity"], body["other_authorities"]) == ("avg", "", [])


def test_a_report_may_answer_the_reporters_questions(client, headers):
    body = report(client, headers, is_ongoing=False, special_categories=["health"]).get_json()
    assert (body["is_ongoing"], body["has_special_categories"]) == (False, True)


def test_patch_answers_the_ap_questions_and_null_goes_back_to_not_known(client, headers):
    ref = report(client, headers).get_json()["ref"]
    response = patch(
        client,
        headers,
        ref,
        is_ongoing=True,
        is_cross_border=True,
        member_states=["BE"],
        data_outcomes=["stolen"],
        harm_kinds=["material"],
        severity="medium",
        other_authorities=[BELGIAN],
        subjects_plan="not",
        subjects_plan_reason="De gegevens waren versleuteld (art. 34 lid 3 sub a).",
        subjects_planned_on=None,
        other_organisations="Drukkerij Jansen",
        other_remarks="Ook aan de politie gemeld.",
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["other_authorities"] == [BELGIAN]
    assert body["other_authorities_notified"] is True
    assert (body["is_ongoing"], body["severity"], body["subjects_plan"]) == (True, "medium", "not")
    body = patch(client, headers, ref, is_ongoing=None, is_cross_border=None).get_json()
    assert (body["is_ongoing"], body["is_cross_border"]) == (None, None)
    incident = db.session.get(Incident, db.session.query(Incident.id).scalar())
    db.session.refresh(incident)
    assert incident.is_ongoing is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"other_authorities": [{**BELGIAN, "country": "XX"}]}, "other_authorities[0].country"),
        ({"other_authorities": [{"country": "BE"}]}, "other_authorities[0].authority"),
        (
            {"other_authorities": [BELGIAN, {**BELGIAN, "notified_on": "2099-01-01"}]},
            "other_authorities[1].notified_on",
        ),
        (
            {"other_authorities": [{**BELGIAN, "reference": "\x00"}]},
            "other_authorities[0].reference",
        ),
        (
            {"other_authorities": [{**BELGIAN, "reference": "x" * 10_000}]},
            "other_authorities[0].reference",
        ),
        ({"other_authorities": [{**BELGIAN, "notified_on": "2026-03-11"}]}, "other_authorities"),
        ({"other_authorities": "APD"}, "other_authorities"),
        ({"other_authorities": [BELGIAN] * 51}, "other_authorities"),
        (
            {"other_authorities_notified": False, "other_authorities": [BELGIAN]},
            "other_authorities_notified",
        ),
        ({"data_outcomes": ["unknown", "read"]}, "data_outcomes"),
        ({"harm_kinds": ["none", "material"]}, "harm_kinds"),
        ({"severity": "extreme"}, "severity"),
        ({"subjects_plan": "not"}, "subjects_plan_reason"),
        ({"subjects_planned_on": "2040-01-01"}, "subjects_planned_on"),
        (
            {"has_special_categories": False, "special_categories": ["health"]},
            "has_special_categories",
        ),
        ({"is_ongoing": "yes"}, "is_ongoing"),
        ({"other_remarks": "x" * 20_001}, "other_remarks"),
    ],
)
def test_wrong_answers_are_422_naming_the_field(client, headers, body, field):
    ref = report(client, headers).get_json()["ref"]
    assert field in errors(patch(client, headers, ref, **body))


def test_the_notification_records_the_law_and_who_notifies(client, make, headers):
    incident = make.incident(now=NOW)
    assess(client, headers, incident, "risk")
    assert "law" in errors(notify(client, headers, incident, law="wbp"))
    assert "notifier_email" in errors(notify(client, headers, incident, notifier_email="fg"))
    assert "notifier_phone" in errors(notify(client, headers, incident, notifier_phone="06x"))
    response = notify(
        client,
        headers,
        incident,
        law="telecom",
        notifier_name="Fenna de Groot",
        notifier_role="FG",
        notifier_email="fg@example.nl",
        notifier_phone="+31 20 123 4567",
    )
    assert response.status_code == 201, response.get_json()
    body = client.get(f"{API}/incidents/{incident.ref}", headers=headers).get_json()
    assert (body["law"], body["notifier_phone"]) == ("telecom", "+31 20 123 4567")
