"""The built-in catalogues, in the AP meldformulier's own terms, in Dutch and English.

Admins can add entries of the open kinds; the built-in ones are seeded by code so a
new release can add to them without a data migration.
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    code: str
    label_nl: str
    label_en: str


PERSONAL_DATA = "personal_data"
SPECIAL_CATEGORY = "special_category"
DATA_SUBJECT = "data_subject"
INCIDENT_TYPE = "incident_type"
NATURE = "nature"

KINDS = (PERSONAL_DATA, SPECIAL_CATEGORY, DATA_SUBJECT, INCIDENT_TYPE, NATURE)
# Nature is Art. 4(12)'s own triad; the other kinds grow with the organisation.
OPEN_KINDS = (PERSONAL_DATA, SPECIAL_CATEGORY, DATA_SUBJECT, INCIDENT_TYPE)

BUILTIN: dict[str, tuple[Entry, ...]] = {
    PERSONAL_DATA: (
        Entry("name_address", "Naam, adres en woonplaats", "Name, address and city"),
        Entry("phone", "Telefoonnummers", "Phone numbers"),
        Entry(
            "email",
            "E-mailadressen of andere adressen voor elektronische communicatie",
            "E-mail addresses or other addresses for electronic communication",
        ),
        Entry(
            "login",
            "Toegangs- of identificatiegegevens (inlognaam, wachtwoord, klantnummer)",
            "Access or identification data (user name, password, customer number)",
        ),
        Entry(
            "financial",
            "Financiële gegevens (rekeningnummer, creditcardnummer)",
            "Financial data (account number, credit card number)",
        ),
        Entry(
            "bsn",
            "Burgerservicenummer (BSN) of sofinummer",
            "Citizen service number (BSN) or social security number",
        ),
        Entry(
            "id_copy",
            "Paspoortkopieën of kopieën van andere identiteitsbewijzen",
            "Copies of passports or other identity documents",
        ),
        Entry(
            "sex_birth", "Geslacht, geboortedatum en/of leeftijd", "Sex, date of birth and/or age"
        ),
        Entry("location", "Locatiegegevens", "Location data"),
        Entry("ip_address", "IP-adressen", "IP addresses"),
        Entry("other", "Overige gegevens", "Other data"),
    ),
    SPECIAL_CATEGORY: (
        Entry("health", "Gezondheid", "Health"),
        Entry("religion", "Godsdienst of levensovertuiging", "Religion or belief"),
        Entry("race_ethnicity", "Ras of etnische afkomst", "Racial or ethnic origin"),
        Entry("political", "Politieke opvattingen", "Political opinions"),
        Entry("trade_union", "Lidmaatschap van een vakbond", "Trade-union membership"),
        Entry(
            "sex_life", "Seksueel leven of seksuele gerichtheid", "Sex life or sexual orientation"
        ),
        Entry(
            "biometric_genetic", "Biometrische of genetische gegevens", "Biometric or genetic data"
        ),
        Entry("criminal", "Strafrechtelijke gegevens", "Criminal convictions and offences"),
    ),
    DATA_SUBJECT: (
        Entry("customers", "Klanten", "Customers"),
        Entry("employees", "Medewerkers", "Employees"),
        Entry("applicants", "Sollicitanten", "Job applicants"),
        Entry("website_visitors", "Websitebezoekers", "Website visitors"),
        Entry("prospects", "Prospects", "Prospects"),
        Entry("minors", "Minderjarigen", "Minors"),
        Entry("patients", "Patiënten", "Patients"),
        Entry("supplier_contacts", "Contactpersonen van leveranciers", "Suppliers' contacts"),
    ),
    INCIDENT_TYPE: (
        Entry(
            "lost_device",
            "Verloren of gestolen apparaat of papier",
            "Lost or stolen device or paper",
        ),
        Entry(
            "wrong_recipient",
            "E-mail of post naar de verkeerde ontvanger",
            "E-mail or post to the wrong recipient",
        ),
        Entry("hacking", "Hacking, malware of phishing", "Hacking, malware or phishing"),
        Entry("ransomware", "Ransomware", "Ransomware"),
        Entry(
            "internal_access",
            "Onbevoegde toegang door een medewerker",
            "Unauthorised internal access",
        ),
        Entry("publication", "Per ongeluk gepubliceerd", "Accidental publication"),
        Entry("disposal", "Afgedankt zonder vernietiging", "Disposal without destruction"),
        Entry("other", "Anders", "Other"),
    ),
    NATURE: (
        Entry(
            "confidentiality",
            "Vertrouwelijkheid (gelezen, gekopieerd, gestolen)",
            "Confidentiality (read, copied, stolen)",
        ),
        Entry("integrity", "Integriteit (gewijzigd)", "Integrity (changed)"),
        Entry(
            "availability",
            "Beschikbaarheid (verwijderd, vernietigd, onbereikbaar)",
            "Availability (deleted, destroyed, unreachable)",
        ),
    ),
}


def label(entry: Entry, language: str) -> str:
    return entry.label_nl if language == "nl" else entry.label_en
