"""R3, R4, R6, R7, R8 and ENISA as pure functions, at their edges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachlog.domain import enisa, law
from breachlog.domain.errors import RuleViolation

AWARE = datetime(2026, 10, 23, 10, 0, tzinfo=UTC)
DEADLINE = AWARE + timedelta(hours=72)
FULL = {part: "given" for part in law.REQUIRED_PARTS}
LETTER = "Beste klant, uw gegevens lagen op straat. Vragen: fg@example.nl. De laptop is gewist."


def fields_of(raised):
    return set(raised.value.by_field())


def notify(**overrides):
    values = dict(
        kind="initial",
        submitted_at=DEADLINE,
        deadline_at=DEADLINE,
        now=DEADLINE + timedelta(hours=1),
        meldnummer="M-123",
        reasons_for_delay="",
        answers=FULL,
        follows=(),
        has_initial=False,
        is_withdrawn=False,
    )
    values.update(overrides)
    law.check_notification(**values)


def test_notification_exactly_at_72_hours_is_on_time():
    notify()


def test_notification_one_second_late_needs_reasons():
    with pytest.raises(RuleViolation) as refused:
        notify(submitted_at=DEADLINE + timedelta(seconds=1))
    assert fields_of(refused) == {"reasons_for_delay"}
    notify(submitted_at=DEADLINE + timedelta(seconds=1), reasons_for_delay="Weekend, FG ziek")


def test_first_notification_must_cover_art_33_3_or_mark_follows():
    with pytest.raises(RuleViolation) as refused:
        notify(answers={**FULL, "records": "", "consequences": ""})
    assert fields_of(refused) == {"answers.records", "answers.consequences"}
    notify(answers={**FULL, "records": ""}, follows=["records"])


def test_initial_needs_a_meldnummer():
    with pytest.raises(RuleViolation) as refused:
        notify(meldnummer=" ")
    assert fields_of(refused) == {"meldnummer"}


def test_supplement_needs_an_initial_and_refers_to_its_meldnummer():
    with pytest.raises(RuleViolation) as refused:
        notify(kind="supplement", answers={})
    assert fields_of(refused) == {"kind"}
    with pytest.raises(RuleViolation) as refused:
        notify(
            kind="supplement",
            has_initial=True,
            meldnummer="OTHER",
            answers={},
            initial_meldnummer="M-123",
        )
    assert fields_of(refused) == {"meldnummer"}
    notify(
        kind="supplement", has_initial=True, meldnummer="", answers={}, initial_meldnummer="M-123"
    )


def test_no_second_initial_and_nothing_after_withdrawal():
    with pytest.raises(RuleViolation):
        notify(has_initial=True)
    with pytest.raises(RuleViolation):
        notify(kind="supplement", has_initial=True, is_withdrawn=True)


def test_risk_levels_and_what_they_require():
    assert not law.needs_ap_notification("none")
    assert law.needs_ap_notification("risk") and law.needs_ap_notification("high")
    assert not law.needs_ap_notification("high", is_personal_data_breach=False)
    assert law.needs_subject_communication("high")
    assert not law.needs_subject_communication("risk")


def test_every_assessment_needs_a_rationale():
    with pytest.raises(RuleViolation) as refused:
        law.check_assessment("none", " ", True, "")
    assert fields_of(refused) == {"risk_rationale"}
    with pytest.raises(RuleViolation) as refused:
        law.check_assessment("unassessed", "x", True, "")
    assert fields_of(refused) == {"risk"}
    law.check_assessment("unassessed", "", False, "Alleen bedrijfsgegevens, geen personen")


def situation(**overrides):
    values = dict(
        risk="high",
        is_personal_data_breach=True,
        deadline_at=DEADLINE,
        has_initial_notification=False,
        is_withdrawn=False,
        has_subject_communication=False,
        has_exemption=False,
    )
    values.update(overrides)
    return law.Situation(**values)


def test_closing_refused_until_everything_required_is_done():
    assert law.still_missing(situation(risk="unassessed")) == ["assess the risk"]
    assert law.still_missing(situation()) == [
        "notify the AP",
        "inform the people concerned or record an exemption",
    ]
    with pytest.raises(RuleViolation):
        law.check_close(situation(has_initial_notification=True))
    law.check_close(situation(has_initial_notification=True, has_exemption=True))
    law.check_close(situation(risk="none"))
    law.check_close(situation(risk="unassessed", is_personal_data_breach=False))


def test_status_follows_from_the_facts():
    assert law.status(situation(risk="unassessed")) == "open"
    assert law.status(situation(risk="none")) == "assessed"
    assert law.status(situation(has_initial_notification=True)) == "notified"
    assert law.status(situation(has_initial_notification=True, is_withdrawn=True)) == "assessed"
    assert law.status(situation(is_closed=True)) == "closed"


def test_clock_stops_on_notification_or_no_risk():
    assert law.clock_running(situation(risk="unassessed"))
    assert law.clock_running(situation(risk="risk"))
    assert not law.clock_running(situation(risk="none"))
    assert not law.clock_running(situation(has_initial_notification=True))
    assert not law.clock_running(situation(is_personal_data_breach=False))


def test_subject_communication_records_date_channel_people_and_text():
    with pytest.raises(RuleViolation) as refused:
        law.check_subject_communication(
            sent_at=None, channel="pigeon", people_reached=None, text="", now=AWARE
        )
    assert fields_of(refused) == {"sent_at", "channel", "people_reached", "text"}
    law.check_subject_communication(
        sent_at=AWARE, channel="email", people_reached=120, text=LETTER, now=AWARE
    )


def test_exemption_grounds_and_public_communication_for_c():
    with pytest.raises(RuleViolation) as refused:
        law.check_exemption(
            ground="disproportionate", rationale="40.000 oude adressen", public_communication=""
        )
    assert fields_of(refused) == {"public_communication", "public_sent_at", "public_channel"}
    law.check_exemption(
        ground="unintelligible",
        rationale="AES-256, sleutel niet gelekt",
        public_communication="",
        is_protected=True,
        protection_details="AES-256",
    )
    with pytest.raises(RuleViolation):
        law.check_exemption(ground="because", rationale="", public_communication="")


@pytest.mark.parametrize(
    ("dpc", "ei", "cb", "band", "risk"),
    [
        (1, 0.25, 0, "low", "none"),
        (2, 1.0, 0, "medium", "risk"),  # exactly 2: medium
        (3, 0.75, 0.5, "medium", "risk"),  # 2.75
        (3, 1.0, 0, "high", "high"),  # exactly 3: high
        (4, 1.0, 0, "very_high", "high"),  # exactly 4: very high
        (4, 1.0, 2.0, "very_high", "high"),  # the maximum, 6
    ],
)
def test_enisa_bands_at_their_edges(dpc, ei, cb, band, risk):
    result = enisa.severity(dpc, ei, cb)
    assert (result.band, result.suggested_risk) == (band, risk)


def test_enisa_refuses_values_off_the_scale():
    with pytest.raises(RuleViolation) as refused:
        enisa.severity(5, 0.3, 2.25)
    assert fields_of(refused) == {"enisa_dpc", "enisa_ei", "enisa_cb"}


@given(
    st.sampled_from(enisa.DPC_VALUES),
    st.sampled_from(enisa.EI_VALUES),
    st.sampled_from(enisa.CB_PART_VALUES),
    st.sampled_from(enisa.CB_PART_VALUES),
    st.sampled_from(enisa.CB_PART_VALUES),
    st.booleans(),
)
def test_enisa_score_stays_within_bounds(dpc, ei, c, i, a, malicious):
    result = enisa.severity(dpc, ei, enisa.circumstances(c, i, a, malicious))
    assert 0.25 <= result.score <= 6


def test_notification_cannot_precede_awareness():
    with pytest.raises(RuleViolation) as refused:
        notify(submitted_at=AWARE - timedelta(minutes=1), aware_at=AWARE)
    assert fields_of(refused) == {"submitted_at"}
    notify(submitted_at=AWARE, aware_at=AWARE)


def test_the_nature_never_follows_and_a_provisional_notification_says_what_does():
    with pytest.raises(RuleViolation) as refused:
        notify(answers={**FULL, "nature": ""}, follows=["nature"])
    assert fields_of(refused) == {"follows"}
    with pytest.raises(RuleViolation) as refused:
        notify(is_provisional=True)
    assert fields_of(refused) == {"follows"}
    notify(is_provisional=True, answers={**FULL, "measures": ""}, follows=["measures"])


def test_closing_is_refused_while_a_part_is_owed_naming_it():
    owed = situation(risk="risk", has_initial_notification=True, owed_parts=("measures",))
    with pytest.raises(RuleViolation) as refused:
        law.check_close(owed)
    assert fields_of(refused) == {"status"}
    law.check_close(situation(risk="risk", has_initial_notification=True))


def test_a_withdrawal_gives_its_reason_and_a_new_notification_a_new_meldnummer():
    withdrawal = dict(kind="withdrawal", has_initial=True, meldnummer="", answers={})
    with pytest.raises(RuleViolation) as refused:
        notify(**withdrawal, note=" ")
    assert fields_of(refused) == {"note"}
    notify(**withdrawal, note="Geen persoonsgegevens geraakt")
    anew = dict(has_initial=True, is_withdrawn=True, initial_meldnummer="M-123")
    with pytest.raises(RuleViolation) as refused:
        notify(**anew)
    assert fields_of(refused) == {"meldnummer"}
    notify(**anew, meldnummer="M-124")


def test_nothing_to_notify_is_refused_while_a_notification_stands():
    for risk, is_breach in (("none", True), ("unassessed", False)):
        with pytest.raises(RuleViolation):
            law.check_assessment(risk, "x", is_breach, "Geen persoon", notification_stands=True)
        law.check_assessment(risk, "x", is_breach, "Geen persoon", notification_stands=False)
    law.check_assessment("risk", "x", True, "", notification_stands=True)
