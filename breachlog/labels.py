"""The words shown for stored codes (roles, risk, status, ...), in the user's language."""

from __future__ import annotations

from flask import Flask, g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

LABELS = {
    "role": {
        "admin": _l("admin"),
        "officer": _l("privacy officer"),
        "reporter": _l("reporter"),
        "viewer": _l("viewer (read-only)"),
    },
    "risk": {
        "unassessed": _l("not yet assessed"),
        "none": _l("no risk"),
        "risk": _l("risk"),
        "high": _l("high risk"),
    },
    "status": {
        "open": _l("open"),
        "assessed": _l("assessed"),
        "notified": _l("notified"),
        "closed": _l("closed"),
    },
    "measure": {
        "corrective": _l("corrective"),
        "preventive": _l("preventive"),
    },
    "yesno": {True: _l("yes"), False: _l("no"), None: _l("unknown")},
    "notification": {
        "initial": _l("initial notification"),
        "supplement": _l("supplement"),
        "withdrawal": _l("withdrawal"),
    },
    "ground": {
        "unintelligible": _l("(a) data unintelligible"),
        "measures_taken": _l("(b) later measures remove the high risk"),
        "disproportionate": _l("(c) disproportionate effort, public communication"),
    },
    "channel": {
        "email": _l("e-mail"),
        "letter": _l("letter"),
        "phone": _l("phone"),
        "sms": _l("text message"),
        "in_person": _l("in person"),
        "website": _l("website or customer portal"),
        "public_notice": _l("public notice"),
        "other": _l("other"),
    },
}


def label(kind: str, value: object) -> str:
    text = LABELS.get(kind, {}).get(value)  # type: ignore[call-overload]
    return str(text) if text is not None else str(value or "")


def catalogue_label(kind: str, code: str) -> str:
    from .catalogue.services import labels

    # by language too: a reminder tick writes mails in several languages in one app context
    language = str(get_locale() or "nl")
    cache = g.setdefault("catalogue_labels", {})
    if (kind, language) not in cache:
        cache[kind, language] = labels(kind, language)
    return str(cache[kind, language].get(code, code))


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
