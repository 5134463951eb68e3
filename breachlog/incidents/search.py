"""Text search over incidents: a case-insensitive substring of some of their texts.

The answer is what LIKE (SQLite) or ILIKE (PostgreSQL) on each column gives; the search
index (search_index.py) only makes it fast. On SQLite the FTS5 table also folds the case of
non-ASCII letters, which LIKE there does not (PostgreSQL's ILIKE does).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from ..domain.folding import fold
from ..extensions import db
from .models import Incident
from .moving import any_moved, former_refs_matching
from .search_index import FOLDED_TABLE, FTS_TABLE, SEARCHED

# trigrams: a shorter text matches no row in the FTS table
SHORTEST_INDEXED = 3


def matching(text: str, columns: Sequence[str] = SEARCHED) -> sa.ColumnElement[bool]:
    """Incidents with `text` in one of `columns` (names out of SEARCHED), ignoring case."""
    if "\x00" in text:
        # PostgreSQL stores no NUL character (psycopg refuses to send one), and SQLite's LIKE
        # and FTS5 read it as the end of the search text: such a search finds nothing on both
        return sa.false()
    pattern = _pattern(text)
    # an incident moved to another organisation is found by the ref it had (moving.py)
    former = [former_refs_matching(pattern)] if "ref" in columns and any_moved() else []
    if tuple(columns) == SEARCHED:
        return sa.or_(_folded_match(fold(text)), *former)
    if db.session.get_bind().dialect.name != "sqlite":
        # the pg_trgm index, where there is one, serves each of these
        return sa.or_(*(_column(name).ilike(pattern, escape="\\") for name in columns), *former)
    if len(text) >= SHORTEST_INDEXED and _has_fts_table():
        return sa.or_(_fts_match(text, columns), *former)
    # SQLite's LIKE ignores the case of ASCII letters itself; ilike would lower() both sides,
    # copying every text first
    return sa.or_(*(_column(name).like(pattern, escape="\\") for name in columns), *former)


def _folded_match(folded: str) -> sa.ColumnElement[bool]:
    """The register's search: the folded text of an incident holds the folded search.

    Case and accents do not matter ("lodz" finds Łódź), and the meldnummer, the ref of a
    register kept elsewhere and the processor are searched too. The FTS table (SQLite) or
    the trigram index (PostgreSQL) over Incident.search_text serves it.
    """
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if sqlite and len(folded) >= SHORTEST_INDEXED and _has_fts_table(FOLDED_TABLE):
        phrase = '"' + folded.replace('"', '""') + '"'
        search = sa.table(FOLDED_TABLE, sa.column("rowid"))
        found = sa.select(search.c.rowid).where(
            sa.literal_column(FOLDED_TABLE).op("MATCH")(phrase)
        )
        return (Incident.id + 0).in_(found)
    return Incident.search_text.like(_pattern(folded), escape="\\")


def _fts_match(text: str, columns: Sequence[str]) -> sa.ColumnElement[bool]:
    phrase = '"' + text.replace('"', '""') + '"'  # one literal phrase, whatever the text
    if tuple(columns) != SEARCHED:
        phrase = "{" + " ".join(columns) + "} : " + phrase
    search = sa.table(FTS_TABLE, sa.column("rowid"))
    found = sa.select(search.c.rowid).where(sa.literal_column(FTS_TABLE).op("MATCH")(phrase))
    # "+ 0" keeps SQLite from fetching each match by its id: the filters' indexes, checked
    # against the matches, are several times faster unless almost nothing matches
    return (Incident.id + 0).in_(found)


def _has_fts_table(name: str = FTS_TABLE) -> bool:
    """False where the database was made without FTS5: search then reads every incident."""
    found = db.session.execute(
        sa.text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
        {"name": name},
    )
    return found.first() is not None


def _pattern(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _column(name: str) -> Any:
    return getattr(Incident, name)
