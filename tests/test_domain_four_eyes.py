"""R14, second half: which decisions wait for a second officer, and who may approve them."""

from __future__ import annotations

import pytest

from breachlog.domain import four_eyes
from breachlog.domain.errors import RuleViolation


def held(required=True, risk="none", breach=True, current="risk", was_breach=True):
    return four_eyes.assessment_held(
        required,
        risk=risk,
        is_personal_data_breach=breach,
        current_risk=current,
        currently_a_breach=was_breach,
    )


def test_risk_none_waits_only_where_the_organisation_requires_it():
    assert held() == four_eyes.RISK_NONE
    assert held(required=False) is None


@pytest.mark.parametrize("current", ["unassessed", "risk", "high"])
def test_every_way_down_to_none_waits(current):
    assert held(current=current) == four_eyes.RISK_NONE


@pytest.mark.parametrize("risk", ["risk", "high"])
def test_a_risk_that_must_be_notified_takes_effect_at_once(risk):
    assert held(risk=risk) is None


def test_resaving_none_with_a_better_rationale_changes_no_decision():
    assert held(current="none") is None


def test_not_a_breach_waits_and_a_breach_again_does_not():
    assert held(breach=False) == four_eyes.NOT_A_BREACH
    assert held(breach=False, was_breach=False) is None
    # from "not a breach" back to a breach with risk none is a new decision not to notify
    assert held(risk="none", was_breach=False, current="none") == four_eyes.RISK_NONE
    assert held(risk="high", was_breach=False) is None


@pytest.mark.parametrize(
    ("required", "kind", "expected"),
    [
        (True, "withdrawal", four_eyes.WITHDRAWAL),
        (False, "withdrawal", None),
        (True, "initial", None),
        (True, "supplement", None),
    ],
)
def test_only_a_withdrawal_of_the_notifications_waits(required, kind, expected):
    assert four_eyes.notification_held(required, kind) == expected


def problems(*args):
    with pytest.raises(RuleViolation) as caught:
        four_eyes.check_act_approval(*args)
    return [p.message for p in caught.value.problems]


def test_another_officer_approves():
    four_eyes.check_act_approval(four_eyes.WITHDRAWAL, 1, 2, True)


def test_the_proposer_cannot_approve_their_own_decision():
    assert "you proposed it yourself" in problems(four_eyes.RISK_NONE, 1, 1, True)[0]


def test_only_an_officer_of_the_organisation_approves():
    assert "Only an officer" in problems(four_eyes.NOT_A_BREACH, 1, 2, False)[0]


@pytest.mark.parametrize("act", ["", "aware_at", "high"])
def test_nothing_to_approve_is_refused(act):
    assert "No decision awaits" in problems(act, 1, 2, True)[0]
