"""Plain text for the register PDF: made printable in its fonts, measured and wrapped.

The text is set in the standard Helvetica fonts with WinAnsi encoding, which covers every
Dutch character, the euro sign and typographic quotes; a character outside it is printed
as its nearest plain letter (ł as l, ş as s) rather than as a box. Lines are broken with a
table of character widths, several times faster than ReportLab's Paragraph.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any, NamedTuple

from reportlab.pdfbase.pdfmetrics import stringWidth


class Style(NamedTuple):
    font: str
    size: float
    leading: float
    gray: float  # text colour, 0 is black


STYLES = {
    "text": Style("Helvetica", 7.5, 9.2, 0),
    "bold": Style("Helvetica-Bold", 7.5, 9.2, 0),
    "small": Style("Helvetica", 6.5, 8.0, 0.3),
    "smallbold": Style("Helvetica-Bold", 6.5, 8.0, 0.3),
    "head": Style("Helvetica-Bold", 7.0, 8.6, 0),
    # the register table: smaller, to keep a row of nine columns short
    "cell": Style("Helvetica", 7.0, 8.4, 0),
    "cellbold": Style("Helvetica-Bold", 7.0, 8.4, 0),
    "cellsmall": Style("Helvetica", 6.0, 7.2, 0.35),
    "title": Style("Helvetica-Bold", 10.5, 13.0, 0),
}
FONTS = ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique")

_CONTROL = {c: None for c in range(32) if c != 10} | {9: " ", 127: None}
_ESCAPE = {ord("\\"): "\\\\", ord("("): "\\(", ord(")"): "\\)"}
_ESCAPE |= {c: f"\\{c:03o}" for c in range(128, 256)}
_PLAIN = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss", "ĳ": "ij", "Ĳ": "IJ"}


def clean(text: str | None) -> str:
    """Text that the WinAnsi fonts can print: line breaks kept, control characters dropped."""
    if not text:
        return ""
    if not text.isprintable():  # line breaks, tabs, control characters (rare: slow path)
        text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)
    if not text.isascii():
        try:
            text.encode("cp1252")
        except UnicodeEncodeError:
            text = "".join(map(_printable, text))
    return text


@functools.cache
def _printable(char: str) -> str:
    try:
        char.encode("cp1252")
        return char
    except UnicodeEncodeError:
        pass
    if char in _PLAIN:
        return _PLAIN[char]
    plain = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    try:
        plain.encode("cp1252")
    except UnicodeEncodeError:
        return "?"
    return plain or "?"


def pdf_string(text: str) -> str:
    """A PDF literal string for text already made printable by clean()."""
    if text.isascii():
        if "(" in text or ")" in text or "\\" in text:
            return text.translate(_ESCAPE)
        return text
    return text.encode("cp1252").decode("latin-1").translate(_ESCAPE)


class _Widths(dict[str, float]):
    def __init__(self, style: Style) -> None:
        super().__init__()
        self.style = style
        # no WinAnsi character of Helvetica is wider than this, or narrower than that:
        # a text of up to width / widest characters fits without measuring it, and one of
        # more than width / narrowest characters does not
        self.widest = 1.015 * style.size
        self.narrowest = 0.19 * style.size
        self.words: dict[str, float] = {}

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


_WIDTHS = {name: _Widths(style) for name, style in STYLES.items()}


LEADING = {name: style.leading for name, style in STYLES.items()}


def text_width(text: str, style: str) -> float:
    return sum(map(_WIDTHS[style].__getitem__, text))


def fits(text: str, style: str, width: float) -> bool:
    widths = _WIDTHS[style]
    return len(text) * widths.widest <= width or sum(map(widths.__getitem__, text)) <= width


def lines_of(text: str, style: str, width: float) -> tuple[str, ...]:
    """The lines `text` takes in a column `width` wide, as PDF strings."""
    if len(text) > 320:
        return tuple(map(pdf_string, wrap(clean(text), style, width)))
    return _short_lines(text, style, width)


@functools.lru_cache(maxsize=32768)
def _short_lines(text: str, style: str, width: float) -> tuple[str, ...]:
    # labels, lists of categories, names and codes come back for every incident: wrap each once
    return tuple(map(pdf_string, wrap(clean(text), style, width)))


def wrap(text: str, style: str, width: float) -> list[str]:
    """Greedy line breaking at spaces; a word longer than the line is broken anywhere."""
    widths = _WIDTHS[style]
    if len(text) * widths.widest <= width and "\n" not in text:
        return [text]
    measure = widths.__getitem__
    word_width = widths.word
    space = measure(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if len(paragraph) * widths.narrowest <= width and sum(map(measure, paragraph)) <= width:
            lines.append(paragraph)
            continue
        line: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
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
