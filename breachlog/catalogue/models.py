from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class CatalogueEntry(db.Model):  # type: ignore[name-defined,misc]
    """One choice in a catalogue (personal-data category, incident type, ...), in nl and en."""

    __tablename__ = "catalogue_entries"
    __table_args__ = (sa.UniqueConstraint("kind", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32), index=True)
    code: Mapped[str] = mapped_column(sa.String(64))
    label_nl: Mapped[str] = mapped_column(sa.String(200))
    label_en: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    is_builtin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)

    def label(self, language: str) -> str:
        return self.label_nl if language == "nl" else self.label_en
