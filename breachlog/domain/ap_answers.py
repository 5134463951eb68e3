"""The AP meldformulier's own answers, checked alike for the web forms, the API and imports.

Art. 33(3) GDPR lists what a notification describes, Art. 33(4) lets it follow in phases; the
AP's meldformulier datalekken (sections 0, 1, 4, 7 and 8, as published in 2026) asks for it
with the choices in ap_values.py. What is refused here is what the AP's form itself would not
take: an answer outside its choices, "unknown" or "none" beside another answer, an authority
without a country, a reason missing where the form asks why not. A yes/no fact left None is
"not known yet" and is never refused for that.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from .ap_values import DATA_OUTCOMES, HARM_KINDS, LAWS, SEVERITIES, SUBJECTS_PLANS
from .countries import COUNTRY_CODES
from .dates import EARLIEST_YEAR, YEARS_AHEAD
from .errors import N_, Problem, Problems, RuleViolation

NAME_MAX = 200
EMAIL_MAX = 254
PHONE_MAX = 40
REFERENCE_MAX = 100
AUTHORITY_MAX = 200
AUTHORITIES_MAX = 50
TEXT_MAX = 20_000
# a deliberately plain test: one @, something before it, a dot in the domain, no spaces
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PHONE = re.compile(r"\+?[0-9][0-9 \-]*")
AUTHORITY_KEYS = ("authority", "country", "notified_on", "reference")
TEXT_FIELDS = (
    "other_organisations",
    "consequences_confidentiality",
    "consequences_integrity",
    "consequences_availability",
    "subjects_plan_reason",
    "other_remarks",
)


def implied(facts: Mapping[str, Any]) -> dict[str, Any]:
    """What the answers given say of the yes/no questions left open.

    Listing a special category answers "special categories involved" with yes (section 4);
    listing another authority answers "other authorities notified" with yes (section 8).
    A "no" beside a list is left as it is, for check_answers to refuse.
    """
    values: dict[str, Any] = {}
    if facts.get("special_categories") and facts.get("has_special_categories") is None:
        values["has_special_categories"] = True
    if facts.get("other_authorities") and facts.get("other_authorities_notified") is None:
        values["other_authorities_notified"] = True
    return values


def check_answers(facts: Mapping[str, Any], today: date) -> None:
    """Refuse AP-form answers the meldformulier would not take (Art. 33(3), (4) GDPR).

    `facts` is the whole incident (only the keys present are checked); `today` is the date in
    the organisation's zone, for "not in the future" and "ten years ahead".
    """
    problems = Problems()
    for name in TEXT_FIELDS:
        if len(_text(facts.get(name))) > TEXT_MAX:
            problems.add(name, N_("This text is too long."))
    if "law" in facts and facts["law"] not in LAWS:
        problems.add("law", N_("Choose the AVG or the Telecommunicatiewet."))
    _check_alone(problems, "data_outcomes", facts.get("data_outcomes"), DATA_OUTCOMES, "unknown")
    _check_alone(problems, "harm_kinds", facts.get("harm_kinds"), HARM_KINDS, "none")
    if facts.get("severity") not in (None, "", *SEVERITIES):
        problems.add("severity", N_("Choose low, medium, high or very high."))
    if facts.get("has_special_categories") is False and facts.get("special_categories"):
        problems.add(
            "has_special_categories",
            N_("You answered no, but listed special categories: answer yes, or clear the list."),
        )
    _check_authorities(problems, facts, today)
    _check_plan(problems, facts, today)
    problems.items.extend(notifier_problems(facts))
    problems.raise_if_any()


def notifier_problems(facts: Mapping[str, Any]) -> list[Problem]:
    """Section 1, who notifies: a name and position of bounded length, an e-mail address
    that is one, a phone number of digits, +, spaces and dashes."""
    problems = Problems()
    for name in ("notifier_name", "notifier_role"):
        if len(_text(facts.get(name))) > NAME_MAX:
            problems.add(name, N_("Keep this under %(n)s characters."), n=NAME_MAX)
    email = _text(facts.get("notifier_email")).strip()
    if len(email) > EMAIL_MAX or (email and not EMAIL.fullmatch(email)):
        problems.add("notifier_email", N_("Give an e-mail address such as fg@example.nl."))
    phone = _text(facts.get("notifier_phone")).strip()
    if len(phone) > PHONE_MAX or (phone and not PHONE.fullmatch(phone)):
        problems.add(
            "notifier_phone",
            N_("Give a phone number of digits, with + , spaces or dashes if you like."),
        )
    return problems.items


def check_notifier(facts: Mapping[str, Any]) -> None:
    """Section 0 and 1 as the notification step records them: the law and who notifies."""
    problems = notifier_problems(facts)
    if facts.get("law") not in LAWS:
        problems.append(Problem("law", N_("Choose the AVG or the Telecommunicatiewet.")))
    if problems:
        raise RuleViolation(problems)


def _check_alone(
    problems: Problems, name: str, codes: Any, allowed: tuple[str, ...], alone: str
) -> None:
    """Codes from the form's list; `alone` ("unknown", "none") excludes every other answer."""
    codes = list(codes or [])
    if any(code not in allowed for code in codes):
        problems.add(name, N_("Choose from the listed answers."))
    elif alone in codes and len(codes) > 1:
        problems.add(name, N_("This answer excludes the others: choose it alone."))


