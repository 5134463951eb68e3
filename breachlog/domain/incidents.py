"""Facts about an incident that must hold whatever edge they come from (R1, R2, R5, R9, R10)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .deadlines import ensure_aware, to_local
from .errors import N_, Problems, Term

RISKS = ("unassessed", "none", "risk", "high")
STATUSES = ("open", "assessed", "notified", "closed")
MEASURE_KINDS = ("corrective", "preventive")

TITLE_MAX = 200
TEXT_MAX = 20_000
# Clocks of laptops and phones drift; a few minutes in the future is a typo, not a lie.
FUTURE_TOLERANCE = timedelta(minutes=5)

# A register starts long after this; an earlier year is a typo (0026 for 2026), not a fact.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# A measure may be planned far ahead, but not beyond what anyone can promise.
DUE_YEARS_MAX = 10
# the field named in a refusal, in the words of the form
TIME_NAMES = {
    "occurred_from": N_("The start of the breach"),
    "occurred_until": N_("The end of the breach"),
    "discovered_at": N_("The moment of discovery"),
    "aware_at": N_("The moment of awareness"),
    "processor_aware_at": N_("The moment the processor became aware"),
    "processor_notified_at": N_("The moment the processor told you"),
    "submitted_at": N_("The moment of submission"),
    "sent_at": N_("The moment it was sent"),
    "done_at": N_("The moment it was done"),
    "receipt_at": N_("The AP's confirmation of receipt"),
    "public_sent_at": N_("The moment of the public communication"),
}

TIME_FIELDS = (
    "occurred_from",
    "occurred_until",
    "discovered_at",
    "aware_at",
    "processor_aware_at",
    "processor_notified_at",
)


def check_moment(problems: Problems, name: str, value: datetime | None, now: datetime) -> None:
    """An event time lies between 2000-01-01 and now (a few minutes of clock drift allowed)."""
    if value is None:
        return
    value = ensure_aware(value)
    if value > ensure_aware(now) + FUTURE_TOLERANCE:
        problems.add(name, N_("%(field)s lies in the future."), field=Term(TIME_NAMES[name]))
    elif value < EARLIEST:
        problems.add(
            name, N_("%(field)s lies before 1 January 2000."), field=Term(TIME_NAMES[name])
        )


def aware_by_default(facts: Mapping[str, Any], now: datetime) -> datetime:
    """R5 (Art. 33(2), EDPB Guidelines 9/2022): without a stated awareness, the earliest of
    the processor's notice and the discovery; failing both, the moment of the report."""
    known = [facts.get(name) for name in ("processor_notified_at", "discovered_at")]
    given = [ensure_aware(moment) for moment in known if moment is not None]
    return min(given) if given else now


def check_facts(facts: Mapping[str, Any], now: datetime, zone: str = "UTC") -> None:
    """Refuse facts that contradict each other or the calendar. `facts` is the whole incident.

    R5 (Art. 33(2), EDPB Guidelines 9/2022): the controller is aware no later than the
    moment its processor told it, so awareness after the notice would start the AP's
    clock late; the refusal names the notice time in the organisation's zone. A discovery
    after the notice is refused the same way: the breach was known when the processor told
    of it, and a report without awareness counts from the notice.
    """
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
        check_moment(problems, name, facts.get(name), now)

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
    # a report without awareness counts from the notice: the reporter is told why
    discovered_in_time = _not_after_notice(
        problems,
        facts,
        "discovered_at",
        N_(
            "The breach was discovered no later than the processor's notice of "
            "%(when)s (Art. 33(2)): discovery cannot be later."
        ),
        zone,
    )
    if discovered_in_time:
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
        "occurred_from",
        "aware_at",
        N_("The organisation cannot have become aware before the breach began."),
    )
    _in_order(
        problems,
        facts,
        "occurred_from",
        "processor_aware_at",
        N_("The processor cannot have become aware before the breach began."),
    )
    _in_order(
        problems,
        facts,
        "processor_aware_at",
        "processor_notified_at",
        N_("The processor cannot have told you before it knew itself."),
    )
    _not_after_notice(
        problems,
        facts,
        "aware_at",
        N_(
            "The organisation is aware no later than the processor's notice of "
            "%(when)s (Art. 33(2)): awareness cannot be later."
        ),
        zone,
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


def needs_second_officer(
    first_deadline_at: datetime | None,
    old: datetime | None,
    new: datetime | None,
    now: datetime,
) -> bool:
    """R14 (Art. 33(1)): once the first recorded deadline has passed, a later awareness would
    make a late notification look timely; it takes effect only when a second officer
    approves it."""
    if first_deadline_at is None or old is None or new is None:
        return False
    return ensure_aware(new) > ensure_aware(old) and ensure_aware(now) > ensure_aware(
        first_deadline_at
    )


def check_approval(proposed_by: int | None, approver: int, pending: datetime | None) -> None:
    """R14 (Art. 33(1)): four eyes — the officer who proposed a later awareness cannot
    approve it."""
    problems = Problems()
    if pending is None:
        problems.add("aware_at", N_("No change of the moment of awareness awaits approval."))
    elif proposed_by == approver:
        problems.add(
            "aware_at",
            N_("A second officer approves this change: you proposed it yourself."),
        )
    problems.raise_if_any()


def check_measure(
    kind: str,
    description: str,
    *,
    due_on: date | None = None,
    done_at: datetime | None = None,
    now: datetime | None = None,
) -> None:
    problems = Problems()
    if kind not in MEASURE_KINDS:
        problems.add("kind", N_("Choose corrective or preventive."))
    if not (description or "").strip():
        problems.add("description", N_("Describe the measure."))
    if now is not None:
        check_moment(problems, "done_at", done_at, now)
        check_due_on(problems, due_on, now)
    problems.raise_if_any()


def _not_after_notice(
    problems: Problems, facts: Mapping[str, Any], name: str, message: str, zone: str
) -> bool:
    """R5 (Art. 33(2)): the moment `name` is no later than the processor's notice. False,
    with the refusal naming the notice time in the organisation's zone, when it is later."""
    notice, moment = facts.get("processor_notified_at"), facts.get(name)
    if notice is None or moment is None or not _after(moment, notice):
        return True
    problems.add(name, message, when=_local_text(notice, zone))
    return False


def check_due_on(problems: Problems, due_on: date | None, now: datetime) -> None:
    """A measure's due day: from 2000 to ten years ahead, when added and when changed."""
    today = ensure_aware(now).date()
    if due_on is not None and due_on < EARLIEST.date():
        problems.add("due_on", N_("The due date lies before 1 January 2000."))
    elif due_on is not None and due_on > date(today.year + DUE_YEARS_MAX, 12, 31):
        problems.add("due_on", N_("The due date lies more than ten years ahead."))


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


def _after(later: datetime, earlier: datetime) -> bool:
    return ensure_aware(later) > ensure_aware(earlier)


def _local_text(moment: datetime, zone: str) -> str:
    local = to_local(ensure_aware(moment), zone)
    return f"{local:%d-%m-%Y %H:%M} {local.tzname()}"
