"""The incident laid out as the AP's meldformulier datalekken asks for it, section by section.

The sections and questions, with the AP's wording, are data (domain/ap_questions.py); the
answers come from the register (ap_answers.py), each with its state. A notification keeps
the form as it was submitted (`frozen`), and an older copy is read back whatever structure
it was stored in (`from_frozen`): copies made before the states existed hold only values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .. import clock
from ..domain import ap_questions
from ..incidents.history import show
from ..incidents.models import Incident
from ..web import translate
from .ap_answers import Submission, answers

__all__ = ["Answer", "Section", "Submission", "frozen", "from_frozen", "missing", "parts"]


@dataclass
class Answer:
    key: str
    question: str
    value: str | None  # None: not known yet, or not applicable
    state: str = "answered"  # ap_questions.STATES
    group: str = ""  # the form's sub-heading the question stands under

    @property
    def missing(self) -> bool:
        return self.state == "unknown"

    @property
    def label(self) -> str:
        """The question with its sub-heading, where the question alone says little ("Name")."""
        return f"{self.group} – {self.question}" if self.group else self.question


@dataclass
class Section:
    number: int
    title: str
    answers: list[Answer]


def sections(
    incident: Incident, *, now: datetime | None = None, submission: Submission | None = None
) -> list[Section]:
    """The form of today (or of `submission`, the notification being made), in the
    language of the request."""
    open_parts = [name for name, text in parts(incident).items() if not text]
    found = answers(incident, now or clock.now(), submission, open_parts)
    result = []
    for section in ap_questions.SECTIONS:
        shown = []
        for question in section.questions:
            state, value = found[question.key]
            if question.optional and state == "unknown":
                state = "not_applicable"  # the form says: fill in if applicable
            shown.append(
                Answer(
                    question.key,
                    translate(question.english),
                    value if state == "answered" else None,
                    state,
                    translate(question.group[1]) if question.group else "",
                )
            )
        result.append(Section(section.number, translate(section.english), shown))
    return result


def missing(incident: Incident) -> list[str]:
    return [a.label for s in sections(incident) for a in s.answers if a.missing]


def frozen(incident: Incident, submission: Submission, now: datetime) -> list[dict[str, Any]]:
    """The form as submitted with a notification, kept in Notification.answers["form"]."""
    return [
        {
            "number": s.number,
            "title": s.title,
            "answers": [
                {
                    "key": a.key,
                    "question": a.question,
                    "group": a.group,
                    "state": a.state,
                    "value": a.value,
                }
                for a in s.answers
            ],
        }
        for s in sections(incident, now=now, submission=submission)
    ]


def from_frozen(form: Iterable[Any]) -> list[Section]:
    """A kept copy read back; one without states (older copies) has a value or none."""
    result = []
    for section in form or ():
        if not isinstance(section, dict):
            continue
        shown = []
        for item in section.get("answers") or ():
            if not isinstance(item, dict):
                continue
            value = item.get("value")
            value = None if value is None else str(value)
            state = item.get("state")
            if state not in ap_questions.STATES:
                state = "unknown" if value is None else "answered"
            shown.append(
                Answer(
                    str(item.get("key", "")),
                    str(item.get("question", "")),
                    value if state == "answered" else None,
                    state,
                    str(item.get("group") or ""),
                )
            )
        result.append(Section(int(section.get("number", 0)), str(section.get("title", "")), shown))
    return result


def changed(today: list[Section], copy: list[Section]) -> set[str]:
    """The keys whose state or text differs between two copies of the form. Section 0 says
    what each notification is (new, or a supplement to that one), not what was found, and a
    question one copy does not have at all is not counted as changed."""
    then = {a.key: (a.state, a.value) for s in copy if s.number != 0 for a in s.answers}
    return {
        a.key
        for s in today
        for a in s.answers
        if a.key in then and then[a.key] != (a.state, a.value)
    }


def _value(incident: Incident, name: str) -> str | None:
    raw = getattr(incident, name)
    if raw is None or raw == "" or raw == []:
        return None
    return show(name, raw, incident.organisation.timezone)


def parts(incident: Incident) -> dict[str, str]:
    """The Art. 33(3)(a)-(d) parts as they stand now; empty where nothing is known yet."""
    org = incident.organisation
    people = _people(incident)
    subjects = "; ".join(v for v in (_value(incident, "subject_categories"), people) if v)
    records = "; ".join(
        v
        for v in (
            _value(incident, "personal_data"),
            _value(incident, "special_categories"),
            _value(incident, "records_count"),
        )
        if v
    )
    # what happened to the data as the AP asks it (section 3) describes the nature as well as
    # confidentiality, integrity and availability do; "unknown" alone describes nothing yet
    outcomes = [o for o in incident.data_outcomes or () if o != "unknown"]
    nature = "; ".join(
        v
        for v in (
            _value(incident, "incident_type"),
            _value(incident, "nature"),
            show("data_outcomes", outcomes, org.timezone) if outcomes else None,
            incident.summary.strip() or None,
        )
        if v
    )
    # the likely consequences (Art. 33(3)(c)): the general text and those per aspect
    consequences = "\n".join(
        text.strip()
        for text in (
            incident.consequences,
            incident.consequences_confidentiality,
            incident.consequences_integrity,
            incident.consequences_availability,
        )
        if text and text.strip()
    )
    contact = ", ".join(v for v in (org.fg_name, org.fg_email) if v)
    measures = "\n".join(f"- {m.description}" for m in incident.measures)
    return {
        "nature": nature if incident.nature or outcomes else "",
        "subjects": subjects if incident.subject_categories and people else "",
        "records": records if incident.personal_data else "",
        "contact": contact,
        "consequences": consequences,
        "measures": measures,
    }


def _people(incident: Incident) -> str | None:
    low, high = incident.people_min, incident.people_max
    if low is None and high is None:
        return None
    if low == high or high is None:
        return str(low)
    return f"{low if low is not None else 0} – {high}"
