"""The words shown for stored codes (roles, risk, status, ...), in the user's language."""

from __future__ import annotations

from flask import Flask, g
from flask_babel import LazyString, get_locale, lazy_gettext

from .domain.errors import N_
from .web import translate

MESSAGES: dict[str, dict[object, str]] = {
    "role": {
        "admin": N_("admin"),
        "officer": N_("privacy officer"),
        "reporter": N_("reporter"),
        "viewer": N_("viewer (read-only)"),
    },
    "risk": {
        "unassessed": N_("not yet assessed"),
        "none": N_("no risk"),
        "risk": N_("risk"),
        "high": N_("high risk"),
    },
    "status": {
        "open": N_("open"),
        "assessed": N_("assessed"),
        "notified": N_("notified"),
        "closed": N_("closed"),
    },
    "measure": {
        "corrective": N_("corrective"),
        "preventive": N_("preventive"),
    },
    # three states: None is what nobody has established yet, never "no"
    "yesno": {True: N_("yes"), False: N_("no"), None: N_("not known yet")},
    # the AP's meldformulier's choices (domain/ap_values.py)
    "law": {
        "avg": N_("AVG (GDPR)"),
        "telecom": N_("Telecommunicatiewet (Telecommunications Act)"),
    },
    "data_outcome": {
        "read": N_("read"),
        "copied": N_("copied"),
        "changed": N_("changed"),
        "deleted": N_("deleted or destroyed"),
        "stolen": N_("stolen"),
        "unknown": N_("not known yet"),
    },
    "harm": {
        "physical": N_("physical harm"),
        "material": N_("material harm"),
        "immaterial": N_("immaterial harm"),
        "none": N_("no harm"),
    },
    "severity": {
        "low": N_("low"),
        "medium": N_("medium"),
        "high": N_("high"),
        "very_high": N_("very high"),
    },
    "subjects_plan": {
        "planned": N_("not yet, but they will be"),
        "not": N_("no, and they will not be"),
    },
    # the AP's form, section 0 and 8: what kind of notification, and informing the people
    "ap_notification_kind": {
        "new": N_("new notification"),
        "supplement": N_("supplement to or change of an earlier notification"),
        "withdrawal": N_("withdrawal of an earlier notification"),
    },
    "informing": {
        "done": N_("yes, they have been informed"),
        "planned": N_("not yet, but they will be"),
        "not": N_("no, and they will not be"),
    },
    "notification": {
        "initial": N_("initial notification"),
        "supplement": N_("supplement"),
        "withdrawal": N_("withdrawal"),
    },
    "ground": {
        "unintelligible": N_("(a) data unintelligible"),
        "measures_taken": N_("(b) later measures remove the high risk"),
        "disproportionate": N_("(c) disproportionate effort, public communication"),
    },
    # R14: the decisions that wait for a second officer (domain/four_eyes.py)
    "held_act": {
        "risk_none": N_("no risk"),
        "not_breach": N_("not a personal-data breach"),
        "withdrawal": N_("withdrawal of the AP notification"),
    },
    # the parts of Art. 33(3) a notification may leave to follow later (Art. 33(4))
    "part": {
        "nature": N_("(a) Nature of the breach"),
        "subjects": N_("(a) Categories and approximate number of people"),
        "records": N_("(a) Categories and approximate number of records"),
        "contact": N_("(b) FG or other contact point"),
        "consequences": N_("(c) Likely consequences"),
        "measures": N_("(d) Measures taken or proposed"),
    },
    "channel": {
        "email": N_("e-mail"),
        "letter": N_("letter"),
        "phone": N_("phone"),
        "sms": N_("text message"),
        "in_person": N_("in person"),
        "website": N_("website or customer portal"),
        "public_notice": N_("public notice"),
        "other": N_("other"),
    },
}


# for forms, whose choices are made once and shown in the language of each request
LABELS: dict[str, dict[object, LazyString]] = {
    kind: {value: lazy_gettext(message) for value, message in messages.items()}
    for kind, messages in MESSAGES.items()
}


def label(kind: str, value: object) -> str:
    message = MESSAGES.get(kind, {}).get(value)
    return translate(message) if message is not None else str(value or "")


def catalogue_label(kind: str, code: str) -> str:
    from .catalogue.services import every_label

    # by language: a reminder tick writes mails in several languages in one app context
    language = str(get_locale() or "nl")
    cache = g.setdefault("catalogue_labels", {})
    if language not in cache:
        cache[language] = every_label(language)
    return str(cache[language].get(kind, {}).get(code, code))


def init_app(app: Flask) -> None:
    from .incidents.fields import label as field_label
    from .incidents.history import show as fact
    from .notifications.services import still_missing

    app.jinja_env.globals.update(
        label=label,
        catalogue_label=catalogue_label,
        field_label=field_label,
        fact=fact,
        still_missing=still_missing,
    )
