"""Plain text for the register PDF: made printable in its fonts, measured and wrapped.

The text is set in DejaVu Sans, shipped in `fonts/` with its licence and embedded in the
PDF (only the characters used), so a name prints as it was typed: Łódź, Şahin, Yılmaz.
A character neither the regular nor the bold font has is printed as MARKER, and noted in
the export's `MissingCharacters` so that the last page can list it: the reader sees that
something was there, and what. Lines are broken with a table of character widths, several
times faster than ReportLab's Paragraph.
"""

from __future__ import annotations

import contextvars
import functools
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR, BOLD = "BreachlogSans", "BreachlogSans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
MARKER = "\ufffd"  # the replacement character: a visible box with a question mark


class Style(NamedTuple):
    font: str
    size: float
    leading: float
    gray: float  # text colour, 0 is black


STYLES = {
    "text": Style(REGULAR, 7.5, 9.2, 0),
    "bold": Style(BOLD, 7.5, 9.2, 0),
    "small": Style(REGULAR, 6.5, 8.0, 0.3),
    "smallbold": Style(BOLD, 6.5, 8.0, 0.3),
    "head": Style(BOLD, 7.0, 8.6, 0),
    # the register table: smaller, to keep a row of nine columns short
    "cell": Style(REGULAR, 7.0, 8.4, 0),
    "cellbold": Style(BOLD, 7.0, 8.4, 0),
    "cellsmall": Style(REGULAR, 6.0, 7.2, 0.35),
    "title": Style(BOLD, 10.5, 13.0, 0),
}
FONTS = (REGULAR, BOLD)


@functools.cache
def fonts() -> dict[str, TTFont]:
    """The embedded fonts, registered with ReportLab once per process."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    loaded = {name: TTFont(name, str(FONT_DIR / file)) for name, file in FONT_FILES.items()}
    for font in loaded.values():
        pdfmetrics.registerFont(font)
    return loaded


_ORIGINAL_CMAP = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode map, with characters beyond U+FFFF written as UTF-16.

    ReportLab writes 😀 as <1F600>, which no reader maps back to the character; the PDF
    standard wants the UTF-16 pair <D83DDE00>. Without it an emoji prints but cannot be
    copied or searched.
    """
    cmap = _ORIGINAL_CMAP(fontname, subset)
    for code in subset:
        if code > 0xFFFF:
            pair = chr(code).encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{code:04X}>", f"<{pair}>")
    return cmap


@functools.cache
def _uncovered() -> re.Pattern[str]:
    """A pattern that finds any character the fonts cannot print."""
    covered = set.intersection(*(set(f.face.charToGlyph) for f in fonts().values()))
    covered |= {10}  # line breaks are kept for wrap()
    ranges, start, previous = [], None, None
    for code in sorted(c for c in covered if c < 0x110000):
        if start is None:
            start = previous = code
        elif code == previous + 1:
            previous = code
        else:
            ranges.append((start, previous))
            start = previous = code
    if start is not None:
        ranges.append((start, previous))
    parts = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[^{parts}]")


class MissingCharacters:
    """The characters of one export that no font could print, in the order first met."""

    def __init__(self) -> None:
        self.found: dict[str, None] = {}

    def __iter__(self) -> Iterator[str]:
        return iter(self.found)

    def __bool__(self) -> bool:
        return bool(self.found)


_MISSING: contextvars.ContextVar[MissingCharacters | None] = contextvars.ContextVar(
    "breachlog_missing_characters", default=None
)


def current_missing() -> MissingCharacters | None:
    """The collector of the export running here, if any (noting_missing)."""
    return _MISSING.get()


@contextmanager
def noting_missing() -> Iterator[MissingCharacters]:
    """Collect, while the block runs, every character printed as MARKER."""
    missing = MissingCharacters()
    token = _MISSING.set(missing)
    try:
        yield missing
    finally:
        _MISSING.reset(token)


def describe(char: str) -> str:
    """A character the reader can look up: its code point and Unicode name."""
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()


_CONTROL = {c: None for c in range(32) if c != 10} | {9: " ", 127: None}


def clean(text: str | None) -> str:
    """Text the fonts can print: line breaks kept, control characters dropped, others marked."""
    if not text:
        return ""
    if not text.isprintable():  # line breaks, tabs, control characters (rare: slow path)
        text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)
    if not text.isascii():
        # a name typed with combining accents prints as the same letters typed composed
        text = unicodedata.normalize("NFC", text)
        uncovered = _uncovered()
        if uncovered.search(text):
            missing = _MISSING.get()
            if missing is not None:
                missing.found.update(dict.fromkeys(uncovered.findall(text)))
            text = uncovered.sub(MARKER, text)
    return text


