"""Articles 33 and 34 as the AP applies them: R3, R4, R6, R7, R8, and the status they imply.

Every function takes plain values (no ORM objects) so it can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .deadlines import ensure_aware
from .errors import N_, Problems

NOTIFIABLE = ("risk", "high")
NOTIFICATION_KINDS = ("initial", "supplement", "withdrawal")
EXEMPTION_GROUNDS = ("unintelligible", "measures_taken", "disproportionate")
CHANNELS = ("email", "letter", "phone", "sms", "in_person", "website", "public_notice", "other")

# Art. 33(3)(a)-(d): what the first notification must cover, or mark as "follows" (Art. 33(4)).
# Each message names its part, so it is translated whole.
REQUIRED_PARTS = {
    "nature": N_(
        "Describe the nature of the breach (a), or mark it as following later (Art. 33(4))."
    ),
    "subjects": N_(
        "Give the categories and approximate number of people concerned (a), or "
        "mark them as following later (Art. 33(4))."
    ),
    "records": N_(
        "Give the categories and approximate number of records (a), or mark them as "
        "following later (Art. 33(4))."
    ),
    "contact": N_(
        "Give the FG or other contact point (b), or mark it as following later (Art. 33(4))."
    ),
    "consequences": N_(
        "Describe the likely consequences (c), or mark them as following later (Art. 33(4))."
    ),
    "measures": N_(
        "Describe the measures taken or proposed (d), or mark them as following "
        "later (Art. 33(4))."
    ),
}


@dataclass(frozen=True)
class Situation:
    """What the law needs to know about one incident, right now."""

    risk: str
    is_personal_data_breach: bool
    deadline_at: datetime
    has_initial_notification: bool
    is_withdrawn: bool
    has_subject_communication: bool
    has_exemption: bool
    is_closed: bool = False
    missing_parts: Sequence[str] = field(default_factory=tuple)


def needs_ap_notification(risk: str, is_personal_data_breach: bool = True) -> bool:
    """R3: risk and high risk must be notified to the AP."""
    return is_personal_data_breach and risk in NOTIFIABLE


def needs_subject_communication(risk: str, is_personal_data_breach: bool = True) -> bool:
    """R3 / Art. 34(1): high risk must be communicated to the people concerned (or exempted)."""
    return is_personal_data_breach and risk == "high"


def check_assessment(
    risk: str, rationale: str, is_personal_data_breach: bool, not_breach_rationale: str
) -> None:
    """R1, R3: every assessment carries its reasoning."""
    problems = Problems()
    if not is_personal_data_breach:
        if not not_breach_rationale.strip():
            problems.add(
                "not_breach_rationale",
                N_("Explain why this is not a personal-data breach; it stays in the register."),
            )
    elif risk not in ("none", "risk", "high"):
        problems.add("risk", N_("Choose no risk, risk or high risk."))
    if is_personal_data_breach and not rationale.strip():
        problems.add(
            "risk_rationale",
            N_(
                "Write down why you chose this risk level: the AP asks for the reasoning, "
                "also when you decide not to notify."
            ),
        )
    problems.raise_if_any()


def missing_parts(answers: Mapping[str, Any], follows: Sequence[str]) -> list[str]:
    """The Art. 33(3) parts neither answered nor marked as following later."""
    return [part for part in REQUIRED_PARTS if not answers.get(part) and part not in follows]


def check_notification(
    *,
    kind: str,
    submitted_at: datetime,
    deadline_at: datetime,
    now: datetime,
    meldnummer: str,
    reasons_for_delay: str,
    answers: Mapping[str, Any],
    follows: Sequence[str],
    has_initial: bool,
    is_withdrawn: bool,
    initial_submitted_at: datetime | None = None,
    initial_meldnummer: str = "",
    aware_at: datetime | None = None,
) -> None:
    """R4: late needs reasons; the first must cover Art. 33(3) or mark what follows."""
    problems = Problems()
    submitted_at, deadline_at = ensure_aware(submitted_at), ensure_aware(deadline_at)
    if kind not in NOTIFICATION_KINDS:
        problems.add("kind", N_("Choose initial notification, supplement or withdrawal."))
    if submitted_at > ensure_aware(now):
        problems.add("submitted_at", N_("This time lies in the future."))
    elif aware_at is not None and submitted_at < ensure_aware(aware_at):
        problems.add(
            "submitted_at",
            N_("The AP cannot have been notified before the organisation became aware."),
        )
    if kind == "initial" and not meldnummer.strip():
        problems.add("meldnummer", N_("Give the meldnummer the AP returned on submission."))
    if (
        kind != "initial"
        and initial_meldnummer
        and meldnummer.strip() not in ("", initial_meldnummer)
    ):
        problems.add(
            "meldnummer",
            N_(
                "A supplement or withdrawal refers to the initial notification's meldnummer "
                "%(meldnummer)s."
            ),
            meldnummer=initial_meldnummer,
        )
    if kind == "initial":
        if has_initial:
            problems.add("kind", N_("The AP was notified already; record a supplement instead."))
        if submitted_at > deadline_at and not reasons_for_delay.strip():
            problems.add(
                "reasons_for_delay",
                N_(
                    "This notification is later than 72 hours after awareness: give the reasons "
                    "for the delay (Art. 33(1))."
                ),
            )
        for part in missing_parts(answers, follows):
            # the part's own sentence, whole: a message pasted into another stays untranslated
            problems.add(f"answers.{part}", REQUIRED_PARTS[part])
        unknown = sorted(set(follows) - set(REQUIRED_PARTS))
        if unknown:
            problems.add("follows", N_("Unknown part: %(parts)s."), parts=", ".join(unknown))
    elif kind in ("supplement", "withdrawal"):
        if not has_initial:
            problems.add("kind", N_("Record the initial notification first."))
        elif is_withdrawn:
            problems.add("kind", N_("This notification was withdrawn."))
        if initial_submitted_at and submitted_at < ensure_aware(initial_submitted_at):
            problems.add(
                "submitted_at",
                N_("A supplement or withdrawal cannot precede the initial notification."),
            )
    problems.raise_if_any()


def check_subject_communication(
    *,
    sent_at: datetime | None,
    channel: str,
    people_reached: int | None,
    text: str,
    now: datetime,
) -> None:
    """R7: date, channel, number of people reached and the text sent."""
    problems = Problems()
    if sent_at is None:
        problems.add("sent_at", N_("Say when the people concerned were informed."))
    elif ensure_aware(sent_at) > ensure_aware(now):
        problems.add("sent_at", N_("This time lies in the future."))
    if channel not in CHANNELS:
        problems.add("channel", N_("Choose how the people were informed."))
    if people_reached is None or people_reached < 0:
        problems.add("people_reached", N_("Give the number of people reached."))
    if not text.strip():
        problems.add("text", N_("Keep the text that was sent: it is the proof (Art. 34(2))."))
    problems.raise_if_any()


def check_exemption(*, ground: str, rationale: str, public_communication: str) -> None:
    """R8: Art. 34(3) ground with its reasoning; (c) needs a public communication instead."""
    problems = Problems()
    if ground not in EXEMPTION_GROUNDS:
        problems.add("ground", N_("Choose one of the three grounds of Art. 34(3)."))
    if not rationale.strip():
        problems.add("rationale", N_("Explain why this ground applies."))
    if ground == "disproportionate" and not public_communication.strip():
        problems.add(
            "public_communication",
            N_(
                "Informing everyone would take disproportionate effort: record the public "
                "communication that replaces it (Art. 34(3)(c))."
            ),
        )
    problems.raise_if_any()


def still_missing(s: Situation) -> list[str]:
    """R6: what stands between this incident and closing, in the order it must be done."""
    missing: list[str] = []
    if s.is_personal_data_breach and s.risk == "unassessed":
        missing.append(N_("assess the risk"))
        return missing
    if needs_ap_notification(s.risk, s.is_personal_data_breach) and not (
        s.has_initial_notification and not s.is_withdrawn
    ):
        missing.append(N_("notify the AP"))
    if needs_subject_communication(s.risk, s.is_personal_data_breach) and not (
        s.has_subject_communication or s.has_exemption
    ):
        missing.append(N_("inform the people concerned or record an exemption"))
    return missing


# Whole sentences, one per step above: a step passed in as %(what)s would stay untranslated.
CANNOT_CLOSE = {
    "assess the risk": N_("Cannot close yet: assess the risk."),
    "notify the AP": N_("Cannot close yet: notify the AP."),
    "inform the people concerned or record an exemption": N_(
        "Cannot close yet: inform the people concerned or record an exemption."
    ),
}


def check_close(s: Situation) -> None:
    problems = Problems()
    for item in still_missing(s):
        problems.add("status", CANNOT_CLOSE[item])
    problems.raise_if_any()


def status(s: Situation) -> str:
    """open -> assessed -> notified -> closed, derived from the facts."""
    if s.is_closed:
        return "closed"
    if s.has_initial_notification and not s.is_withdrawn:
        return "notified"
    if s.risk != "unassessed" or not s.is_personal_data_breach:
        return "assessed"
    return "open"


def clock_running(s: Situation) -> bool:
    """The AP countdown runs until the initial notification, or until risk is found to be none."""
    if s.is_closed or not s.is_personal_data_breach or s.has_initial_notification:
        return False
    return s.risk in ("unassessed", *NOTIFIABLE)
