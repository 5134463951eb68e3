"""R11 (Art. 33(4)): a notification in phases, followed until every part has been given.

The initial notification may mark parts of Art. 33(3) as following later; each such part
is owed to the AP until a supplement gives it. What is owed is worked out from the
notifications in the order they were made, so a later withdrawal or a new initial
notification starts the count afresh.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .errors import N_, Problems

# The Art. 33(3) parts by their short names, as the dashboard lists what is owed.
PART_NAMES = {
    "nature": N_("nature"),
    "subjects": N_("people concerned"),
    "records": N_("records"),
    "contact": N_("contact point"),
    "consequences": N_("consequences"),
    "measures": N_("measures"),
}
# The AP's meldnummer: letters and digits, with a hyphen between groups at most.
MELDNUMMER = re.compile(r"(?=.*\d)[A-Za-z0-9]+(-[A-Za-z0-9]+)*")
MELDNUMMER_LENGTH = (5, 20)
# Whether a meldnummer is taken only the register knows; a check that cannot ask it yet (a dry
# run of an import of many rows, which asks once for all) finds its refusal by this message.
MELDNUMMER_TAKEN = N_(
    "Meldnummer %(meldnummer)s belongs to another incident of this organisation."
)


def owed_parts(notifications: Iterable[tuple[str, Sequence[str], Sequence[str]]]) -> list[str]:
    """R11 (Art. 33(4)): (kind, follows, gives) in order -> the parts still owed, in the order
    of Art. 33(3). Information may come in phases, but each part marked "follows" is owed
    until a supplement gives it; a withdrawal ends what was owed."""
    owed: set[str] = set()
    for kind, follows, gives in notifications:
        if kind == "initial":
            owed = set(follows)
        elif kind == "supplement":
            owed -= set(gives)
        else:
            owed = set()
    return [part for part in PART_NAMES if part in owed]


def check_parts_given(
    problems: Problems, gives: Sequence[str], owed: Sequence[str], answers: Mapping[str, Any]
) -> None:
    """R11 (Art. 33(4)): a supplement gives owed parts only, and each part it gives has an
    answer, so a part is never ticked off without the information the AP was promised."""
    not_owed = [part for part in gives if part not in owed]
    if not_owed:
        problems.add(
            "gives",
            N_("Only a part that is still owed can be given: %(parts)s is not."),
            parts=", ".join(not_owed),
        )
    for part in gives:
        if part in owed and not answers.get(part):
            problems.add(
                f"answers.{part}",
                N_("A part given in a supplement needs its answer: fill it in first."),
            )


def check_meldnummer(problems: Problems, meldnummer: str, taken: bool) -> None:
    """A meldnummer as the AP gives it, and one incident's only (per organisation)."""
    low, high = MELDNUMMER_LENGTH
    if not (low <= len(meldnummer) <= high and MELDNUMMER.fullmatch(meldnummer)):
        problems.add(
            "meldnummer",
            N_(
                "A meldnummer is the number the AP gave: %(low)s to %(high)s letters and "
                "digits, with at least one digit."
            ),
            low=low,
            high=high,
        )
    elif taken:
        problems.add("meldnummer", MELDNUMMER_TAKEN, meldnummer=meldnummer)
