"""Text as PDF operators in the embedded fonts, written straight into a page's stream.

The register's rows (export_layout) and footers (export_pages) write their lines as PDF
text operators rather than through ReportLab's canvas calls, which cost seconds over ten
thousand pages; this is where a line becomes those operators in the document's font
subsets.
"""

from __future__ import annotations

import re
from typing import Any

from .export_text import FONTS, STYLES, fonts


class TextWriter:
    """Lines of text as PDF operators in one document's subsets of the embedded fonts.

    ReportLab numbers a TrueType font's characters per document, 256 to a subset, in the
    order they are first written; ASCII keeps its own codes in subset 0. A line in ASCII is
    therefore written as it is, in the style's own font; any other line is split into runs
    per subset, each run after its subset's font, and ends back in subset 0.
    """

    def __init__(self, canvas: Any) -> None:
        self.doc = canvas._doc
        self.fonts = fonts()
        self.base = {name: self.fonts[name].getSubsetInternalName(0, self.doc) for name in FONTS}
        self.styles = {
            name: f"{self.base[s.font]} {s.size} Tf {s.leading} TL {s.gray} g"
            for name, s in STYLES.items()
        }
        self.runs: dict[tuple[str, str, float], str] = {}
        # per font, the characters it numbered in subset 0, as written in a PDF string: a
        # line of only those (most Dutch text: é, ë, €) is written at once, like ASCII
        self.first: dict[str, dict[int, str]] = {name: dict(_ESCAPE) for name in FONTS}

    def show(self, line: str, font: str, size: float) -> str:
        """Operators that print `line` (made printable by clean()) at the current position."""
        if line.isascii():
            if "(" in line or ")" in line or "\\" in line:
                line = _escaped(line)
            return f"({line}) Tj"
        first = self.first[font]
        letters = set(_NOT_ASCII.findall(line))
        if all(ord(char) in first for char in letters):
            # a few replacements: str.translate goes through a table letter by letter
            if "(" in line or ")" in line or "\\" in line:
                line = _escaped(line)
            for char in letters:
                line = line.replace(char, first[ord(char)])
            return f"({line}) Tj"
        key = (line, font, size)
        shown = self.runs.get(key)
        if shown is None:
            ttf, parts, current = self.fonts[font], [], 0
            runs = ttf.splitString(line, self.doc)
            numbered = ttf.state[self.doc].assignments
            for char in letters:
                code = numbered.get(ord(char))
                if code is not None and code < 256:
                    first[ord(char)] = _OCTAL[code]
            for subset, codes in runs:
                if subset != current:
                    parts.append(f"{ttf.getSubsetInternalName(subset, self.doc)} {size} Tf")
                    current = subset
                parts.append(f"({''.join(_OCTAL[code] for code in codes)}) Tj")
            if current != 0:
                parts.append(f"{self.base[font]} {size} Tf")
            shown = " ".join(parts)
            # labels and names repeat, a line of a text rarely does: only short ones are kept
            if len(line) <= 48 and len(self.runs) < 20_000:
                self.runs[key] = shown
        return shown


_ESCAPE = {ord("\\"): "\\\\", ord("("): "\\(", ord(")"): "\\)"}


def _escaped(line: str) -> str:
    """The line as the inside of a PDF string: backslash and brackets escaped."""
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_OCTAL = [
    chr(code).translate(_ESCAPE) if 32 <= code < 127 else f"\\{code:03o}" for code in range(256)
]


def text_writer(canvas: Any) -> TextWriter:
    writer = getattr(canvas, "_breachlog_writer", None)
    if writer is None:
        writer = canvas._breachlog_writer = TextWriter(canvas)
    return writer
