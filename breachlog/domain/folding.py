"""Text folded for search: "lodz" finds Łódź, "Sahin" Şahin, "geinformeerd" geïnformeerd.

Folding drops case and accents (by Unicode decomposition) and writes the letters that
have no decomposition (ł, ı, ø, đ, ß, æ, œ) as the plain letters people type instead. The
app stores the folded text of each incident and folds every search the same way, so one
index answers both, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

_PLAIN = str.maketrans(
    {"ł": "l", "ı": "i", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ħ": "h", "ŀ": "l"}
    | {"ß": "ss", "æ": "ae", "œ": "oe", "ĳ": "ij"}
)


def fold(text: str) -> str:
    """`text` in lower case, without accents, the special letters written plainly."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(_PLAIN)


def folded_together(texts: Iterable[str | None]) -> str:
    """The searched texts of one record as one folded text, a line each."""
    return "\n".join(fold(text) for text in texts if text)
