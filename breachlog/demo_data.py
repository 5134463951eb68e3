"""The demo's data: one organisation, its users and a year of breaches, each a scenario.

A scenario is the incident as reported plus what happened to it afterwards, as steps at
their own moment after the organisation became aware. Together they cover every branch
a privacy officer meets: fresh and overdue reports, no risk, not a personal-data breach,
risk notified on time or late, a provisional notification with its supplement, high risk
with the people informed or an Art. 34(3) exemption, a withdrawn notification, and a
breach found by a processor. `breachlog/demo.py` turns these into acts through the services.
"""

from __future__ import annotations

from typing import Any, NamedTuple

DOMAIN = "groen-installatietechniek.example"  # .example never delivers mail to anyone real
ORGANISATION = {
    "name": "Groen Installatietechniek B.V.",
    "kvk_number": "68750110",
    "fg_name": "mr. Fenna de Vries",
    "fg_email": f"fg@{DOMAIN}",
    "escalation_emails": f"directie@{DOMAIN}, operations@{DOMAIN}",
    "timezone": "Europe/Amsterdam",
}
# key, mailbox, name, role, language
USERS = (
    ("admin", "beheer", "Ruben Groen", "admin", "nl"),
    ("fg", "f.devries", "Fenna de Vries", "officer", "nl"),
    ("officer", "s.bakker", "Sanne Bakker", "officer", "nl"),
    ("reporter", "m.jansen", "Mehmet Jansen", "reporter", "nl"),
    ("viewer", "l.visser", "Lotte Visser", "viewer", "en"),
)
FIXED = "corrective"
PREVENT = "preventive"
D = 24  # hours in a day, for step offsets


class Step(NamedTuple):
    """One act on an incident, `hours` after awareness, by a user key (None: the assignee)."""

    hours: float
    act: str
    by: str | None
    args: dict[str, Any]


def update(hours: float, *, by: str | None = None, **facts: Any) -> Step:
    """Facts learned later (numbers, consequences, cause): an ordinary edit."""
    return Step(hours, "update", by, facts)


def assess(
    hours: float,
    risk: str,
    rationale: str,
    *,
    by: str | None = None,
    dpo: bool | None = None,
    enisa: tuple[float, float, float] | None = None,
    **facts: Any,
) -> Step:
    """The risk assessment; `facts` (cause, consequences) are saved just before it."""
    args = {"risk": risk, "risk_rationale": rationale, "is_dpo_involved": dpo}
    return Step(hours, "assess", by, {**args, "enisa_scores": enisa, "facts": facts})


def not_breach(hours: float, rationale: str, *, by: str | None = None) -> Step:
    """R1: no personal-data breach after all; it stays in the register with its reasons."""
    args = {"risk": "none", "risk_rationale": "", "is_personal_data_breach": False}
    return Step(hours, "assess", by, {**args, "not_breach_rationale": rationale, "facts": {}})


def notify(
    hours: float,
    *,
    by: str | None = None,
    kind: str = "initial",
    provisional: bool = False,
    follows: tuple[str, ...] = (),
    gives: tuple[str, ...] = (),
    delay: str = "",
    note: str = "",
) -> Step:
    """A submission to the AP's meldformulier, recorded with the meldnummer it returned."""
    args = {"kind": kind, "is_provisional": provisional, "follows": list(follows)}
    if gives:
        args["gives"] = list(gives)
    return Step(hours, "notify", by, {**args, "reasons_for_delay": delay, "note": note})


def inform(
    hours: float,
    *,
    reached: int,
    told: str,
    channel: str = "email",
    shortfall: str = "",
    by: str | None = None,
) -> Step:
    """Art. 34: the letter to the people concerned, generated from what they are told
    (`told`, never the internal summary), checked by the officer and then sent."""
    args = {"channel": channel, "people_reached": reached, "told": told}
    return Step(hours, "inform", by, {**args, "shortfall_reason": shortfall})


def exempt(
    hours: float, ground: str, rationale: str, *, public: str = "", by: str | None = None
) -> Step:
    """Art. 34(3): why the people are not informed one by one."""
    args = {"ground": ground, "rationale": rationale, "public_communication": public}
    if public:  # (c): made public on the website just before it is recorded
        args["public_channel"] = "website"
    return Step(hours, "exempt", by, args)


def close(hours: float, evaluation: str = "", *, by: str | None = None) -> Step:
    return Step(hours, "close", by, {"evaluation": evaluation})


WEBSHOP_TOLD = (
    "Via een lek in onze webshop voor onderdelen heeft een aanvaller de gegevens van "
    "klantaccounts gekopieerd, waaronder uw naam, e-mailadres en versleuteld wachtwoord."
)

