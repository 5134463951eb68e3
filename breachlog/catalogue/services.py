"""Seeding and reading the catalogues."""

from __future__ import annotations

from collections.abc import Collection, Iterable

import sqlalchemy as sa

from ..domain import catalogue
from ..domain.errors import N_, Problems
from ..extensions import db
from .models import CatalogueEntry

# Incident field -> catalogue kind
FIELD_KINDS = {
    "incident_type": catalogue.INCIDENT_TYPE,
    "nature": catalogue.NATURE,
    "personal_data": catalogue.PERSONAL_DATA,
    "special_categories": catalogue.SPECIAL_CATEGORY,
    "subject_categories": catalogue.DATA_SUBJECT,
}


def seed() -> int:
    """Add built-in entries that are missing; never touches entries an admin changed."""
    existing = set(db.session.execute(sa.select(CatalogueEntry.kind, CatalogueEntry.code)).all())
    added = 0
    for kind, entries in catalogue.BUILTIN.items():
        for position, entry in enumerate(entries):
            if (kind, entry.code) in existing:
                continue
            db.session.add(
                CatalogueEntry(
                    kind=kind,
                    code=entry.code,
                    label_nl=entry.label_nl,
                    label_en=entry.label_en,
                    position=position * 10,
                    is_builtin=True,
                )
            )
            added += 1
    db.session.flush()
    return added


def entries(kind: str, include_inactive: bool = False) -> list[CatalogueEntry]:
    query = sa.select(CatalogueEntry).where(CatalogueEntry.kind == kind)
    if not include_inactive:
        query = query.where(CatalogueEntry.is_active.is_(True))
    return list(db.session.scalars(query.order_by(CatalogueEntry.position, CatalogueEntry.id)))


def labels(kind: str, language: str) -> dict[str, str]:
    return {e.code: e.label(language) for e in entries(kind, include_inactive=True)}


def every_label(language: str) -> dict[str, dict[str, str]]:
    """Every entry's label, by kind and code: one query for all the kinds a page shows."""
    found: dict[str, dict[str, str]] = {}
    for entry in db.session.scalars(sa.select(CatalogueEntry)):
        found.setdefault(entry.kind, {})[entry.code] = entry.label(language)
    return found


def choices(kind: str, language: str) -> list[tuple[str, str]]:
    return [(e.code, e.label(language)) for e in entries(kind)]


def by_kind() -> dict[str, list[CatalogueEntry]]:
    """Every entry, inactive ones too, by kind in the order of `entries`: one query."""
    found: dict[str, list[CatalogueEntry]] = {}
    query = sa.select(CatalogueEntry).order_by(CatalogueEntry.position, CatalogueEntry.id)
    for entry in db.session.scalars(query):
        found.setdefault(entry.kind, []).append(entry)
    return found


def known_codes(catalogue: dict[str, list[CatalogueEntry]]) -> dict[str, set[str]]:
    """What check_codes accepts, by incident field, from the catalogue `by_kind` read."""
    return {
        field: {e.code for e in catalogue.get(kind, [])} for field, kind in FIELD_KINDS.items()
    }


def check_codes(
    problems: Problems, field: str, codes: Iterable[str], known: Collection[str] | None = None
) -> None:
    """Codes the catalogue does not hold; `known` when the caller read them once already."""
    if known is None:
        known = {e.code for e in entries(FIELD_KINDS[field], include_inactive=True)}
    unknown = sorted(set(codes) - known)
    if unknown:
        problems.add(field, N_("Unknown choice: %(codes)s."), codes=", ".join(unknown))


def add_entry(kind: str, code: str, label_nl: str, label_en: str) -> CatalogueEntry:
    problems = Problems()
    if kind not in catalogue.OPEN_KINDS:
        problems.add("kind", N_("Entries cannot be added to this catalogue."))
    code = code.strip().lower()
    if not code or not all(c.isalnum() or c == "_" for c in code):
        problems.add("code", N_("Use lower-case letters, digits and underscores."))
    elif db.session.execute(
        sa.select(CatalogueEntry.id).where(
            CatalogueEntry.kind == kind, CatalogueEntry.code == code
        )
    ).first():
        problems.add("code", N_("This code is already in use."))
    if not label_nl.strip():
        problems.add("label_nl", N_("Give the Dutch label."))
    if not label_en.strip():
        problems.add("label_en", N_("Give the English label."))
    problems.raise_if_any()
    last = db.session.execute(
        sa.select(sa.func.max(CatalogueEntry.position)).where(CatalogueEntry.kind == kind)
    ).scalar()
    entry = CatalogueEntry(
        kind=kind,
        code=code,
        label_nl=label_nl.strip(),
        label_en=label_en.strip(),
        position=(last or 0) + 10,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
