"""Users, passwords, API tokens and one-time links."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import orm
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit import chain
from ..domain.errors import N_, Problems
from ..domain.roles import ROLES
from ..extensions import db
from . import sessions
from .models import ApiToken, SetupToken, User

MIN_PASSWORD_LENGTH = 12
SETUP_LINK_LIFETIME = timedelta(hours=24)
TOKEN_USE_PRECISION = timedelta(minutes=1)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password(
    problems: Problems, password: str, field: str = "password", email: str = ""
) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.add(field, N_("Use at least %(n)s characters."), n=MIN_PASSWORD_LENGTH)
    elif is_common(password, email):
        problems.add(
            field,
            N_(
                "This password is too common or too easy to guess; choose "
                "another, for example a sentence of four or five words."
            ),
        )


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    text = (Path(__file__).parent / "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")
    )


def is_common(password: str, email: str = "") -> bool:
    lowered = password.lower()
    if lowered in _common() or len(set(lowered)) <= 2:
        return True
    local = email.split("@")[0].lower()
    return bool(local) and len(local) >= 4 and local in lowered and len(lowered) - len(local) < 6


def _hash(password: str) -> str:
    return generate_password_hash(password, current_app.config["PASSWORD_HASH_METHOD"])


def create_user(
    email: str,
    role: str,
    password: str,
    *,
    actor: User | str,
    now: datetime,
    name: str = "",
    language: str = "nl",
    organisation_id: int | None = None,
) -> User:
    """A user with `role` in the organisation `organisation_id`. An admin without an
    organisation is an installation admin; anyone else without one is a member of nothing
    until an admin adds a membership."""
    from ..orgs.members import set_membership
    from ..orgs.models import Organisation

    email = normalise_email(email)
    problems = Problems()
    if "@" not in email or "." not in email.split("@")[-1] or " " in email:
        problems.add("email", N_("Give a valid e-mail address."))
    elif user_by_email(email) is not None:
        problems.add("email", N_("A user with this e-mail address already exists."))
    if role not in ROLES:
        problems.add("role", N_("Choose one of: %(roles)s."), roles=", ".join(ROLES))
    if language not in ("nl", "en"):
        problems.add("language", N_("Choose nl or en."))
    organisation = None
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None:
            problems.add("organisation_id", N_("No organisation has this id."))
    check_password(problems, password, email=email)
    problems.raise_if_any()
    user = User(
        email=email,
        name=name.strip(),
        language=language,
        is_installation_admin=role == "admin" and organisation is None,
        created_at=now,
        password_hash=_hash(password),
    )
    db.session.add(user)
    db.session.flush()
    chain.record("user.created", user, actor=actor, now=now, after=user.audit_state())
    if organisation is not None:
        set_membership(user, organisation, role, actor=actor, now=now)
    return user


def update_user(user: User, changes: dict[str, object], *, actor: User, now: datetime) -> User:
    problems = Problems()
    if "language" in changes and changes["language"] not in ("nl", "en"):
        problems.add("language", N_("Choose nl or en."))
    demoting = (
        changes.get("is_installation_admin", user.is_installation_admin) is False
        or changes.get("is_active") is False
    )
    if user.is_installation_admin and demoting and _active_admins() <= 1:
        problems.add(
            "is_installation_admin",
            N_("This is the last active installation admin; make someone else one first."),
        )
    problems.raise_if_any()
    before = user.audit_state()
    for key, value in changes.items():
        setattr(user, "is_active_user" if key == "is_active" else key, value)
    if before["is_active"] and not user.is_active_user:
        end_access(user, actor=actor, now=now)
    old, new = chain.rules.changes(before, user.audit_state())
    if new:
        chain.record("user.updated", user, actor=actor, now=now, before=old, after=new)
    return user


def set_password(user: User, password: str, *, actor: User | str, now: datetime) -> None:
    problems = Problems()
    check_password(problems, password, email=user.email)
    problems.raise_if_any()
    user.password_hash = _hash(password)
    user.session_version += 1
    chain.record("user.password_changed", user, actor=actor, now=now)
    end_access(user, actor=actor, now=now)


def end_access(user: User, *, actor: User | str, now: datetime) -> None:
    """After a password change or a deactivation nothing opened with the old state works:
    every session ends on the server, every API token is revoked."""
    sessions.end_all(user, now)
    revoke_api_tokens(user, actor=actor, now=now)


def note_sessions_ended(user: User, ended: int, *, now: datetime) -> None:
    chain.record("user.sessions_ended", user, actor=user, now=now, after={"sessions": ended})


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method)


def authenticate(email: str, password: str) -> User | None:
    user = user_by_email(email)
    if user is None or not user.password_hash:
        # one hash either way, so the time taken does not tell which addresses exist
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user


def user_by_email(email: str) -> User | None:
    return db.session.execute(
        sa.select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def _active_admins() -> int:
    return db.session.execute(
        sa.select(sa.func.count(User.id)).where(
            User.is_installation_admin.is_(True), User.is_active_user.is_(True)
        )
    ).scalar_one()


TOKEN_SCOPES = ("read", "read-write")


def issue_api_token(
    user: User,
    *,
    actor: User | str,
    now: datetime,
    label: str = "",
    organisation_id: int | None = None,
    scope: str = "read-write",
    days: int | None = None,
) -> str:
    """Return a new token once; only its hash is stored. The token reaches one organisation
    of its user: the one named, or their only one. It works for `days` (by default
    API_TOKEN_DAYS, 90) and, with scope "read", only for reading."""
    member_of = sorted(user.organisation_ids_where("is_member"))
    if organisation_id is None and len(member_of) == 1:
        organisation_id = member_of[0]
    problems = Problems()
    if organisation_id is None:
        problems.add(
            "organisation_id",
            N_("Say which organisation the token is for; this user is a member of %(count)s."),
            count=len(member_of),
        )
    elif organisation_id not in member_of:
        problems.add("organisation_id", N_("The user is not a member of this organisation."))
    if scope not in TOKEN_SCOPES:
        problems.add("scope", N_("Choose one of: %(scopes)s."), scopes=", ".join(TOKEN_SCOPES))
    if days is None:
        days = int(current_app.config["API_TOKEN_DAYS"])
    elif not 1 <= days <= 366:
        problems.add("days", N_("A token works from 1 to 366 days."))
    problems.raise_if_any()
    secret = "bl_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        token_hash=sha256(secret),
        label=label,
        created_at=now,
        organisation_id=organisation_id,
        expires_at=now + timedelta(days=days),
        scope=scope,
    )
    db.session.add(token)
    db.session.flush()
    chain.record(
        "api_token.issued",
        token,
        actor=actor,
        now=now,
        after={
            "user": user.email,
            "label": label,
            "organisation_id": organisation_id,
            "scope": scope,
            "days": days,
        },
    )
    return secret


def token_by_secret(secret: str) -> ApiToken:
    return db.session.execute(
        sa.select(ApiToken).where(ApiToken.token_hash == sha256(secret))
    ).scalar_one()


def user_for_token(secret: str, now: datetime) -> User | None:
    token = active_token(secret, now)
    return token.user if token is not None else None


def active_token(secret: str, now: datetime) -> ApiToken | None:
    """The token behind a secret, unless it expired, was revoked or its user deactivated."""
    token = db.session.execute(
        sa.select(ApiToken)
        .where(ApiToken.token_hash == sha256(secret))
        .options(orm.joinedload(ApiToken.user))
    ).scalar_one_or_none()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    if token.expires_at <= now:
        return None
    return token


def note_token_use(token: ApiToken, now: datetime) -> None:
    """Remember when a token was last used, to the minute: no write on every call. Outside
    the request's transaction: a database that takes no writes still answers reads."""
    from ..bookkeeping import best_effort

    if token.last_used_at is not None and now - token.last_used_at < TOKEN_USE_PRECISION:
        return
    update = sa.update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
    if best_effort(update, f"noting the use of API token {token.id}"):
        db.session.expire(token, ["last_used_at"])


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def token_of(user: User, token_id: int) -> ApiToken | None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return None
    return token


