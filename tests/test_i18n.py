"""The Dutch catalogue is complete, compiled and used: Dutch by default, English on request.

A string added without a Dutch translation fails here with its msgid and where it is used.
To fix that, run the commands in babel.cfg's header: extract, update, translate, compile.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from breachlog.auth.models import User
from breachlog.extensions import db

from .conftest import Auth
from .factories import Factory
from .test_incidents_web import edit_form, report_form

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = ROOT / "breachlog" / "translations" / "nl" / "LC_MESSAGES"
PO = MESSAGES / "messages.po"
MO = MESSAGES / "messages.mo"

# %(name)s, %d, %s ... as Python's % operator reads them; %% is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")


def read_catalogue() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle, locale="nl")


@cache
def extracted() -> dict[str | tuple[str, ...], list[str]]:
    """A fresh extraction with babel.cfg's method map and keywords: msgid -> where it is used."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = dict(DEFAULT_KEYWORDS)
    for options in options_map.values():
        spec = options.get("keywords") or {}
        if isinstance(spec, str):  # Babel < 2.18 leaves the option unparsed and unused
            spec = parse_keywords(spec.split())
        keywords.update(spec)
    found: dict[str | tuple[str, ...], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords
    ):
        found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


def singular(message: str | tuple[str, ...]) -> str:
    return message[0] if isinstance(message, tuple) else message


def forms(strings: str | tuple[str, ...] | list[str]) -> list[str]:
    return [strings] if isinstance(strings, str) else list(strings)


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def stray_percent(text: str) -> bool:
    """A % that is neither a placeholder nor %%: `text % params` (and Jinja's _()) fail on it."""
    return "%" in PLACEHOLDER.sub("", text.replace("%%", ""))


# -- the catalogue


def test_extraction_finds_messages_in_python_and_templates():
    where = [place for places in extracted().values() for place in places]
    assert any(place.startswith("breachlog/domain/") for place in where)  # N_()
    assert any(place.startswith("breachlog/labels.py") for place in where)  # _l()
    assert any(place.startswith("templates/") for place in where)  # {{ _() }}
    assert ("%(num)d incident", "%(num)d incidents") in extracted()  # ngettext


def test_every_extracted_message_has_a_dutch_translation():
    catalogue = read_catalogue()
    assert not catalogue.fuzzy, "the catalogue header is marked fuzzy; pybabel compile skips it"
    problems = []
    for message, places in sorted(extracted().items(), key=lambda item: str(item[0])):
        where = ", ".join(sorted(set(places))[:3])
        entry = catalogue.get(singular(message))
        if entry is None:
            problems.append(f"missing: {message!r} ({where})")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message!r} ({where})")
        elif not all(forms(entry.string)):
            problems.append(f"untranslated: {message!r} ({where})")
        elif isinstance(message, tuple) and (
            not isinstance(entry.id, tuple) or len(forms(entry.string)) != catalogue.num_plurals
        ):
            problems.append(f"plural forms missing: {message!r} ({where})")
    assert not problems, (
        "messages without a Dutch translation in breachlog/translations/nl; run pybabel "
        "extract/update (see babel.cfg), translate, then pybabel compile:\n  "
        + "\n  ".join(problems)
    )


def test_compiled_catalogue_matches_the_po_file():
    catalogue = read_catalogue()
    with MO.open("rb") as handle:
        compiled = read_mo(handle)

    def translations(cat: Catalog) -> dict[tuple[str, ...], tuple[str, ...]]:
        # read_mo gives plural ids and strings as lists, read_po as tuples
        return {
            tuple(forms(message.id)): tuple(forms(message.string))
            for message in cat
            if message.id and not message.fuzzy and all(forms(message.string))
        }

    written, shipped = translations(catalogue), translations(compiled)
    stale = sorted(
        repr(key[0] if len(key) == 1 else key)
        for key in written.keys() | shipped.keys()
        if written.get(key) != shipped.get(key)
    )
    assert not stale, (
        "messages.mo is out of date; run: pybabel compile -d breachlog/translations\n  "
        + "\n  ".join(stale[:20])
    )
    assert compiled.plural_forms == catalogue.plural_forms


def test_translations_keep_the_placeholders_of_their_msgid():
    catalogue = read_catalogue()
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        ids = forms(message.id)
        for index, text in enumerate(forms(message.string)):
            source = ids[min(index, len(ids) - 1)]
            if text and placeholders(text) != placeholders(source):
                problems.append(f"{source!r} -> {text!r}")
            if stray_percent(text) and not stray_percent(source):
                problems.append(f"a lone % the msgid does not have (%%?): {source!r} -> {text!r}")
    problems += [
        f"{message.id!r}: {error}" for message, errors in catalogue.check() for error in errors
    ]
    assert not problems, "\n".join(problems)


def test_the_placeholder_pattern_reads_what_python_formats():
    assert placeholders("%(h)d h %(m)d min, %s of %d, 100%%") == Counter(
        {"%(h)d": 1, "%(m)d": 1, "%s": 1, "%d": 1}
    )
    assert stray_percent("100%.") and not stray_percent("100%%.")


def test_required_wording():
    catalogue = read_catalogue()
    expected = {
        "Report a (possible) data breach": "Meld een (mogelijk) datalek",
        "Register of personal-data breaches": "Register van datalekken",
        "Report a breach": "Datalek melden",
        "Dashboard": "Overzicht",
        "Register": "Register",
        "Log in": "Inloggen",
    }
    assert {msgid: catalogue[msgid].string for msgid in expected} == expected
    assert catalogue.num_plurals == 2


