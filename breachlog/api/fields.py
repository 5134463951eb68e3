"""What the API accepts, field by field: one table read by the parser and by openapi.json."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalogue.services import FIELD_KINDS
from ..domain import enisa
from ..domain.incidents import MEASURE_KINDS, RISKS, STATUSES, TEXT_MAX, TITLE_MAX
from ..incidents.services import REPORTER_FIELDS

# The web forms use the same bounds; they keep every number inside a database integer.
COUNT_MAX = 2_000_000_000
ID_MAX = 2_147_483_647
REASON_MAX = 1000
PER_PAGE_MAX = 100
# the ENISA circumstances: three parts of at most 0.5 each, plus 0.5 when malicious
CB_MAX = 3 * max(enisa.CB_PART_VALUES) + enisa.MALICIOUS_BONUS
PAGE_MAX = 1_000_000


@dataclass(frozen=True)
class Field:
    """One body field. `kind` is text, boolean, integer, number, datetime, date, choice or list."""

    kind: str
    nullable: bool = False
    min_length: int = 0
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    multiple_of: float | None = None
    choices: tuple[str, ...] | tuple[float, ...] = ()
    # the choices are the codes of this catalogue, read when openapi.json is served
    catalogue: str | None = None
    # for lists: the pattern each whole item matches
    item_pattern: str | None = None
    description: str = ""


def _text(max_length: int = TEXT_MAX, min_length: int = 0, description: str = "") -> Field:
    return Field("text", min_length=min_length, max_length=max_length, description=description)


def _time(nullable: bool = True, description: str = "") -> Field:
    return Field("datetime", nullable=nullable, description=description)


def _count(description: str = "") -> Field:
    return Field("integer", nullable=True, minimum=0, maximum=COUNT_MAX, description=description)


def _codes(name: str) -> Field:
    return Field("list", catalogue=FIELD_KINDS[name], description="Codes from the catalogue.")


INCIDENT_FIELDS: dict[str, Field] = {
    "title": _text(TITLE_MAX, min_length=1),
    "summary": _text(),
    "reporter_contact": _text(500),
    "assignee_id": Field(
        "integer",
        nullable=True,
        minimum=1,
        maximum=ID_MAX,
        description="Id of an active officer or admin.",
    ),
    "organisation_id": Field("integer", minimum=1, maximum=ID_MAX),
    "occurred_from": _time(),
    "occurred_until": _time(),
    "is_ongoing": Field("boolean"),
    "discovered_at": _time(),
    "aware_at": _time(
        nullable=False,
        description="When the organisation became aware; the AP deadline is 72 hours later.",
    ),
    "how_discovered": _text(),
    "processor_name": _text(200),
    "processor_aware_at": _time(),
    "processor_notified_at": _time(),
    "incident_type": Field("choice", catalogue=FIELD_KINDS["incident_type"]),
    "nature": _codes("nature"),
    "personal_data": _codes("personal_data"),
    "personal_data_details": _text(),
    "special_categories": _codes("special_categories"),
    "subject_categories": _codes("subject_categories"),
    "people_min": _count(),
    "people_max": _count("Not lower than people_min."),
    "records_count": _count(),
    "is_protected": Field("boolean", nullable=True, description="null: not known."),
    "protection_details": _text(),
    "consequences": _text(),
    "is_personal_data_breach": Field("boolean"),
    "not_breach_rationale": _text(description="Required when is_personal_data_breach is false."),
    "risk": Field("choice", choices=RISKS),
    "risk_rationale": _text(),
    "enisa_dpc": Field(
        "number",
        nullable=True,
        choices=enisa.DPC_VALUES,
        description="ENISA: data processing context.",
    ),
    "enisa_ei": Field(
        "number",
        nullable=True,
        choices=enisa.EI_VALUES,
        description="ENISA: ease of identification.",
    ),
    "enisa_cb": Field(
        "number",
        nullable=True,
        minimum=0,
        maximum=CB_MAX,
        multiple_of=0.25,
        description="ENISA: circumstances of the breach.",
    ),
    "is_dpo_involved": Field("boolean"),
    "is_cross_border": Field("boolean"),
    "member_states": Field(
        "list",
        item_pattern="[A-Z]{2}",
        description="ISO 3166-1 alpha-2 codes; required when is_cross_border is true.",
    ),
    "cause": _text(),
    "evaluation": _text(),
}

# A report takes the facts of the short form; an officer completes the rest with PATCH.
REPORT_FIELDS: dict[str, Field] = {name: INCIDENT_FIELDS[name] for name in REPORTER_FIELDS}
REPORT_REQUIRED = ("title",)

UPDATE_FIELDS: dict[str, Field] = {
    **INCIDENT_FIELDS,
    "aware_at_reason": _text(
        REASON_MAX, description="Why aware_at moves (rule R9); required when it does."
    ),
}

MEASURE_FIELDS: dict[str, Field] = {
    "kind": Field("choice", choices=MEASURE_KINDS),
    "description": _text(min_length=1),
    "owner": _text(200),
    "due_on": Field("date", nullable=True),
    "done_at": _time(),
}
MEASURE_REQUIRED = ("kind", "description")

LIST_PARAMETERS: dict[str, Field] = {
    "year": Field(
        "integer", minimum=1900, maximum=9999, description="Register year: the year in the ref."
    ),
    "organisation": Field("integer", minimum=1, maximum=ID_MAX, description="Organisation id."),
    "status": Field("choice", choices=STATUSES),
    "risk": Field("choice", choices=RISKS),
    "type": Field("choice", catalogue=FIELD_KINDS["incident_type"], description="Incident type."),
    "q": _text(200, description="Words in the ref, title or summary (case-insensitive)."),
    "page": Field("integer", minimum=1, maximum=PAGE_MAX, description="From 1; default 1."),
    "per_page": Field(
        "integer", minimum=1, maximum=PER_PAGE_MAX, description="Default 25, at most 100."
    ),
}
