"""The meldformulier's own answers and the three-state facts, as pure rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from breachlog.domain.ap_answers import (
    check_answers,
    check_notifier,
    implied,
    stored_authorities,
)
from breachlog.domain.errors import RuleViolation
from breachlog.domain.incidents import check_facts
from breachlog.domain.subjects import check_exemption

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
BELGIAN = {"authority": "APD", "country": "BE", "notified_on": "2026-03-09", "reference": ""}


def refused(facts, today=TODAY):
    with pytest.raises(RuleViolation) as caught:
        check_answers(facts, today)
    return caught.value.by_field()


def test_not_known_yet_is_never_refused():
    check_answers(
        {
            "has_special_categories": None,
            "other_authorities_notified": None,
            "subjects_plan": "",
            "severity": "",
            "data_outcomes": [],
            "harm_kinds": [],
        },
        TODAY,
    )


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"data_outcomes": ["read", "unknown"]}, "data_outcomes"),
        ({"data_outcomes": ["leaked"]}, "data_outcomes"),
        ({"harm_kinds": ["none", "physical"]}, "harm_kinds"),
        ({"severity": "extreme"}, "severity"),
        ({"law": "wbp"}, "law"),
        (
            {"has_special_categories": False, "special_categories": ["health"]},
            "has_special_categories",
        ),
        (
            {"other_authorities_notified": False, "other_authorities": [BELGIAN]},
            "other_authorities_notified",
        ),
        ({"other_authorities": [{**BELGIAN, "country": "UK"}]}, "other_authorities"),
        ({"other_authorities": [{**BELGIAN, "country": ""}]}, "other_authorities"),
        ({"other_authorities": [{**BELGIAN, "authority": " "}]}, "other_authorities"),
        ({"other_authorities": [{**BELGIAN, "notified_on": "2026-03-11"}]}, "other_authorities"),
        ({"other_authorities": [{**BELGIAN, "notified_on": "1999-12-31"}]}, "other_authorities"),
        ({"other_authorities": [{**BELGIAN, "notified_on": "9-3-2026"}]}, "other_authorities"),
        ({"other_authorities": [{**BELGIAN, "reference": "x" * 101}]}, "other_authorities"),
        ({"other_authorities": ["APD"]}, "other_authorities"),
        ({"other_authorities": [BELGIAN] * 51}, "other_authorities"),
        ({"subjects_plan": "not", "subjects_plan_reason": " "}, "subjects_plan_reason"),
        ({"subjects_plan": "later"}, "subjects_plan"),
        ({"subjects_planned_on": date(2037, 1, 1)}, "subjects_planned_on"),
        ({"subjects_planned_on": date(1999, 12, 31)}, "subjects_planned_on"),
        ({"notifier_email": "fg@example"}, "notifier_email"),
        ({"notifier_phone": "06-1234x"}, "notifier_phone"),
        ({"notifier_name": "x" * 201}, "notifier_name"),
        ({"other_remarks": "x" * 20_001}, "other_remarks"),
    ],
)
def test_answers_the_meldformulier_would_not_take_are_refused(facts, field):
    assert field in refused(facts)


def test_good_answers_pass():
    check_answers(
        {
            "law": "telecom",
            "data_outcomes": ["unknown"],
            "harm_kinds": ["none"],
            "severity": "very_high",
            "has_special_categories": True,
            "special_categories": ["health"],
            "other_authorities_notified": True,
            "other_authorities": [BELGIAN, {**BELGIAN, "notified_on": date(2026, 3, 10)}],
            "subjects_plan": "not",
            "subjects_plan_reason": "Art. 34(3)(a): de gegevens waren versleuteld.",
            "subjects_planned_on": date(2036, 12, 31),
            "notifier_email": "fg@example.nl",
            "notifier_phone": "+31 6-1234 5678",
        },
        TODAY,
    )


def test_a_listed_category_or_authority_answers_yes_but_leaves_a_no_to_be_refused():
    assert implied({"special_categories": ["health"], "has_special_categories": None}) == {
        "has_special_categories": True
    }
    assert implied({"other_authorities": [BELGIAN], "other_authorities_notified": None}) == {
        "other_authorities_notified": True
    }
    assert implied({"special_categories": ["health"], "has_special_categories": False}) == {}


def test_authorities_are_stored_in_one_shape():
    given = [{"authority": " APD ", "country": "be", "notified_on": date(2026, 3, 9)}]
    assert stored_authorities(given) == [
        {"authority": "APD", "country": "BE", "notified_on": "2026-03-09", "reference": ""}
    ]


def test_the_notification_needs_a_known_law():
    with pytest.raises(RuleViolation) as caught:
        check_notifier({"law": ""})
    assert "law" in caught.value.by_field()
    check_notifier({"law": "avg", "notifier_email": ""})


# the law's rules that read the yes/no facts treat None as "not known yet", not as "no"


def test_cross_border_not_known_yet_asks_no_member_states_but_yes_does():
    base = {"title": "x", "aware_at": NOW, "risk": "unassessed", "status": "open"}
    check_facts({**base, "is_cross_border": None, "member_states": []}, NOW)
    with pytest.raises(RuleViolation) as caught:
        check_facts({**base, "is_cross_border": True, "member_states": []}, NOW)
    assert "member_states" in caught.value.by_field()


def test_an_end_time_is_refused_only_when_it_is_known_to_go_on():
    base = {"title": "x", "aware_at": NOW, "risk": "unassessed", "status": "open"}
    ended = {**base, "occurred_from": NOW.replace(hour=1), "occurred_until": NOW.replace(hour=2)}
    check_facts({**ended, "is_ongoing": None}, NOW)
    with pytest.raises(RuleViolation):
        check_facts({**ended, "is_ongoing": True}, NOW)


@pytest.mark.parametrize("is_protected", [None, False])
def test_exemption_a_is_refused_while_protection_is_not_known_or_absent(is_protected):
    with pytest.raises(RuleViolation) as caught:
        check_exemption(
            ground="unintelligible",
            rationale="Versleuteld",
            public_communication="",
            is_protected=is_protected,
            protection_details="AES-256",
        )
    assert "does not say" in caught.value.by_field()["ground"][0]
