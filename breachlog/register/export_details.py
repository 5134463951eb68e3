"""One section per incident in the PDF: every field, the measures, what was notified to the AP
and told to the people concerned, and the history, with every text printed whole."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from .export_data import Formatter, Record
from .export_facts import EMPTY, fact, field_name
from .export_history import history_rows
from .export_layout import PAD_X, Cell, Row
from .export_text import LEADING, fits, is_plain

LABEL_WIDTH = 96.0
HISTORY_WHEN = 104.0
ENISA = (
    "enisa_dpc",
    "enisa_dpc_base",
    "enisa_dpc_reason",
    "enisa_ei",
    "enisa_cb",
    "enisa_confidentiality",
    "enisa_integrity",
    "enisa_availability",
    "enisa_malicious",
)
# The incident page's sections (fields.SECTIONS) in fewer groups: a register of thousands
# of incidents is read more easily, and printed on fewer pages, without a heading per pair
GROUPS = (
    (
        _l("General"),
        (
            "title",
            "summary",
            "status",
            "reporter_id",
            "created_at",
            "assignee_id",
            "reporter_contact",
            "closed_at",
            "law",
            "notifier_name",
            "notifier_role",
            "notifier_email",
            "notifier_phone",
            "other_organisations",
            "other_remarks",
        ),
    ),
    (
        _l("Timeline"),
        (
            "occurred_from",
            "occurred_until",
            "is_ongoing",
            "discovered_at",
            "aware_at",
            "deadline_at",
            "first_aware_at",
            "first_deadline_at",
            "aware_at_reason",
            "how_discovered",
            "processor_name",
            "processor_aware_at",
            "processor_notified_at",
        ),
    ),
    (
        _l("The breach, the data and the people concerned"),
        (
            "incident_type",
            "nature",
            "data_outcomes",
            "personal_data",
            "has_special_categories",
            "special_categories",
            "personal_data_details",
            "records_count",
            "subject_categories",
            "people_min",
            "people_max",
            "is_protected",
            "protection_details",
            "consequences",
            "consequences_confidentiality",
            "consequences_integrity",
            "consequences_availability",
            "harm_kinds",
            "severity",
            "subject_description",
        ),
    ),
    (
        _l("Assessment"),
        (
            "is_personal_data_breach",
            "not_breach_rationale",
            "risk",
            "risk_rationale",
            *ENISA,
            "is_dpo_involved",
            "is_cross_border",
            "member_states",
            "other_authorities_notified",
            "other_authorities",
            "subjects_plan",
            "subjects_plan_reason",
            "subjects_planned_on",
        ),
    ),
    (_l("Cause and evaluation"), ("cause", "evaluation")),
)
FIRST_AWARENESS = {name for _title, names in GROUPS for name in names if name.startswith("first_")}
Words = dict[str, str]
Fact = tuple[str, str, tuple[str, ...] | None]  # label, value, and its lines when known


def detail_rows(records: Iterable[Record], fmt: Formatter, width: float) -> Iterator[Row]:
    groups = _groups()
    w = _words()
    names = {name: field_name(fmt, name) for _title, group in groups for name in group}
    # the same headings for every incident: laid out once
    headings = {
        title: heading(title, width)
        for title in [title for title, _names in groups] + [w["what was done"], w["history"]]
    }
    for record in records:
        i = record.incident
        values = i._mapping
        yield Row([Cell(0, width, [("title", f"{i.ref} · {i.title}")])], 0.82, True)
        hidden = _hidden(i)
        for title, group in groups:
            facts, empty = [], []
            for name in group:
                if name in hidden:
                    continue
                value = fact(name, values[name], fmt)
                if value == EMPTY:
                    empty.append(names[name])
                else:
                    facts.append((names[name], value))
            yield headings[title]
            yield from _fact_rows(facts, width)
            if empty:  # every field is accounted for, the empty ones on one line
                yield _pair_row([(w["not recorded"], ", ".join(empty), None)], width)
        yield headings[w["what was done"]]
        yield from _measures(record, fmt, w, width)
        yield from _notifications(record, fmt, w, width)
        yield from _communications(record, fmt, w, width)
        yield headings[w["history"]]
        yield from history_rows(record, fmt, w, width)


def _words() -> dict[str, str]:
    """The words of every section, translated once per export rather than once per incident."""
    return {
        "measures": _("Measures"),
        "what was done": _("Measures, notification and communication"),
        "not recorded": _("Not recorded"),
        "none": _("None recorded."),
        "notifications": _("AP notifications"),
        "not notified": _("The AP has not been notified."),
        "provisional": _("provisional"),
        "meldnummer": _("Meldnummer"),
        "late": _("late"),
        "on time": _("within 72 hours"),
        "follows": _("follows later:"),
        "subjects": _("People concerned (Art. 34)"),
        "nothing": _("Nothing recorded."),
        "public": _("Public communication"),
        "exemption": _("Exemption"),
        "informed": _("Informed"),
        "text sent": _("Text sent"),
        "history": _("History"),
        "as above": _("with the facts as they stand above"),
        "now as above": _("as above"),
        "differs": _("with these facts, since changed (now as above):"),
    }


def _groups() -> list[tuple[str, Sequence[str]]]:
    return [(str(title), names) for title, names in GROUPS]


def _hidden(incident: Any) -> set[str]:
    """The fields of the incident that its section leaves out, rather than list as empty."""
    hidden = {name for name in ENISA if getattr(incident, name) in (None, "")}
    if incident.is_personal_data_breach:
        hidden.add("not_breach_rationale")
    if incident.first_aware_at == incident.aware_at:
        hidden |= FIRST_AWARENESS  # R14: shown only where awareness was moved
    if not incident.aware_at_reason:
        hidden.add("aware_at_reason")
    return hidden


def heading(title: str, width: float) -> Row:
    return Row([Cell(0, width, [("bold", title)], shared=True)], 0.93, True)


def _fact_rows(facts: list[tuple[str, str]], width: float) -> Iterator[Row]:
    """Short facts two to a row, long ones across the page, in their order."""
    half = width / 2
    room = half - LABEL_WIDTH - 2 * PAD_X
    waiting: Fact | None = None
    for label, value in facts:
        if "\n" not in value and fits(value, "text", room):
            # measured already: plain text that fits is its own line (as lines_of would say)
            fact = (label, value, (value,) if is_plain(value, "text", room) else None)
            if waiting is None:
                waiting = fact
                continue
            yield _pair_row([waiting, fact], half)
            waiting = None
            continue
        if waiting is not None:
            yield _pair_row([waiting], half)
            waiting = None
        yield _pair_row([(label, value, None)], width)
    if waiting is not None:
        yield _pair_row([waiting], half)


def _pair_row(facts: list[Fact], span: float) -> Row:
    cells = []
    for index, (label, value, lines) in enumerate(facts):
        x = index * span
        cells.append(_label_cell(label, x))
        laid = None if lines is None else ([("text", lines)], LEADING["text"])
        cells.append(Cell(x + LABEL_WIDTH, span - LABEL_WIDTH, [("text", value)], laid=laid))
    return Row(cells)


@functools.lru_cache(maxsize=1024)
def _label_cell(label: str, x: float) -> Cell:
    return Cell(x, LABEL_WIDTH, [("smallbold", label)], shared=True)


def _section_label(title: str, first: bool) -> Cell:
    """The name of a section in the label column of its first row, like a fact's label."""
    return _label_cell(title if first else "", 0.0)


