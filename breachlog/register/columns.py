"""The register's columns: one definition for the PDF table, the CSV export and the import."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    nl: str
    en: str
    # other headers an existing register may use for the same column (import), lower case
    aliases: tuple[str, ...] = ()

    def header(self, language: str) -> str:
        return self.nl if language == "nl" else self.en


AP_FORM_COLUMNS = (
    Column("law", "Wet", "Law", ("melding onder", "notified under")),
    Column("notifier_name", "Melder (naam)", "Notified by (name)", ("melder",)),
    Column("notifier_role", "Melder (functie)", "Notified by (position)", ()),
    Column("notifier_email", "Melder (e-mail)", "Notified by (e-mail)", ()),
    Column("notifier_phone", "Melder (telefoon)", "Notified by (phone)", ()),
    Column(
        "other_organisations",
        "Andere betrokken organisaties",
        "Other organisations involved",
        (),
    ),
    Column("is_ongoing", "Nog gaande", "Still going on", ("nog bezig", "ongoing")),
    Column(
        "data_outcomes",
        "Wat er met de gegevens is gebeurd",
        "What happened to the data",
        (),
    ),
    Column(
        "has_special_categories",
        "Bijzondere persoonsgegevens betrokken",
        "Special categories involved",
        (),
    ),
    Column(
        "is_protected",
        "Beveiligd (versleuteld of onleesbaar)",
        "Protected (encrypted or unintelligible)",
        ("versleuteld", "encrypted"),
    ),
    Column(
        "consequences_confidentiality",
        "Gevolgen vertrouwelijkheid",
        "Consequences for confidentiality",
        (),
    ),
    Column("consequences_integrity", "Gevolgen integriteit", "Consequences for integrity", ()),
    Column(
        "consequences_availability",
        "Gevolgen beschikbaarheid",
        "Consequences for availability",
        (),
    ),
    Column("harm_kinds", "Soorten schade", "Kinds of harm", ("schade",)),
    Column("severity", "Ernst", "Severity", ("ernst gevolgen",)),
    Column("is_cross_border", "Grensoverschrijdend", "Cross-border", ()),
    Column("member_states", "Lidstaten", "Member states", ("betrokken lidstaten",)),
    Column(
        "other_authorities_notified",
        "Andere toezichthouders ingelicht",
        "Other authorities notified",
        (),
    ),
    Column("other_authorities", "Andere toezichthouders", "Other authorities", ()),
    Column("subjects_plan", "Informeren betrokkenen", "Informing the people concerned", ()),
    Column(
        "subjects_plan_reason",
        "Waarom betrokkenen niet worden geïnformeerd",
        "Why the people concerned are not informed",
        (),
    ),
    Column("subjects_planned_on", "Betrokkenen informeren op", "People to be informed on", ()),
    Column("other_remarks", "Overige opmerkingen", "Other remarks", ("overig",)),
)

COLUMNS = (
    Column("ref", "Kenmerk", "Reference", ("ref", "nummer", "number", "id", "referentie")),
    Column("organisation", "Organisatie", "Organisation", ("entiteit", "entity", "controller")),
    Column("title", "Titel", "Title", ("omschrijving", "description", "onderwerp", "subject")),
    Column("summary", "Wat er is gebeurd", "What happened", ("samenvatting", "toelichting")),
    Column(
        "occurred_from",
        "Begonnen op",
        "Started at",
        ("datum incident", "datum datalek", "date of breach", "occurred"),
    ),
    Column("occurred_until", "Beëindigd op", "Ended at", ("einddatum", "end date")),
    Column(
        "discovered_at",
        "Ontdekt op",
        "Discovered at",
        ("ontdekt", "datum ontdekking", "discovered"),
    ),
    Column(
        "aware_at",
        "Kennisname",
        "Aware at",
        ("datum kennisname", "moment van kennisname", "aware", "awareness"),
    ),
    Column("deadline_at", "Deadline AP", "AP deadline", ("deadline", "uiterste meldtermijn")),
    Column(
        "incident_type", "Soort incident", "Kind of incident", ("type", "soort", "type incident")
    ),
    Column("nature", "Aard", "Nature", ("aard van het lek", "cia")),
    Column(
        "personal_data",
        "Persoonsgegevens",
        "Personal data",
        ("soort gegevens", "categorieën persoonsgegevens", "data categories"),
    ),
    Column(
        "special_categories",
        "Bijzondere persoonsgegevens",
        "Special categories",
        ("bijzondere gegevens",),
    ),
    Column(
        "subject_categories",
        "Betrokkenen",
        "People concerned",
        ("categorieën betrokkenen", "data subjects"),
    ),
    Column("people_min", "Aantal betrokkenen (min)", "People (min)", ("minimum betrokkenen",)),
    Column(
        "people_max",
        "Aantal betrokkenen (max)",
        "People (max)",
        ("aantal betrokkenen", "number of people", "maximum betrokkenen"),
    ),
    Column("records_count", "Aantal records", "Records", ("aantal gegevens", "records")),
    Column("consequences", "Gevolgen", "Consequences", ("mogelijke gevolgen", "impact")),
    Column("measures", "Maatregelen", "Measures", ("genomen maatregelen", "measures taken")),
    Column("risk", "Risico", "Risk", ("risico-inschatting", "risk level")),
    Column(
        "risk_rationale",
        "Onderbouwing risico",
        "Risk rationale",
        ("onderbouwing", "motivatie", "rationale"),
    ),
    Column(
        "notified_at",
        "Gemeld aan AP op",
        "Notified to the AP at",
        ("datum melding ap", "gemeld op", "notification date"),
    ),
    Column("meldnummer", "Meldnummer", "AP reference", ("meldnummer ap", "ap number")),
    Column("on_time", "Binnen 72 uur", "Within 72 hours", ("tijdig", "on time")),
    Column(
        "reasons_for_delay",
        "Reden vertraging",
        "Reasons for delay",
        ("reden te laat", "delay reason"),
    ),
    Column(
        "subjects_informed",
        "Betrokkenen geïnformeerd",
        "People informed",
        ("betrokkenen geinformeerd", "informed"),
    ),
    Column(
        "is_provisional",
        "Voorlopige melding",
        "Provisional notification",
        ("voorlopig", "provisional"),
    ),
    Column("exemption", "Uitzondering art. 34 lid 3", "Art. 34(3) exemption", ("uitzondering",)),
    Column(
        "public_communication",
        "Openbare mededeling",
        "Public communication",
        ("openbare bekendmaking", "public announcement"),
    ),
    Column("status", "Status", "Status", ()),
    Column("closed_at", "Gesloten op", "Closed at", ("datum gesloten", "closed", "afgesloten op")),
    Column("cause", "Oorzaak", "Cause", ("root cause", "oorzaak incident")),
    Column("evaluation", "Evaluatie", "Evaluation", ("lessons learned", "geleerde lessen")),
    # the AP's meldformulier, as far as the columns above do not hold it; a yes/no nobody
    # answered reads "nog onbekend" / "not known yet"
    *AP_FORM_COLUMNS,
)
BY_KEY = {c.key: c for c in COLUMNS}
