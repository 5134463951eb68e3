"""The AP's meldformulier as the register fills it: every question of sections 0 to 9 with
the AP's wording, each answer answered, not known yet or not applicable, on the page, in the
API and in the PDF; and a notification's copy of the form shown beside today's."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from flask import g
from flask_babel import force_locale
from pypdf import PdfReader

from breachlog.domain import ap_questions
from breachlog.domain.ap_values import DATA_OUTCOMES
from breachlog.extensions import db
from breachlog.incidents import services as incidents
from breachlog.incidents.models import Incident
from breachlog.notifications import ap_form
from breachlog.notifications import services as law

from .test_i18n import PO

KEYS = [q.key for s in ap_questions.SECTIONS for q in s.questions]
# the AP's own section titles, as its meldformulier datalekken shows them
AP_TITLES = {
    0: "Over deze melding",
    1: "Contactgegevens en overige algemene informatie",
    2: "Tijdlijn",
    3: "Gegevens over het datalek",
    4: "Persoonsgegevens die betrokken zijn bij het datalek",
    5: "De groep mensen van wie persoonsgegevens betrokken zijn bij het datalek",
    6: "Maatregelen die zijn getroffen voordat het datalek plaatsvond",
    7: "Gevolgen van het datalek",
    8: "Vervolgacties naar aanleiding van het datalek",
    9: "Overig",
}
NOTIFIER = "Łucja Şahin"
EVERYTHING = {
    "notifier_name": NOTIFIER,
    "notifier_role": "Functionaris gegevensbescherming",
    "notifier_email": "lucja@example.nl",
    "notifier_phone": "+31 20 123 4567",
    "processor_name": "Routewerk B.V.",
    "other_organisations": "Hostingbedrijf Noord B.V.",
    "occurred_from": datetime(2026, 3, 2, 7, 5, tzinfo=UTC),
    "occurred_until": datetime(2026, 3, 2, 16, 30, tzinfo=UTC),
    "is_ongoing": False,
    "is_dpo_involved": True,
    "incident_type": "hacking",
    "data_outcomes": ["read", "copied", "changed", "deleted", "stolen"],
    "personal_data_details": "Klantnummers en bestelhistorie",
    "has_special_categories": True,
    "special_categories": ["health"],
    "records_count": 12000,
    "subject_categories": ["customers"],
    "is_protected": True,
    "protection_details": "Schijfversleuteling met BitLocker",
    "consequences_confidentiality": "Adressen door onbevoegden ingezien",
    "consequences_integrity": "Bestellingen gewijzigd",
    "consequences_availability": "Webwinkel een dag onbereikbaar",
    "harm_kinds": ["material", "immaterial"],
    "consequences": "Kans op phishing met echte namen",
    "severity": "high",
    "subjects_plan": "planned",
    "subjects_planned_on": date(2026, 3, 9),
    "is_cross_border": True,
    "member_states": ["BE", "DE"],
    "other_authorities_notified": True,
    "other_authorities": [
        {
            "authority": "Gegevensbeschermingsautoriteit",
            "country": "BE",
            "notified_on": "2026-03-04",
            "reference": "GBA-2026-77",
        }
    ],
    "other_remarks": "Politie is ingelicht",
}


def complete(make, **facts):
    """An incident with every question of the form answered that the form asks of it."""
    incident = make.incident(**facts)
    for name, value in EVERYTHING.items():
        setattr(incident, name, value)
    officer = make.user("officer")
    incidents.add_measure(
        incident, officer, make.now, kind="corrective", description="Wachtwoorden"
    )
    incidents.add_measure(incident, officer, make.now, kind="preventive", description="2FA aan")
    db.session.commit()
    return incident


def catalogue() -> dict[str, str]:
    with PO.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle, locale="nl") if isinstance(m.id, str)}


def answer_html(page: str, key: str) -> str:
    """The part of the page that shows one answer (today's column)."""
    start = page.index(f'data-question="{key}"')
    end = page.find("data-question=", start + 1)
    return page[start : end if end > 0 else None]


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


# -- the question list


def test_every_question_has_an_answer_field_a_label_in_both_languages_and_a_place(
    client, make, auth, headers_for
):
    dutch = catalogue()
    assert [s.number for s in ap_questions.SECTIONS] == list(range(10))
    assert len(KEYS) == len(set(KEYS))
    for section in ap_questions.SECTIONS:
        assert dutch[section.english] == section.dutch == AP_TITLES[section.number]
        for q in section.questions:
            assert q.kind in ap_questions.KINDS, q.key
            assert q.fields and all(hasattr(Incident, f) for f in q.fields), q.key
            assert dutch.get(q.english) == q.dutch, q.key
            assert q.dutch != q.english, q.key
            if q.group:
                assert dutch.get(q.group[1]) == q.group[0] != q.group[1], q.key

    incident = complete(make)
    with force_locale("en"):
        produced = [a.key for s in ap_form.sections(incident) for a in s.answers]
    assert produced == KEYS
    officer = make.user("officer", language="nl")
    auth.login(officer.email)
    page = client.get(f"/incidents/{incident.ref}/ap-form").get_data(as_text=True)
    assert [k for k in re.findall(r'data-question="([a-z_]+)"', page)] == KEYS
    for q in ap_questions.QUESTIONS.values():
        assert str(escape_html(q.dutch)) in page, q.key
    api = client.get(
        f"/api/v1/incidents/{incident.ref}/ap-form?lang=nl", headers=headers_for(officer)
    ).get_json()
    assert [a["key"] for s in api["sections"] for a in s["answers"]] == KEYS
    assert [a["question"] for s in api["sections"] for a in s["answers"]] == [
        q.dutch for s in ap_questions.SECTIONS for q in s.questions
    ]
    pdf = pdf_text(client.get(f"/incidents/{incident.ref}/ap-form.pdf").data)
    for section in ap_questions.SECTIONS:
        assert flat(f"{section.number}. {section.dutch}") in pdf
        for q in section.questions:
            assert flat(q.dutch) in pdf, q.key


def escape_html(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


@pytest.fixture
def headers_for():
    from breachlog.auth.services import issue_api_token

    def headers(user):
        secret = issue_api_token(user, actor="test", now=datetime.now(UTC))
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return headers


def test_sections_are_the_aps_with_every_question_the_form_asks(client, make, auth):
    incident = complete(make)
    auth.login(make.user("officer", language="nl").email)
    page = client.get(f"/incidents/{incident.ref}/ap-form").get_data(as_text=True)
    for number, title in AP_TITLES.items():
        assert f"{number}. {title}</h3>" in page
    for wrong in (
        "Het datalek",
        "Beveiliging vóór het datalek",
        "Vervolgstappen",
        "Persoonsgegevens",
    ):
        assert f"{wrong}</h3>" not in page
    by_section = {s.number: [q.key for q in s.questions] for s in ap_questions.SECTIONS}
    assert {"law", "notification_kind", "earlier_meldnummer", "is_provisional"} <= set(
        by_section[0]
    )
    assert {"notifier_name", "notifier_role", "notifier_email", "notifier_phone"} <= set(
        by_section[1]
    )
    assert {"contact", "other_organisations"} <= set(by_section[1])
    assert {"consequences_confidentiality", "consequences_integrity"} <= set(by_section[7])
    assert {"consequences_availability", "harm_kinds", "severity"} <= set(by_section[7])
    assert {"subjects_informed", "subjects_not_reason", "public_announcement"} <= set(
        by_section[8]
    )
    assert {"other_authorities_notified", "other_authorities"} <= set(by_section[8])
    assert by_section[9] == ["other_remarks"]
    # section 3: the AP's five kinds of what happened to the data, and "unknown"
    assert DATA_OUTCOMES == ("read", "copied", "changed", "deleted", "stolen", "unknown")
    nature = answer_html(page, "data_outcomes")
    assert "gelezen, gekopieerd, veranderd, verwijderd of vernietigd, gestolen" in nature
    assert "materiële schade, immateriële schade" in answer_html(page, "harm_kinds")
    assert ">hoog<" in answer_html(page, "severity")
    assert "Adressen door onbevoegden ingezien" in answer_html(
        page, "consequences_confidentiality"
    )
    assert NOTIFIER in answer_html(page, "notifier_name")
    assert "Gegevensbeschermingsautoriteit, BE, 04-03-2026, GBA-2026-77" in answer_html(
        page, "other_authorities"
    )
    assert "nee, maar dat gaat nog gebeuren" in answer_html(page, "subjects_informed")
    assert "09-03-2026" in answer_html(page, "subjects_informed_on")


# -- not known yet is never "no"


def test_facts_nobody_established_read_not_known_yet_and_count_as_missing(client, make, auth):
    """A report as the reporter leaves it: nobody said whether it still goes on, whether the
    FG is involved, whether it is cross-border or whether special categories are involved
    (None, as migration 0015 left every such "no" nobody gave)."""
    incident = make.incident(personal_data=["name_address"])
    incident.is_ongoing = incident.is_dpo_involved = incident.is_cross_border = None
    db.session.commit()
    assert incident.has_special_categories is None and incident.special_categories == []
    auth.login(make.user("officer", language="nl").email)
    page = client.get(f"/incidents/{incident.ref}/ap-form").get_data(as_text=True)
    facts = ("is_ongoing", "is_dpo_involved", "is_cross_border", "has_special_categories")
    for key in facts:
        shown = answer_html(page, key)
        assert 'data-state="unknown"' in shown and "nog onbekend" in shown, key
        assert not re.search(r">\s*(nee|geen)\s*<", shown), key
        assert "data-copy " not in shown and "data-copy-text" not in shown, key
    # what follows a "yes" is not asked while the "yes" is not known
    for key in ("member_states", "special_categories", "other_authorities"):
        assert 'data-state="not_applicable"' in answer_html(page, key), key
    with force_locale("nl"):
        missing = ap_form.missing(incident)
    assert (
        "Internationale aspecten – " + ap_questions.QUESTIONS["is_cross_border"].dutch in missing
    )
    for key in facts:
        assert any(ap_questions.QUESTIONS[key].dutch in item for item in missing), key
    assert f"{len(missing)} antwoorden zijn nog onbekend." in page


def test_answers_are_plain_text_dates_and_numbers_as_the_form_takes_them(client, make, auth):
    incident = complete(make)
    incident.aware_at = datetime(2026, 3, 2, 23, 40, tzinfo=UTC)  # 3 March 00:40 in Amsterdam
    db.session.commit()
    auth.login(make.user("officer", language="en").email)
    page = client.get(f"/incidents/{incident.ref}/ap-form").get_data(as_text=True)
    assert ">03-03-2026 00:40<" in answer_html(page, "aware_at")
    assert ">02-03-2026 08:05 – 02-03-2026 17:30<" in answer_html(page, "occurred")
    assert ">12000<" in answer_html(page, "records_count")
    assert ">Wachtwoorden\n2FA aan<" in answer_html(page, "measures")
    assert "Copy: International aspects – Did the breach occur" in page


LETTER = (
    "Beste klant, een laptop met uw adres is gestolen. Wees alert op phishing. Wij hebben de "
    "laptop op afstand gewist. Vragen? Mail fg@example.nl."
)
PUBLIC = "Op onze website staat een bericht over het datalek en wat klanten kunnen doen."


def test_informing_done_not_and_the_public_announcement(make):
    incident = make.incident()
    officer = make.user("officer")
    law.assess(incident, officer, make.now, risk="high", risk_rationale="Gezondheidsgegevens")
    incident.subjects_plan, incident.subjects_plan_reason = "not", "Niemand te bereiken"
    db.session.commit()
    with force_locale("en"):
        answers = {a.key: a for s in ap_form.sections(incident) for a in s.answers}
    assert answers["subjects_informed"].value == "no, and they will not be"
    assert answers["subjects_not_reason"].value == "Niemand te bereiken"
    assert answers["subjects_informed_on"].state == "not_applicable"
    law.record_exemption(
        incident,
        officer,
        make.now,
        ground="disproportionate",
        rationale="Duizenden oud-klanten zonder adres",
        public_communication=PUBLIC,
        public_sent_at=make.now - timedelta(hours=1),
        public_channel="website",
    )
    db.session.commit()
    with force_locale("en"):
        answers = {a.key: a for s in ap_form.sections(incident) for a in s.answers}
    published = (make.now - timedelta(hours=1)).astimezone(ZoneInfo("Europe/Amsterdam"))
    assert answers["public_announcement"].value == f"{PUBLIC}\n{published:%d-%m-%Y}"
    assert answers["subjects_not_reason"].value.startswith("(c) disproportionate effort")
    law.record_subject_communication(
        incident,
        officer,
        make.now,
        sent_at=make.now - timedelta(hours=1),
        channel="email",
        people_reached=180,
        text=LETTER,
        names_contact=True,
        names_consequences=True,
        names_measures=True,
    )
    db.session.commit()
    with force_locale("en"):
        answers = {a.key: a for s in ap_form.sections(incident) for a in s.answers}
    assert answers["subjects_informed"].value == "yes, they have been informed"
    assert answers["subjects_reached"].value == "180"
    assert re.fullmatch(r"\d\d-\d\d-\d{4}", answers["subjects_informed_on"].value)


# -- frozen copies


def notify(incident, officer, now, **values):
    law.assess(incident, officer, now, risk="risk", risk_rationale="Adressen van klanten")
    values = {
        "kind": "initial",
        "submitted_at": now - timedelta(minutes=5),
        "meldnummer": "M-2026-0042",
        "answers": {"nature": "Laptop gestolen", "consequences": "Phishing"},
        "follows": ["measures", "subjects", "contact"],
        **values,
    }
    notification = law.record_notification(incident, officer, now, **values)
    db.session.commit()
    return notification


def test_a_notification_keeps_the_form_with_what_it_was(make):
    incident = make.incident()
    officer = make.user("officer")
    with force_locale("en"):
        notification = notify(incident, officer, make.now)
        then = ap_form.from_frozen(notification.answers["form"])
        today = {a.key: a for s in ap_form.sections(incident) for a in s.answers}
    kept = {a.key: a for s in then for a in s.answers}
    assert [s.number for s in then] == list(range(10))
    assert kept["notification_kind"].value == "new notification"
    assert kept["earlier_meldnummer"].state == "not_applicable"
    assert kept["is_provisional"].value == "yes"
    assert today["notification_kind"].value == "supplement to or change of an earlier notification"
    assert today["earlier_meldnummer"].value == "M-2026-0042"


def test_an_earlier_copy_is_shown_beside_todays_with_the_changes_marked(client, make, auth):
    incident = make.incident(summary="Laptop in de trein laten liggen")
    officer = make.user("officer", language="nl")
    notification = notify(incident, officer, make.now)
    incidents.update_incident(
        incident, {"summary": "Laptop gestolen uit een auto"}, officer, make.now
    )
    db.session.commit()
    auth.login(officer.email)
    url = f"/incidents/{incident.ref}/ap-form"
    alone = client.get(url).get_data(as_text=True)
    assert f"?copy={notification.id}" in alone and "ap-columns two" not in alone
    page = client.get(f"{url}?copy={notification.id}").get_data(as_text=True)
    assert "ap-columns two" in page and "Zoals gemeld: eerste melding van" in page
    today, copy = page.split("Zoals gemeld:", 1)
    assert "Laptop gestolen uit een auto" in today and "Laptop in de trein" not in today
    assert "Laptop in de trein laten liggen" in copy
    assert 'state-answered changed" data-question="summary"' in today
    assert "gewijzigd sinds die melding" in answer_html(today, "summary")
    assert "gewijzigd" not in answer_html(today, "incident_type")


def test_an_older_copy_without_states_still_shows(client, make, auth):
    incident = make.incident()
    officer = make.user("officer", language="nl")
    notification = notify(incident, officer, make.now)
    notification.answers = {
        "parts": notification.answers["parts"],
        "form": [
            {
                "number": 1,
                "title": "Contactgegevens en algemene informatie",
                "answers": [
                    {"key": "organisation", "question": "Organisatie", "value": "Oud B.V."},
                    {"key": "contact", "question": "Contactpunt (FG)", "value": None},
                ],
            }
        ],
    }
    db.session.commit()
    auth.login(officer.email)
    page = client.get(f"/incidents/{incident.ref}/ap-form?copy={notification.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    copy = html.split("Zoals gemeld:", 1)[1]
    assert "Oud B.V." in copy and "nog onbekend" in answer_html(copy, "contact")
    assert "gewijzigd sinds die melding" in answer_html(html, "organisation")


def test_a_copy_of_another_incident_or_no_copy_answers_404(client, make, auth):
    incident, other = make.incident(), make.incident()
    officer = make.user("officer")
    theirs = notify(other, officer, make.now)
    auth.login(officer.email)
    for asked in (str(theirs.id), "abc", "999999"):
        response = client.get(f"/incidents/{incident.ref}/ap-form?copy={asked}")
        assert response.status_code == 404, asked


# -- the PDF and the API


def test_the_pdf_has_the_sections_answers_and_states_in_the_users_language(client, make, auth):
    incident = make.incident()
    incident.notifier_name = NOTIFIER
    db.session.commit()
    auth.login(make.user("viewer", language="nl").email)
    response = client.get(f"/incidents/{incident.ref}/ap-form.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "0. Over deze melding" in text and "9. Overig" in text
    assert NOTIFIER in text and incident.ref in text
    assert "nog onbekend" in text and "niet van toepassing" in text
    auth.logout()
    g.pop("_flask_babel", None)  # the tests' app context outlives a request, with its catalogue
    auth.login(make.user("viewer", language="en").email)
    english = pdf_text(client.get(f"/incidents/{incident.ref}/ap-form.pdf").data)
    assert "0. About this notification" in english and "not known yet" in english
    assert NOTIFIER in english


def test_the_api_gives_each_answer_its_state(client, make, headers_for):
    incident = make.incident()
    incident.is_cross_border, incident.is_ongoing = False, None
    db.session.commit()
    officer = make.user("officer", language="en")
    url = f"/api/v1/incidents/{incident.ref}/ap-form"
    form = client.get(url, headers=headers_for(officer)).get_json()
    answers = {a["key"]: a for s in form["sections"] for a in s["answers"]}
    assert (answers["is_cross_border"]["state"], answers["is_cross_border"]["value"]) == (
        "answered",
        "no",
    )
    assert answers["member_states"] == {
        **answers["member_states"],
        "state": "not_applicable",
        "value": None,
        "missing": False,
    }
    assert (answers["is_ongoing"]["state"], answers["is_ongoing"]["value"]) == ("unknown", None)
    assert answers["is_ongoing"]["missing"] is True


def test_another_organisations_incident_answers_404_everywhere(client, make, auth, headers_for):
    theirs = make.organisation("Groen B.V.", ref_prefix="GR")
    ours = make.organisation("Blauw B.V.", ref_prefix="BZ")
    incident = make.incident(theirs, reporter=make.user("reporter", organisation=theirs))
    officer = make.user("officer", organisation=ours)
    api = client.get(f"/api/v1/incidents/{incident.ref}/ap-form", headers=headers_for(officer))
    assert api.status_code == 404
    auth.login(officer.email)
    for path in ("ap-form", "ap-form.pdf"):
        assert client.get(f"/incidents/{incident.ref}/{path}").status_code == 404, path


def test_what_each_notification_is_does_not_count_as_a_change(make):
    incident = make.incident()
    with force_locale("en"):
        notification = notify(incident, make.user("officer"), make.now)
        then = ap_form.from_frozen(notification.answers["form"])
        today = ap_form.sections(incident)
    assert ap_form.changed(today, then) == set()


def test_the_aps_own_kinds_of_nature_and_consequences_per_aspect_give_those_parts(make):
    """Before, only the confidentiality/integrity/availability nature and the one consequences
    text counted as given: an officer who answered section 3 and 7 as the AP asks them was
    still told the nature and the consequences were missing (Art. 33(3)(a) and (c))."""
    incident = make.incident(nature=[], consequences="")
    incident.data_outcomes = ["unknown"]
    incident.consequences_confidentiality = ""
    db.session.commit()
    with force_locale("nl"):
        assert ap_form.parts(incident)["nature"] == ""
        assert ap_form.parts(incident)["consequences"] == ""
        incident.data_outcomes = ["copied", "stolen"]
        incident.consequences_confidentiality = "Klantgegevens kunnen op straat komen."
        given = ap_form.parts(incident)
    assert "gekopieerd" in given["nature"] and "gestolen" in given["nature"]
    assert given["consequences"] == "Klantgegevens kunnen op straat komen."