class _Widths(dict[str, float]):
    def __init__(self, style: Style) -> None:
        super().__init__()
        self.style = style
        fonts()
        face = pdfmetrics.getFont(style.font).face
        size = style.size / 1000
        # no character is wider than this, or narrower than that (zero-width ones aside): a
        # text of up to width / widest characters fits without measuring it, and one of
        # more than width / narrowest characters does not
        self.widest = max(face.charWidths.values()) * size
        self.widest_ascii = max(face.charWidths.get(c, 0) for c in range(32, 127)) * size
        self.narrowest = min(face.charWidths.get(c, 0) for c in range(32, 127)) * size
        self.words: dict[str, float] = {}

    def widest_in(self, text: str) -> float:
        return self.widest_ascii if text.isascii() else self.widest

    def word(self, word: str) -> float:
        """The width of a word; the words of a register repeat, so each is measured once."""
        width = self.words.get(word)
        if width is None:
            width = sum(map(self.__getitem__, word))
            if len(self.words) < 100_000:
                self.words[word] = width
        return width

    def __missing__(self, char: str) -> float:
        width = stringWidth(char, self.style.font, self.style.size)
        self[char] = width
        return width


@functools.cache
def _all_widths() -> dict[str, _Widths]:
    return {name: _Widths(style) for name, style in STYLES.items()}


LEADING = {name: style.leading for name, style in STYLES.items()}


def text_width(text: str, style: str) -> float:
    return sum(map(_all_widths()[style].__getitem__, text))


def fits(text: str, style: str, width: float) -> bool:
    widths = _all_widths()[style]
    if len(text) * widths.widest_in(text) <= width:
        return True
    return sum(map(widths.__getitem__, text)) <= width


def is_plain(text: str, style: str, width: float) -> bool:
    """Whether `text`, found to fit in `width`, is printed as it is on one line: ASCII
    letters only, none that clean() changes, none that wrap() measures again."""
    widths = _all_widths()[style]
    return text.isascii() and text.isprintable() and len(text) * widths.narrowest <= width


def lines_of(text: str, style: str, width: float) -> tuple[str, ...]:
    """The lines `text` takes in a column `width` wide, made printable."""
    plain = text.isascii() and text.isprintable()
    if plain and len(text) * _all_widths()[style].widest_ascii <= width:
        return (text,)  # a date, a number, a name: one line, whatever its letters
    if len(text) > 160:  # a text of its own (a description, a rationale): not kept
        return tuple(wrap(clean(text), style, width))
    if not text.isascii() and _MISSING.get() is not None and _uncovered().search(text):
        clean(text)  # note its missing characters for this export; the lines may be cached
    return _short_lines(text, style, width)


@functools.lru_cache(maxsize=2048)
def _short_lines(text: str, style: str, width: float) -> tuple[str, ...]:
    # labels, lists of categories, names and codes come back for every incident: wrap each once.
    # A few thousand are enough to keep them (ten thousand incidents: 98.7 % of the hits of
    # a cache 16 times larger); more would only hold texts of one incident, 30 MB of them
    return tuple(wrap(clean(text), style, width))


def wrap(text: str, style: str, width: float) -> list[str]:
    """Greedy line breaking at spaces; a word longer than the line is broken anywhere."""
    widths = _all_widths()[style]
    if len(text) * widths.widest_in(text) <= width and "\n" not in text:
        return [text]
    measure = widths.__getitem__
    word_width, known = widths.word, widths.words.get
    space = measure(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if len(paragraph) * widths.narrowest <= width and sum(map(measure, paragraph)) <= width:
            lines.append(paragraph)
            continue
        line: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            size = known(word)
            if size is None:
                size = word_width(word)
            if line and used + space + size <= width:
                line.append(word)
                used += space + size
                continue
            if line:
                lines.append(" ".join(line))
            while size > width:  # a URL, a hash, a very long number
                cut = _fitting(word, measure, width)
                lines.append(word[:cut])
                word = word[cut:]
                size = word_width(word)
            line, used = [word], size
        lines.append(" ".join(line))
    return lines


def _fitting(word: str, measure: Any, width: float) -> int:
    used = 0.0
    for index, char in enumerate(word):
        used += measure(char)
        if used > width:
            return max(index, 1)
    return len(word)
