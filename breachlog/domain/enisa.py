"""The ENISA (2013) severity method: SE = DPC x EI + CB. It suggests; the officer decides."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import N_, Problems

DPC_VALUES = (1, 2, 3, 4)
EI_VALUES = (0.25, 0.5, 0.75, 1.0)
CB_PART_VALUES = (0, 0.25, 0.5)
MALICIOUS_BONUS = 0.5

# band: (lower bound inclusive, label code, suggested risk)
BANDS = (
    (4.0, "very_high", "high"),
    (3.0, "high", "high"),
    (2.0, "medium", "risk"),
    (float("-inf"), "low", "none"),
)


@dataclass(frozen=True)
class Severity:
    score: float
    band: str
    suggested_risk: str


def circumstances(
    confidentiality: float, integrity: float, availability: float, malicious: bool
) -> float:
    return confidentiality + integrity + availability + (MALICIOUS_BONUS if malicious else 0)


def check(dpc: float, ei: float, cb: float) -> None:
    problems = Problems()
    if dpc not in DPC_VALUES:
        problems.add("enisa_dpc", N_("Choose a data processing context from 1 to 4."))
    if ei not in EI_VALUES:
        problems.add("enisa_ei", N_("Choose an ease of identification of 0.25, 0.5, 0.75 or 1."))
    max_cb = 3 * max(CB_PART_VALUES) + MALICIOUS_BONUS
    if not 0 <= cb <= max_cb or (cb * 4) != int(cb * 4):
        problems.add(
            "enisa_cb", N_("Circumstances add up to a value from 0 to 2 in steps of 0.25.")
        )
    problems.raise_if_any()


def check_context(dpc: float, dpc_base: float | None, reason: str) -> None:
    """The method starts from the data's base DPC and adjusts it for the context; an
    adjusted score without the reason cannot be checked by anyone reading the register."""
    problems = Problems()
    if dpc_base is not None and dpc_base not in DPC_VALUES:
        problems.add("enisa_dpc_base", N_("Choose a data processing context from 1 to 4."))
    elif dpc_base is not None and dpc_base != dpc and not reason.strip():
        problems.add(
            "enisa_dpc_reason",
            N_("The context differs from the base score: say what in the context adjusts it."),
        )
    problems.raise_if_any()


def severity(dpc: float, ei: float, cb: float) -> Severity:
    check(dpc, ei, cb)
    score = round(dpc * ei + cb, 4)
    for lower, band, risk in BANDS:
        if score >= lower:
            return Severity(score, band, risk)
    raise AssertionError("unreachable: the last band has no lower bound")
