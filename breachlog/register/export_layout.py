"""Rows of wrapped text for the register PDF, laid out only when their page is reached.

ReportLab's Paragraph in a Table needed 8 s for 300 incidents here (measured), far from a
10,000-incident register in 20 s. These rows hold text wrapped by export_text, write each
line as one short PDF text operator, split between rows (or inside a row taller than a
page) in constant time, and pull the next rows from an iterator only when a page needs
them, so a register of any size is held one page at a time.
"""

from __future__ import annotations

import copy
import functools
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from reportlab.platypus import Flowable

from .export_fonts import TextWriter, text_writer
from .export_text import LEADING, STYLES, lines_of

PAD = 1.6  # inside every cell, above and below the text
PAD_X = 3.0  # and left and right of it

Block = tuple[str, tuple[str, ...]]  # a style name and lines in it, as PDF strings


@dataclass(slots=True)
class Cell:
    x: float
    width: float
    parts: Sequence[tuple[str, str]]  # (style name, text); each part starts a new line
    # a cell used in many rows (a label) keeps its lines after the first layout
    shared: bool = False
    laid: tuple[list[Block], float] | None = None


@dataclass(slots=True)
class Row:
    cells: Sequence[Cell]
    shade: float | None = None  # gray level of the background
    keep_with_next: bool = False  # a heading: never the last row on a page
    grid: bool = False  # lines between the cells, as in a table
    rule: bool = True  # a hairline under the row


class Shape(NamedTuple):
    """What drawing a laid-out row needs of the row besides its lines."""

    shade: float | None
    keep_with_next: bool
    grid: bool
    rule: bool
    xs: tuple[float, ...]  # the left edge of each cell


_SHAPES: dict[Shape, Shape] = {}


def shape_of(row: Row) -> Shape:
    shape = Shape(row.shade, row.keep_with_next, row.grid, row.rule, tuple(c.x for c in row.cells))
    # rows repeat a few shapes: one object each, also when sent to another process
    return _SHAPES.setdefault(shape, shape)


@dataclass(slots=True)
class Laid:
    shape: Shape
    blocks: list[list[Block]]  # per cell
    height: float = field(default=0.0)

    @classmethod
    def of(cls, row: Row) -> Laid:
        cells, tallest = [], 0.0
        for cell in row.cells:
            if cell.laid is not None:
                blocks, height = cell.laid
            else:
                inner, height, blocks = cell.width - 2 * PAD_X, 0.0, []
                for style, text in cell.parts:
                    lines = lines_of(text, style, inner)
                    blocks.append((style, lines))
                    height += LEADING[style] * len(lines)
                if cell.shared:
                    cell.laid = blocks, height
            cells.append(blocks)
            if height > tallest:
                tallest = height
        return cls(shape_of(row), cells, tallest + 2 * PAD)

    def split(self, room: float) -> tuple[Laid, Laid] | None:
        """The lines that fit in `room`, and the rest of the row; None when too few fit."""
        head: list[list[Block]] = []
        rest: list[list[Block]] = []
        for blocks in self.blocks:
            used, first, second = 2 * PAD, [], []
            for style, lines in blocks:
                if second:
                    second.append((style, lines))
                    continue
                fitting = min(len(lines), int((room - used) / LEADING[style] + 1e-6))
                fitting = max(fitting, 0)
                used += fitting * LEADING[style]
                if fitting:
                    first.append((style, lines[:fitting]))
                if fitting < len(lines):
                    second.append((style, lines[fitting:]))
            head.append(first)
            rest.append(second)
        if sum(len(lines) for blocks in head for _s, lines in blocks) < 2 or not any(rest):
            return None
        first_part = Laid(self.shape, head, max(map(_height, head)) + 2 * PAD)
        second_part = Laid(self.shape, rest, max(map(_height, rest)) + 2 * PAD)
        return first_part, second_part


def _height(blocks: list[Block]) -> float:
    return sum(LEADING[style] * len(lines) for style, lines in blocks)


def draw_rows(canvas: Any, rows: Sequence[Laid], top: float, width: float) -> None:
    """Each line is one short operator: the first of a cell placed, the others one line on.

    Ten thousand pages make this the most repeated code of the export: positions that
    recur (columns, the step between styles) are formatted once and looked up, each other
    number once per row, and a line in ASCII without brackets or backslashes is written as
    it is, without a call.
    """
    writer = text_writer(canvas)
    show, styles = writer.show, _styles(writer)
    ops: list[str] = []
    rules: list[str] = []
    append = ops.append
    right = _at(width)
    for laid in rows:
        shape = laid.shape
        bottom = top - laid.height
        low = f"{bottom:.2f}"
        if shape.shade is not None:
            append(f"{shape.shade} g 0 {low} {right} {laid.height:.2f} re f")
        if shape.rule:
            rules.append(f"0 {low} m {right} {low} l")
        if shape.grid:
            high = f"{top:.2f}"
            xs = [_at(0.0), *map(_at, shape.xs[1:]), right]
            rules += [f"{x} {low} m {x} {high} l" for x in xs]
        append("BT")
        baselines: dict[str, str] = {}
        below = top - PAD
        for x, blocks in zip(shape.xs, laid.blocks, strict=True):
            previous = ""
            for name, lines in blocks:
                if not lines:
                    continue
                op, font, size, drop = styles[name]
                line = lines[0]
                if line.isascii() and "(" not in line and ")" not in line and "\\" not in line:
                    shown = f"({line}) Tj"
                else:
                    shown = show(line, font, size)
                if previous:
                    append(f"{op}\n{_STEP[previous, name]} {shown}")
                else:
                    baseline = baselines.get(name)
                    if baseline is None:
                        baseline = baselines[name] = f"{below - drop:.2f}"
                    append(f"{op}\n1 0 0 1 {_column(x)} {baseline} Tm {shown}")
                for line in lines[1:]:
                    if line.isascii() and "(" not in line and ")" not in line and "\\" not in line:
                        append(f"T* ({line}) Tj")
                    else:
                        append(f"T* {show(line, font, size)}")
                previous = name
        append("ET")
        top = bottom
    if rules:
        ops += ["0.6 G 0.3 w", *rules, "S"]
    # one block in its own graphics state: the canvas's colours and line width stay as they were
    canvas.addLiteral("q\n" + "\n".join(ops) + "\nQ")