def _measures(record: Record, fmt: Formatter, w: Words, width: float) -> Iterator[Row]:
    if not record.measures:
        yield Row([_section_label(w["measures"], True), _rest(width, [("text", w["none"])])])
    side = 150.0
    for index, m in enumerate(record.measures):
        when = [
            ("smallbold", fmt.label("measure", m.kind)),
            ("small", f"{fmt.field('owner')}: {m.owner or '—'}"),
            ("small", f"{fmt.field('due_on')}: {fmt.day(m.due_on) or '—'}"),
            ("small", f"{fmt.field('done_at')}: {fmt.time(m.done_at) or '—'}"),
        ]
        what = [("text", m.description)]
        if m.cancelled_at is not None:
            # a cancelled measure stays in the register, with when and why
            when.append(("small", f"{fmt.field('cancelled_at')}: {fmt.time(m.cancelled_at)}"))
            what.append(("small", m.cancel_reason))
        yield Row(
            [
                _section_label(w["measures"], index == 0),
                Cell(LABEL_WIDTH, width - LABEL_WIDTH - side, what),
                Cell(width - side, side, when),
            ]
        )


def _notifications(record: Record, fmt: Formatter, w: Words, width: float) -> Iterator[Row]:
    title = w["notifications"]
    if not record.notifications:
        yield Row([_section_label(title, True), _rest(width, [("text", w["not notified"])])])
    middle = 150.0
    for index, n in enumerate(record.notifications):
        when = [("smallbold", fmt.label("notification", n.kind))]
        if n.is_provisional:
            when.append(("small", w["provisional"]))
        when.append(("text", fmt.time(n.submitted_at, with_zone=True)))
        when.append(("small", f"{w['meldnummer']}: {n.meldnummer or '—'}"))
        if n.kind == "initial":
            when.append(("bold", w["late"] if n.is_late else w["on time"]))
        details = []
        if n.reasons_for_delay:
            details += [
                ("smallbold", field_name(fmt, "reasons_for_delay")),
                ("text", n.reasons_for_delay),
            ]
        if n.follows:
            parts = "; ".join(fmt.label("part", part) for part in n.follows)
            details += [("smallbold", w["follows"]), ("text", parts)]
        if n.note:
            details += [("text", n.note)]
        yield Row(
            [
                _section_label(title, index == 0),
                Cell(LABEL_WIDTH, middle, when),
                Cell(
                    LABEL_WIDTH + middle, width - LABEL_WIDTH - middle, details or [("text", "")]
                ),
            ]
        )


def _communications(record: Record, fmt: Formatter, w: Words, width: float) -> Iterator[Row]:
    title = w["subjects"]
    if not record.communications:
        yield Row([_section_label(title, True), _rest(width, [("text", w["nothing"])])])
    middle = 150.0
    for index, c in enumerate(record.communications):
        if c.is_exemption:
            texts = [("smallbold", fmt.label("ground", c.ground)), ("text", c.rationale)]
            if c.public_communication:
                texts += [
                    ("smallbold", w["public"]),
                    ("text", c.public_communication),
                ]
            head = [("smallbold", w["exemption"])]
        else:
            reached = ngettext("%(num)d person", "%(num)d people", c.people_reached or 0)
            head = [
                ("smallbold", w["informed"]),
                ("text", fmt.time(c.sent_at, with_zone=True)),
                ("small", f"{fmt.label('channel', c.channel)}, {reached}"),
            ]
            texts = [("smallbold", w["text sent"]), ("text", c.text)]
        yield Row(
            [
                _section_label(title, index == 0),
                Cell(LABEL_WIDTH, middle, head),
                Cell(LABEL_WIDTH + middle, width - LABEL_WIDTH - middle, texts),
            ]
        )


def _rest(width: float, parts: list[tuple[str, str]]) -> Cell:
    return Cell(LABEL_WIDTH, width - LABEL_WIDTH, parts)
