"""R1, R5, R9 and the audit chain as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from breachlog.domain import audit
from breachlog.domain.errors import RuleViolation
from breachlog.domain.incidents import check_aware_at_change, check_facts, check_measure

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def facts(**overrides):
    base = {
        "title": "Laptop kwijt",
        "aware_at": NOW - timedelta(hours=1),
        "risk": "unassessed",
        "status": "open",
        "is_personal_data_breach": True,
    }
    base.update(overrides)
    return base


def fields_of(violation):
    return set(violation.value.by_field())


def test_valid_facts_pass():
    check_facts(facts(), NOW)


def test_aware_at_is_required():
    with pytest.raises(RuleViolation) as refused:
        check_facts(facts(aware_at=None), NOW)
    assert "aware_at" in fields_of(refused)


def test_times_in_the_future_are_refused_beyond_a_small_tolerance():
    check_facts(facts(aware_at=NOW + timedelta(minutes=4)), NOW)
    with pytest.raises(RuleViolation) as refused:
        check_facts(facts(aware_at=NOW + timedelta(minutes=6)), NOW)
    assert fields_of(refused) == {"aware_at"}


def test_awareness_before_discovery_is_refused():
    with pytest.raises(RuleViolation) as refused:
        check_facts(facts(discovered_at=NOW, aware_at=NOW - timedelta(hours=2)), NOW)
    assert "aware_at" in fields_of(refused)


def test_processor_chain_must_be_in_order_and_named():
    with pytest.raises(RuleViolation) as refused:
        check_facts(
            facts(
                processor_aware_at=NOW - timedelta(hours=1),
                processor_notified_at=NOW - timedelta(hours=3),
            ),
            NOW,
        )
    assert {"processor_notified_at", "processor_name"} <= fields_of(refused)
    check_facts(
        facts(
            processor_name="Hosting B.V.",
            processor_aware_at=NOW - timedelta(hours=5),
            processor_notified_at=NOW - timedelta(hours=1),
        ),
        NOW,
    )


def test_not_a_breach_needs_a_rationale_and_stays():
    with pytest.raises(RuleViolation) as refused:
        check_facts(facts(is_personal_data_breach=False), NOW)
    assert fields_of(refused) == {"not_breach_rationale"}
    check_facts(facts(is_personal_data_breach=False, not_breach_rationale="Alleen testdata"), NOW)


def test_people_range_and_counts():
    with pytest.raises(RuleViolation) as refused:
        check_facts(facts(people_min=10, people_max=5, records_count=-1), NOW)
    assert fields_of(refused) == {"people_max", "records_count"}


def test_every_problem_is_reported_at_once():
    with pytest.raises(RuleViolation) as refused:
        check_facts(facts(title="", aware_at=None, risk="maybe"), NOW)
    assert fields_of(refused) == {"title", "aware_at", "risk"}


def test_aware_at_change_needs_reason_and_is_fixed_after_notification():
    old, new = NOW - timedelta(hours=5), NOW - timedelta(hours=9)
    with pytest.raises(RuleViolation) as refused:
        check_aware_at_change(old, new, "", is_notified=False)
    assert fields_of(refused) == {"aware_at_reason"}
    check_aware_at_change(old, new, "Mail found in spam", is_notified=False)
    with pytest.raises(RuleViolation) as fixed:
        check_aware_at_change(old, new, "Mail found in spam", is_notified=True)
    assert fields_of(fixed) == {"aware_at"}
    check_aware_at_change(old, old, "", is_notified=True)


def test_measure_needs_kind_and_description():
    with pytest.raises(RuleViolation) as refused:
        check_measure("curative", " ")
    assert fields_of(refused) == {"kind", "description"}


def chain_of(*payloads):
    links, prev = [], audit.GENESIS
    for i, payload in enumerate(payloads, start=1):
        digest = audit.event_hash(prev, payload)
        links.append(audit.ChainLink(i, prev, digest, payload))
        prev = digest
    return links


def test_intact_chain_verifies():
    assert audit.verify_chain(chain_of({"a": 1}, {"b": 2}, {"c": 3})) is None


def test_edited_event_is_named():
    links = chain_of({"a": 1}, {"b": 2}, {"c": 3})
    links[1] = audit.ChainLink(2, links[1].prev_hash, links[1].hash, {"b": 99})
    broken = audit.verify_chain(links)
    assert broken is not None and broken.event_id == 2


def test_deleted_event_is_detected_at_the_next_one():
    links = chain_of({"a": 1}, {"b": 2}, {"c": 3})
    broken = audit.verify_chain([links[0], links[2]])
    assert broken is not None and broken.event_id == 3
