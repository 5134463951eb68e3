"""What the API accepts, field by field: one table read by the parser and by openapi.json."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..catalogue.services import FIELD_KINDS
from ..domain import ap_answers, enisa, law
from ..domain.ap_values import DATA_OUTCOMES, HARM_KINDS, LAWS, SEVERITIES, SUBJECTS_PLANS
from ..domain.countries import COUNTRY_CODES
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
# the web forms take letters and public announcements up to this length
LETTER_MAX = 50_000
MELDNUMMER_MAX = 64
# what an officer may decide; `unassessed` is only where every incident starts
ASSESSED_RISKS = tuple(risk for risk in RISKS if risk != "unassessed")
LANGUAGES = ("en", "nl")


@dataclass(frozen=True)
class Field:
    """One body field: text, boolean, integer, number, datetime, date, choice, list, object,
    or objects (a list of objects)."""

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
    # for objects, and lists of objects: the fields inside, and which of them must be present
    fields: Mapping[str, Field] | None = None
    # for lists of objects: at most this many
    max_items: int | None = None
    required: tuple[str, ...] = ()
    description: str = ""


def _text(max_length: int = TEXT_MAX, min_length: int = 0, description: str = "") -> Field:
    return Field("text", min_length=min_length, max_length=max_length, description=description)


def _time(nullable: bool = True, description: str = "") -> Field:
    return Field("datetime", nullable=nullable, description=description)


def _count(description: str = "") -> Field:
    return Field("integer", nullable=True, minimum=0, maximum=COUNT_MAX, description=description)


def _codes(name: str) -> Field:
    return Field("list", catalogue=FIELD_KINDS[name], description="Codes from the catalogue.")


NOT_KNOWN = "null: not known yet (also to set it back to not known)."

# the AP meldformulier's own questions (domain/ap_values.py, domain/ap_answers.py)
AUTHORITY_FIELDS: dict[str, Field] = {
    "authority": _text(ap_answers.AUTHORITY_MAX, min_length=1),
    "country": Field(
        "choice", choices=tuple(sorted(COUNTRY_CODES)), description="ISO 3166-1 alpha-2."
    ),
    "notified_on": Field("date", nullable=True, description="Not in the future."),
    "reference": _text(ap_answers.REFERENCE_MAX, description="Their reference, if any."),
}
AP_FORM_ANSWERS: dict[str, Field] = {
    "other_organisations": _text(description="Other organisations involved (section 1)."),
    "data_outcomes": Field(
        "list",
        choices=DATA_OUTCOMES,
        description="What happened to the data (section 3); unknown stands alone.",
    ),
    "has_special_categories": Field(
        "boolean",
        nullable=True,
        description="Special categories involved. " + NOT_KNOWN + " Listing "
        "special_categories makes it true; false with special_categories is refused.",
    ),
    "consequences_confidentiality": _text(),
    "consequences_integrity": _text(),
    "consequences_availability": _text(),
    "harm_kinds": Field(
        "list", choices=HARM_KINDS, description="Kinds of harm (section 7); none stands alone."
    ),
    "severity": Field(
        "choice", choices=("", *SEVERITIES), description="Estimated severity; empty: not known."
    ),
    "other_authorities_notified": Field(
        "boolean",
        nullable=True,
        description="Other supervisory authorities notified. " + NOT_KNOWN + " Listing "
        "other_authorities makes it true; false with other_authorities is refused.",
    ),
    "other_authorities": Field(
        "objects",
        fields=AUTHORITY_FIELDS,
        required=("authority", "country"),
        max_items=ap_answers.AUTHORITIES_MAX,
        description="The authorities notified, replacing the list recorded.",
    ),
    "subjects_plan": Field(
        "choice",
        choices=("", *SUBJECTS_PLANS),
        description="While the people concerned are not informed: planned, or not (then "
        "subjects_plan_reason is required); empty: not known.",
    ),
    "subjects_plan_reason": _text(),
    "subjects_planned_on": Field("date", nullable=True),
    "other_remarks": _text(description="Anything else for the AP (section 9)."),
}
# Sections 0 and 1: recorded with the notification, or corrected with the facts.
NOTIFIER_FIELDS: dict[str, Field] = {
    "law": Field("choice", choices=LAWS, description="avg (default) or telecom."),
    "notifier_name": _text(ap_answers.NAME_MAX),
    "notifier_role": _text(ap_answers.NAME_MAX),
    "notifier_email": _text(ap_answers.EMAIL_MAX),
    "notifier_phone": _text(ap_answers.PHONE_MAX, description="Digits, +, spaces, dashes."),
}

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
    "is_ongoing": Field("boolean", nullable=True, description=NOT_KNOWN),
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
    "subject_description": _text(
        description="What happened, as told to the people concerned; the draft letter starts "
        "from it, never from the internal summary."
    ),
    "is_cross_border": Field("boolean", nullable=True, description=NOT_KNOWN),
    "member_states": Field(
        "list",
        item_pattern="[A-Z]{2}",
        description="ISO 3166-1 alpha-2 codes; required when is_cross_border is true.",
    ),
    "cause": _text(),
    "evaluation": _text(),
    **NOTIFIER_FIELDS,
    **AP_FORM_ANSWERS,
}

# The assessment (R1, R3) as the Incident shows it; it changes only with POST .../assessment.
ASSESSED_FIELDS: dict[str, Field] = {
    "is_personal_data_breach": Field("boolean"),
    "not_breach_rationale": _text(description="Why this is not a personal-data breach."),
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
    "enisa_confidentiality": Field("number", nullable=True, choices=enisa.CB_PART_VALUES),
    "enisa_integrity": Field("number", nullable=True, choices=enisa.CB_PART_VALUES),
    "enisa_availability": Field("number", nullable=True, choices=enisa.CB_PART_VALUES),
    "enisa_malicious": Field("boolean", nullable=True),
    "enisa_dpc_base": Field("number", nullable=True, choices=enisa.DPC_VALUES),
    "enisa_dpc_reason": _text(description="Why enisa_dpc differs from enisa_dpc_base."),
    "is_dpo_involved": Field("boolean", nullable=True, description=NOT_KNOWN),
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


def _cb_part(what: str) -> Field:
    return Field(
        "number",
        choices=enisa.CB_PART_VALUES,
        description=f"Loss of {what}: 0 none, 0.25 recoverable or not spread further, "
        "0.5 not recoverable or spread further. Default 0.",
    )


# The ENISA severity method: it suggests a risk level, the officer decides.
ENISA_FIELDS: dict[str, Field] = {
    "dpc": Field(
        "number",
        choices=enisa.DPC_VALUES,
        description="Data processing context: 1 basic, 2 behavioural, 3 financial, 4 sensitive.",
    ),
    "ei": Field(
        "number",
        choices=enisa.EI_VALUES,
        description="Ease of identification: 0.25 negligible to 1 maximum.",
    ),
    "confidentiality": _cb_part("confidentiality"),
    "integrity": _cb_part("integrity"),
    "availability": _cb_part("availability"),
    "malicious": Field("boolean", description="Malicious intent adds 0.5. Default false."),
    "dpc_base": Field(
        "number",
        choices=enisa.DPC_VALUES,
        description="The base context of the data before adjusting dpc for the context.",
    ),
    "dpc_reason": _text(description="Required when dpc differs from dpc_base: why."),
}
ENISA_REQUIRED = ("dpc", "ei")

ASSESSMENT_BODY: dict[str, Field] = {
    "is_personal_data_breach": Field(
        "boolean",
        description="Default true. false keeps the report in the register, marked as no "
        "personal-data breach; it then needs not_breach_rationale and leaves risk as it was.",
    ),
    "not_breach_rationale": _text(description="Required when is_personal_data_breach is false."),
    "risk": Field(
        "choice",
        choices=ASSESSED_RISKS,
        description="Required for a personal-data breach. risk and high must be notified to "
        "the AP; high also needs a subject communication or an exemption.",
    ),
    "risk_rationale": _text(
        description="Required for a personal-data breach: why this risk level, also when "
        "not notifying."
    ),
    "is_dpo_involved": Field(
        "boolean",
        nullable=True,
        description="Whether the FG was involved; left out: as recorded. " + NOT_KNOWN,
    ),
    "enisa": Field(
        "object",
        nullable=True,
        fields=ENISA_FIELDS,
        required=ENISA_REQUIRED,
        description="Optional ENISA severity scoring. Omitted or null: not scored (an earlier "
        "scoring is cleared). The Incident shows the resulting score and suggested risk; the "
        "risk stored is the one given here.",
    ),
}

PART_FIELDS: dict[str, Field] = {
    "nature": _text(description="(a) The nature of the breach."),
    "subjects": _text(description="(a) Categories and approximate number of people."),
    "records": _text(description="(a) Categories and approximate number of records."),
    "contact": _text(description="(b) The FG or another contact point."),
    "consequences": _text(description="(c) The likely consequences."),
    "measures": _text(description="(d) The measures taken or proposed."),
}

NOTIFICATION_FIELDS: dict[str, Field] = {
    "kind": Field(
        "choice",
        choices=law.NOTIFICATION_KINDS,
        description="initial: the first notification; supplement (aanvulling) and "
        "withdrawal (intrekking) follow it.",
    ),
    "submitted_at": _time(
        nullable=False, description="When it was submitted to the AP; not in the future."
    ),
    "meldnummer": _text(
        MELDNUMMER_MAX,
        description="The AP's number. Required for initial; for supplement and withdrawal "
        "optional, and if given equal to the initial notification's.",
    ),
    "is_provisional": Field("boolean", description="More information follows. Default false."),
    "reasons_for_delay": _text(
        description="Required for an initial notification submitted after deadline_at "
        "(Art. 33(1))."
    ),
    "answers": Field(
        "object",
        fields=PART_FIELDS,
        description="The Art. 33(3) parts as submitted. A part left out or empty is taken "
        "from the incident; an initial notification is refused (answers.<part>) while a part "
        "is still empty and not listed in follows.",
    ),
    "follows": Field(
        "list",
        choices=tuple(PART_FIELDS),
        description="Parts that follow later in a supplement (Art. 33(4)).",
    ),
    "note": _text(
        description="What a supplement says; for a withdrawal required: why it is withdrawn."
    ),
    "gives": Field(
        "list",
        choices=tuple(PART_FIELDS),
        description="For a supplement: the owed parts it gives (Art. 33(4)); each needs its "
        "answer.",
    ),
    "receipt_at": _time(description="When the AP confirmed receipt."),
    "receipt_text": _text(description="The AP's confirmation of receipt, as it came."),
    # under which law and who notifies; left out: as recorded on the incident
    **NOTIFIER_FIELDS,
}
NOTIFICATION_REQUIRED = ("kind", "submitted_at")

# POST .../subject-communications takes one of two shapes, told apart by `kind`.
COMMUNICATION_FIELDS: dict[str, Field] = {
    "kind": Field("choice", choices=("communication",)),
    "sent_at": _time(nullable=False, description="When the people were informed."),
    "channel": Field("choice", choices=law.CHANNELS),
    "people_reached": Field("integer", minimum=0, maximum=COUNT_MAX),
    "text": _text(
        LETTER_MAX,
        description="The text that was sent: the proof (Art. 34(2)); without the draft's "
        "placeholders.",
    ),
    "shortfall_reason": _text(
        description="Required when people_reached is lower than the incident's people_min."
    ),
    "names_contact": Field("boolean", description="The text names a contact point (34(2))."),
    "names_consequences": Field(
        "boolean", description="The text describes the likely consequences (34(2))."
    ),
    "names_measures": Field("boolean", description="The text describes the measures (34(2))."),
}
COMMUNICATION_REQUIRED = ("kind", "sent_at", "channel", "people_reached", "text")
EXEMPTION_FIELDS: dict[str, Field] = {
    "kind": Field("choice", choices=("exemption",)),
    "ground": Field(
        "choice",
        choices=law.EXEMPTION_GROUNDS,
        description="Art. 34(3): (a) unintelligible, (b) measures_taken, (c) disproportionate.",
    ),
    "rationale": _text(description="Why this ground applies."),
    "public_communication": _text(
        LETTER_MAX, description="Required for disproportionate: the public communication."
    ),
    "public_sent_at": _time(description="Required for disproportionate: when it was public."),
    "public_channel": Field(
        "choice",
        choices=law.CHANNELS,
        description="Required for disproportionate: where it was made public.",
    ),
}
EXEMPTION_REQUIRED = ("kind", "ground", "rationale")
SUBJECT_KINDS: dict[str, tuple[dict[str, Field], tuple[str, ...]]] = {
    "communication": (COMMUNICATION_FIELDS, COMMUNICATION_REQUIRED),
    "exemption": (EXEMPTION_FIELDS, EXEMPTION_REQUIRED),
}

AP_FORM_PARAMETERS: dict[str, Field] = {
    "lang": Field(
        "choice",
        choices=LANGUAGES,
        description="Language of the section titles, questions and answers: en or nl; by "
        "default the language of the token's user.",
    ),
}


LIST_PARAMETERS: dict[str, Field] = {
    "year": Field(
        "integer",
        minimum=1,
        maximum=9999,
        description="Register year: the year of awareness in the organisation's time zone.",
    ),
    "organisation": Field(
        "integer",
        minimum=1,
        maximum=ID_MAX,
        description="Organisation id; only the token's own organisation has incidents.",
    ),
    "status": Field("choice", choices=STATUSES),
    "risk": Field("choice", choices=RISKS),
    "type": Field("choice", catalogue=FIELD_KINDS["incident_type"], description="Incident type."),
    "q": _text(200, description="Words in the ref, title or summary (case-insensitive)."),
    "page": Field("integer", minimum=1, maximum=PAGE_MAX, description="From 1; default 1."),
    "per_page": Field(
        "integer", minimum=1, maximum=PER_PAGE_MAX, description="Default 25, at most 100."
    ),
}

REGISTER_PARAMETERS: dict[str, Field] = {
    "organisation": Field(
        "integer",
        minimum=1,
        maximum=ID_MAX,
        description="Organisation id; the token's own organisation when left out. Any other "
        "answers 404.",
    ),
    "lang": Field("choice", choices=LANGUAGES, description="Language: en (default) or nl."),
}
CSV_PARAMETERS: dict[str, Field] = {
    **REGISTER_PARAMETERS,
    "sep": Field("choice", choices=(";", ","), description="Separator: ; (default) or ,."),
}
