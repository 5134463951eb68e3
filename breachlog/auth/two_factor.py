"""Two-factor login: codes from an authenticator app (TOTP, RFC 6238) and one-time recovery codes.

Meant for privacy officers and admins, who can read every breach; anyone may turn it on.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime
from typing import Literal
from xml.etree import ElementTree

import pyotp
import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash

from ..audit import chain
from ..domain import roles
from ..domain.errors import N_, Problem, RuleViolation
from ..extensions import db
from .models import RecoveryCode, User

ISSUER = "breachlog"
STEP_SECONDS = 30
DIGITS = 6
# one step either side: a phone clock a little off, or a code typed just as it changed
WINDOW = 1
RECOVERY_CODES = 10
# no 0/o, 1/l/i: read from paper without guessing; 31 ** 12 is about 2 ** 59
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RECOVERY_GROUPS = 3
RECOVERY_GROUP_LENGTH = 4

Outcome = Literal["accepted", "used", "wrong"]


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def is_app_code(code: str) -> bool:
    return bool(re.fullmatch(rf"\d{{{DIGITS}}}", _normalise(code)))


def provisioning_uri(user: User) -> str:
    """The otpauth:// link an authenticator app reads, from the QR code or typed in."""
    return _totp(user.totp_secret or "").provisioning_uri(name=user.email, issuer_name=ISSUER)


def grouped_secret(user: User) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    secret = user.totp_secret or ""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(text: str, label: str) -> str:
    """An SVG of `text` as a QR code: one path, no script or style, safe to put inline."""
    import qrcode
    from qrcode.image.svg import SvgPathFillImage

    image = qrcode.make(text, image_factory=SvgPathFillImage, border=2)
    svg = image.get_image()
    svg.set("width", "220")
    svg.set("height", "220")
    svg.set("role", "img")
    svg.set("aria-label", label)
    return ElementTree.tostring(svg, encoding="unicode")


def required_of(user: User) -> bool:
    """Whether an organisation requires two-factor login of the user: of its officers and
    admins, who can read every breach. One such membership is enough, since a session
    reaches every organisation of its user."""
    return any(
        roles.can_handle(membership.role) and membership.organisation.two_factor_required
        for membership in user.memberships
    )


def owed_by(user: User) -> bool:
    """Required of the user and not on yet: they set it up before anything else."""
    return not user.has_two_factor and required_of(user)


def start(user: User, *, now: datetime) -> None:
    """A new secret, not yet in force: it counts once a code from it has been confirmed."""
    if user.has_two_factor:
        raise RuleViolation([Problem("code", N_("Two-factor login is already on."))])
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = None
    chain.record("user.two_factor_started", user, actor=user, now=now)


def confirm(user: User, code: str, *, now: datetime) -> list[str]:
    """Turn two-factor login on with a first code; returns the recovery codes, shown once."""
    if user.has_two_factor or not user.totp_secret:
        raise RuleViolation([Problem("code", N_("Start setting up two-factor login first."))])
    outcome = check_app_code(user, code, now)
    if outcome != "accepted":
        raise RuleViolation([code_problem(outcome)])
    user.totp_enabled_at = now
    # a session started without the second factor should not outlive this moment
    user.session_version += 1
    codes = _new_recovery_codes(user, now)
    chain.record(
        "user.two_factor_enabled",
        user,
        actor=user,
        now=now,
        before={"two_factor": False},
        after={"two_factor": True, "recovery_codes": len(codes)},
    )
    return codes


def check_app_code(user: User, code: str, now: datetime) -> Outcome:
    """A code of the current step or one either side, never one of a step already used."""
    if not user.totp_secret or not is_app_code(code):
        return "wrong"
    code = _normalise(code)
    totp = _totp(user.totp_secret)
    current = totp.timecode(now)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return "accepted" if _claim_step(user, step) else "used"
    return "wrong"


def _claim_step(user: User, step: int) -> bool:
    """One conditional UPDATE: of two workers given the same code at once, one wins."""
    claimed = db.session.execute(
        sa.update(User)
        .where(
            User.id == user.id,
            sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def check_second_factor(user: User, code: str, now: datetime) -> Outcome:
    """What the login asks after the password: a code from the app, or a recovery code."""
    if not user.has_two_factor:
        return "wrong"
    if is_app_code(code):
        return check_app_code(user, code, now)
    return "accepted" if use_recovery_code(user, code, now) else "wrong"


def use_recovery_code(user: User, code: str, now: datetime) -> bool:
    used = db.session.execute(
        sa.update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(user, code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        return False
    chain.record(
        "user.recovery_code_used",
        user,
        actor=user,
        now=now,
        after={"recovery_codes_left": recovery_codes_left(user)},
    )
    return True


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def regenerate_recovery_codes(user: User, *, actor: User, now: datetime) -> list[str]:
    """New codes; the old ones, used or not, stop working."""
    if not user.has_two_factor:
        raise RuleViolation([Problem("code", N_("Two-factor login is off."))])
    codes = _new_recovery_codes(user, now)
    chain.record(
        "user.recovery_codes_renewed",
        user,
        actor=actor,
        now=now,
        after={"recovery_codes": len(codes)},
    )
    return codes


def turn_off(user: User, *, actor: User | str, now: datetime, by_admin: bool = False) -> None:
    """By the user (after proving it is them) or an admin (a lost phone): password only again.
    Where the organisation requires it, only an admin may, and the user sets it up anew at
    the next login."""
    if not user.has_two_factor and not user.totp_secret:
        raise RuleViolation([Problem("code", N_("Two-factor login is off."))])
    if not by_admin and user.has_two_factor and required_of(user):
        raise RuleViolation([Problem("code", N_("Your organisation requires two-factor login."))])
    was_on = user.has_two_factor
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    chain.record(
        "user.two_factor_reset" if by_admin else "user.two_factor_disabled",
        user,
        actor=actor,
        now=now,
        before={"two_factor": was_on},
        after={"two_factor": False},
    )


def check_proof(user: User, *, code: str, password: str, now: datetime) -> None:
    """Turning it off or renewing the recovery codes needs a current code or the password."""
    if code.strip():
        outcome = check_app_code(user, code, now)
        if outcome != "accepted":
            raise RuleViolation([code_problem(outcome)])
    elif not password:
        raise RuleViolation([Problem("code", N_("Give a code from your app, or your password."))])
    elif not check_password_hash(user.password_hash, password):
        raise RuleViolation([Problem("password", N_("This is not your current password."))])


def code_problem(outcome: Outcome) -> Problem:
    if outcome == "used":
        return Problem("code", N_("This code was used already. Wait for the next one."))
    return Problem(
        "code", N_("This code is not right. Check that your phone shows the right time.")
    )


def _new_recovery_codes(user: User, now: datetime) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user, code), created_at=now)
        for code in codes
    )
    db.session.flush()
    return codes


def _recovery_code() -> str:
    groups = (
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
        for _ in range(RECOVERY_GROUPS)
    )
    return "-".join(groups)


def _recovery_hash(user: User, code: str) -> str:
    # the user id salts it, so equal codes of two users do not share a hash
    return hashlib.sha256(f"{user.id}:{_normalise(code)}".encode()).hexdigest()
