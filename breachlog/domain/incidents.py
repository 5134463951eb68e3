"""Facts about an incident that must hold whatever edge they come from (R1, R2, R5, R9)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from .deadlines import ensure_aware
from .errors import N_, Problems

RISKS = ("unassessed", "none", "risk", "high")
STATUSES = ("open", "assessed", "notified", "closed")
MEASURE_KINDS = ("corrective", "preventive")

TITLE_MAX = 200
TEXT_MAX = 20_000
# Clocks of laptops and phones drift; a few minutes in the future is a typo, not a lie.
FUTURE_TOLERANCE = timedelta(minutes=5)

TIME_FIELDS = (
    "occurred_from",
    "occurred_until",
    "discovered_at",
    "aware_at",
    "processor_aware_at",
    "processor_notified_at",
)


def check_facts(facts: Mapping[str, Any], now: datetime) -> None:
    """Refuse facts that contradict each other or the calendar. `facts` is the whole incident."""
    problems = Problems()
    now = ensure_aware(now)

    title = (facts.get("title") or "").strip()
    if not title:
        problems.add("title", N_("Give the incident a short title."))
    elif len(title) > TITLE_MAX:
        problems.add("title", N_("Keep the title under %(n)s characters."), n=TITLE_MAX)

    if facts.get("aware_at") is None:
        problems.add("aware_at", N_("Say when the organisation became aware of the breach."))

    for name in TIME_FIELDS:
        value = facts.get(name)
        if value is not None and ensure_aware(value) > now + FUTURE_TOLERANCE:
            problems.add(name, N_("This time lies in the future."))

    _in_order(
        problems,
        facts,
        "occurred_from",
        "occurred_until",
        N_("The end of the period cannot be before its start."),
    )
    _in_order(
        problems,
        facts,
        "occurred_from",
        "discovered_at",
        N_("A breach cannot be discovered before it started."),
    )
    _in_order(
        problems,
        facts,
        "discovered_at",
        "aware_at",
        N_("The organisation cannot have become aware before the breach was discovered."),
    )
    _in_order(
        problems,
        facts,
        "processor_aware_at",
        "processor_notified_at",
        N_("The processor cannot have told you before it knew itself."),
    )
    _in_order(
        problems,
        facts,
        "processor_notified_at",
        "aware_at",
        N_("You became aware no later than the moment the processor told you."),
        field="aware_at",
    )
    if facts.get("is_ongoing") and facts.get("occurred_until") is not None:
        problems.add("occurred_until", N_("An ongoing breach has no end time yet."))

    has_processor_times = facts.get("processor_aware_at") or facts.get("processor_notified_at")
    if has_processor_times and not (facts.get("processor_name") or "").strip():
        problems.add("processor_name", N_("Name the processor whose times you recorded."))

    low, high = facts.get("people_min"), facts.get("people_max")
    for name in ("people_min", "people_max", "records_count"):
        value = facts.get(name)
        if value is not None and value < 0:
            problems.add(name, N_("A number of people or records cannot be negative."))
    if low is not None and high is not None and low > high:
        problems.add("people_max", N_("The maximum cannot be lower than the minimum."))

    if facts.get("risk") not in RISKS:
        problems.add("risk", N_("Unknown risk level."))
    if facts.get("status") not in STATUSES:
        problems.add("status", N_("Unknown status."))
    if (
        facts.get("is_personal_data_breach") is False
        and not (facts.get("not_breach_rationale") or "").strip()
    ):
        problems.add(
            "not_breach_rationale",
            N_("Explain why this is not a personal-data breach; it stays in the register."),
        )
    if facts.get("is_cross_border") and not facts.get("member_states"):
        problems.add("member_states", N_("Name the member states concerned."))
    problems.raise_if_any()


def check_aware_at_change(
    old: datetime | None, new: datetime | None, reason: str | None, is_notified: bool
) -> None:
    """R9: fixed once the AP has been notified; before that a change needs a reason."""
    if old is None or new is None or ensure_aware(old) == ensure_aware(new):
        return
    problems = Problems()
    if is_notified:
        problems.add(
            "aware_at",
            N_(
                "The moment of awareness is fixed once the AP has been "
                "notified; record a supplement to the notification instead."
            ),
        )
    elif not (reason or "").strip():
        problems.add(
            "aware_at_reason",
            N_("Changing the moment of awareness moves the deadline: give a reason."),
        )
    problems.raise_if_any()


def check_measure(kind: str, description: str) -> None:
    problems = Problems()
    if kind not in MEASURE_KINDS:
        problems.add("kind", N_("Choose corrective or preventive."))
    if not (description or "").strip():
        problems.add("description", N_("Describe the measure."))
    problems.raise_if_any()


def _in_order(
    problems: Problems,
    facts: Mapping[str, Any],
    earlier: str,
    later: str,
    message: str,
    field: str | None = None,
) -> None:
    first, second = facts.get(earlier), facts.get(later)
    if first is not None and second is not None and ensure_aware(first) > ensure_aware(second):
        problems.add(field or later, message)
