"""Assigning DL-<year>-<nnnn> safely when two incidents are created at the same moment."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.refs import format_ref
from ..extensions import db
from ..orgs.models import Organisation
from .models import RefCounter


def next_ref(organisation: Organisation, year: int) -> str:
    """One atomic upsert: the row lock makes concurrent callers take turns."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(RefCounter)
        .values(organisation_id=organisation.id, year=year, last_seq=1)
        .on_conflict_do_update(
            index_elements=[RefCounter.organisation_id, RefCounter.year],
            set_={"last_seq": RefCounter.last_seq + 1},
        )
        .returning(RefCounter.last_seq)
    )
    seq = db.session.execute(statement).scalar_one()
    return format_ref(organisation.ref_prefix, year, seq)


def counter(organisation_id: int, year: int) -> int:
    value = db.session.execute(
        sa.select(RefCounter.last_seq).where(
            RefCounter.organisation_id == organisation_id, RefCounter.year == year
        )
    ).scalar_one_or_none()
    return value or 0
