"""R11 (phased notification) and the meldnummer, as pure functions at their edges."""

from __future__ import annotations

import pytest

from breachlog.domain import phased
from breachlog.domain.errors import Problems, RuleViolation


def test_what_follows_is_owed_until_supplements_give_it():
    made = [("initial", ["consequences", "measures"], [])]
    assert phased.owed_parts(made) == ["consequences", "measures"]
    made.append(("supplement", [], ["measures"]))
    assert phased.owed_parts(made) == ["consequences"]
    made.append(("supplement", [], ["consequences"]))
    assert phased.owed_parts(made) == []


def test_a_withdrawal_ends_what_is_owed_and_a_new_initial_starts_afresh():
    made = [("initial", ["measures"], []), ("withdrawal", [], [])]
    assert phased.owed_parts(made) == []
    made.append(("initial", ["records"], []))
    assert phased.owed_parts(made) == ["records"]


def test_a_supplement_gives_only_owed_parts_and_with_an_answer():
    problems = Problems()
    phased.check_parts_given(problems, ["nature"], ["measures"], {"nature": "x"})
    phased.check_parts_given(problems, ["measures"], ["measures"], {"measures": ""})
    assert [p.field for p in problems.items] == ["gives", "answers.measures"]
    fine = Problems()
    phased.check_parts_given(fine, ["measures"], ["measures"], {"measures": "Gewist"})
    assert fine.items == []


@pytest.mark.parametrize(
    ("meldnummer", "ok"),
    [
        ("M1", False),  # too short
        ("?", False),
        ("bel ik morgen", False),
        ("ABCDE", False),  # no digit
        ("M-", False),
        ("12345", True),  # 5: the shortest
        ("M-2026-123", True),
        ("A" * 19 + "1", True),  # 20: the longest
        ("A" * 20 + "1", False),
    ],
)
def test_a_meldnummer_looks_like_one(meldnummer, ok):
    problems = Problems()
    phased.check_meldnummer(problems, meldnummer, taken=False)
    assert (problems.items == []) is ok


def test_a_meldnummer_taken_is_refused_naming_it():
    problems = Problems()
    phased.check_meldnummer(problems, "M2026-1", taken=True)
    with pytest.raises(RuleViolation) as refused:
        problems.raise_if_any()
    assert "M2026-1" in refused.value.by_field()["meldnummer"][0]
