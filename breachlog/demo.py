"""A demo organisation with its users and a year of realistic breaches, made through the services.

Every act (report, assignment, assessment, measure) happens at its own moment in the
past, in order, so the history tab and the audit chain read like a real year.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa

from .auth import services as auth
from .auth.models import User
from .domain.deadlines import to_local, zone
from .domain.errors import N_, Problem, RuleViolation
from .extensions import db
from .incidents import services as incidents
from .incidents.models import EDITABLE_FIELDS, Incident
from .orgs import services as orgs
from .orgs.models import Organisation

ACTOR = "demo"
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

# "at": where in the year so far the organisation became aware (0..1), or "hours_ago".
# "assess": the assignee's later changes; "measures": (kind, text, owner, days after, done).
# Everything else is a fact as reported.
INCIDENTS: tuple[dict[str, Any], ...] = (
    {
        "at": 0.02,
        "by": "reporter",
        "title": "Laptop van accountmanager verloren in de trein",
        "summary": "Bij een overstap in Utrecht is een laptop met de offertemap en het "
        "klantenbestand van de regio Midden in het bagagerek blijven liggen.",
        "incident_type": "lost_device",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone", "email"],
        "subject_categories": ["customers"],
        "people_min": 150,
        "people_max": 400,
        "records_count": 400,
        "is_protected": True,
        "protection_details": "Volledige schijfversleuteling (BitLocker) met pincode.",
        "assign": "fg",
        "assess": {
            "risk": "none",
            "risk_rationale": "De schijf is volledig versleuteld en de laptop is binnen twee "
            "uur op afstand gewist; een vinder kan de gegevens niet lezen.",
            "cause": "Laptop in het bagagerek laten liggen bij een overstap.",
            "is_dpo_involved": True,
        },
        "measures": (
            (FIXED, "Laptop op afstand gewist en geblokkeerd via Intune", "IT-beheer", 0.1, True),
            (PREVENT, "Bericht aan alle medewerkers over apparaten onderweg", "FG", 5, True),
        ),
    },
    {
        "at": 0.06,
        "by": "officer",
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
        "assess": {
            "risk": "none",
            "risk_rationale": "Eén klant, geen gevoelige gegevens; de ontvanger heeft "
            "schriftelijk bevestigd de e-mail te hebben verwijderd.",
            "cause": "Verkeerd adres gekozen uit de automatische aanvulling in Outlook.",
        },
        "measures": (
            (PREVENT, "Automatisch aanvullen van adressen uitgezet", "IT-beheer", 2, True),
        ),
    },
    {
        "at": 0.10,
        "by": "officer",
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
        "assess": {
            "risk": "none",
            "risk_rationale": "Het auditlog van Microsoft 365 toont dat de aanvaller alleen een "
            "doorstuurregel aanmaakte; er zijn geen berichten gelezen of doorgestuurd.",
            "cause": "Inloggegevens ingevoerd op een phishingpagina; MFA stond nog uit.",
            "is_dpo_involved": True,
        },
        "measures": (
            (FIXED, "Wachtwoord gereset, doorstuurregel verwijderd", "IT-beheer", 0, True),
            (PREVENT, "MFA verplicht voor alle accounts", "IT-beheer", 3, True),
            (PREVENT, "Phishingtraining voor het kantoorpersoneel", "HR", 7, False),
        ),
    },
    {
        "at": 0.14,
        "by": "officer",
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
        "assess": {
            "risk": "none",
            "risk_rationale": "Facturen met naam, adres en bedrag, zonder rekeningnummers van "
            "de klanten; alle ontvangers is gevraagd ze te vernietigen.",
            "cause": "Nummering na een papierstoring niet gecontroleerd.",
        },
        "measures": (
            (PREVENT, "Controle van de nummering na elke papierstoring", "Administratie", 3, True),
        ),
    },
    {
        "at": 0.18,
        "by": "admin",
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
        "assess": {
            "risk": "none",
            "risk_rationale": "Zakelijke contactgegevens die grotendeels ook op de sites van de "
            "klanten staan; zes uur online en uit de zoekmachinecache verwijderd.",
        },
        "measures": (
            (FIXED, "Bestand verwijderd, ook uit de cache van Google", "Marketing", 0.2, True),
        ),
    },
    {
        "at": 0.22,
        "by": "reporter",
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
        "assess": {
            "risk": "none",
            "risk_rationale": "De foto stond alleen op de zakelijke telefoon, is niet gedeeld en "
            "in bijzijn van de teamleider verwijderd, ook uit de back-up.",
            "cause": "Geen werkinstructie voor het controleren van een machtiging.",
            "is_dpo_involved": True,
        },
        "measures": (
            (FIXED, "Foto verwijderd, ook uit de cloudback-up", "Teamleider service", 0.2, True),
            (PREVENT, "Werkinstructie: identiteit controleren zonder kopie", "FG", 4, False),
        ),
    },
    {
        "at": 0.26,
        "by": "officer",
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
        "processor_hours": (30, 4),
        "discovered_hours": 30,
        "occurred_hours": 100,
        "lasted_hours": 70,
        "assign": "fg",
        "assess": {
            "risk": "none",
            "risk_rationale": "De toegangslogboeken van de betaalpartner tonen dat alleen onze "
            "eigen koppeling het bestand heeft opgehaald; de link is ingetrokken.",
            "cause": "Fout in de configuratie van de export bij de betaalpartner.",
        },
        "measures": (
            (FIXED, "Export achter authenticatie gezet", "PayFlow", 1, True),
            (PREVENT, "Verwerkersovereenkomst: meldtermijn van 24 uur", "Inkoop", 10, False),
        ),
    },
    {
        "at": 0.30,
        "by": "officer",
        "title": "Opgenomen klantgesprekken toegankelijk voor alle medewerkers",
        "summary": "Sinds de overstap naar een nieuwe telefonieomgeving konden alle "
        "medewerkers de opgenomen gesprekken van de klantenservice beluisteren.",
        "incident_type": "internal_access",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone", "financial", "other"],
        "personal_data_details": "Gespreksopnamen van de klantenservice.",
        "subject_categories": ["customers"],
        "people_min": 2000,
        "people_max": 3500,
        "records_count": 9200,
        "occurred_hours": 24 * 60,
        "lasted_hours": 24 * 60,
        "assign": "officer",
        "assess": {
            "risk": "none",
            "risk_rationale": "Alleen eigen medewerkers met geheimhoudingsplicht; de logboeken "
            "tonen geen beluisterde gesprekken buiten de klantenservice.",
            "cause": "Telefonie ingericht met de standaardrechten 'iedereen'.",
        },
        "measures": (
            (FIXED, "Rechten beperkt tot de klantenservice", "IT-beheer", 0.3, True),
            (PREVENT, "Bewaartermijn van opnamen op 30 dagen gezet", "Klantenservice", 6, False),
        ),
    },
    {
        "at": 0.34,
        "by": "reporter",
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
        "assess": {
            "risk": "none",
            "risk_rationale": "Eén pakbon zonder gevoelige gegevens; de ontvanger gaf hem "
            "dezelfde dag terug aan de chauffeur.",
        },
    },
    {
        "at": 0.38,
        "by": "officer",
        "title": "USB-stick kwijtgeraakt op de Vakbeurs Installatie",
        "summary": "Een medewerker verloor op de beurs een USB-stick met presentaties.",
        "incident_type": "lost_device",
        "assign": "officer",
        "assess": {
            "is_personal_data_breach": False,
            "not_breach_rationale": "Op de stick stonden alleen productfolders en presentaties "
            "zonder persoonsgegevens; gecontroleerd met de kopie op de beurslaptop.",
            "risk": "none",
            "risk_rationale": "Geen persoonsgegevens betrokken.",
        },
    },
    {
        "at": 0.42,
        "by": "officer",
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
        "assess": {
            "risk": "none",
            "risk_rationale": "Alleen zakelijke e-mailadressen, veelal algemene adressen; "
            "ontvangers is gevraagd de e-mail te verwijderen.",
            "cause": "Nieuwsbrief handmatig verstuurd omdat het mailingplatform haperde.",
        },
        "measures": (
            (PREVENT, "Nieuwsbrieven alleen nog via het mailingplatform", "Marketing", 1, True),
        ),
    },
    {
        "at": 0.47,
        "by": "admin",
        "title": "Oude werkplekken afgevoerd zonder de schijven te wissen",
        "summary": "Acht afgeschreven pc's zijn met schijf en al aan een recycler meegegeven.",
        "incident_type": "disposal",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "email", "phone", "login"],
        "subject_categories": ["employees", "customers"],
        "people_min": 0,
        "people_max": 5000,
        "assign": "officer",
        "assess": {
            "risk": "none",
            "risk_rationale": "De pc's stonden nog in de opslag van de recycler; de schijven zijn "
            "teruggehaald en onder toezicht vernietigd (certificaat ontvangen).",
            "cause": "Afvoerprocedure niet gevolgd bij een drukke verhuizing.",
        },
        "measures": (
            (FIXED, "Schijven teruggehaald en vernietigd", "IT-beheer", 1, True),
            (PREVENT, "Afvoer alleen na wissen volgens NIST 800-88", "IT-beheer", 5, True),
        ),
    },
    {
        "at": 0.51,
        "by": "officer",
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
        "assess": {
            "risk": "none",
            "risk_rationale": "Drie werkbonnen met naam, adres en klus, twee uur zichtbaar voor "
            "één ingelogde klant; geen gevoelige gegevens.",
            "cause": "Fout in de cache van het klantportaal na een update.",
        },
    },
    {
        "at": 0.55,
        "by": "reporter",
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
        "assess": {
            "risk": "none",
            "risk_rationale": "Naam, adres, telefoon en omschrijving van de klus; geen gevoelige "
            "gegevens en geen aanwijzing dat de dader het op de map had gemunt.",
        },
        "measures": (
            (PREVENT, "Werkbonnen alleen nog digitaal op de tablet", "Operations", 14, False),
        ),
    },
    {
        "at": 0.60,
        "by": "fg",
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
        "assess": {
            "risk": "none",
            "risk_rationale": "Eén persoon; de medewerker heeft de gegevens niet gedeeld of "
            "gebruikt. Arbeidsrechtelijke maatregel getroffen.",
        },
        "measures": (
            (FIXED, "Gesprek met de medewerker en schriftelijke waarschuwing", "HR", 2, True),
            (PREVENT, "Maandelijkse steekproef op zoekopdrachten in het CRM", "FG", 7, False),
        ),
    },
    {
        "at": 0.64,
        "by": "officer",
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
        "assess": {
            "risk": "none",
            "risk_rationale": "De ontvanger heeft geheimhoudingsplicht, meldde het direct en "
            "verwijderde de e-mail; IT heeft de verwijdering gecontroleerd.",
            "is_dpo_involved": True,
        },
    },
    {
        "at": 0.69,
        "by": "admin",
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
        "processor_hours": (50, 2),
        "discovered_hours": 50,
        "occurred_hours": 52,
        "assign": "officer",
        "assess": {
            "risk": "none",
            "risk_rationale": "Alleen de back-ups waren tijdelijk onbereikbaar; de gegevens in "
            "productie waren steeds beschikbaar en intact.",
        },
    },
    {
        "at": 0.74,
        "by": "reporter",
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
        "processor_hours": (20, 6),
        "discovered_hours": 20,
        "occurred_hours": 30,
        "assign": "officer",
        "assess": {
            "risk": "none",
            "risk_rationale": "Foto's van voordeuren zonder naam; de bezorgpartner heeft de "
            "fout binnen een dag hersteld.",
        },
    },
    {
        "at": 0.79,
        "by": "admin",
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
        "assess": {
            "risk": "none",
            "risk_rationale": "De leasemaatschappij heeft het geheugen bij ontvangst gewist en "
            "dat schriftelijk bevestigd; het apparaat is niet doorgeleverd.",
            "is_dpo_involved": True,
        },
    },
    {
        "at": 0.84,
        "by": "fg",
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
        "assess": {
            "risk": "none",
            "risk_rationale": "Zakelijke contactgegevens; de verkoper heeft schriftelijk "
            "verklaard de lijst te hebben verwijderd en is gebonden aan geheimhouding.",
            "cause": "Export uit het CRM stond open voor alle verkopers.",
        },
        "measures": (
            (PREVENT, "Export uit het CRM alleen voor teamleiders", "IT-beheer", 3, True),
        ),
    },
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
        "assess": {
            "risk": "none",
            "risk_rationale": "Eén klant, alleen adres en onderhoudsbeurten; de ontvanger heeft "
            "de bijlage verwijderd.",
        },
    },
    {
        "at": 0.97,
        "by": "officer",
        "title": "Phishingmail aan klanten uit naam van Groen Installatietechniek",
        "summary": "Klanten ontvingen een valse betaalherinnering met ons logo, verstuurd vanaf "
        "een domein dat op het onze lijkt.",
        "incident_type": "hacking",
        "assign": "fg",
        "assess": {
            "is_personal_data_breach": False,
            "not_breach_rationale": "Onze systemen zijn niet geraakt: de afzender gebruikte "
            "openbare adressen en een nagemaakt domein. Wel klanten gewaarschuwd.",
            "risk": "none",
            "risk_rationale": "Geen persoonsgegevens uit onze administratie betrokken.",
        },
    },
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
        "processor_hours": (8, 2),
        "discovered_hours": 8,
        "occurred_hours": 30,
        "assign": "fg",
        "assess": {
            "risk": "risk",
            "risk_rationale": "Adressen met de tijdvakken waarin klanten niet thuis zijn, "
            "openbaar op een forum; misbruik voor inbraak is niet uit te sluiten.",
            "is_dpo_involved": True,
        },
        "measures": (
            (FIXED, "Link ingetrokken, forumbericht verwijderd", "RouteSlim", 0.2, True),
        ),
    },
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
        "records_count": 25000,
        "is_ongoing": True,
        "processor_name": "CloudWerk Hosting B.V.",
        "processor_hours": (10, 1),
        "discovered_hours": 10,
        "occurred_hours": 14,
        "assign": "fg",
        "assess_after": 6,
        "assess": {
            "risk": "high",
            "risk_rationale": "Volgens de leverancier zijn gegevens geëxfiltreerd, waaronder "
            "kopieën van identiteitsbewijzen: grote kans op identiteitsfraude.",
            "is_dpo_involved": True,
        },
        "measures": (
            (FIXED, "Koppelingen verbroken, wachtwoorden vervangen", "IT-beheer", 0.1, True),
            (FIXED, "Forensisch tussenrapport opgevraagd", "FG", 0.5, False),
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

Act = tuple[datetime, int, Callable[[], None]]


class Demo(NamedTuple):
    organisation: Organisation
    users: list[User]
    incidents: list[Incident]
    password: str


def create_demo(now: datetime) -> Demo:
    """Create the demo organisation, its users and incidents; the caller commits."""
    now = now.astimezone(UTC).replace(microsecond=0)
    taken = db.session.execute(
        sa.select(Organisation.id).where(Organisation.name == ORGANISATION["name"])
    ).first()
    if taken:
        raise RuleViolation([Problem("organisation", N_("The demo organisation already exists."))])
    tz = ORGANISATION["timezone"]
    start = datetime(to_local(now, tz).year, 1, 1, tzinfo=zone(tz)).astimezone(UTC)
    if now - start < timedelta(days=60):
        start = now - timedelta(days=365)  # early in the year: show the past twelve months
    usable = now - timedelta(days=5) - start

    setup_at = start - timedelta(days=14)
    org = orgs.create_organisation(
        {**ORGANISATION, "ref_prefix": _free_prefix()}, actor=ACTOR, now=setup_at
    )
    password = secrets.token_urlsafe(12)
    users = {
        key: auth.create_user(
            f"{mailbox}@{DOMAIN}",
            role,
            password,
            actor=ACTOR,
            now=setup_at,
            name=name,
            language=language,
            organisation_id=org.id,
        )
        for key, mailbox, name, role, language in USERS
    }

    made: list[Incident] = []
    acts: list[Act] = []
    for n, spec in enumerate(INCIDENTS):
        if "hours_ago" in spec:
            aware_at = (now - timedelta(hours=spec["hours_ago"])).replace(second=0)
        else:
            day = to_local(start + usable * spec["at"], tz).date()
            aware_at = _at(day, 9 + (n * 3) % 8, (n * 17) % 60, tz)
        acts.extend(_acts(spec, aware_at, org, users, made, n))
    for at, _, act in sorted(acts, key=lambda a: (a[0], a[1])):
        if at <= now:
            act()
    return Demo(org, list(users.values()), made, password)


def _acts(
    spec: dict[str, Any],
    aware_at: datetime,
    org: Organisation,
    users: dict[str, User],
    made: list[Incident],
    n: int,
) -> list[Act]:
    facts = {k: v for k, v in spec.items() if k in EDITABLE_FIELDS}
    discovered_at = aware_at - timedelta(hours=spec.get("discovered_hours", 0.5))
    facts["aware_at"] = aware_at
    facts["discovered_at"] = discovered_at
    facts["occurred_from"] = aware_at - timedelta(hours=spec.get("occurred_hours", 2))
    if "lasted_hours" in spec:
        facts["occurred_until"] = facts["occurred_from"] + timedelta(hours=spec["lasted_hours"])
    if "processor_hours" in spec:
        knew, told = spec["processor_hours"]
        facts["processor_aware_at"] = aware_at - timedelta(hours=knew)
        facts["processor_notified_at"] = aware_at - timedelta(hours=told)
    reported_at = aware_at + timedelta(minutes=15)
    mine: list[Incident] = []

    def report() -> None:
        incident = incidents.report_incident(users[spec["by"]], org, facts, reported_at)
        mine.append(incident)
        made.append(incident)

    acts: list[Act] = [(reported_at, n, report)]
    handler = users[spec.get("assign", "fg")]
    if "assign" in spec:
        at = aware_at + timedelta(hours=2)
        acts.append((at, n, _update(mine, {"assignee_id": handler.id}, users["fg"], at)))
    if "assess" in spec:
        at = aware_at + timedelta(hours=spec.get("assess_after", 20))
        acts.append((at, n, _update(mine, spec["assess"], handler, at)))
    for kind, text, owner, days, is_done in spec.get("measures", ()):
        at = aware_at + timedelta(days=days, hours=3)
        acts.append((at, n, _measure(mine, handler, at, kind, text, owner, is_done)))
    return acts


def _update(
    mine: list[Incident], changes: dict[str, Any], actor: User, at: datetime
) -> Callable[[], None]:
    def act() -> None:
        incidents.update_incident(mine[0], changes, actor, at)

    return act


def _measure(
    mine: list[Incident],
    actor: User,
    at: datetime,
    kind: str,
    text: str,
    owner: str,
    is_done: bool,
) -> Callable[[], None]:
    def act() -> None:
        incidents.add_measure(
            mine[0],
            actor,
            at,
            kind=kind,
            description=text,
            owner=owner,
            due_on=None if is_done else (at + timedelta(days=30)).date(),
            done_at=at if is_done else None,
        )

    return act


def _at(day: date, hour: int, minute: int, tz: str) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone(tz)).astimezone(UTC)


def _free_prefix() -> str:
    """DL when this is the only organisation; otherwise a prefix of its own (refs stay unique)."""
    used = set(db.session.scalars(sa.select(Organisation.ref_prefix)))
    candidates = ["DL", "GRN", "DEMO"] + [f"DEMO{n}" for n in range(2, len(used) + 3)]
    return next(prefix for prefix in candidates if prefix not in used)
