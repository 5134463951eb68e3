"""The questions of the AP's meldformulier datalekken, in its order, as data.

Source: Autoriteit Persoonsgegevens, "Meldformulier datalekken" and its published
"Vragenlijst meldformulier datalekken" (the questions of the online form, to prepare a
notification; English: "Questionnaire personal data breach notification form"), as
published in 2026. The sections, their order and what each asks are the contract of
DESIGN.md ("The AP's notification form"). Art. 33(3) GDPR sets the minimum a notification
gives; art. 11.3a Telecommunicatiewet uses the same form.

Each section and question carries the AP's Dutch wording and an English wording. The
English is the msgid (marked with N_) and the Dutch catalogue's msgstr is the Dutch here,
so a Dutch screen shows what the AP's form says; tests/test_ap_questions.py holds the two
together. A question's `group` is the form's sub-heading it stands under, if any.

`fields` names the register's fields (Incident attributes, or its notifications,
communications and measures) an answer is made from. A question `optional` in the form
("vul in, indien van toepassing") left empty is not applicable; any other empty answer is
not known yet and still missing.

Two questions are the register's own, shown beside the form's questions they belong with:
the first recorded awareness (R14) and whether the FG was involved, which the AP expects a
register to record beyond the form (DESIGN.md, "What the AP expects to find in a register").
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import N_

KINDS = ("text", "datetime", "date", "choice", "yesno", "number", "list")
STATES = ("answered", "unknown", "not_applicable")


@dataclass(frozen=True)
class Question:
    key: str
    dutch: str
    english: str
    kind: str
    fields: tuple[str, ...]
    group: tuple[str, str] | None = None  # (Dutch, English) sub-heading
    optional: bool = False


@dataclass(frozen=True)
class Section:
    number: int
    dutch: str
    english: str
    questions: tuple[Question, ...]


def _group(dutch: str, english: str) -> tuple[str, str]:
    return (dutch, english)


ENTITY = _group("Over welke entiteit gaat het?", N_("Which entity is it about?"))
NOTIFIER = _group("Wie meldt het datalek?", N_("Who is notifying the breach?"))
NATURE = _group("Aard van de inbreuk", N_("Nature of the personal data breach"))
AMOUNT = _group("Hoeveelheid persoonsgegevens", N_("Amount of personal data"))
PEOPLE = _group(
    "Van hoeveel personen zijn persoonsgegevens betrokken bij de inbreuk?",
    N_("Of how many people are personal data involved in the breach?"),
)
ASPECTS = _group(
    "Gevolgen van de inbreuk op de vertrouwelijkheid, de integriteit en/of beschikbaarheid "
    "van de gegevens.",
    N_(
        "Consequences of the breach for the confidentiality, integrity and/or availability "
        "of the data."
    ),
)
INFORMING = _group("Informeren van de betrokkenen", N_("Informing the people concerned"))
MEASURES = _group("Maatregelen om de inbreuk aan te pakken", N_("Measures to address the breach"))
INTERNATIONAL = _group("Internationale aspecten", N_("International aspects"))

Q = Question
SECTIONS: tuple[Section, ...] = (
    Section(
        0,
        "Over deze melding",
        N_("About this notification"),
        (
            Q(
                "law",
                "Op grond van welke regelgeving doet u deze melding?",
                N_("Under which legislation are you making this notification?"),
                "choice",
                ("law",),
            ),
            Q(
                "notification_kind",
                "Wat voor melding doet u?",
                N_("What kind of notification are you making?"),
                "choice",
                ("notifications", "is_withdrawn"),
            ),
            Q(
                "earlier_meldnummer",
                "Wat is het meldnummer van de eerdere melding?",
                N_("What is the meldnummer of the earlier notification?"),
                "text",
                ("meldnummer",),
            ),
            Q(
                "is_provisional",
                "Is dit een voorlopige melding?",
                N_("Is this a provisional notification?"),
                "yesno",
                ("owed_parts", "notifications"),
            ),
        ),
    ),
    Section(
        1,
        "Contactgegevens en overige algemene informatie",
        N_("Contact details and other general information"),
        (
            Q("organisation", "Naam", N_("Name"), "text", ("organisation",), ENTITY),
            Q("kvk_number", "KvK-nummer", N_("KvK number"), "text", ("organisation",), ENTITY),
            Q("notifier_name", "Naam", N_("Name"), "text", ("notifier_name",), NOTIFIER),
            Q("notifier_role", "Functie", N_("Position"), "text", ("notifier_role",), NOTIFIER),
            Q(
                "notifier_email",
                "E-mailadres",
                N_("E-mail address"),
                "text",
                ("notifier_email",),
                NOTIFIER,
            ),
            Q(
                "notifier_phone",
                "Telefoonnummer",
                N_("Telephone number"),
                "text",
                ("notifier_phone",),
                NOTIFIER,
            ),
            Q(
                "contact",
                "Met wie kan de AP contact opnemen voor nadere informatie over de melding?",
                N_("Whom can the AP contact for more information about the notification?"),
                "text",
                ("organisation",),
            ),
            Q(
                "is_dpo_involved",
                "Is de functionaris gegevensbescherming (FG) betrokken?",
                N_("Is the data protection officer (FG) involved?"),
                "yesno",
                ("is_dpo_involved",),
            ),
            Q(
                "other_organisations",
                "Was er een andere organisatie betrokken bij de inbreuk?",
                N_("Was another organisation involved in the breach?"),
                "text",
                ("processor_name", "other_organisations"),
                optional=True,
            ),
        ),
    ),
    Section(
        2,
        "Tijdlijn",
        N_("Timeline"),
        (
            Q(
                "occurred",
                "Wanneer vond de inbreuk plaats?",
                N_("When did the breach take place?"),
                "datetime",
                ("occurred_from", "occurred_until"),
            ),
            Q(
                "discovered_at",
                "Wanneer is de inbreuk ontdekt?",
                N_("When was the breach discovered?"),
                "datetime",
                ("discovered_at",),
            ),
            Q(
                "is_ongoing",
                "Duurt de inbreuk op dit moment nog voort?",
                N_("Is the breach still going on at this moment?"),
                "yesno",
                ("is_ongoing",),
            ),
            Q(
                "aware_at",
                "Wanneer heeft u kennisgenomen van de inbreuk?",
                N_("When did you become aware of the breach?"),
                "datetime",
                ("aware_at",),
            ),
            Q(
                "first_aware_at",
                "Eerst vastgelegde kennisname",
                N_("First recorded awareness"),
                "text",
                ("first_aware_at", "first_deadline_at", "aware_at_reason"),
            ),
            Q(
                "reasons_for_delay",
                "Wat zijn de redenen dat u de inbreuk later dan 72 uur na kennisname meldt?",
                N_("Why are you notifying the breach later than 72 hours after becoming aware?"),
                "text",
                ("notifications",),
            ),
        ),
    ),
    Section(
        3,
        "Gegevens over het datalek",
        N_("Details of the breach"),
        (
            Q(
                "summary",
                "Geef een samenvatting van het incident waarbij de inbreuk op de beveiliging "
                "van persoonsgegevens zich heeft voorgedaan.",
                N_("Give a summary of the incident in which the personal data breach occurred."),
                "text",
                ("summary",),
            ),
            Q(
                "incident_type",
                "Wat is de aard van het incident waarbij er een inbreuk op de beveiliging van "
                "persoonsgegevens is geweest?",
                N_("What kind of incident led to the personal data breach?"),
                "choice",
                ("incident_type",),
            ),
            Q(
                "data_outcomes",
                "Wat is de aard van de inbreuk?",
                N_("What is the nature of the breach?"),
                "list",
                ("data_outcomes",),
                NATURE,
            ),
        ),
    ),
    Section(
        4,
        "Persoonsgegevens die betrokken zijn bij het datalek",
        N_("Personal data involved in the breach"),
        (
            Q(
                "personal_data",
                "Om welk type persoonsgegevens gaat het?",
                N_("What kind of personal data is it?"),
                "list",
                ("personal_data", "personal_data_details"),
            ),
            Q(
                "has_special_categories",
                "Gaat het ook om bijzondere categorieën van persoonsgegevens?",
                N_("Are special categories of personal data involved as well?"),
                "yesno",
                ("has_special_categories", "special_categories"),
            ),
            Q(
                "special_categories",
                "Om welke bijzondere categorieën van persoonsgegevens gaat het?",
                N_("Which special categories of personal data are involved?"),
                "list",
                ("special_categories",),
            ),
            Q(
                "records_count",
                "Geef (eventueel bij benadering) aan hoeveel gegevensrecords "
                "(\u201cgegevensregisters\u201d) zijn getroffen door de inbreuk",
                N_("Give the number (approximate if need be) of data records the breach affected"),
                "number",
                ("records_count",),
                AMOUNT,
            ),
        ),
    ),
    Section(
        5,
        "De groep mensen van wie persoonsgegevens betrokken zijn bij het datalek",
        N_("The people whose personal data are involved in the breach"),
        (
            Q(
                "subject_categories",
                "Om welke groep of groepen mensen gaat het?",
                N_("Which group or groups of people are concerned?"),
                "list",
                ("subject_categories",),
            ),
            Q("people_min", "Minimaal", N_("At least"), "number", ("people_min",), PEOPLE),
            Q("people_max", "Maximaal", N_("At most"), "number", ("people_max",), PEOPLE),
        ),
    ),
    Section(
        6,
        "Maatregelen die zijn getroffen voordat het datalek plaatsvond",
        N_("Measures taken before the breach occurred"),
        (
            Q(
                "is_protected",
                "Waren de persoonsgegevens op het moment dat de inbreuk zich voordeed "
                "versleuteld, gecodeerd of op een andere manier onbegrijpelijk of "
                "ontoegankelijk voor onbevoegden?",
                N_(
                    "When the breach occurred, were the personal data encrypted, hashed or "
                    "otherwise unintelligible or inaccessible to unauthorised persons?"
                ),
                "yesno",
                ("is_protected",),
            ),
            Q(
                "protection_details",
                "Licht toe op welke manier de persoonsgegevens onbegrijpelijk of "
                "ontoegankelijk zijn gemaakt.",
                N_("Explain how the personal data were made unintelligible or inaccessible."),
                "text",
                ("protection_details",),
            ),
        ),
    ),
    Section(
        7,
        "Gevolgen van het datalek",
        N_("Consequences of the breach"),
        (
            Q(
                "consequences_confidentiality",
                "Vertrouwelijkheid",
                N_("Confidentiality"),
                "text",
                ("consequences_confidentiality",),
                ASPECTS,
            ),
            Q(
                "consequences_integrity",
                "Integriteit",
                N_("Integrity"),
                "text",
                ("consequences_integrity",),
                ASPECTS,
            ),
            Q(
                "consequences_availability",
                "Beschikbaarheid",
                N_("Availability"),
                "text",
                ("consequences_availability",),
                ASPECTS,
            ),
            Q(
                "harm_kinds",
                "Lichamelijke, materiële en immateriële schade voor de betrokkenen.",
                N_("Physical, material and immaterial harm to the people concerned."),
                "list",
                ("harm_kinds",),
            ),
            Q(
                "consequences",
                "Welke gevolgen kan de inbreuk hebben voor de persoonlijke levenssfeer van de "
                "betrokkenen?",
                N_("What may the breach mean for the privacy of the people concerned?"),
                "text",
                ("consequences",),
            ),
            Q(
                "severity",
                "Geef een inschatting van de ernst van de mogelijke gevolgen voor de betrokkenen",
                N_("Estimate how severe the possible consequences for the people concerned are"),
                "choice",
                ("severity",),
            ),
        ),
    ),
    Section(
        8,
        "Vervolgacties naar aanleiding van het datalek",
        N_("Follow-up actions after the breach"),
        (
            Q(
                "subjects_informed",
                "Heeft u het datalek gemeld aan de betrokkenen of bent u van plan dat te gaan "
                "doen?",
                N_("Have you told the people concerned about the breach, or do you plan to?"),
                "choice",
                ("subject_communications", "subjects_plan"),
                INFORMING,
            ),
            Q(
                "subjects_informed_on",
                "Wanneer zijn of worden de betrokkenen geïnformeerd?",
                N_("When were or will the people concerned be informed?"),
                "date",
                ("subject_communications", "subjects_planned_on"),
                INFORMING,
            ),
            Q(
                "subjects_reached",
                "Hoeveel betrokkenen zijn geïnformeerd?",
                N_("How many of the people concerned were informed?"),
                "number",
                ("subject_communications",),
                INFORMING,
            ),
            Q(
                "subjects_not_reason",
                "Waarom ziet u af van het melden van het datalek aan de betrokkenen?",
                N_("Why do you refrain from telling the people concerned about the breach?"),
                "text",
                ("subject_communications", "subjects_plan_reason"),
                INFORMING,
            ),
            Q(
                "public_announcement",
                "Als het informeren van alle betrokkenen een onevenredige inspanning zou "
                "vergen, licht dan toe hoe u door een openbare mededeling of een soortgelijke "
                "maatregel de betrokkenen gaat informeren.",
                N_(
                    "If informing everyone concerned would take a disproportionate effort, "
                    "explain how a public announcement or a similar measure informs them."
                ),
                "text",
                ("subject_communications",),
                INFORMING,
            ),
            Q(
                "measures",
                "Welke maatregelen heeft u genomen om de inbreuk aan te pakken en om verdere "
                "gevolgen te voorkomen?",
                N_("What have you done to address the breach and to prevent further harm?"),
                "list",
                ("measures",),
                MEASURES,
            ),
            Q(
                "is_cross_border",
                "Heeft de inbreuk zich voorgedaan in een grensoverschrijdende gegevensverwerking?",
                N_("Did the breach occur in cross-border processing?"),
                "yesno",
                ("is_cross_border",),
                INTERNATIONAL,
            ),
            Q(
                "member_states",
                "In welke andere EU-lidstaten zijn betrokkenen gevestigd?",
                N_("In which other EU member states do people concerned live?"),
                "list",
                ("member_states",),
                INTERNATIONAL,
            ),
            Q(
                "other_authorities_notified",
                "Heeft u de inbreuk ook gemeld bij andere toezichthouders?",
                N_("Have you notified the breach to other supervisory authorities as well?"),
                "yesno",
                ("other_authorities_notified", "other_authorities"),
                INTERNATIONAL,
            ),
            Q(
                "other_authorities",
                "Bij welke toezichthouder, in welk land, wanneer en onder welk kenmerk?",
                N_("To which authority, in which country, when and under which reference?"),
                "list",
                ("other_authorities",),
                INTERNATIONAL,
            ),
        ),
    ),
    Section(
        9,
        "Overig",
        N_("Other"),
        (
            Q(
                "other_remarks",
                "Wilt u nog iets anders over dit datalek melden?",
                N_("Is there anything else you wish to report about this breach?"),
                "text",
                ("other_remarks",),
                optional=True,
            ),
        ),
    ),
)

QUESTIONS: dict[str, Question] = {q.key: q for s in SECTIONS for q in s.questions}