def _styles(writer: TextWriter) -> dict[str, tuple[str, str, float, float]]:
    """Per style: its operators in the writer's fonts, its font and size, and its _DROP."""
    return {
        name: (writer.styles[name], style.font, style.size, _DROP[name])
        for name, style in STYLES.items()
    }


# the first baseline of a cell lies this far below its top (less the padding)
_DROP = {name: 0.9 * style.size for name, style in STYLES.items()}
# from the last line in one style to the first in another: the leading, and the difference
# between the two baselines below their line tops
_STEP = {
    (a, b): f"0 {-(sa.leading + 0.9 * (sb.size - sa.size)):.2f} Td"
    for a, sa in STYLES.items()
    for b, sb in STYLES.items()
}


@functools.lru_cache(maxsize=256)
def _column(x: float) -> str:
    return f"{x + PAD_X:.2f}"


@functools.lru_cache(maxsize=256)
def _at(x: float) -> str:
    return f"{x:.2f}"


def laid_out(rows: Iterator[Row]) -> Iterator[Laid]:
    """Rows laid out one by one, as RowStream pulls them."""
    return map(Laid.of, rows)


class RowChunk(Flowable):  # type: ignore[misc]
    """The rows of one page, already laid out."""

    def __init__(self, rows: Sequence[Laid], width: float) -> None:
        super().__init__()
        self.rows, self.width = rows, width
        self.height = sum(r.height for r in rows)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_rows(self.canv, self.rows, self.height, self.width)


class RowStream(Flowable):  # type: ignore[misc]
    """Laid-out rows pulled from an iterator a page at a time (`laid_out(rows)`, or rows laid
    out in another process: export_parallel); a header row starts every page."""

    def __init__(
        self,
        rows: Iterator[Laid],
        width: float,
        frame_height: float,
        header: Row | None = None,
    ) -> None:
        super().__init__()
        self.rows, self.width, self.frame_height = rows, width, frame_height
        self.header = [Laid.of(header)] if header is not None else []
        self.pending: deque[Laid] = deque()
        self.pending_height = 0.0
        self.exhausted = False

    def _pull(self) -> bool:
        laid = next(self.rows, None)
        if laid is None:
            self.exhausted = True
            return False
        self.pending.append(laid)
        self.pending_height += laid.height
        return True

    def _header_height(self) -> float:
        return sum(r.height for r in self.header)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        room = available_height - self._header_height()
        while self.pending_height <= room and not self.exhausted:
            self._pull()
        self.height = self._header_height() + self.pending_height
        if not self.exhausted:  # more than fits: platypus will ask for a split
            self.height = max(self.height, available_height + 1)
        return self.width, self.height

    def draw(self) -> None:
        draw_rows(self.canv, [*self.header, *self.pending], self.height, self.width)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        room = available_height - self._header_height()
        whole_page = self.frame_height - self._header_height()
        taken: list[Laid] = []
        used = 0.0
        while self.pending or self._pull():
            laid = self.pending[0]
            if used + laid.height <= room:
                taken.append(self._take())
                used += laid.height
                continue
            if laid.height > whole_page - 1:  # never fits whole: continue it on the next page
                parts = laid.split(room - used)
                if parts is not None:
                    self.pending[0] = parts[1]
                    self.pending_height += parts[1].height - laid.height
                    taken.append(parts[0])
            break
        fresh_page = available_height >= self.frame_height - 1
        while taken and taken[-1].shape.keep_with_next and (len(taken) > 1 or not fresh_page):
            self._give_back(taken.pop())
        if not taken:
            return []
        return [RowChunk([*self.header, *taken], self.width), self._rest()]

    def _rest(self) -> RowStream:
        # a new object: platypus marks one it had to postpone, and fails if it meets it again
        rest = copy.copy(self)
        rest.__dict__.pop("_postponed", None)
        return rest

    def _take(self) -> Laid:
        laid = self.pending.popleft()
        self.pending_height -= laid.height
        return laid

    def _give_back(self, laid: Laid) -> None:
        self.pending.appendleft(laid)
        self.pending_height += laid.height
