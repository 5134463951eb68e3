"""One row of an imported register, read into the values the services take."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from flask_babel import force_locale, gettext

from ...catalogue import services as catalogue
from ...catalogue.models import CatalogueEntry
from ...domain import ap_answers
from ...domain.ap_values import THREE_STATE_FIELDS
from ...domain.catalogue import NATURE
from ...labels import LABELS
from . import values as read
from .mapping import normalise

NOT_A_BREACH = "not_a_breach"
TIMES = (
    "occurred_from",
    "occurred_until",
    "discovered_at",
    "aware_at",
    "processor_aware_at",
    "processor_notified_at",
    "notified_at",
)
TEXTS = (
    "ref",
    "title",
    "summary",
    "consequences",
    "cause",
    "risk_rationale",
    "reasons_for_delay",
    "how_discovered",
    "personal_data_details",
    "protection_details",
    "evaluation",
    "public_communication",
    *ap_answers.TEXT_FIELDS,
)
# String columns the rules do not bound themselves (the database would refuse longer ones)
SHORT = {"meldnummer": 64, "processor_name": 200, "notifier_name": 200, "notifier_role": 200}
SHORT |= {"notifier_email": 254, "notifier_phone": 40}
LISTS = ("nature", "personal_data", "special_categories", "subject_categories")
# yes, no, or not known yet ("onbekend", "weet ik niet", "?", empty)
FLAGS = THREE_STATE_FIELDS
# the meldformulier's choices, read by their code or their label in either language
AP_CHOICES = {"law": "law", "severity": "severity", "subjects_plan": "subjects_plan"}
AP_LISTS = {"data_outcomes": "data_outcome", "harm_kinds": "harm"}

# Words registers use besides breachlog's own labels (which are read in both languages)
EXTRA_WORDS: dict[str, dict[str, list[str]]] = {
    "risk": {
        "none": ["none", "geen", "no", "nee"],
        "risk": ["risico", "risk", "wel risico"],
        "high": ["hoog", "high", "hoog risico", "high risk"],
        "unassessed": ["unassessed", "niet beoordeeld", "onbekend", "unknown"],
        NOT_A_BREACH: [
            "geen datalek",
            "not a personal-data breach",
            "not a breach",
            "no breach",
            "geen inbreuk",
        ],
    },
    "status": {"closed": ["gesloten", "afgehandeld", "afgerond"]},
    "ground": {"unintelligible": ["a"], "measures_taken": ["b"], "disproportionate": ["c"]},
    "measure": {},
    "law": {"avg": ["gdpr", "avg"], "telecom": ["telecommunicatiewet", "tw", "telecom"]},
    "severity": {"low": ["laag"], "medium": ["gemiddeld", "middel"], "high": ["hoog"]},
    "subjects_plan": {"planned": ["gepland", "planned"], "not": ["niet", "nee", "not", "no"]},
    "data_outcome": {"deleted": ["vernietigd", "verwijderd", "deleted", "destroyed"]},
    "harm": {"none": ["geen", "none", "geen schade"]},
}
NATURE_LETTERS = {"c": "confidentiality", "v": "confidentiality", "i": "integrity"}
NATURE_LETTERS |= {"a": "availability", "b": "availability"}
MEASURE_KIND = re.compile(r"^\s*(?P<kind>[^:]{3,20}):\s*(?P<text>.+)$", re.S)
MEASURE_WHEN = re.compile(r"\s*\((?P<word>[^()\d]+?)\s+(?P<when>\d[^()]*)\)\s*$")
BULLET = re.compile(r"^\s*(?:[-•*–]|\d+[.)])\s+")
EXEMPTION_SPLIT = re.compile(r"\s*(?::|\s[-–—]\s|\n)\s*")


@dataclass(slots=True)
class Problem:
    key: str  # the field; the report shows the file's header for it
    message: str
    # found by an act (a service), which reports a column only once (acts.Recorder._problems)
    act: bool = False


@dataclass
class Measure:
    kind: str
    description: str
    done_at: datetime | None = None
    due_on: date | None = None


@dataclass
class Row:
    number: int
    raw: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    measures: list[Measure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    closing: bool = False  # the register says closed and nothing stood in the way: close tried

    def problem(self, key: str, message: str, act: bool = False) -> None:
        if not any(p.key == key and p.message == message for p in self.problems):
            self.problems.append(Problem(key, message, act))

    def failed(self, key: str) -> bool:
        return any(p.key == key for p in self.problems)


def lookups(
    language: str, entries: Mapping[str, list[CatalogueEntry]]
) -> dict[str, dict[str, str]]:
    """normalised word -> code, per field; words in the file's language win a tie.

    `entries`: the catalogue as catalogue.by_kind reads it, inactive entries included."""
    order = ("en", "nl") if language == "nl" else ("nl", "en")
    tables: dict[str, dict[str, str]] = {}
    for name, kind in catalogue.FIELD_KINDS.items():
        table = {normalise(e.code): e.code for e in entries.get(kind, [])}
        for lang in order:
            for entry in entries.get(kind, []):
                label = entry.label(lang)
                # "Vertrouwelijkheid (gelezen, ...)" is also written as just "Vertrouwelijkheid"
                table.setdefault(normalise(label.split(" (")[0]), entry.code)
                table[normalise(label)] = entry.code
        if kind == NATURE:
            table.update(NATURE_LETTERS)
        tables[name] = table
    for kind, extra in EXTRA_WORDS.items():
        table = {}
        for code, words in extra.items():
            table.update({normalise(w): code for w in words})
        shown = cast(dict[str, Any], LABELS[kind])
        table.update({normalise(code): code for code in shown})
        for lang in order:
            with force_locale(lang):
                table.update({normalise(str(text)): code for code, text in shown.items()})
        tables[kind] = table
    # the words the export puts before a measure's date, "(done 2026-03-02 10:00)"
    for name, message, known in (
        ("measure_done", "done %(when)s", ["done", "gedaan", "afgerond", "klaar"]),
        ("measure_due", "due %(when)s", ["due", "uiterlijk", "gepland"]),
    ):
        words = list(known)
        for lang in order:
            with force_locale(lang):
                words.append(gettext(message, when=""))
        tables[name] = {normalise(w): name for w in words if normalise(w)}
    return tables


def parse(
    number: int, raw: Mapping[str, Any], zone: str, tables: Mapping[str, Mapping[str, str]]
) -> Row:
    row = Row(number, dict(raw))
    for key, value in raw.items():
        if read.is_blank(value) and key not in ("people_min", "people_max"):
            continue
        try:
            _parse_one(row, key, value, zone, tables)
        except read.BadValue as exc:
            row.problem(key, str(exc))
    _people(row)
    return row


def _parse_one(
    row: Row, key: str, value: Any, zone: str, tables: Mapping[str, Mapping[str, str]]
) -> None:
    v = row.values
    if key in TIMES:
        v[key] = read.moment(value, zone)
    elif key in TEXTS or key == "organisation":
        v[key] = read.text(value)
    elif key in SHORT:
        shown = read.text(value)
        if len(shown) > SHORT[key]:  # not kept: the database would refuse to store it
            raise read.BadValue(f"longer than {SHORT[key]} characters")
        v[key] = shown
    elif key in LISTS:
        v[key] = read.choices(value, tables[key], "choice")
    elif key == "incident_type":
        v[key] = read.choice(value, tables[key], "kind of incident")
    elif key in FLAGS:
        v[key] = read.three_state(value)
    elif key in AP_CHOICES:
        v[key] = read.choice(value, tables[AP_CHOICES[key]], "choice")
    elif key in AP_LISTS:
        v[key] = read.choices(value, tables[AP_LISTS[key]], "choice")
    elif key == "subjects_planned_on":
        v[key] = read.day(value)
    elif key == "other_authorities":
        v[key] = read.authorities(value)
    elif key == "member_states":
        v[key] = read.countries(value)
    elif key == "records_count":
        v[key] = read.count(value)
    elif key in ("people_min", "people_max"):
        v[key] = None if read.is_blank(value) else read.people(value)
    elif key == "risk":
        v[key] = read.choice(value, tables["risk"], "risk (geen risico, risico, hoog risico)")
    elif key == "status":
        v[key] = read.choice(value, tables["status"], "status")
    elif key == "subjects_informed":
        v[key] = _informed(value, zone)
    elif key == "exemption":
        v["exemption"] = _exemption(value, tables["ground"])
    elif key == "measures":
        row.measures = _measures(value, zone, tables)


def _people(row: Row) -> None:
    """A range in either column ("10-200") gives both the minimum and the maximum."""
    low = row.values.pop("people_min", None)
    high = row.values.pop("people_max", None)
    if low is not None:
        row.values["people_min"] = low[0]
        if low[0] != low[1]:
            row.values["people_max"] = low[1]
    if high is not None:
        row.values["people_max"] = high[1]
        if high[0] != high[1] and low is None:
            row.values["people_min"] = high[0]


def _informed(value: Any, zone: str) -> datetime | bool:
    """When the people concerned were informed; "ja" alone does not say when (Art. 34(2))."""
    if isinstance(value, bool):
        value = "ja" if value else "nee"
    if not isinstance(value, str):
        return read.moment(value, zone) or False
    words = value.strip().split(None, 1)
    first = normalise(words[0]) if words else ""
    if first in read.NO:
        return False
    if first in read.YES:
        rest = words[1].strip(" ,:;()") if len(words) > 1 else ""
        if not rest:
            raise read.BadValue(
                "says yes but not when; give the date the people concerned were informed"
            )
        value = rest
    return read.moment(value, zone) or False


def _exemption(value: Any, grounds: Mapping[str, str]) -> tuple[str, str]:
    """The Art. 34(3) ground, by letter, code or label, and after it the reasoning."""
    raw = read.text(value)
    if normalise(raw) in grounds:
        return grounds[normalise(raw)], ""
    head, *rest = EXEMPTION_SPLIT.split(raw, maxsplit=1)
    key = normalise(head)
    ground = grounds.get(key) or next(
        (code for word, code in grounds.items() if len(word) > 1 and key.startswith(word)), None
    )
    if ground is None:
        raise read.BadValue("unknown Art. 34(3) ground; start with (a), (b) or (c)")
    return ground, (rest[0].strip() if rest else "")


def _measures(value: Any, zone: str, tables: Mapping[str, Mapping[str, str]]) -> list[Measure]:
    """One measure per line, or "corrigerend: ...; preventief: ..." as the export writes them.

    A "(done <time>)" or "(due <date>)" after a measure, in either language, is read too.
    """
    kinds = tables["measure"]

    def has_kind(text: str) -> bool:
        match = MEASURE_KIND.match(text)
        return bool(match and normalise(match["kind"]) in kinds)

    found = []
    for line in read.text(value).splitlines():
        items: list[str] = []
        for piece in line.split(";"):  # a ";" inside a description stays there
            if items and not has_kind(piece):
                items[-1] += ";" + piece
            else:
                items.append(piece)
        for item in items:
            item = BULLET.sub("", item).strip()
            if not item:
                continue
            measure = Measure("corrective", item)
            match = MEASURE_KIND.match(item)
            if match and normalise(match["kind"]) in kinds:
                measure.kind, measure.description = kinds[normalise(match["kind"])], match["text"]
            _when(measure, zone, tables)
            found.append(measure)
    return found


def _when(measure: Measure, zone: str, tables: Mapping[str, Mapping[str, str]]) -> None:
    match = MEASURE_WHEN.search(measure.description)
    if match is None:
        return
    word = normalise(match["word"])
    try:
        if word in tables["measure_done"]:
            measure.done_at = read.moment(match["when"], zone)
        elif word in tables["measure_due"]:
            moment = read.moment(match["when"], "UTC")
            measure.due_on = moment.date() if moment else None
        else:
            return
    except read.BadValue:
        return
    measure.description = measure.description[: match.start()].strip()
