"""The register table of the PDF: one row per incident, the same values as the CSV columns.

A cell gives a long text up to TEXT_LIMIT characters and then says that it goes on in the
incident's detail section, where every text is printed whole: a table row of several pages
would help no reader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial

from flask_babel import gettext as _
from flask_babel import ngettext

from .columns import BY_KEY, COLUMNS
from .export_data import Formatter, Record, column_values
from .export_layout import Cell, Row

TEXT_LIMIT = 160
MEASURES_SHOWN = 4
# each column's share of the width, in the order of the captions in table_header
SHARES = (80, 78, 76, 116, 100, 112, 100, 72, 64)
Part = tuple[str, str]
Brief = Callable[..., str]
Words = dict[str, str]


def _positions(width: float) -> list[tuple[float, float]]:
    total = sum(SHARES)
    x, cells = 0.0, []
    for share in SHARES:
        cells.append((x, width * share / total))
        x += width * share / total
    return cells


def _header(fmt: Formatter, key: str) -> str:
    return BY_KEY[key].header(fmt.language)


def table_header(fmt: Formatter, width: float) -> Row:
    captions = (
        _("Incident"),
        _("Dates"),
        _("Kind and nature"),
        _("Data and people"),
        _header(fmt, "consequences"),
        _header(fmt, "measures"),
        _("Risk and rationale"),
        _("AP notification"),
        _("People informed or exemption"),
    )
    cells = [
        Cell(x, w, [("head", c)]) for (x, w), c in zip(_positions(width), captions, strict=True)
    ]
    return Row(cells, shade=0.85, grid=True)


def table_rows(
    records: Iterable[Record], fmt: Formatter, width: float, first: int = 0
) -> Iterator[Row]:
    """A row per incident; every other one shaded, counting from `first` (the number of
    incidents before these, when the table is made in parts)."""
    positions = _positions(width)
    more = _("(continued in the details)")
    brief = partial(_brief, more=more)
    w = {  # translated once per export, not once per row
        "ongoing": _("ongoing"),
        "people": _("Number of people"),
        "not notified": _("not notified"),
        "late": _("late"),
        "on time": _("within 72 hours"),
        "withdrawn": _("withdrawn"),
    }
    headers = {c.key: ("cellsmall", c.header(fmt.language)) for c in COLUMNS}
    for index, record in enumerate(records, first):
        v = column_values(record, fmt, "", table=True)
        i = record.incident
        h = headers.__getitem__
        incident: list[Part] = [("cellbold", v["ref"]), ("cell", brief(v["title"], 200))]
        incident.append(("cellsmall", v["status"]))
        until = v["occurred_until"] or (w["ongoing"] if i.is_ongoing else "")
        dates: list[Part] = [
            h("occurred_from"),
            ("cell", (v["occurred_from"] or "—") + (f" – {until}" if until else "")),
            h("aware_at"),
            ("cell", v["aware_at"]),
            h("deadline_at"),
            ("cell", v["deadline_at"]),
        ]
        kind: list[Part] = [
            ("cell", v["incident_type"]),
            h("nature"),
            ("cell", v["nature"] or "—"),
        ]
        data: list[Part] = [h("personal_data"), ("cell", brief(v["personal_data"]) or "—")]
        if v["special_categories"]:
            data += [h("special_categories"), ("cell", v["special_categories"])]
        data += [h("subject_categories"), ("cell", brief(v["subject_categories"]) or "—")]
        data += [("cellsmall", w["people"]), ("cell", _people(v))]
        if v["records_count"]:
            data += [h("records_count"), ("cell", v["records_count"])]
        measures: list[Part] = [
            ("cell", "• " + brief(fmt.measure(m), 90)) for m in record.measures[:MEASURES_SHOWN]
        ]
        hidden = len(record.measures) - MEASURES_SHOWN
        if hidden > 0:
            measures.append(
                ("cellsmall", ngettext("%(num)d more", "%(num)d more", hidden) + " " + more)
            )
        risk: list[Part] = [("cellbold", v["risk"]), ("cell", brief(v["risk_rationale"]))]
        cells = (
            incident,
            dates,
            kind,
            data,
            [("cell", brief(v["consequences"]) or "—")],
            measures or [("cell", "—")],
            risk,
            _notification(record, v, h, w, brief),
            _informed(record, v, fmt, brief),
        )
        yield Row(
            [Cell(x, w, parts) for (x, w), parts in zip(positions, cells, strict=True)],
            shade=0.96 if index % 2 else None,
            grid=True,
        )


def _brief(text: str, limit: int = TEXT_LIMIT, *, more: str) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " … " + more


def _people(v: dict[str, str]) -> str:
    low, high = v["people_min"], v["people_max"]
    if low and high and low != high:
        return f"{low}–{high}"
    return low or high or "—"


def _notification(
    record: Record, v: dict[str, str], h: Callable[[str], Part], w: Words, brief: Brief
) -> list[Part]:
    if not v["notified_at"]:
        return [("cell", w["not notified"])]
    parts: list[Part] = [
        ("cell", v["notified_at"]),
        h("meldnummer"),
        ("cell", v["meldnummer"] or "—"),
    ]
    if record.notified_late:
        parts.append(("cellbold", w["late"]))
        if v["reasons_for_delay"]:
            parts.append(("cell", brief(v["reasons_for_delay"])))
    else:
        parts.append(("cellbold", w["on time"]))
    if record.incident.is_withdrawn:
        parts.append(("cellsmall", w["withdrawn"]))
    return parts


def _informed(record: Record, v: dict[str, str], fmt: Formatter, brief: Brief) -> list[Part]:
    parts: list[Part] = []
    for c in record.communications:
        if c.is_exemption:
            parts.append(("cellbold", fmt.label("ground", c.ground)))
            parts.append(("cell", brief(c.rationale)))
        else:
            parts.append(("cell", fmt.time(c.sent_at)))
            reached = ngettext("%(num)d person", "%(num)d people", c.people_reached or 0)
            parts.append(("cellsmall", f"{fmt.label('channel', c.channel)}, {reached}"))
    return parts or [("cell", "—")]