# -- the pages
#
# Test data is made in an app context of its own rather than with the make fixture: make keeps
# one app context open for the whole test, so every request would share its g, where
# Flask-Babel caches the locale (and Flask-Login the user). A language switch would then not
# show until the next test. Without it each request gets a fresh context, as in production.


def page(response) -> str:
    return response.get_data(as_text=True)


def user(app, role: str, language: str) -> tuple[int, str]:
    """An organisation and a user in it: the user's id and e-mail address."""
    with app.app_context():
        make = Factory(app)
        make.first_organisation()
        person = make.user(role, language=language)
        return person.id, person.email


def language_of(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).language


@pytest.mark.parametrize(
    ("language", "heading", "label"),
    [
        ("nl", "Meld een (mogelijk) datalek", "In één zin: wat is er gebeurd?"),
        ("en", "Report a (possible) data breach", "In one line: what happened?"),
    ],
)
def test_report_page_is_in_the_users_language(app, client, auth, language, heading, label):
    auth.login(user(app, "reporter", language)[1])
    html = page(client.get("/report"))
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert label in html  # lazy_gettext form labels follow the request, not import time


def test_switching_to_english_is_remembered_on_the_account(app, client, auth):
    user_id, email = user(app, "reporter", "nl")
    auth.login(email)
    assert "<h1>Meld een (mogelijk) datalek</h1>" in page(client.get("/report"))

    switched = client.post("/language/en", data={"next": "/report"})
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/report")
    html = page(client.get("/report"))
    assert "<h1>Report a (possible) data breach</h1>" in html and '<html lang="en">' in html
    assert language_of(app, user_id) == "en"

    # another browser, without this session's choice, takes the language from the account
    elsewhere = app.test_client()
    Auth(elsewhere).login(email)
    assert "<h1>Report a (possible) data breach</h1>" in page(elsewhere.get("/report"))

    client.post("/language/nl", data={"next": "/report"})
    assert "<h1>Meld een (mogelijk) datalek</h1>" in page(client.get("/report"))
    assert language_of(app, user_id) == "nl"


def test_anonymous_visitor_sees_dutch_and_can_switch_to_english(client):
    html = page(client.get("/login"))
    assert '<html lang="nl">' in html and "<h1>Inloggen</h1>" in html
    assert client.post("/language/en", data={"next": "/login"}).status_code == 302
    html = page(client.get("/login"))
    assert '<html lang="en">' in html and "<h1>Log in</h1>" in html


def test_failed_login_is_explained_in_dutch(app, auth):
    _, email = user(app, "reporter", "nl")
    html = page(auth.login(email, password="not the password"))
    assert "Onjuist e-mailadres of wachtwoord." in html


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "Het moment van ontdekking ligt in de toekomst."),
        ("en", "The moment of discovery lies in the future."),
    ],
)
def test_rule_on_the_report_form_speaks_the_users_language(app, client, auth, language, message):
    auth.login(user(app, "reporter", language)[1])
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).astimezone(ZoneInfo("Europe/Amsterdam"))
    response = client.post("/report", data=report_form(discovered_at=f"{tomorrow:%Y-%m-%dT%H:%M}"))
    assert response.status_code == 200
    assert message in page(response)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "Het maximum kan niet lager zijn dan het minimum."),
        ("en", "The maximum cannot be lower than the minimum."),
    ],
)
def test_rule_on_the_edit_form_speaks_the_users_language(app, client, auth, language, message):
    with app.app_context():
        make = Factory(app)
        incident = make.incident()
        ref, data = incident.ref, edit_form(incident, people_min="500", people_max="20")
        email = make.user("officer", language=language).email
    auth.login(email)
    response = client.post(f"/incidents/{ref}/edit", data=data)
    assert response.status_code == 200
    assert message in page(response)


def test_plural_forms_in_dutch(app, client, auth):
    with app.app_context():
        make = Factory(app)
        make.incident()
        email = make.user("officer", language="nl").email
    auth.login(email)
    assert '<p class="muted">1 incident</p>' in page(client.get("/register"))
    with app.app_context():
        Factory(app).incident()
    assert '<p class="muted">2 incidenten</p>' in page(client.get("/register"))


def test_refusal_to_close_is_wholly_dutch(app, client, auth):
    with app.app_context():
        make = Factory(app)
        ref = make.incident().ref
        email = make.user("officer", language="nl").email
    auth.login(email)
    response = client.post(f"/incidents/{ref}/close", data={"evaluation": "Nog niet"})
    assert response.status_code == 200
    assert "Nog niet af te sluiten: beoordeel eerst het risico." in page(response)


def unfinished(catalogue: Catalog) -> list[str]:
    """Fuzzy and empty entries: pybabel compile leaves them out, so their English would show
    on a Dutch page, even for a message the extraction no longer finds but a caller uses."""
    return [
        f"{'fuzzy' if message.fuzzy else 'untranslated'}: {message.id!r}"
        for message in catalogue
        if message.id and (message.fuzzy or not all(forms(message.string)))
    ]


def test_no_entry_of_the_dutch_catalogue_is_fuzzy_or_untranslated():
    problems = unfinished(read_catalogue())
    assert not problems, "\n".join(problems)


def test_a_fuzzy_or_empty_entry_is_found(tmp_path):
    po = tmp_path / "messages.po"
    po.write_text('#, fuzzy\nmsgid "Save"\nmsgstr "Opslaan"\n\nmsgid "Log in"\nmsgstr ""\n')
    with po.open("rb") as handle:
        catalogue = read_po(handle, locale="nl")
    assert unfinished(catalogue) == ["fuzzy: 'Save'", "untranslated: 'Log in'"]
