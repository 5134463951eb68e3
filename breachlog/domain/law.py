"""Articles 33 and 34 as the AP applies them: R3, R4, R6, R11, R15, R16, and the status.

Every function takes plain values (no ORM objects) so it can be tested on its own. The
Art. 34 checks (R7, R8, R12, R13) live in `subjects`, the phased notification in `phased`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .deadlines import ensure_aware
from .errors import N_, Problems, Term, Todo
from .incidents import check_moment
from .phased import PART_NAMES, check_meldnummer, check_parts_given
from .subjects import CHANNELS, EXEMPTION_GROUNDS, check_exemption, check_subject_communication

__all__ = ["CHANNELS", "EXEMPTION_GROUNDS", "check_exemption", "check_subject_communication"]

NOTIFIABLE = ("risk", "high")
NOTIFICATION_KINDS = ("initial", "supplement", "withdrawal")

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
    # R11: the parts an initial notification marked "follows" that no supplement gave yet
    owed_parts: Sequence[str] = field(default_factory=tuple)


def needs_ap_notification(risk: str, is_personal_data_breach: bool = True) -> bool:
    """R3: risk and high risk must be notified to the AP."""
    return is_personal_data_breach and risk in NOTIFIABLE


def needs_subject_communication(risk: str, is_personal_data_breach: bool = True) -> bool:
    """R3 / Art. 34(1): high risk must be communicated to the people concerned (or exempted)."""
    return is_personal_data_breach and risk == "high"


def check_assessment(
    risk: str,
    rationale: str,
    is_personal_data_breach: bool,
    not_breach_rationale: str,
    notification_stands: bool = False,
) -> None:
    """R1, R3: every assessment carries its reasoning (Art. 33(5)). R15 (Art. 33(5)): while
    an AP notification stands (made and not withdrawn), the register cannot say there was
    nothing to notify; the notification is withdrawn, with its reason, first."""
    problems = Problems()
    if notification_stands and not is_personal_data_breach:
        problems.add(
            "is_personal_data_breach",
            N_(
                "The AP has been notified of this breach; withdraw the notification, with "
                "its reason, before recording that it is not a personal-data breach."
            ),
        )
    elif notification_stands and risk not in NOTIFIABLE:
        problems.add(
            "risk",
            N_(
                "The AP has been notified; withdraw the notification before "
                "lowering the risk below the notification threshold."
            ),
        )
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
    note: str = "",
    gives: Sequence[str] = (),
    owed: Sequence[str] = (),
    meldnummer_taken: bool = False,
    receipt_at: datetime | None = None,
    is_provisional: bool = False,
) -> None:
    """R4: late needs reasons; the first must cover Art. 33(3) or mark what follows.

    R11 (Art. 33(4)): the initial notification gives at least the nature; a part marked
    "follows" makes it provisional; a supplement says which owed parts it gives. R15
    (Art. 33(5)): a withdrawal gives its reason, and after it only a new initial
    notification, with the new meldnummer the AP gives it, can follow.
    """
    problems = Problems()
    submitted_at, deadline_at = ensure_aware(submitted_at), ensure_aware(deadline_at)
    if kind not in NOTIFICATION_KINDS:
        problems.add("kind", N_("Choose initial notification, supplement or withdrawal."))
    check_moment(problems, "submitted_at", submitted_at, now)
    if aware_at is not None and submitted_at < ensure_aware(aware_at):
        problems.add(
            "submitted_at",
            N_("The AP cannot have been notified before the organisation became aware."),
        )
    if kind == "initial" and not meldnummer.strip():
        problems.add("meldnummer", N_("Give the meldnummer the AP returned on submission."))
    elif meldnummer.strip():
        check_meldnummer(problems, meldnummer.strip(), meldnummer_taken and kind == "initial")
    if receipt_at is not None:
        check_moment(problems, "receipt_at", receipt_at, now)
        if ensure_aware(receipt_at) < submitted_at:
            problems.add(
                "receipt_at",
                N_("The AP cannot have confirmed receipt before the notification was sent."),
            )
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
        if has_initial and not is_withdrawn:
            problems.add("kind", N_("The AP was notified already; record a supplement instead."))
        elif has_initial and meldnummer.strip() == initial_meldnummer:
            problems.add(
                "meldnummer",
                N_(
                    "The notification with meldnummer %(meldnummer)s was withdrawn: a new "
                    "notification gets a new meldnummer from the AP."
                ),
                meldnummer=initial_meldnummer,
            )
        if is_provisional and not follows:
            problems.add(
                "follows",
                N_(
                    "A provisional notification says which parts follow later, so the "
                    "register can tell when the last supplement is sent (Art. 33(4))."
                ),
            )
        if "nature" in follows:
            problems.add(
                "follows",
                N_("The initial notification gives at least the nature of the breach (R11)."),
            )
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
    if kind == "withdrawal" and not note.strip():
        problems.add(
            "note",
            N_("Give the reason for the withdrawal: the register must show why (R15)."),
        )
    if kind == "supplement":
        check_parts_given(problems, gives, owed, answers)
    problems.raise_if_any()


def still_missing(s: Situation) -> list[str]:
    """R6, R11: what stands between this incident and closing, in the order it must be done:
    the assessment, the AP notification (Art. 33(1)), each part still owed in a supplement
    (Art. 33(4)) and the communication to the people concerned or its exemption (Art. 34)."""
    missing: list[str] = []
    if s.is_personal_data_breach and s.risk == "unassessed":
        missing.append(N_("assess the risk"))
        return missing
    if needs_ap_notification(s.risk, s.is_personal_data_breach) and not (
        s.has_initial_notification and not s.is_withdrawn
    ):
        missing.append(N_("notify the AP"))
    if s.owed_parts and s.has_initial_notification and not s.is_withdrawn:
        missing.append(SUPPLEMENT_OWED.with_parts(s.owed_parts))
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


class _Owed:
    """The one step of still_missing that names parts: its text takes them as parameters."""

    message = N_("supplement owed: %(parts)s")
    cannot_close = N_("Cannot close yet: the AP is still owed a supplement with %(parts)s.")

    def with_parts(self, parts: Sequence[str]) -> Todo:
        return Todo(self.message, parts=[Term(PART_NAMES[p]) for p in parts])


SUPPLEMENT_OWED = _Owed()


def check_close(s: Situation) -> None:
    """R6, R11: closing is refused while the law still asks for something (Art. 33(1),
    33(4), 34(1)); each refusal names the step, and the parts still owed to the AP."""
    problems = Problems()
    for item in still_missing(s):
        if isinstance(item, Todo):
            problems.add("status", SUPPLEMENT_OWED.cannot_close, **item.params)
        else:
            problems.add("status", CANNOT_CLOSE[item])
    problems.raise_if_any()


def check_record(
    *,
    cause: str,
    consequences: str,
    measures: int,
    open_measures: Sequence[str],
    open_measures_confirmed: bool,
) -> None:
    """R16 (Art. 33(5)): a closed entry documents the facts, the effects and the remedial
    action. Measures still open may stay open, but the officer closes knowing which."""
    problems = Problems()
    if not cause.strip():
        problems.add("cause", N_("Cannot close yet: record the cause of the breach."))
    if not consequences.strip():
        problems.add(
            "consequences", N_("Cannot close yet: record the consequences of the breach.")
        )
    if measures == 0:
        problems.add(
            "measures", N_("Cannot close yet: record at least one measure taken or planned.")
        )
    if open_measures and not open_measures_confirmed:
        problems.add(
            "confirm_open_measures",
            N_(
                "These measures are still open: %(measures)s. Confirm that you close the "
                "incident with them open; their reminders keep running."
            ),
            measures="; ".join(open_measures),
        )
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
    if s.is_closed or not s.is_personal_data_breach:
        return False
    if s.has_initial_notification and not s.is_withdrawn:
        return False
    return s.risk in ("unassessed", *NOTIFIABLE)
