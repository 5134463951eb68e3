"""The demo's second organisation: a care provider in the same installation, with its own
people and a few breaches, so a new user sees that one register is not the other's.

Log in as Blauw's officer and nothing of Groen is there: not on the dashboard, the register,
the search, the admin pages or the API.
"""

from __future__ import annotations

from typing import Any

from .demo_data import FIXED, PREVENT, assess, close, notify

DOMAIN = "blauw-zorg.example"  # .example never delivers mail to anyone real
ORGANISATION = {
    "name": "Blauw Zorg B.V.",
    "kvk_number": "71234560",
    "fg_name": "drs. Karim Blauw",
    "fg_email": f"fg@{DOMAIN}",
    "escalation_emails": f"bestuur@{DOMAIN}",
    "timezone": "Europe/Amsterdam",
}
PREFIXES = ("BZ", "BLAUW", "BZDEMO")
# key, mailbox, name, role, language
USERS = (
    ("admin", "beheer", "Ilse Blauw", "admin", "nl"),
    ("fg", "k.blauw", "Karim Blauw", "officer", "nl"),
    ("reporter", "j.smit", "Joost Smit", "reporter", "nl"),
    ("viewer", "a.mulder", "Anouk Mulder", "viewer", "en"),
)
SCENARIOS: tuple[dict[str, Any], ...] = (
    {
        "at": 0.2,
        "by": "reporter",
        "title": "Zorgplan in de gedeelde printerbak laten liggen",
        "summary": "Een uitgeprint zorgplan van een cliënt lag een ochtend in de printerbak "
        "van de gezamenlijke gang; een medewerker van een ander team vond het.",
        "incident_type": "other",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "sex_birth"],
        "special_categories": ["health"],
        "subject_categories": ["customers"],
        "people_min": 1,
        "people_max": 1,
        "measures": ((PREVENT, "Printen alleen nog met pas (follow-me)", "Facilitair", 2, True),),
        "steps": (
            assess(
                6,
                "none",
                "Eén cliënt; het plan is binnen de organisatie gebleven en door een collega "
                "met geheimhoudingsplicht teruggebracht.",
                by="fg",
                cause="Printopdracht naar de verkeerde printer gestuurd.",
                consequences="Een collega met geheimhoudingsplicht zag het zorgplan van één "
                "cliënt; geen verdere verspreiding.",
            ),
            close(4 * 24, by="fg"),
        ),
    },
    {
        "at": 0.5,
        "by": "fg",
        "title": "Cliëntenlijst met diagnoses naar verkeerde huisartsenpraktijk gemaild",
        "summary": "Een overdrachtslijst met namen, geboortedata en diagnoses van 14 cliënten is "
        "naar een huisartsenpraktijk met een gelijkende naam gestuurd.",
        "incident_type": "wrong_recipient",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "sex_birth"],
        "special_categories": ["health"],
        "subject_categories": ["customers"],
        "people_min": 14,
        "people_max": 14,
        "measures": (
            (
                FIXED,
                "Praktijk gevraagd de mail te verwijderen; bevestigd",
                "Karim Blauw",
                0.2,
                True,
            ),
        ),
        "steps": (
            assess(
                8,
                "risk",
                "Gezondheidsgegevens van 14 cliënten bij een onbevoegde ontvanger, al heeft die "
                "een medisch beroepsgeheim en de mail verwijderd.",
                by="fg",
                cause="Adres gekozen uit de automatische aanvulling.",
                consequences="Bekendwording van diagnoses; de ontvanger is zelf zorgverlener.",
            ),
            notify(20, by="fg"),
        ),
    },
    {
        "hours_ago": 5,
        "by": "reporter",
        "title": "Dienstrooster met privénummers van zorgmedewerkers op Facebook",
        "summary": "Een foto van het dienstrooster, met de privételefoonnummers van twaalf "
        "medewerkers, staat in een openbare Facebookgroep.",
        "incident_type": "publication",
        "nature": ["confidentiality"],
        "personal_data": ["name_address", "phone"],
        "subject_categories": ["employees"],
        "people_min": 12,
        "people_max": 12,
    },
)
