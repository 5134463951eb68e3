"""The plain-language letter to the people concerned (Art. 34(2)), filled from the incident."""

from __future__ import annotations

from flask import render_template

from ..catalogue.services import labels
from ..domain.deadlines import to_local
from ..formats import day_text
from ..incidents.models import Incident

# What people can do themselves, by the kind of data that was involved.
ADVICE = {
    "login": "passwords",
    "email": "phishing",
    "phone": "phishing",
    "financial": "bank",
    "id_copy": "identity",
    "bsn": "identity",
    "name_address": "phishing",
}


def subject_letter(incident: Incident, language: str) -> str:
    language = "en" if language == "en" else "nl"
    local = to_local(incident.aware_at, incident.organisation.timezone)
    advice = sorted({ADVICE[c] for c in incident.personal_data if c in ADVICE})
    return (
        render_template(
            f"notifications/letter_{language}.txt",
            incident=incident,
            organisation=incident.organisation,
            aware_on=day_text(local.date(), language),
            data=[labels("personal_data", language).get(c, c) for c in incident.personal_data],
            advice=advice,
        ).strip()
        + "\n"
    )
