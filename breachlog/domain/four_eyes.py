"""R14, second half: decisions that end the duty to notify wait for a second officer.

An organisation may require four eyes for the acts after which nobody is told: an
assessment to risk `none`, the finding that an incident is not a personal-data breach,
and the withdrawal of the AP notification. The EDPB (Guidelines 9/2022, on documenting a
decision not to notify) and the AP expect such decisions to be reasoned and reviewed
within the controller; a second officer's approval is that review, recorded in the trail.

Pure functions: the services hold the act as pending and replay it on approval.
"""

from __future__ import annotations

from .errors import N_, Problems

RISK_NONE = "risk_none"
NOT_A_BREACH = "not_breach"
WITHDRAWAL = "withdrawal"
HELD_ACTS = (RISK_NONE, NOT_A_BREACH, WITHDRAWAL)


def assessment_held(
    required: bool,
    *,
    risk: str,
    is_personal_data_breach: bool,
    current_risk: str,
    currently_a_breach: bool,
) -> str | None:
    """R14 (Art. 33(5), EDPB Guidelines 9/2022): which held act an assessment is, or None
    when it takes effect at once.

    Only a change to `none` or to "not a breach" waits: re-saving an assessment that
    already says so (a better rationale) changes no decision and needs no second look.
    """
    if not required:
        return None
    if not is_personal_data_breach:
        return NOT_A_BREACH if currently_a_breach else None
    if risk == "none" and (current_risk != "none" or not currently_a_breach):
        return RISK_NONE
    return None


def notification_held(required: bool, kind: str) -> str | None:
    """R14 (Art. 33(5), EDPB Guidelines 9/2022): a withdrawal of the AP notification waits
    when the organisation asks for it."""
    return WITHDRAWAL if required and kind == "withdrawal" else None


def check_act_approval(
    pending_act: str, proposed_by: int | None, approver: int, approver_can_handle: bool
) -> None:
    """R14 (Art. 33(5), EDPB Guidelines 9/2022): four eyes. Only another officer of the
    organisation approves a held act."""
    problems = Problems()
    if pending_act not in HELD_ACTS:
        problems.add("pending_act", N_("No decision awaits a second officer's approval."))
    elif not approver_can_handle:
        problems.add(
            "pending_act", N_("Only an officer of this organisation approves this decision.")
        )
    elif proposed_by == approver:
        problems.add(
            "pending_act",
            N_("A second officer approves this decision: you proposed it yourself."),
        )
    problems.raise_if_any()
