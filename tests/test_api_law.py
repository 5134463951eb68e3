"""Articles 33 and 34 through the API: assess, notify the AP, inform the people, the AP form."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from breachlog import clock
from breachlog.audit.models import AuditEvent
from breachlog.auth import services as auth_services
from breachlog.extensions import db
from breachlog.notifications import services as law_services

from .conftest import NOW

API = "/api/v1"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MELDNUMMER = "AP-2026-004711"
# what a factory incident lacks for Art. 33(3): it has a summary, data and numbers only
MISSING_PARTS = {"nature", "subjects", "consequences", "measures"}
ANSWERS = {
    "nature": "A laptop with customer data was left on the train (confidentiality).",
    "subjects": "Customers, about 10 to 200 people.",
    "consequences": "Phishing with real names and addresses.",
    "measures": "The laptop was wiped remotely.",
}


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def org(make):
    return make.organisation()


@pytest.fixture
def officer(make, org):
    return make.user("officer", email="fg@example.nl")


@pytest.fixture
def headers(officer):
    return bearer(officer)


def bearer(user):
    secret = auth_services.issue_api_token(user, actor="test", now=NOW)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def at(delta=timedelta(0)):
    """A time for submitted_at / sent_at, as a client sends it: with an offset, not UTC."""
    return (NOW + delta).astimezone(AMSTERDAM).isoformat()


def post(client, headers, incident, what, body):
    return client.post(f"{API}/incidents/{incident.ref}/{what}", json=body, headers=headers)


def assess(client, headers, incident, risk="risk", **body):
    body = {"risk": risk, "risk_rationale": "Adressen van klanten, misbruik mogelijk", **body}
    return post(client, headers, incident, "assessment", body)


def notify(client, headers, incident, **body):
    body = {
        "kind": "initial",
        "submitted_at": at(-timedelta(minutes=30)),
        "meldnummer": MELDNUMMER,
        "answers": ANSWERS,
        **body,
    }
    return post(client, headers, incident, "notifications", body)


def shown(client, headers, incident):
    response = client.get(f"{API}/incidents/{incident.ref}", headers=headers)
    assert response.status_code == 200
    return response.get_json()


def actions(incident):
    """The acts on an incident, without the reminder bookkeeping that comes with them."""
    return [
        action
        for action in db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.incident_id == incident.id)
            .order_by(AuditEvent.id)
        )
        if not action.startswith("reminders.")
    ]


# R12: a text as sent, and the officer's word on what it names (Art. 34(2))
LETTER_TEXT = (
    "Beste klant, op 9 maart is een laptop met uw gegevens verloren. Wees alert op phishing. "
    "De laptop is op afstand gewist. Vragen? Mail fg@example.nl."
)
CONFIRMED = {"names_contact": True, "names_consequences": True, "names_measures": True}


def errors(response):
    assert response.status_code == 422, response.get_json()
    return response.get_json()["errors"]


# -- the assessment (R1, R3)


def test_no_risk_needs_no_notification(client, make, headers):
    incident = make.incident(now=NOW)
    response = assess(client, headers, incident, "none", risk_rationale="Alleen zakelijke e-mail")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["risk"], body["risk_rationale"]) == ("none", "Alleen zakelijke e-mail")
    assert (body["status"], body["still_missing"]) == ("assessed", [])
    assert body["notifications"] == body["subject_communications"] == []
    assert actions(incident)[-1] == "incident.assessed"
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "incident.assessed")
    ).one()
    assert (event.actor, event.before["risk"], event.after["risk"]) == (
        "fg@example.nl",
        "unassessed",
        "none",
    )


def test_assessment_without_rationale_is_422_naming_it(client, make, headers):
    incident = make.incident(now=NOW)
    assert list(errors(assess(client, headers, incident, risk_rationale="  "))) == [
        "risk_rationale"
    ]
    assert list(errors(post(client, headers, incident, "assessment", {}))) == [
        "risk",
        "risk_rationale",
    ]
    assert shown(client, headers, incident)["risk"] == "unassessed"
    assert "incident.assessed" not in actions(incident)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"risk": "unassessed"}, "risk"),
        ({"risk": "extreme"}, "risk"),
        ({"is_personal_data_breach": "no"}, "is_personal_data_breach"),
        ({"is_dpo_involved": "yes"}, "is_dpo_involved"),
        ({"risk_rationale": 42}, "risk_rationale"),
        ({"status": "closed"}, "status"),
        ({"enisa": [3, 1]}, "enisa"),
        ({"enisa": {"ei": 1}}, "enisa.dpc"),
        ({"enisa": {"dpc": 5, "ei": 1}}, "enisa.dpc"),
        ({"enisa": {"dpc": 2, "ei": 0.3}}, "enisa.ei"),
        ({"enisa": {"dpc": 2, "ei": 1, "integrity": 0.3}}, "enisa.integrity"),
        ({"enisa": {"dpc": 2, "ei": 1, "malicious": 1}}, "enisa.malicious"),
        ({"enisa": {"dpc": 2, "ei": 1, "cb": 1}}, "enisa.cb"),
    ],
)
def test_bad_assessment_is_422_naming_the_field(client, make, headers, body, field):
    incident = make.incident(now=NOW)
    assert field in errors(assess(client, headers, incident, **body))
    assert shown(client, headers, incident)["risk"] == "unassessed"


def test_not_a_breach_stays_in_the_register_with_its_rationale(client, make, headers):
    incident = make.incident(now=NOW)
    body = {"is_personal_data_breach": False}
    assert list(errors(post(client, headers, incident, "assessment", body))) == [
        "not_breach_rationale"
    ]
    body["not_breach_rationale"] = "Op de USB-stick stond alleen de openbare prijslijst."
    response = post(client, headers, incident, "assessment", body)
    assert response.status_code == 200
    shown_body = response.get_json()
    assert shown_body["is_personal_data_breach"] is False
    assert shown_body["not_breach_rationale"] == body["not_breach_rationale"]
    assert (shown_body["status"], shown_body["still_missing"]) == ("assessed", [])
    listed = client.get(f"{API}/incidents", headers=headers).get_json()
    assert [item["ref"] for item in listed["items"]] == [incident.ref]


def test_enisa_suggests_but_the_officer_decides(client, make, headers):
    incident = make.incident(now=NOW)
    enisa = {"dpc": 3, "ei": 0.75, "confidentiality": 0.5, "availability": 0.25}
    response = assess(client, headers, incident, "risk", enisa={**enisa, "malicious": True})
    assert response.status_code == 200
    body = response.get_json()
    # 3 x 0.75 + (0.5 + 0.25 + 0.5) = 3.5: high, which suggests high risk
    assert (body["enisa_dpc"], body["enisa_ei"], body["enisa_cb"]) == (3, 0.75, 1.25)
    assert body["enisa"] == {"score": 3.5, "band": "high", "suggested_risk": "high"}
    assert body["risk"] == "risk"
    cleared = assess(client, headers, incident, "risk", enisa=None).get_json()
    assert (cleared["enisa_dpc"], cleared["enisa"]) == (None, None)


def test_patch_does_not_take_the_assessment(client, make, headers):
    incident = make.incident(now=NOW)
    url = f"{API}/incidents/{incident.ref}"
    for body in ({"risk": "high"}, {"risk_rationale": "x"}, {"is_personal_data_breach": False}):
        assert list(errors(client.patch(url, json=body, headers=headers))) == list(body)
    assert shown(client, headers, incident)["risk"] == "unassessed"


def test_risk_cannot_drop_below_the_threshold_while_notified(client, make, headers):
    incident = make.incident(now=NOW)
    assess(client, headers, incident, "risk")
    assert notify(client, headers, incident).status_code == 201
    assert list(errors(assess(client, headers, incident, "none"))) == ["risk"]
    assert shown(client, headers, incident)["risk"] == "risk"


def test_a_closed_incident_is_not_assessed_again(client, make, headers, officer):
    incident = make.ready_to_close(make.incident(now=NOW), NOW)
    assess(client, headers, incident, "none")
    law_services.close(incident, officer, NOW)
    db.session.commit()
    assert list(errors(assess(client, headers, incident, "high"))) == ["status"]


# -- notifying the AP (R4)


def test_risk_notified_on_time(client, make, headers):
    incident = make.incident(now=NOW)
    before = assess(client, headers, incident, "risk").get_json()
    assert (before["status"], before["still_missing"]) == ("assessed", ["notify the AP"])
    response = notify(client, headers, incident, note="Eerste melding")
    assert response.status_code == 201
    assert response.headers["Location"] == f"{API}/incidents/{incident.ref}"
    notification = response.get_json()
    assert notification["kind"] == "initial"
    assert notification["submitted_at"] == (NOW - timedelta(minutes=30)).isoformat()
    assert (notification["meldnummer"], notification["is_provisional"]) == (MELDNUMMER, False)
    assert (notification["is_late"], notification["reasons_for_delay"]) == (False, "")
    assert (notification["follows"], notification["note"]) == ([], "Eerste melding")
    # the parts as given, and those not given taken from the incident, frozen
    given, filled = notification["answers"], {"contact", "records"}
    assert {part: given[part] for part in ANSWERS} == ANSWERS
    assert set(given) == set(ANSWERS) | filled
    assert given["contact"] == "Fenna Groen, fg@example.nl"
    assert given["records"]
    assert [section["number"] for section in notification["form"]] == list(range(10))
    body = shown(client, headers, incident)
    assert body["status"] == "notified"
    assert body["notified_at"] == notification["submitted_at"]
    assert (body["meldnummer"], body["is_withdrawn"], body["still_missing"]) == (
        MELDNUMMER,
        False,
        [],
    )
    assert body["notifications"] == [notification]
    assert actions(incident)[-2:] == ["notification.initial", "incident.updated"]


def test_frozen_answers_do_not_follow_later_edits(client, make, headers):
    incident = make.incident(now=NOW)
    assess(client, headers, incident, "risk")
    frozen = notify(client, headers, incident).get_json()
    url = f"{API}/incidents/{incident.ref}"
    assert client.patch(url, json={"people_max": 5000}, headers=headers).status_code == 200
    assert shown(client, headers, incident)["notifications"] == [frozen]


def test_aware_at_is_fixed_once_the_ap_is_notified(client, make, headers):
    incident = make.incident(now=NOW)
    assess(client, headers, incident, "risk")
    notify(client, headers, incident)
    moved = client.patch(
        f"{API}/incidents/{incident.ref}",
        json={"aware_at": at(-timedelta(hours=5)), "aware_at_reason": "Eerder gezien"},
        headers=headers,
    )
    assert "aware_at" in errors(moved)


def test_late_notification_needs_reasons_for_the_delay(client, make, headers):
    incident = make.incident(
        now=NOW,
        discovered_at=NOW - timedelta(days=4),
        is_protected=True,
        protection_details="BitLocker",
    )
    assess(client, headers, incident, "high")
    assert shown(client, headers, incident)["deadline_at"] == (NOW - timedelta(days=1)).isoformat()
    assert list(errors(notify(client, headers, incident))) == ["reasons_for_delay"]
    blank = notify(client, headers, incident, reasons_for_delay="   ")
    assert list(errors(blank)) == ["reasons_for_delay"]
    assert shown(client, headers, incident)["notifications"] == []
    reasons = "De FG was met vakantie; de melding wachtte op haar terugkeer."
    response = notify(client, headers, incident, reasons_for_delay=reasons)
    assert response.status_code == 201
    notification = response.get_json()
    assert (notification["is_late"], notification["reasons_for_delay"]) == (True, reasons)


def test_notification_before_the_deadline_needs_no_reasons(client, make, headers):
    incident = make.incident(now=NOW, discovered_at=NOW - timedelta(days=4))
    assess(client, headers, incident, "risk")
    on_time = (incident.deadline_at - timedelta(hours=1)).isoformat()
    response = notify(client, headers, incident, submitted_at=on_time)
    assert response.status_code == 201
    assert response.get_json()["is_late"] is False


def test_missing_article_33_3_parts_are_named_unless_they_follow(client, make, headers):
    incident = make.incident(now=NOW)
    assess(client, headers, incident, "risk")
    refused = errors(notify(client, headers, incident, answers={}))
    assert set(refused) == {f"answers.{part}" for part in MISSING_PARTS}
    partly = notify(
        client,
        headers,
        incident,
        answers={"nature": ANSWERS["nature"], "consequences": ""},
        follows=["measures"],
    )
    assert set(errors(partly)) == {"answers.subjects", "answers.consequences"}
    phased = notify(
        client,
        headers,
        incident,
        answers={"nature": ANSWERS["nature"]},
        follows=["subjects", "consequences", "measures"],
        is_provisional=True,
    )
    assert phased.status_code == 201
    assert phased.get_json()["follows"] == ["subjects", "consequences", "measures"]
    supplement = notify(
        client,
        headers,
        incident,
        kind="supplement",
        meldnummer="",
        submitted_at=at(),
        answers={"subjects": ANSWERS["subjects"], "measures": ANSWERS["measures"]},
    )
    assert supplement.status_code == 201
    assert supplement.get_json()["meldnummer"] == MELDNUMMER
    assert [n["kind"] for n in shown(client, headers, incident)["notifications"]] == [
        "initial",
        "supplement",
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "reminder"}, "kind"),
        ({"kind": None}, "kind"),
        ({"submitted_at": None}, "submitted_at"),
        ({"submitted_at": "2026-03-10T09:00:00"}, "submitted_at"),
        ({"submitted_at": "2026-03-10T10:30:00+01:00"}, "submitted_at"),
        ({"meldnummer": ""}, "meldnummer"),
        ({"meldnummer": "x" * 65}, "meldnummer"),
        ({"answers": "all of it"}, "answers"),
        ({"answers": {"nature": 5}}, "answers.nature"),
        ({"answers": {"motive": "x"}}, "answers.motive"),
        ({"follows": ["motive"]}, "follows"),
        ({"follows": "measures"}, "follows"),
        ({"is_provisional": "yes"}, "is_provisional"),
        ({"recorded_by_id": 1}, "recorded_by_id"),
    ],
)
def test_bad_notification_is_422_naming_the_field(client, make, headers, body, field):
    incident = make.incident(now=NOW)
    assess(client, headers, incident, "risk")
    assert field in errors(notify(client, headers, incident, **body))
    assert shown(client, headers, incident)["notifications"] == []


def test_required_notification_fields(client, make, headers):
    incident = make.incident(now=NOW)
    refused = errors(post(client, headers, incident, "notifications", {}))
    assert refused == {
        "kind": ["This field is required."],
        "submitted_at": ["This field is required."],
    }


def test_one_initial_notification_then_supplements(client, make, headers):
    incident = make.incident(now=NOW)
    assess(client, headers, incident, "risk")
    early = notify(client, headers, incident, kind="supplement")
    assert list(errors(early)) == ["kind"]
    assert notify(client, headers, incident).status_code == 201
    assert "kind" in errors(notify(client, headers, incident))
    before = notify(
        client, headers, incident, kind="supplement", submitted_at=at(-timedelta(hours=1))
    )
    assert list(errors(before)) == ["submitted_at"]


def test_withdrawal_refers_to_the_meldnummer(client, make, headers):
    incident = make.incident(now=NOW)
    assess(client, headers, incident, "risk")
    assert notify(client, headers, incident).status_code == 201
    withdrawal = {"kind": "withdrawal", "submitted_at": at(), "note": "Laptop teruggevonden"}
    wrong = notify(client, headers, incident, **withdrawal, meldnummer="AP-2026-999999")
    assert errors(wrong) == {
        "meldnummer": [
            "A supplement or withdrawal refers to the initial notification's meldnummer "
            f"{MELDNUMMER}."
        ]
    }
    response = notify(client, headers, incident, **withdrawal, meldnummer=MELDNUMMER)
    assert response.status_code == 201
    assert (response.get_json()["kind"], response.get_json()["meldnummer"]) == (
        "withdrawal",
        MELDNUMMER,
    )
    body = shown(client, headers, incident)
    # R15: withdrawn, the breach is assessed anew
    assert (body["is_withdrawn"], body["status"], body["risk"]) == (True, "open", "unassessed")
    assert body["still_missing"] == ["assess the risk"]
    assert "notification.withdrawal" in actions(incident)
    again = notify(client, headers, incident, kind="supplement", submitted_at=at())
    assert list(errors(again)) == ["kind"]
    # withdrawn, the risk may be lowered again
    assert assess(client, headers, incident, "none").status_code == 200


# -- the people concerned (R7, R8)


def test_high_risk_with_a_subject_communication(client, make, headers):
    incident = make.incident(now=NOW)
    assess(client, headers, incident, "high")
    assert notify(client, headers, incident).status_code == 201
    assert shown(client, headers, incident)["still_missing"] == [
        "inform the people concerned or record an exemption"
    ]
    letter = {
        "kind": "communication",
        "sent_at": at(-timedelta(minutes=10)),
        "channel": "email",
        "people_reached": 180,
        "text": LETTER_TEXT,
        **CONFIRMED,
    }
    response = post(client, headers, incident, "subject-communications", letter)
    assert response.status_code == 201
    assert response.headers["Location"] == f"{API}/incidents/{incident.ref}"
    record = response.get_json()
    assert set(record) == {"id", "kind", "sent_at", "channel", "people_reached", "text"} | {
        "created_at",
        "shortfall_reason",
        *CONFIRMED,
    }
    assert record["sent_at"] == (NOW - timedelta(minutes=10)).isoformat()
    assert (record["kind"], record["people_reached"]) == ("communication", 180)
    body = shown(client, headers, incident)
    assert body["subject_communications"] == [record]
    assert body["subjects_informed_at"] == record["sent_at"]
    assert body["still_missing"] == []
    assert "subjects.informed" in actions(incident)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sent_at": None}, "sent_at"),
        ({"sent_at": "2026-03-10T11:00:00+01:00"}, "sent_at"),
        ({"channel": "pigeon"}, "channel"),
        ({"people_reached": -1}, "people_reached"),
        ({"people_reached": 1.5}, "people_reached"),
        ({"text": "  "}, "text"),
        ({"ground": "unintelligible"}, "ground"),
    ],
)
def test_bad_subject_communication_is_422_naming_the_field(client, make, headers, body, field):
    incident = make.incident(now=NOW)
    letter = {
        "kind": "communication",
        "sent_at": at(),
        "channel": "letter",
        "people_reached": 10,
        "text": LETTER_TEXT,
        **CONFIRMED,
        **body,
    }
    assert field in errors(post(client, headers, incident, "subject-communications", letter))
    assert shown(client, headers, incident)["subject_communications"] == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, {"kind": ["This field is required."]}),
        ({"kind": "letter"}, {"kind": ["Choose one of: communication, exemption."]}),
        ({"kind": ["exemption"]}, {"kind": ["Choose one of: communication, exemption."]}),
        (
            {"kind": "communication"},
            {
                name: ["This field is required."]
                for name in ("sent_at", "channel", "people_reached", "text")
            },
        ),
        (
            {"kind": "exemption"},
            {name: ["This field is required."] for name in ("ground", "rationale")},
        ),
        (
            {"kind": "exemption", "ground": "lazy", "rationale": "x"},
            {"ground": ["Choose one of: unintelligible, measures_taken, disproportionate."]},
        ),
    ],
)
def test_subject_communication_shape(client, make, headers, body, expected):
    incident = make.incident(now=NOW)
    assert errors(post(client, headers, incident, "subject-communications", body)) == expected


def test_high_risk_with_an_exemption(client, make, headers):
    incident = make.incident(now=NOW)
    assess(client, headers, incident, "high")
    notify(client, headers, incident)
    exemption = {
        "kind": "exemption",
        "ground": "disproportionate",
        "rationale": "Van de meeste betrokkenen ontbreken contactgegevens.",
    }
    refused = post(client, headers, incident, "subject-communications", exemption)
    assert set(errors(refused)) == {"public_communication", "public_sent_at", "public_channel"}
    assert shown(client, headers, incident)["exemption_ground"] is None
    exemption["public_communication"] = (
        "Bericht op de homepage vanaf 10 maart: een laptop met klantgegevens is verloren."
    )
    exemption["public_sent_at"] = at(-timedelta(minutes=5))
    exemption["public_channel"] = "website"
    response = post(client, headers, incident, "subject-communications", exemption)
    assert response.status_code == 201
    record = response.get_json()
    shown_back = {k: v for k, v in record.items() if k not in ("id", "created_at")}
    assert shown_back == {**exemption, "public_sent_at": (NOW - timedelta(minutes=5)).isoformat()}
    body = shown(client, headers, incident)
    assert (body["exemption_ground"], body["still_missing"]) == ("disproportionate", [])
    assert body["subject_communications"] == [record]
    assert "subjects.exempted" in actions(incident)


def test_exemption_without_rationale_is_422(client, make, headers):
    incident = make.incident(now=NOW)
    body = {"kind": "exemption", "ground": "measures_taken", "rationale": " "}
    assert list(errors(post(client, headers, incident, "subject-communications", body))) == [
        "rationale"
    ]


# -- the AP form


def test_ap_form_in_english_and_dutch(client, make, headers):
    incident = make.incident(now=NOW)
    url = f"{API}/incidents/{incident.ref}/ap-form"
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    form = response.get_json()
    assert (form["ref"], form["language"]) == (incident.ref, "en")
    assert [s["number"] for s in form["sections"]] == list(range(10))
    assert form["sections"][1]["title"] == "Contact details and other general information"
    answers = [a for s in form["sections"] for a in s["answers"]]
    assert all(a["missing"] == (a["state"] == "unknown") for a in answers)
    assert all((a["value"] is None) == (a["state"] != "answered") for a in answers)
    labels = [f"{a['group']} – {a['question']}" if a["group"] else a["question"] for a in answers]
    assert form["missing"] == [lab for a, lab in zip(answers, labels, strict=True) if a["missing"]]
    summary = next(a for a in answers if a["key"] == "summary")
    assert (summary["state"], summary["value"]) == ("answered", incident.summary)
    dutch = client.get(url, query_string={"lang": "nl"}, headers=headers).get_json()
    assert dutch["language"] == "nl"
    assert dutch["sections"][1]["title"] == "Contactgegevens en overige algemene informatie"
    assert client.get(url, headers=headers).get_json() == form
    assert list(errors(client.get(url, query_string={"lang": "fr"}, headers=headers))) == ["lang"]


def test_ap_form_comes_in_the_token_users_language(client, make):
    incident = make.incident(now=NOW)
    dutch = bearer(make.user("officer", language="nl"))
    url = f"{API}/incidents/{incident.ref}/ap-form"
    form = client.get(url, headers=dutch).get_json()
    assert (form["language"], form["sections"][0]["title"]) == ("nl", "Over deze melding")
    english = client.get(url, query_string={"lang": "en"}, headers=dutch).get_json()
    assert english["sections"][0]["title"] == "About this notification"


def test_ap_form_shows_the_notification_and_the_people_informed(client, make, headers):
    incident = make.incident(
        now=NOW,
        discovered_at=NOW - timedelta(days=4),
        is_protected=True,
        protection_details="BitLocker",
    )
    assess(client, headers, incident, "high")
    notify(client, headers, incident, reasons_for_delay="Vakantie")
    exemption = {"kind": "exemption", "ground": "unintelligible", "rationale": "Versleuteld"}
    post(client, headers, incident, "subject-communications", exemption)
    form = client.get(f"{API}/incidents/{incident.ref}/ap-form", headers=headers).get_json()
    answers = {a["key"]: a for s in form["sections"] for a in s["answers"]}
    assert answers["reasons_for_delay"]["value"] == "Vakantie"
    assert answers["subjects_informed"]["value"] == "no, and they will not be"
    assert answers["subjects_not_reason"]["value"] == "(a) data unintelligible: Versleuteld"
    assert answers["subjects_informed_on"]["state"] == "not_applicable"
    # today's form is a supplement to the notification made
    assert answers["notification_kind"]["value"] == (
        "supplement to or change of an earlier notification"
    )
    assert answers["earlier_meldnummer"]["value"] == MELDNUMMER


# -- who may do what


@pytest.mark.parametrize("role", ["viewer", "reporter"])
def test_only_handlers_record_the_acts(client, make, org, role):
    user = make.user(role)
    incident = make.incident(now=NOW, reporter=user)
    headers = bearer(user)
    for what, body in (
        ("assessment", {"risk": "none", "risk_rationale": "x"}),
        ("notifications", {"kind": "initial", "submitted_at": at(), "meldnummer": "x"}),
        ("subject-communications", {"kind": "exemption", "ground": "unintelligible"}),
    ):
        response = post(client, headers, incident, what, body)
        assert response.status_code == 403
        assert response.get_json() == {"error": "Your role does not allow this."}
    assert actions(incident) == ["incident.reported"]
    # both may read the AP form of what they may see
    assert (
        client.get(f"{API}/incidents/{incident.ref}/ap-form", headers=headers).status_code == 200
    )


def test_reporter_sees_only_the_ap_form_of_own_reports(client, make, org):
    alice, bob = make.user("reporter"), make.user("reporter")
    own = make.incident(now=NOW, reporter=alice)
    other = make.incident(now=NOW, reporter=bob)
    headers = bearer(alice)
    assert client.get(f"{API}/incidents/{own.ref}/ap-form", headers=headers).status_code == 200
    hidden = client.get(f"{API}/incidents/{other.ref}/ap-form", headers=headers)
    unknown = client.get(f"{API}/incidents/DL-2026-9999/ap-form", headers=headers)
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.get_json() == unknown.get_json() == {"error": "No incident with this ref."}


@pytest.mark.parametrize(
    ("method", "what"),
    [
        ("post", "assessment"),
        ("post", "notifications"),
        ("post", "subject-communications"),
        ("get", "ap-form"),
    ],
)
def test_unknown_ref_is_404_and_no_token_is_401(client, make, headers, method, what):
    incident = make.incident(now=NOW)
    call = getattr(client, method)
    kwargs = {"json": {}} if method == "post" else {}
    unknown = call(f"{API}/incidents/DL-2026-9999/{what}", headers=headers, **kwargs)
    assert unknown.status_code == 404
    anonymous = call(f"{API}/incidents/{incident.ref}/{what}", **kwargs)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("what", ["assessment", "notifications", "subject-communications"])
def test_body_that_is_not_a_json_object_is_422(client, make, headers, what):
    incident = make.incident(now=NOW)
    url = f"{API}/incidents/{incident.ref}/{what}"
    for data in ("[1]", "{not json", '"x"'):
        response = client.post(
            url, data=data, headers={**headers, "Content-Type": "application/json"}
        )
        assert list(errors(response)) == ["body"]


# -- the whole way, and its trail


def test_the_whole_way_is_in_the_audit_trail(client, make, headers):
    incident = make.incident(now=NOW)
    assess(client, headers, incident, "high", is_dpo_involved=True)
    notify(client, headers, incident, follows=["measures"], answers={**ANSWERS, "measures": ""})
    notify(
        client,
        headers,
        incident,
        kind="supplement",
        submitted_at=at(),
        note="Maatregelen",
        gives=["measures"],
        answers={"measures": "Laptop gewist"},
    )
    letter = {
        "kind": "communication",
        "sent_at": at(),
        "channel": "letter",
        "people_reached": 200,
        "text": LETTER_TEXT,
        **CONFIRMED,
    }
    post(client, headers, incident, "subject-communications", letter)
    acts = [
        "incident.reported",
        "incident.assessed",
        "notification.initial",
        "incident.updated",
        "notification.supplement",
        "incident.updated",
        "subjects.informed",
        "incident.updated",
    ]
    assert actions(incident) == acts
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.incident_id == incident.id).order_by(AuditEvent.id)
    ).all()
    assert {e.actor for e in events if e.action in acts[1:]} == {"fg@example.nl"}
    initial = next(e for e in events if e.action == "notification.initial")
    assert (initial.after["meldnummer"], initial.after["follows"]) == (MELDNUMMER, ["measures"])
    body = shown(client, headers, incident)
    assert (body["is_dpo_involved"], body["status"], body["still_missing"]) == (
        True,
        "notified",
        [],
    )
