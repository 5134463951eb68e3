"""R5, R10, R12, R13, R14, R16 and the ENISA context as pure functions at their edges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from breachlog.domain import enisa, law
from breachlog.domain.errors import RuleViolation
from breachlog.domain.incidents import (
    aware_by_default,
    check_approval,
    check_facts,
    check_measure,
    needs_second_officer,
)
from breachlog.domain.subjects import check_exemption, check_subject_communication

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
AWARE = NOW - timedelta(hours=30)
TEXT = "Beste klant, uw gegevens lagen op straat. Vragen: fg@example.nl. De laptop is gewist."


def refused_fields(call, **kwargs):
    with pytest.raises(RuleViolation) as refused:
        call(**kwargs)
    return set(refused.value.by_field())


def communication(**overrides):
    values = dict(
        sent_at=AWARE,
        channel="email",
        people_reached=10,
        text=TEXT,
        now=NOW,
        aware_at=AWARE,
        people_min=10,
        names_contact=True,
        names_consequences=True,
        names_measures=True,
    )
    values.update(overrides)
    check_subject_communication(**values)


def test_communication_at_awareness_to_exactly_the_minimum_is_fine():
    communication()


def test_communication_a_second_before_awareness_is_refused():
    fields = refused_fields(communication, sent_at=AWARE - timedelta(seconds=1))
    assert fields == {"sent_at"}


def test_communication_to_nobody_or_short_of_the_minimum():
    assert refused_fields(communication, people_reached=0) == {"people_reached"}
    assert refused_fields(communication, people_reached=9) == {"shortfall_reason"}
    communication(people_reached=9, shortfall_reason="Eén adres onbekend")


@pytest.mark.parametrize("mark", ["(nog aanvullen)", "(to be completed)"])
def test_communication_with_a_placeholder_is_refused(mark):
    assert refused_fields(communication, text=TEXT + mark) == {"text"}


def test_communication_needs_each_confirmation():
    fields = refused_fields(
        communication, names_contact=False, names_consequences=False, names_measures=False
    )
    assert fields == {"names_contact", "names_consequences", "names_measures"}


def test_exemption_a_rests_on_protection_described():
    base = dict(ground="unintelligible", rationale="AES", public_communication="")
    assert refused_fields(check_exemption, **base, is_protected=None) == {"ground"}
    assert refused_fields(check_exemption, **base, is_protected=False) == {"ground"}
    assert refused_fields(check_exemption, **base, is_protected=True) == {"ground"}
    check_exemption(**base, is_protected=True, protection_details="AES-256, sleutel apart")


def test_exemption_c_rests_on_a_public_communication_made():
    base = dict(ground="disproportionate", rationale="Geen adressen", now=NOW)
    text = "Op onze website melden wij dat een laptop met klantgegevens is verloren."
    fields = refused_fields(check_exemption, **base, public_communication="TBD")
    assert fields == {"public_communication", "public_sent_at", "public_channel"}
    future = NOW + timedelta(days=1)
    fields = refused_fields(
        check_exemption,
        **base,
        public_communication=text,
        public_sent_at=future,
        public_channel="website",
    )
    assert fields == {"public_sent_at"}
    check_exemption(
        **base, public_communication=text, public_sent_at=NOW, public_channel="website"
    )


def facts(**overrides):
    base = {"title": "Hoster gehackt", "aware_at": AWARE, "risk": "unassessed", "status": "open"}
    base.update(overrides)
    return base


def test_awareness_at_the_processors_notice_is_fine_a_second_later_is_not():
    notice = dict(processor_name="Hosting B.V.", processor_notified_at=AWARE)
    check_facts(facts(**notice), NOW)
    with pytest.raises(RuleViolation) as refused:
        check_facts(facts(**notice, aware_at=AWARE + timedelta(seconds=1)), NOW, "UTC")
    assert "09-03-2026 03:00 UTC" in refused.value.by_field()["aware_at"][0]


def test_discovery_at_the_processors_notice_is_fine_a_second_later_is_not():
    notice = dict(processor_name="Hosting B.V.", processor_notified_at=AWARE)
    check_facts(facts(**notice, discovered_at=AWARE), NOW)
    with pytest.raises(RuleViolation) as refused:
        check_facts(facts(**notice, discovered_at=AWARE + timedelta(seconds=1)), NOW, "UTC")
    assert refused.value.by_field() == {
        "discovered_at": [
            "The breach was discovered no later than the processor's notice of "
            "09-03-2026 03:00 UTC (Art. 33(2)): discovery cannot be later."
        ]
    }


def test_awareness_by_default_is_the_earliest_of_notice_and_discovery():
    assert aware_by_default({"processor_notified_at": AWARE}, NOW) == AWARE
    earlier = AWARE - timedelta(hours=1)
    both = {"processor_notified_at": AWARE, "discovered_at": earlier}
    assert aware_by_default(both, NOW) == earlier
    assert aware_by_default({}, NOW) == NOW


def test_event_times_from_2000_until_now():
    check_facts(facts(occurred_from=datetime(2000, 1, 1, tzinfo=UTC)), NOW)
    early = datetime(1999, 12, 31, 23, 59, tzinfo=UTC)
    with pytest.raises(RuleViolation) as refused:
        check_facts(facts(occurred_from=early), NOW)
    assert refused.value.by_field() == {
        "occurred_from": ["The start of the breach lies before 1 January 2000."]
    }


def test_due_dates_up_to_ten_years_ahead():
    check_measure("corrective", "Versleutelen", due_on=date(2036, 12, 31), now=NOW)
    with pytest.raises(RuleViolation):
        check_measure("corrective", "Versleutelen", due_on=date(2037, 1, 1), now=NOW)
    with pytest.raises(RuleViolation):
        check_measure("corrective", "Versleutelen", due_on=date(1999, 1, 1), now=NOW)


def test_a_later_awareness_waits_for_a_second_officer_only_after_the_first_deadline():
    deadline = AWARE + timedelta(hours=72)
    later, earlier = AWARE + timedelta(hours=1), AWARE - timedelta(hours=1)
    assert not needs_second_officer(deadline, AWARE, later, deadline)
    assert needs_second_officer(deadline, AWARE, later, deadline + timedelta(seconds=1))
    assert not needs_second_officer(deadline, AWARE, earlier, deadline + timedelta(days=1))
    with pytest.raises(RuleViolation):
        check_approval(proposed_by=1, approver=1, pending=later)
    check_approval(proposed_by=1, approver=2, pending=later)


def test_closing_needs_the_whole_record():
    fields = refused_fields(
        law.check_record,
        cause=" ",
        consequences="",
        measures=0,
        open_measures=["Training"],
        open_measures_confirmed=False,
    )
    assert fields == {"cause", "consequences", "measures", "confirm_open_measures"}
    law.check_record(
        cause="Phishing",
        consequences="Misbruik",
        measures=1,
        open_measures=["Training"],
        open_measures_confirmed=True,
    )


def test_an_adjusted_context_needs_its_reason():
    enisa.check_context(2, 2, "")
    enisa.check_context(2, None, "")
    with pytest.raises(RuleViolation):
        enisa.check_context(3, 2, " ")
    enisa.check_context(3, 2, "Gegevens van kwetsbare klanten")