# "at": where in the year so far the organisation became aware (0..1), or "hours_ago".
# "by": who reported it; "assign": the officer who handles it (assigned two hours later).
# "measures": (kind, text, owner, days after awareness, done). "steps": what followed.
# Everything else is a fact as reported.
SCENARIOS: tuple[dict[str, Any], ...] = (
    # high risk, notified on time; people not informed: the laptop was encrypted (34(3)(a))
    {
        "at": 0.02,
        "by": "reporter",
        "title": "Laptop van HR-adviseur gestolen uit geparkeerde auto",
        "summary": "Bij een tankstation langs de A28 is uit de auto van een HR-adviseur een "
        "laptop gestolen met verzuimdossiers en kopieën van identiteitsbewijzen van "
        "medewerkers. Aangifte is gedaan.",
        "incident_type": "lost_device",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "bsn", "id_copy", "sex_birth"],
        "special_categories": ["health"],
        "subject_categories": ["employees"],
        "people_min": 85,
        "people_max": 85,
        "records_count": 85,
        "is_protected": True,
        "protection_details": "Volledige schijfversleuteling (BitLocker, AES-256) met een "
        "pincode vóór het opstarten; de pincode werd niet bij de laptop bewaard.",
        "assign": "fg",
        "measures": (
            (FIXED, "Laptop op afstand geblokkeerd en gewist via Intune", "IT-beheer", 0.1, True),
            (PREVENT, "Verzuimdossiers alleen nog in het HR-systeem, niet lokaal", "HR", 10, True),
        ),
        "steps": (
            # the meldformulier's own questions, answered: not informed, and why not
            update(
                19,
                by="fg",
                is_ongoing=False,
                is_cross_border=False,
                data_outcomes=["stolen"],
                consequences_confidentiality="Een dief heeft de laptop; door de versleuteling "
                "kan hij de dossiers niet lezen.",
                consequences_availability="Geen: de dossiers staan ook in het HR-systeem.",
                harm_kinds=["immaterial"],
                severity="low",
                other_authorities_notified=False,
                subjects_plan="not",
                subjects_plan_reason="De schijf was volledig versleuteld en de sleutel is niet "
                "gelekt (art. 34 lid 3 sub a AVG).",
            ),
            assess(
                20,
                "high",
                "Gezondheidsgegevens, BSN en kopieën van identiteitsbewijzen van 85 medewerkers. "
                "Zonder versleuteling een hoog risico op identiteitsfraude; de FG adviseert uit "
                "voorzorg te melden.",
                by="fg",
                dpo=True,
                enisa=(3, 1.0, 0.75),
                cause="Laptop zichtbaar in de auto achtergelaten.",
                consequences="Onversleuteld: identiteitsfraude en bekendwording van verzuim- "
                "en gezondheidsgegevens. Door de versleuteling is die kans zeer klein.",
            ),
            notify(30, by="fg"),
            exempt(
                32,
                "unintelligible",
                "De schijf was volledig versleuteld (BitLocker AES-256 met pincode vóór het "
                "opstarten), de sleutel is niet gelekt en de laptop is op afstand gewist: voor "
                "de dief zijn de gegevens onbegrijpelijk (art. 34 lid 3 sub a AVG).",
                by="fg",
            ),
            close(
                14 * D,
                "Na twee weken geen aanwijzing van misbruik; de AP heeft geen vragen gesteld. "
                "De versleuteling bleek doorslaggevend.",
                by="fg",
            ),
        ),
    },
    {
        "at": 0.06,
        "by": "officer",
        "consequences": "De andere klant zag naam, contactgegevens en prijsafspraken; kans op "
        "ongewenste benadering is klein.",
        "title": "Offerte met klantgegevens naar verkeerde klant gemaild",
        "summary": "Een offerte voor een warmtepomp, met naam, adres en telefoonnummer van de "
        "klant, is naar een klant met dezelfde achternaam gestuurd.",
        "how_discovered": "De ontvanger belde zelf om het te melden.",
        "incident_type": "wrong_recipient",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone", "email"],
        "subject_categories": ["customers"],
        "people_min": 1,
        "people_max": 1,
        "assign": "officer",
        "measures": (
            (PREVENT, "Automatisch aanvullen van adressen uitgezet", "IT-beheer", 2, True),
        ),
        "steps": (
            assess(
                20,
                "none",
                "Eén klant, geen gevoelige gegevens; de ontvanger heeft schriftelijk bevestigd "
                "de e-mail te hebben verwijderd.",
                dpo=False,
                cause="Verkeerd adres gekozen uit de automatische aanvulling in Outlook.",
            ),
            close(3 * D),
        ),
    },
    {
        "at": 0.10,
        "by": "officer",
        "consequences": "Contactgegevens van klanten zijn mogelijk ingezien; kans op gerichte "
        "phishing uit naam van ons bedrijf.",
        "title": "Phishing: mailbox van werkvoorbereider overgenomen",
        "summary": "Na een nagemaakte inlogpagina van Microsoft kon een aanvaller 40 minuten "
        "bij de mailbox van een werkvoorbereider en maakte een doorstuurregel aan.",
        "incident_type": "hacking",
        "nature": ["confidentiality", "integrity"],
        "personal_data": ["name_address", "email", "phone", "login"],
        "subject_categories": ["customers", "supplier_contacts"],
        "people_min": 50,
        "people_max": 600,
        "occurred_hours": 26,
        "lasted_hours": 1,
        "assign": "fg",
        "measures": (
            (FIXED, "Wachtwoord gereset, doorstuurregel verwijderd", "IT-beheer", 0, True),
            (PREVENT, "MFA verplicht voor alle accounts", "IT-beheer", 3, True),
            (PREVENT, "Phishingtraining voor het kantoorpersoneel", "HR", 7, False),
        ),
        "steps": (
            assess(
                20,
                "none",
                "Het auditlog van Microsoft 365 toont dat de aanvaller alleen een doorstuurregel "
                "aanmaakte; er zijn geen berichten gelezen of doorgestuurd.",
                by="fg",
                dpo=True,
                enisa=(1, 1.0, 0.5),
                cause="Inloggegevens ingevoerd op een phishingpagina; MFA stond nog uit.",
            ),
            close(8 * D, "MFA staat nu voor iedereen aan; de training volgt.", by="fg"),
        ),
    },
    # risk, notified on time with every part of Art. 33(3), closed
    {
        "at": 0.13,
        "by": "officer",
        "title": "Inloggen met gelekte wachtwoorden op het klantportaal",
        "summary": "Met combinaties van e-mailadres en wachtwoord uit een lek elders is in één "
        "nacht op 212 accounts van het klantportaal ingelogd. De aanvaller kon naam, adres, "
        "telefoonnummer, afspraken en facturen zien.",
        "how_discovered": "De monitoring meldde een piek in inlogpogingen vanaf buitenlandse "
        "IP-adressen.",
        "incident_type": "hacking",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone", "email", "login", "financial"],
        "subject_categories": ["customers"],
        "people_min": 212,
        "people_max": 212,
        "records_count": 212,
        "discovered_hours": 1,
        "occurred_hours": 9,
        "lasted_hours": 6,
        "assign": "officer",
        "measures": (
            (FIXED, "Wachtwoorden van de 212 accounts ongeldig gemaakt", "IT-beheer", 0.1, True),
            (PREVENT, "Tweestapsverificatie en limiet op inlogpogingen", "IT-beheer", 12, True),
        ),
        "steps": (
            assess(
                18,
                "risk",
                "Een aanvaller met kwade bedoelingen zag adressen, afspraken en facturen van 212 "
                "klanten: kans op gerichte phishing. Geen hoog risico: geen bijzondere gegevens "
                "of rekeningnummers, en de wachtwoorden zijn al ongeldig.",
                enisa=(2, 1.0, 0.75),
                cause="Klanten gebruiken hun wachtwoord ook elders; het portaal had geen "
                "tweestapsverificatie en geen limiet op inlogpogingen.",
                consequences="Gerichte phishing of oplichting met kennis van afspraken en "
                "openstaande facturen.",
            ),
            update(
                30,
                is_ongoing=False,
                has_special_categories=False,
                data_outcomes=["read", "copied"],
                consequences_confidentiality="Adressen, afspraken en facturen van 212 klanten "
                "zijn ingezien en mogelijk gekopieerd.",
                harm_kinds=["material", "immaterial"],
                severity="medium",
                is_cross_border=True,
                member_states=["BE"],
                other_authorities=[
                    {
                        "authority": "Gegevensbeschermingsautoriteit",
                        "country": "BE",
                        "reference": "GBA-DL-2231",
                    }
                ],
                subjects_plan="planned",
                subjects_planned_days=2,
                other_remarks="Ook klanten in Vlaanderen zijn getroffen; de Belgische "
                "toezichthouder is ingelicht.",
            ),
            notify(40),
            close(18 * D, "Geen meldingen van misbruik; tweestapsverificatie ingevoerd."),
        ),
    },
    {
        "at": 0.16,
        "by": "officer",
        "consequences": "Ontvangers zagen naam, adres en factuurbedrag van een andere klant; "
        "weinig kans op misbruik.",
        "title": "Facturen in verkeerde enveloppen verstuurd",
        "summary": "Door een papierstoring in de printstraat zijn twaalf facturen in de "
        "envelop van een andere klant beland.",
        "how_discovered": "Twee klanten belden dat ze de factuur van een ander hadden.",
        "incident_type": "wrong_recipient",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "financial"],
        "subject_categories": ["customers"],
        "people_min": 12,
        "people_max": 12,
        "records_count": 12,
        "assign": "officer",
        "measures": (
            (PREVENT, "Controle van de nummering na elke papierstoring", "Administratie", 3, True),
        ),
        "steps": (
            assess(
                20,
                "none",
                "Facturen met naam, adres en bedrag, zonder rekeningnummers van de klanten; "
                "alle ontvangers is gevraagd ze te vernietigen.",
                cause="Nummering na een papierstoring niet gecontroleerd.",
            ),
            close(4 * D),
        ),
    },
    {
        "at": 0.19,
        "by": "admin",
        "cause": "Een conceptbestand stond in de openbare map van de website.",
        "consequences": "Namen, telefoonnummers en e-mailadressen van contactpersonen waren "
        "openbaar; kans op spam en phishing.",
        "title": "Prijslijst met contactpersonen per ongeluk op de website gezet",
        "summary": "Bij een update van de website is de interne prijslijst voor installateurs "
        "gepubliceerd, met namen en telefoonnummers van contactpersonen.",
        "how_discovered": "Een klant vond het bestand via Google.",
        "incident_type": "publication",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone", "email"],
        "subject_categories": ["customers"],
        "people_min": 80,
        "people_max": 80,
        "occurred_hours": 7,
        "lasted_hours": 6,
        "assign": "officer",
        "measures": (
            (FIXED, "Bestand verwijderd, ook uit de cache van Google", "Marketing", 0.2, True),
        ),
        "steps": (
            assess(
                20,
                "none",
                "Zakelijke contactgegevens die grotendeels ook op de sites van de klanten staan; "
                "zes uur online en uit de zoekmachinecache verwijderd.",
            ),
            close(2 * D),
        ),
    },
    {
        "at": 0.22,
        "by": "reporter",
        "consequences": "Een kopie van een identiteitsbewijs op een privételefoon: kans op "
        "identiteitsfraude als de telefoon zoekraakt.",
        "title": "Monteur fotografeerde identiteitsbewijs van klant",
        "summary": "Een monteur heeft bij een machtiging het rijbewijs van de klant "
        "gefotografeerd met zijn zakelijke telefoon.",
        "how_discovered": "De klant diende een klacht in.",
        "incident_type": "other",
        "nature": ["confidentiality"],
        "personal_data": ["id_copy", "name_address", "bsn", "sex_birth"],
        "subject_categories": ["customers"],
        "people_min": 1,
        "people_max": 1,
        "assign": "fg",
        "measures": (
            (FIXED, "Foto verwijderd, ook uit de cloudback-up", "Teamleider service", 0.2, True),
            (PREVENT, "Werkinstructie: identiteit controleren zonder kopie", "FG", 4, False),
        ),
        "steps": (
            assess(
                20,
                "none",
                "De foto stond alleen op de zakelijke telefoon, is niet gedeeld en in bijzijn van "
                "de teamleider verwijderd, ook uit de back-up.",
                by="fg",
                dpo=True,
                cause="Geen werkinstructie voor het controleren van een machtiging.",
            ),
            close(6 * D, by="fg"),
        ),
    },
    {
        "at": 0.26,
        "by": "officer",
        "consequences": "Betaalgegevens waren korte tijd bereikbaar; kans op fraude met "
        "rekeningnummers.",
        "title": "Betaalpartner: export met betaalgegevens onbeveiligd bereikbaar",
        "summary": "Een verkeerd ingestelde dagelijkse export van de betaalpartner stond drie "
        "dagen op een link zonder wachtwoord.",
        "incident_type": "other",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "financial", "email"],
        "subject_categories": ["customers"],
        "people_min": 0,
        "people_max": 1300,
        "records_count": 1300,
        "processor_name": "PayFlow Betalingen B.V.",
        "processor_hours": (30, 0),
        "discovered_hours": 30,
        "occurred_hours": 100,
        "lasted_hours": 70,
        "assign": "fg",
        "measures": (
            (FIXED, "Export achter authenticatie gezet", "PayFlow", 1, True),
            (PREVENT, "Verwerkersovereenkomst: meldtermijn van 24 uur", "Inkoop", 10, False),
        ),
        "steps": (
            assess(
                20,
                "none",
                "De toegangslogboeken van de betaalpartner tonen dat alleen onze eigen koppeling "
                "het bestand heeft opgehaald; de link is ingetrokken.",
                by="fg",
                cause="Fout in de configuratie van de export bij de betaalpartner.",
            ),
            close(12 * D, by="fg"),
        ),
    },
    # first assessed as no risk; the logs showed otherwise: notified late, with the reasons
    {
        "at": 0.30,
        "by": "officer",
        "title": "Opgenomen klantgesprekken toegankelijk voor alle medewerkers",
        "summary": "Sinds de overstap naar een nieuwe telefonieomgeving konden alle "
        "medewerkers, ook die van het externe callcenter, de opgenomen gesprekken van de "
        "klantenservice beluisteren. In een deel van de gesprekken noemen klanten hun "
        "rekeningnummer en geboortedatum voor een financieringsaanvraag.",
        "incident_type": "internal_access",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone", "financial", "sex_birth", "other"],
        "personal_data_details": "Gespreksopnamen van de klantenservice.",
        "subject_categories": ["customers"],
        "people_min": 2000,
        "people_max": 3500,
        "records_count": 9200,
        "occurred_hours": 24 * 60,
        "lasted_hours": 24 * 60,
        "assign": "officer",
        "measures": (
            (FIXED, "Rechten beperkt tot de klantenservice", "IT-beheer", 0.3, True),
            (FIXED, "Accounts van het callcenter geblokkeerd", "IT-beheer", 5, True),
            (PREVENT, "Bewaartermijn van opnamen op 30 dagen gezet", "Klantenservice", 6, False),
        ),
        "steps": (
            assess(
                20,
                "none",
                "Voor zover nu bekend alleen eigen medewerkers met geheimhoudingsplicht; de "
                "telefonieleverancier levert de logboeken na.",
                cause="Telefonie ingericht met de standaardrechten 'iedereen'.",
            ),
            assess(
                5 * D + 4,
                "risk",
                "De logboeken tonen dat twee accounts van het externe callcenter zonder reden "
                "37 gesprekken met rekeningnummers beluisterden. Misbruik voor oplichting is "
                "niet uit te sluiten.",
                by="fg",
                dpo=True,
                consequences="Oplichting of phishing met rekeningnummer en geboortedatum.",
            ),
            notify(
                5 * D + 22,
                by="fg",
                delay="De eerste beoordeling ging uit van toegang door eigen medewerkers met "
                "geheimhoudingsplicht. De logboeken van de telefonieleverancier kwamen pas na "
                "vijf dagen; toen bleek dat accounts van het externe callcenter opnamen hadden "
                "beluisterd. Binnen een dag daarna is gemeld.",
            ),
            close(
                20 * D,
                "Het callcenter verklaarde schriftelijk geen opnamen te hebben bewaard; de "
                "verwerkersovereenkomst is aangescherpt. Les: logboeken meteen opvragen, vóór "
                "de eerste beoordeling.",
                by="fg",
            ),
        ),
    },
    {
        "at": 0.34,
        "by": "reporter",
        "cause": "Twee pakbonnen zijn bij het inpakken verwisseld.",
        "consequences": "De ontvanger zag naam, adres en bestelde artikelen van een andere klant.",
        "measures": ((FIXED, "Pakbon opgehaald en vernietigd", "Logistiek", 0.5, True),),
        "title": "Pakbon bij de verkeerde klant afgeleverd",
        "summary": "Een pakbon met naam, adres en telefoonnummer zat bij de levering voor "
        "een buurman.",
        "incident_type": "wrong_recipient",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone"],
        "subject_categories": ["customers"],
        "people_min": 1,
        "people_max": 1,
        "assign": "officer",
        "steps": (
            assess(
                20,
                "none",
                "Eén pakbon zonder gevoelige gegevens; de ontvanger gaf hem dezelfde dag terug "
                "aan de chauffeur.",
            ),
            close(1 * D),
        ),
    },
    {
        "at": 0.38,
        "by": "officer",
        "title": "USB-stick kwijtgeraakt op de Vakbeurs Installatie",
        "summary": "Een medewerker verloor op de beurs een USB-stick met presentaties.",
        "incident_type": "lost_device",
        "assign": "officer",
        "steps": (
            not_breach(
                20,
                "Op de stick stonden alleen productfolders en presentaties zonder "
                "persoonsgegevens; gecontroleerd met de kopie op de beurslaptop.",
            ),
            close(2 * D),
        ),
    },
    {
        "at": 0.42,
        "by": "officer",
        "consequences": "Alle ontvangers zagen elkaars e-mailadres; kans op spam en op "
        "ongewenste contacten.",
        "title": "Nieuwsbrief verstuurd met adressen in CC in plaats van BCC",
        "summary": "De voorjaarsnieuwsbrief is uit Outlook verstuurd met 240 ontvangers "
        "zichtbaar in het CC-veld.",
        "incident_type": "wrong_recipient",
        "nature": ["confidentiality"],
        "personal_data": ["email"],
        "subject_categories": ["customers", "prospects"],
        "people_min": 240,
        "people_max": 240,
        "assign": "fg",
        "measures": (
            (PREVENT, "Nieuwsbrieven alleen nog via het mailingplatform", "Marketing", 1, True),
        ),
        "steps": (
            assess(
                20,
                "none",
                "Alleen zakelijke e-mailadressen, veelal algemene adressen; ontvangers is "
                "gevraagd de e-mail te verwijderen.",
                by="fg",
                cause="Nieuwsbrief handmatig verstuurd omdat het mailingplatform haperde.",
            ),
            close(3 * D, by="fg"),
        ),
    },
    # provisional notification with parts to follow (Art. 33(4)), then the supplement
    {
        "at": 0.44,
        "by": "reporter",
        "title": "Inbraak op de vestiging Zwolle: archiefkast doorzocht",
        "summary": "'s Nachts is ingebroken op de vestiging Zwolle. Twee laptops en een nog "
        "onbekend aantal ordners uit de archiefkast van de binnendienst zijn meegenomen. De "
        "politie heeft sporen veiliggesteld.",
        "how_discovered": "Melding van de alarmcentrale; de vestigingsmanager trof de schade aan.",
        "incident_type": "lost_device",
        "nature": ["confidentiality", "availability"],
        "personal_data": ["name_address", "phone", "email", "financial"],
        "subject_categories": ["customers"],
        "is_protected": True,
        "protection_details": "De laptops zijn versleuteld (BitLocker); de ordners niet.",
        "discovered_hours": 1,
        "occurred_hours": 5,
        "assign": "fg",
        "measures": (
            (FIXED, "Laptops op afstand gewist", "IT-beheer", 0.1, True),
            (FIXED, "Archiefkast nagelopen tegen de orders", "Binnendienst", 4, True),
            (PREVENT, "Archief Zwolle gedigitaliseerd", "Operations", 20, False),
        ),
        "steps": (
            assess(
                22,
                "risk",
                "Nog onbekend welke ordners zijn meegenomen; ze kunnen servicecontracten met "
                "rekeningnummers bevatten. Uit voorzorg voorlopig melden.",
                by="fg",
                dpo=True,
                cause="Inbraak; de archiefkast was niet op slot.",
            ),
            notify(
                30,
                by="fg",
                provisional=True,
                follows=("subjects", "records", "consequences"),
                note="Voorlopige melding: de inventarisatie van het archief loopt nog.",
            ),
            update(
                4 * D + 5,
                by="fg",
                people_min=40,
                people_max=40,
                records_count=40,
                consequences="Oplichting of ongewenste incasso met naam, adres en "
                "rekeningnummer; geen identiteitsbewijzen of bijzondere gegevens.",
            ),
            notify(
                4 * D + 6,
                by="fg",
                kind="supplement",
                gives=("subjects", "records", "consequences"),
                note="Aanvulling: na inventarisatie ontbreken twee ordners met 40 "
                "servicecontracten (naam, adres, telefoon, rekeningnummer voor de incasso). "
                "Het risico blijft; geen hoog risico.",
            ),
            inform(
                4 * D + 8,
                channel="letter",
                reached=40,
                told="Bij een inbraak in ons kantoor in Zwolle zijn twee ordners met "
                "servicecontracten meegenomen, waaronder het uwe.",
                by="fg",
            ),
            close(
                21 * D,
                "De 40 klanten zijn uit zorgvuldigheid per brief geïnformeerd, hoewel dat bij "
                "dit risico niet verplicht was. De ordners zijn niet teruggevonden.",
                by="fg",
            ),
        ),
    },
    {
        "at": 0.47,
        "by": "admin",
        "consequences": "Als de schijven worden uitgelezen: klantgegevens en interne mail bij "
        "onbekenden.",
        "title": "Oude werkplekken afgevoerd zonder de schijven te wissen",
        "summary": "Acht afgeschreven pc's zijn met schijf en al aan een recycler meegegeven.",
        "incident_type": "disposal",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "email", "phone", "login"],
        "subject_categories": ["employees", "customers"],
        "people_min": 0,
        "people_max": 5000,
        "assign": "officer",
        "measures": (
            (FIXED, "Schijven teruggehaald en vernietigd", "IT-beheer", 1, True),
            (PREVENT, "Afvoer alleen na wissen volgens NIST 800-88", "IT-beheer", 5, True),
        ),
        "steps": (
            assess(
                20,
                "none",
                "De pc's stonden nog in de opslag van de recycler; de schijven zijn teruggehaald "
                "en onder toezicht vernietigd (certificaat ontvangen).",
                cause="Afvoerprocedure niet gevolgd bij een drukke verhuizing.",
            ),
            close(6 * D),
        ),
    },
    # high risk at a processor: notified on time, everyone informed by e-mail, closed
    {
        "at": 0.49,
        "by": "admin",
        "title": "Webshop voor onderdelen gehackt: klantaccounts gekopieerd",
        "summary": "Via een lek in een verouderde plug-in heeft een aanvaller de klantentabel "
        "van de onderdelenwebshop gekopieerd: naam, adres, e-mailadres, telefoonnummer, "
        "bestelhistorie en wachtwoorden (MD5-hash zonder salt).",
        "how_discovered": "Het webbureau zag een onbekend beheerdersaccount en verkeer naar een "
        "buitenlandse server.",
        "incident_type": "hacking",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "email", "phone", "login", "other"],
        "personal_data_details": "Bestelhistorie van de webshop.",
        "subject_categories": ["customers"],
        "people_min": 3100,
        "people_max": 3100,
        "records_count": 3100,
        "processor_name": "Pixelwerk Webbureau B.V.",
        "processor_hours": (20, 0),
        "discovered_hours": 20,
        "occurred_hours": 24 * 9,
        "lasted_hours": 24 * 8,
        "assign": "fg",
        "measures": (
            (FIXED, "Plug-in verwijderd, beheerdersaccount geblokkeerd", "Pixelwerk", 0.1, True),
            (FIXED, "Alle wachtwoorden van de webshop ongeldig gemaakt", "Pixelwerk", 0.5, True),
            (PREVENT, "Argon2 voor wachtwoorden, patchtermijn", "IT-beheer", 14, True),
        ),
        "steps": (
            assess(
                16,
                "high",
                "Wachtwoorden met een zwakke hash zijn snel te kraken en klanten gebruiken ze "
                "vaak ook elders; met naam, adres en bestelhistorie is gerichte phishing "
                "eenvoudig. Hoog risico voor 3.100 klanten.",
                by="fg",
                dpo=True,
                enisa=(2, 1.0, 1.0),
                cause="Verouderde plug-in met een bekend lek; wachtwoorden met MD5 opgeslagen.",
                consequences="Overname van accounts elders met hetzelfde wachtwoord; gerichte "
                "phishing met kennis van bestellingen.",
            ),
            notify(26, by="fg"),
            inform(
                40,
                channel="email",
                reached=3064,
                told=WEBSHOP_TOLD,
                shortfall="Van 36 klanten bounce de e-mail; zij krijgen de brief per post.",
                by="fg",
            ),
            inform(
                5 * D,
                channel="letter",
                reached=36,
                told=WEBSHOP_TOLD,
                shortfall="De overige 3.064 klanten kregen het bericht al per e-mail.",
                by="fg",
            ),
            close(
                16 * D,
                "Alle klanten geïnformeerd: 3.064 per e-mail, de 36 onbestelbare adressen per "
                "brief. Geen meldingen van misbruik. De verwerkersovereenkomst met het "
                "webbureau heeft nu een patchtermijn.",
                by="fg",
            ),
        ),
    },
    {
        "at": 0.51,
        "by": "officer",
        "consequences": "Eén klant zag naam, adres en werkbon van een andere klant.",
        "measures": (
            (FIXED, "Koppeling tussen klantaccounts en werkbonnen hersteld", "IT-beheer", 1, True),
        ),
        "title": "Klant zag in het klantportaal de werkbon van een andere klant",
        "summary": "Na een update van het klantportaal toonde de pagina 'mijn afspraken' "
        "kort de werkbonnen van drie andere klanten.",
        "incident_type": "other",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone"],
        "subject_categories": ["customers"],
        "people_min": 3,
        "people_max": 3,
        "lasted_hours": 2,
        "occurred_hours": 3,
        "assign": "officer",
        "steps": (
            assess(
                20,
                "none",
                "Drie werkbonnen met naam, adres en klus, twee uur zichtbaar voor één ingelogde "
                "klant; geen gevoelige gegevens.",
                cause="Fout in de cache van het klantportaal na een update.",
            ),
            close(3 * D),
        ),
    },
    {
        "at": 0.55,
        "by": "reporter",
        "cause": "Papieren werkbonnen lagen zichtbaar in een onafgesloten bus.",
        "consequences": "Naam, adres en telefoonnummer van klanten in handen van de dief; kans "
        "op misbruik is klein.",
        "title": "Inbraak in servicebus: map met papieren werkbonnen gestolen",
        "summary": "Bij een inbraak in een servicebus is een map met werkbonnen van die week "
        "meegenomen. Aangifte is gedaan.",
        "incident_type": "lost_device",
        "nature": ["confidentiality", "availability"],
        "personal_data": ["name_address", "phone"],
        "subject_categories": ["customers"],
        "people_min": 15,
        "people_max": 25,
        "discovered_hours": 1,
        "occurred_hours": 10,
        "assign": "officer",
        "measures": (
            (FIXED, "Klanten van de gestolen werkbonnen gebeld", "Binnendienst", 1, True),
            (PREVENT, "Werkbonnen alleen nog digitaal op de tablet", "Operations", 14, False),
        ),
        "steps": (
            assess(
                20,
                "none",
                "Naam, adres, telefoon en omschrijving van de klus; geen gevoelige gegevens en "
                "geen aanwijzing dat de dader het op de map had gemunt.",
            ),
            close(5 * D),
        ),
    },
    # high risk, too many people out of reach: a public communication instead (34(3)(c))
    {
        "at": 0.57,
        "by": "officer",
        "title": "Archiefdozen met oude financieringsdossiers kwijt na verhuizing",
        "summary": "Bij de verhuizing van het archief naar een externe opslag zijn veertien "
        "dozen met financieringsdossiers uit 2012-2016 zoekgeraakt: aanvraagformulieren met "
        "naam, adres, geboortedatum, rekeningnummer en kopie van het identiteitsbewijs.",
        "how_discovered": "Bij de controle van de inventarislijst in de nieuwe opslag "
        "ontbraken veertien dozen.",
        "incident_type": "lost_device",
        "nature": ["confidentiality", "availability"],
        "personal_data": ["name_address", "sex_birth", "financial", "id_copy"],
        "subject_categories": ["customers"],
        "people_min": 1800,
        "people_max": 2600,
        "records_count": 2600,
        "processor_name": "Verhuisgroep Oost B.V.",
        "processor_hours": (30, 0),
        "discovered_hours": 30,
        "occurred_hours": 24 * 6,
        "assign": "fg",
        "measures": (
            (FIXED, "Zoekactie in de depots van de verhuizer", "Verhuisgroep Oost", 1, False),
            (FIXED, "Centraal Meldpunt Identiteitsfraude ingelicht", "FG", 2, True),
            (PREVENT, "Dossiers voorbij de bewaartermijn vernietigd", "Administratie", 15, False),
        ),
        "steps": (
            assess(
                20,
                "high",
                "Kopieën van identiteitsbewijzen met geboortedatum en rekeningnummer: groot "
                "risico op identiteitsfraude als de dozen in verkeerde handen vallen.",
                by="fg",
                dpo=True,
                enisa=(3, 1.0, 0.5),
                cause="Geen inventarislijst per doos bij de overdracht aan de verhuizer.",
                consequences="Identiteitsfraude met de kopieën van identiteitsbewijzen; "
                "oplichting met rekeningnummers.",
            ),
            notify(44, by="fg"),
            exempt(
                4 * D,
                "disproportionate",
                "De dossiers zijn acht tot twaalf jaar oud; van naar schatting 70% van deze "
                "oud-klanten is het adres niet meer actueel en e-mailadressen zijn niet "
                "bekend. Iedereen persoonlijk bereiken vergt een onevenredige inspanning "
                "(art. 34 lid 3 sub c AVG).",
                public="Bericht op groen-installatietechniek.example/datalek en advertenties "
                "in De Stentor en De Gelderlander: wat er is gebeurd, om welke jaren en "
                "gegevens het gaat, wat u zelf kunt doen, en een telefoonnummer voor vragen.",
                by="fg",
            ),
        ),
    },
    {
        "at": 0.60,
        "by": "fg",
        "cause": "Ruime leesrechten in het CRM voor alle medewerkers.",
        "consequences": "Het adres van één klant is buiten het werk om ingezien; de buurman "
        "kan zich onveilig voelen.",
        "title": "Medewerker zocht het adres van een buurman op in het CRM",
        "summary": "Een medewerker binnendienst heeft voor privédoeleinden gegevens van een "
        "buurman in het CRM bekeken.",
        "incident_type": "internal_access",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone"],
        "subject_categories": ["customers"],
        "people_min": 1,
        "people_max": 1,
        "assign": "fg",
        "measures": (
            (FIXED, "Gesprek met de medewerker en schriftelijke waarschuwing", "HR", 2, True),
            (PREVENT, "Maandelijkse steekproef op zoekopdrachten in het CRM", "FG", 7, False),
        ),
        "steps": (
            assess(
                20,
                "none",
                "Eén persoon; de medewerker heeft de gegevens niet gedeeld of gebruikt. "
                "Arbeidsrechtelijke maatregel getroffen.",
            ),
            close(10 * D),
        ),
    },
    {
        "at": 0.64,
        "by": "officer",
        "cause": "Autocomplete koos de verkeerde collega bij het mailen van loonstroken.",
        "consequences": "Een collega zag salaris en BSN van een ander; kans op ongemak en "
        "misbruik is beperkt.",
        "measures": ((FIXED, "Ontvanger heeft de mail aantoonbaar verwijderd", "HR", 0.5, True),),
        "title": "Loonstroken per e-mail naar de verkeerde collega",
        "summary": "De loonstroken van vier monteurs zijn naar een collega van de "
        "planning gestuurd in plaats van naar de teamleider.",
        "incident_type": "wrong_recipient",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "financial", "bsn"],
        "subject_categories": ["employees"],
        "people_min": 4,
        "people_max": 4,
        "assign": "fg",
        "steps": (
            assess(
                20,
                "none",
                "De ontvanger heeft geheimhoudingsplicht, meldde het direct en verwijderde de "
                "e-mail; IT heeft de verwijdering gecontroleerd.",
                dpo=True,
            ),
            close(2 * D),
        ),
    },
    # notified as a risk, then found to hold no personal data: withdrawn, marked, closed
    {
        "at": 0.66,
        "by": "officer",
        "title": "Klantbestand uit CRM-testomgeving op openbare opslag gevonden",
        "summary": "Een beveiligingsonderzoeker meldde dat een export uit de testomgeving van "
        "ons CRM zonder wachtwoord in een openbare cloudopslag van de implementatiepartner "
        "stond: 12.000 regels met namen, adressen en telefoonnummers.",
        "how_discovered": "Melding van een beveiligingsonderzoeker (responsible disclosure).",
        "incident_type": "publication",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone", "email"],
        "subject_categories": ["customers"],
        "people_min": 0,
        "people_max": 12000,
        "records_count": 12000,
        "assign": "officer",
        "measures": (
            (FIXED, "Opslag afgesloten en export verwijderd", "CRM-partner", 0.2, True),
            (PREVENT, "Exports naar testomgevingen via de FG", "IT-beheer", 10, True),
        ),
        "steps": (
            assess(
                14,
                "risk",
                "Zolang niet vaststaat of het echte klantgegevens zijn, gaan we uit van het "
                "ergste: contactgegevens van tot 12.000 klanten openbaar, kans op phishing.",
                cause="Export naar een testomgeving zonder afspraken over beveiliging.",
                consequences="Als het echte gegevens zijn: phishing en ongewenste benadering.",
            ),
            notify(
                24,
                provisional=True,
                follows=("consequences",),
                note="Voorlopig: onderzocht wordt of het om echte klantgegevens gaat.",
            ),
            notify(
                3 * D + 4,
                by="fg",
                kind="withdrawal",
                note="Intrekking: de export bevat uitsluitend testgegevens die de CRM-software "
                "zelf genereert; geen regel komt overeen met onze klantadministratie.",
            ),
            not_breach(
                3 * D + 5,
                "IT en de implementatiepartner hebben alle 12.000 regels vergeleken met de "
                "klantadministratie: het zijn gegenereerde testgegevens (fictieve namen, "
                "niet-bestaande adressen). Geen persoonsgegevens, dus geen datalek; de melding "
                "bij de AP is ingetrokken.",
                by="fg",
            ),
            close(4 * D, "Melding ingetrokken; afspraken over testomgevingen vastgelegd."),
        ),
    },
    {
        "at": 0.69,
        "by": "admin",
        "cause": "Een storing bij de IT-leverancier liet de back-ups mislukken.",
        "consequences": "Drie dagen geen herstelpunt; bij uitval had klantwerk verloren kunnen "
        "gaan.",
        "measures": ((FIXED, "Back-ups hervat en hersteltest gedaan", "IT-leverancier", 3, True),),
        "title": "Storing bij IT-leverancier: back-ups drie dagen niet beschikbaar",
        "summary": "Door een storing bij de hostingpartij waren de back-ups van het ERP-systeem "
        "drie dagen niet terug te zetten.",
        "incident_type": "other",
        "nature": ["availability"],
        "personal_data": ["name_address", "email", "phone", "financial"],
        "subject_categories": ["customers", "employees"],
        "people_min": 0,
        "people_max": 6000,
        "processor_name": "CloudWerk Hosting B.V.",
        "processor_hours": (50, 0),
        "discovered_hours": 50,
        "occurred_hours": 52,
        "assign": "officer",
        "steps": (
            assess(
                20,
                "none",
                "Alleen de back-ups waren tijdelijk onbereikbaar; de gegevens in productie waren "
                "steeds beschikbaar en intact.",
                enisa=(1, 1.0, 0.25),
            ),
            close(5 * D),
        ),
    },
    {
        "at": 0.74,
        "by": "reporter",
        "cause": "Een fout in de app van de bezorgpartner toonde foto's aan verkeerde ontvangers.",
        "consequences": "Ontvangers zagen de voordeur en het adres van anderen; weinig kans op "
        "misbruik.",
        "measures": (
            (FIXED, "Bezorgpartner heeft de foto-functie uitgezet", "Bezorgpartner", 1, True),
        ),
        "title": "Bezorgpartner toonde afleverfoto's aan verkeerde ontvangers",
        "summary": "In de track-and-trace-app van de bezorgpartner zagen klanten een dag lang "
        "de afleverfoto van een andere zending, met huisnummer en voordeur.",
        "incident_type": "other",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "location"],
        "subject_categories": ["customers"],
        "people_min": 30,
        "people_max": 30,
        "processor_name": "Snelpakket Logistiek B.V.",
        "processor_hours": (20, 0),
        "discovered_hours": 20,
        "occurred_hours": 30,
        "assign": "officer",
        "steps": (
            assess(
                20,
                "none",
                "Foto's van voordeuren zonder naam; de bezorgpartner heeft de fout binnen een "
                "dag hersteld.",
            ),
            close(4 * D),
        ),
    },
    {
        "at": 0.79,
        "by": "admin",
        "cause": "De printer is teruggestuurd zonder het geheugen te wissen.",
        "consequences": "Gescande documenten met klantgegevens bij de leasemaatschappij; die "
        "wist ze volgens afspraak.",
        "measures": (
            (FIXED, "Leasemaatschappij bevestigde het wissen van het geheugen", "Inkoop", 2, True),
        ),
        "title": "Geleasede printer met opgeslagen scans teruggestuurd",
        "summary": "Een multifunctional is aan de leasemaatschappij teruggegeven zonder het "
        "geheugen met gescande identiteitsbewijzen te wissen.",
        "incident_type": "disposal",
        "nature": ["confidentiality"],
        "personal_data": ["id_copy", "name_address"],
        "subject_categories": ["customers", "employees"],
        "people_min": 10,
        "people_max": 60,
        "assign": "fg",
        "steps": (
            assess(
                20,
                "none",
                "De leasemaatschappij heeft het geheugen bij ontvangst gewist en dat "
                "schriftelijk bevestigd; het apparaat is niet doorgeleverd.",
                dpo=True,
            ),
            close(3 * D),
        ),
    },
    {
        "at": 0.84,
        "by": "fg",
        "consequences": "Een oud-medewerker heeft contactgegevens van klanten; kans op "
        "ongewenste benadering door een concurrent.",
        "title": "Klantenlijst gemaild naar privéadres van vertrekkende verkoper",
        "summary": "Een verkoper stuurde in zijn laatste week een export van zijn klanten naar "
        "zijn privé-e-mailadres.",
        "incident_type": "internal_access",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "email", "phone"],
        "subject_categories": ["customers"],
        "people_min": 320,
        "people_max": 320,
        "assign": "fg",
        "measures": (
            (PREVENT, "Export uit het CRM alleen voor teamleiders", "IT-beheer", 3, True),
        ),
        "steps": (
            assess(
                20,
                "none",
                "Zakelijke contactgegevens; de verkoper heeft schriftelijk verklaard de lijst te "
                "hebben verwijderd en is gebonden aan geheimhouding.",
                cause="Export uit het CRM stond open voor alle verkopers.",
            ),
            close(5 * D),
        ),
    },
    # assessed, not closed yet
    {
        "at": 0.92,
        "by": "officer",
        "title": "Onderhoudshistorie van andere klant als bijlage meegestuurd",
        "summary": "Bij een onderhoudsbevestiging is de historie van een andere klant "
        "meegestuurd.",
        "incident_type": "wrong_recipient",
        "nature": ["confidentiality"],
        "personal_data": ["name_address"],
        "subject_categories": ["customers"],
        "people_min": 1,
        "people_max": 1,
        "assign": "officer",
        "steps": (
            assess(
                20,
                "none",
                "Eén klant, alleen adres en onderhoudsbeurten; de ontvanger heeft de bijlage "
                "verwijderd.",
            ),
        ),
    },
    {
        "at": 0.97,
        "by": "officer",
        "title": "Phishingmail aan klanten uit naam van Groen Installatietechniek",
        "summary": "Klanten ontvingen een valse betaalherinnering met ons logo, verstuurd vanaf "
        "een domein dat op het onze lijkt.",
        "incident_type": "hacking",
        "assign": "fg",
        "steps": (
            not_breach(
                20,
                "Onze systemen zijn niet geraakt: de afzender gebruikte openbare adressen en een "
                "nagemaakt domein. Wel klanten gewaarschuwd.",
            ),
            close(2 * D),
        ),
    },
    # the last days: reports whose clock is still running, or has run out
    {
        "hours_ago": 80,
        "by": "officer",
        "title": "Sollicitatie-cv's op gedeelde schijf voor iedereen leesbaar",
        "summary": "De map met sollicitaties van het afgelopen jaar stond op de gedeelde "
        "schijf zonder beperking van de rechten.",
        "incident_type": "internal_access",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "email", "phone", "sex_birth", "other"],
        "personal_data_details": "Cv's en motivatiebrieven.",
        "subject_categories": ["applicants"],
        "people_min": 40,
        "people_max": 65,
        "occurred_hours": 24 * 200,
        "assign": "officer",
    },
    {
        "hours_ago": 63,
        "by": "reporter",
        "title": "Werkbon met medische indicatie naar verkeerde onderaannemer gemaild",
        "summary": "Een werkvoorbereider mailde de werkbon voor een Wmo-woningaanpassing "
        "(verwarming en ventilatie), met de medische indicatie van de gemeente als bijlage, "
        "naar de verkeerde onderaannemer.",
        "incident_type": "wrong_recipient",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone", "sex_birth"],
        "special_categories": ["health"],
        "subject_categories": ["customers"],
        "people_min": 1,
        "people_max": 1,
        "assign": "officer",
    },
    {
        "hours_ago": 52,
        "by": "officer",
        "title": "Planningslijst van routeplanner gelekt via gedeelde link",
        "summary": "De routeplanner deelde de planningslijst van deze week via een openbare "
        "link, die op een forum is geplaatst.",
        "incident_type": "publication",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone", "location"],
        "subject_categories": ["customers"],
        "people_min": 180,
        "people_max": 220,
        "processor_name": "RouteSlim Planning B.V.",
        "processor_hours": (8, 0),
        "discovered_hours": 8,
        "occurred_hours": 30,
        "assign": "fg",
        "measures": (
            (FIXED, "Link ingetrokken, forumbericht verwijderd", "RouteSlim", 0.2, True),
        ),
        "steps": (
            assess(
                20,
                "risk",
                "Adressen met de tijdvakken waarin klanten niet thuis zijn, openbaar op een "
                "forum; misbruik voor inbraak is niet uit te sluiten.",
                by="fg",
                dpo=True,
            ),
        ),
    },
    # ransomware at the hosting provider: high risk, provisionally notified within hours
    {
        "hours_ago": 30,
        "by": "admin",
        "title": "Ransomware bij IT-leverancier: servers met klantdossiers versleuteld",
        "summary": "De hostingpartij meldt een ransomware-aanval op de omgeving waarin ons "
        "ERP-systeem draait. De aanvaller claimt gegevens te hebben gekopieerd.",
        "incident_type": "ransomware",
        "nature": ["confidentiality", "availability"],
        "personal_data": ["name_address", "email", "phone", "financial", "id_copy"],
        "subject_categories": ["customers", "employees"],
        "people_min": 4000,
        "people_max": 6500,
        "is_ongoing": True,
        "processor_name": "CloudWerk Hosting B.V.",
        "processor_hours": (10, 0),
        "discovered_hours": 10,
        "occurred_hours": 14,
        "assign": "fg",
        "measures": (
            (FIXED, "Koppelingen verbroken, wachtwoorden vervangen", "IT-beheer", 0.1, True),
            (FIXED, "Forensisch tussenrapport opgevraagd", "FG", 0.5, False),
        ),
        "steps": (
            assess(
                6,
                "high",
                "Volgens de leverancier zijn gegevens geëxfiltreerd, waaronder kopieën van "
                "identiteitsbewijzen: grote kans op identiteitsfraude.",
                by="fg",
                dpo=True,
                enisa=(3, 1.0, 1.0),
                consequences="Identiteitsfraude, phishing en afpersing met gepubliceerde "
                "gegevens; het ERP-systeem is onbereikbaar.",
            ),
            notify(
                20,
                by="fg",
                provisional=True,
                follows=("records",),
                note="Voorlopige melding: de leverancier onderzoekt welke gegevens zijn "
                "geëxfiltreerd; de aantallen volgen.",
            ),
        ),
    },
    {
        "hours_ago": 5,
        "by": "reporter",
        "title": "Telefoon van servicemonteur gestolen uit de bus",
        "summary": "Tijdens een klus is de zakelijke telefoon uit de bus gestolen. Op de "
        "telefoon staan de werkbonnen van vandaag en de zakelijke mail.",
        "incident_type": "lost_device",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone", "email"],
        "subject_categories": ["customers"],
        "people_min": 20,
        "people_max": 150,
    },
)