def _check_authorities(problems: Problems, facts: Mapping[str, Any], today: date) -> None:
    """Section 8: each authority told of the breach, with its country, when and their
    reference. Entries mean the answer is yes; a no beside entries is refused."""
    entries = facts.get("other_authorities") or []
    if facts.get("other_authorities_notified") is False and entries:
        problems.add(
            "other_authorities_notified",
            N_("You answered no, but listed authorities: answer yes, or remove them."),
        )
    if len(entries) > AUTHORITIES_MAX:
        problems.add("other_authorities", N_("List at most %(n)s authorities."), n=AUTHORITIES_MAX)
        return
    for entry in entries:
        if not isinstance(entry, Mapping):
            problems.add("other_authorities", N_("Give each authority as its own entry."))
            continue
        authority = _text(entry.get("authority")).strip()
        if not authority:
            problems.add("other_authorities", N_("Name each authority notified."))
        elif len(authority) > AUTHORITY_MAX:
            problems.add(
                "other_authorities",
                N_("Keep the name of an authority under %(n)s characters."),
                n=AUTHORITY_MAX,
            )
        country = _text(entry.get("country")).strip()
        if country not in COUNTRY_CODES:
            problems.add(
                "other_authorities",
                N_("%(country)s is not a country code: use two letters such as BE or DE."),
                country=country[:10] or "—",
            )
        day = _day(entry.get("notified_on"))
        if day is False:
            problems.add("other_authorities", N_("Give the date as YYYY-MM-DD."))
        elif isinstance(day, date) and day.year < EARLIEST_YEAR:
            problems.add(
                "other_authorities", N_("The date an authority was told lies before 2000.")
            )
        elif isinstance(day, date) and day > today:
            problems.add(
                "other_authorities", N_("The date an authority was told lies in the future.")
            )
        if len(_text(entry.get("reference"))) > REFERENCE_MAX:
            problems.add(
                "other_authorities",
                N_("Keep their reference under %(n)s characters."),
                n=REFERENCE_MAX,
            )


def _check_plan(problems: Problems, facts: Mapping[str, Any], today: date) -> None:
    """Section 8, informing the people concerned while not done: planned (when) or not (why
    not; Art. 34(3) or the risk assessment says why)."""
    plan = facts.get("subjects_plan") or ""
    if plan not in ("", *SUBJECTS_PLANS):
        problems.add("subjects_plan", N_("Choose planned or not."))
    if plan == "not" and not _text(facts.get("subjects_plan_reason")).strip():
        problems.add(
            "subjects_plan_reason",
            N_("Say why the people concerned will not be informed."),
        )
    day = facts.get("subjects_planned_on")
    if isinstance(day, date) and not EARLIEST_YEAR <= day.year <= today.year + YEARS_AHEAD:
        problems.add(
            "subjects_planned_on",
            N_("Give a date from 2000 to ten years ahead."),
        )


def stored_authorities(entries: Any) -> Any:
    """The authorities as the register keeps them: trimmed text, the country in capitals, the
    date as YYYY-MM-DD ("" when not given). Anything not an entry is left for the check."""
    if not isinstance(entries, list):
        return entries
    stored: list[Any] = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            stored.append(entry)
            continue
        day = entry.get("notified_on")
        stored.append(
            {
                "authority": _text(entry.get("authority")).strip(),
                "country": _text(entry.get("country")).strip().upper(),
                "notified_on": day.isoformat() if isinstance(day, date) else _text(day).strip(),
                "reference": _text(entry.get("reference")).strip(),
            }
        )
    return stored


def _day(value: Any) -> date | None | bool:
    """A date given as a date or as YYYY-MM-DD; None when not given, False when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return False
    return False


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