def revoke_api_token(token: ApiToken, *, actor: User | str, now: datetime) -> None:
    """From now on the token gets 401; the row stays, so the history keeps its label."""
    token.revoked_at = now
    chain.record(
        "api_token.revoked",
        token,
        actor=actor,
        now=now,
        after={"user": token.user.email, "label": token.label},
    )


def revoke_api_tokens(user: User, *, actor: User | str, now: datetime) -> int:
    tokens = tokens_of(user)
    for token in tokens:
        revoke_api_token(token, actor=actor, now=now)
    return len(tokens)


def has_users() -> bool:
    return db.session.execute(sa.select(User.id).limit(1)).first() is not None


def create_setup_token(now: datetime, purpose: str = "first_admin") -> str:
    secret = secrets.token_urlsafe(32)
    db.session.add(
        SetupToken(
            token_hash=sha256(secret),
            purpose=purpose,
            created_at=now,
            expires_at=now + SETUP_LINK_LIFETIME,
        )
    )
    db.session.flush()
    return secret


def valid_setup_token(
    secret: str, now: datetime, purpose: str = "first_admin"
) -> SetupToken | None:
    token = db.session.execute(
        sa.select(SetupToken).where(
            SetupToken.token_hash == sha256(secret), SetupToken.purpose == purpose
        )
    ).scalar_one_or_none()
    if token is None or token.used_at is not None or token.expires_at < now:
        return None
    return token
