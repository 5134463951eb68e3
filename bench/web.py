"""Load benchmark of the web app: gunicorn, 10,000 incidents, each page against the ceiling.

    python bench/web.py [--database-url postgresql://postgres@127.0.0.1:5432/test]
                        [--incidents 10000] [--clients 8] [--requests 2000] [--seconds 15]
                        [--worker-class gthread [sync ...]] [--threads 2]
                        [--routes dashboard register ...] [--save FILE] [--compare FILE]

Builds a fresh instance in a temporary folder (SQLite, or with --database-url a new schema in
that PostgreSQL database, created here and dropped at the end), runs `breachlog init-db`, adds
one organisation, a few users and --incidents incidents over three years (about 30 open:
unassessed, risk or high, some past their 72 hours; the rest closed, with AP notifications,
communications, measures, reminder rows and an audit history whose hash chain
`breachlog verify-audit` accepts), written with SQLAlchemy Core bulk inserts; then an API
token from `breachlog api-token`.

It serves that instance with gunicorn (2 workers, BREACHLOG_SCHEDULER=off) on 127.0.0.1 and a
free port, logs in through /login with the form's CSRF token, and sends each route the same
load from --clients threads with keep-alive connections: a few warm-up requests, then
--requests requests or --seconds seconds, whichever ends first. It prints requests per second
and p50/p95/p99 latency per route, the ratio to the minimal route of the same server (the
ceiling: /healthz), the server's CPU time per request, and whether the targets
hold: p95 under 100 ms on every page it names (dashboard, register, search, incident page,
API list), and the dashboard at least half the throughput of the ceiling. The server keeps
the dashboard, a register page and an API page for the second it made them in, so those
routes measure what repeated visits cost; three more routes ask for a different page each
time (every register page, every API page, a search for each word of the incidents' texts)
and measure what a page costs made afresh.

The load generator runs on the same machine as the server and takes CPU from it, as does
anything else running there; the CPU time per request depends much less on that than the
latencies do. Compare runs made on the same machine with the same options (--save, then
--compare). Only 127.0.0.1 is ever contacted; everything started is stopped, and the
temporary folder (and PostgreSQL schema) removed, before the script ends.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import requests
import sqlalchemy as sa

HOST = "127.0.0.1"
ZONE = ZoneInfo("Europe/Amsterdam")
YEARS = 3
OPEN = 30
TARGET_P95_MS = 100.0
TARGET_DASHBOARD_SHARE = 0.5
CEILING = "healthz"


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    auth: str  # web (session cookie) | api (Bearer token) | none
    is_page: bool = True
    in_targets: bool = True  # a page the targets name; the others are for information


ROUTES = (
    Route("healthz", "/healthz", "none", is_page=False),
    Route("static", "/static/style.css", "web", is_page=False),
    Route("dashboard", "/", "web"),
    Route("register", "/register", "web"),
    # a closed year: last year's (2025 when run in 2026)
    Route("search", "/register?q=laptop&year=<last year>&status=closed", "web"),
    Route("incident", "/incidents/<ref>", "web"),
    Route("api-list", "/api/v1/incidents", "api"),
    # Each server keeps a page for the second it made it in, so the three routes above are
    # mostly answered from that copy. These ask for a different page each time, made afresh:
    # every page of the register and of the API's list, and a search for each of the words
    # of the incidents' texts, in each year and in all years.
    Route("register-pages", "/register?page=<page>", "web", in_targets=False),
    Route("search-terms", "/register?q=<term>", "web", in_targets=False),
    Route("api-pages", "/api/v1/incidents?page=<page>", "api", in_targets=False),
)


# --- the data: realistic lengths, Dutch as a register is kept --------------------------------

TITLES = {
    "lost_device": (
        "Laptop gestolen uit de auto van een {role}",
        "Laptop van {role} laten liggen in de trein",
        "Telefoon van {role} verloren tijdens een klantbezoek",
        "USB-stick met {data} kwijtgeraakt",
        "Tablet met werkorders gestolen bij {place}",
    ),
    "wrong_recipient": (
        "E-mail met {data} naar de verkeerde ontvanger gestuurd",
        "Factuur met {data} naar een verkeerd adres verzonden",
        "Brief aan {subjects} in de verkeerde envelop",
        "Bijlage met klantenlijst per ongeluk meegestuurd aan {partner}",
    ),
    "hacking": (
        "Phishingmail: account van een {role} overgenomen",
        "Inbraak op de webshop via een kwetsbare plug-in",
        "Onbekende aanmelding op de mailbox van een {role}",
        "Wachtwoorden van {subjects} gelekt via een derde partij",
    ),
    "ransomware": (
        "Ransomware op de fileserver bij {place}",
        "Bestanden versleuteld na het openen van een factuurbijlage",
    ),
    "internal_access": (
        "{role} bekeek klantdossiers zonder aanleiding",
        "Te ruime rechten op de gedeelde map van {place}",
    ),
    "publication": (
        "Klantenlijst tijdelijk zichtbaar op de website",
        "Gedeelde link naar {data} stond open voor iedereen",
    ),
    "disposal": (
        "Oude laptops afgevoerd zonder de schijven te wissen",
        "Archiefdozen met {data} bij het oud papier gezet",
    ),
    "other": (
        "Gegevens gedeeld met {partner} zonder verwerkersovereenkomst",
        "Route-overzicht met adressen verloren door een chauffeur",
        "Opgenomen telefoongesprekken langer bewaard dan afgesproken",
    ),
}
ROLES = ("monteur", "planner", "verkoper", "medewerker klantenservice", "stagiair", "directeur")
PLACES = ("de vestiging Utrecht", "het magazijn in Tilburg", "de vestiging Zwolle", "kantoor")
DATA = (
    "klantgegevens",
    "kopieën van identiteitsbewijzen",
    "betaalgegevens",
    "sollicitatiebrieven",
    "adressen en telefoonnummers",
    "KvK- en btw-nummers",
)
SUBJECTS = ("klanten", "sollicitanten", "medewerkers", "prospects", "leveranciers")
PARTNERS = ("een installateur", "de bezorgpartner", "de IT-leverancier", "een routeplanner")
SENTENCES = (
    "Een {role} meldde het voorval dezelfde dag bij de servicedesk.",
    "Het ging om {data} van ongeveer {n} {subjects}.",
    "De gegevens werden gedeeld met {partner} voor de uitvoering van de opdracht.",
    "Uit de logbestanden blijkt niet dat de gegevens daadwerkelijk zijn ingezien.",
    "Het apparaat was versleuteld, maar het wachtwoord zat op een briefje.",
    "De ontvanger heeft bevestigd dat de e-mail en de bijlage zijn verwijderd.",
    "De toegang is direct ingetrokken en het wachtwoord is opnieuw ingesteld.",
    "De verwerker meldde het incident twee dagen na de ontdekking.",
    "Het is niet uit te sluiten dat de gegevens worden gebruikt voor phishing.",
    "Betrokkenen kunnen mogelijk slachtoffer worden van identiteitsfraude.",
    "De gedeelde map was sinds de migratie naar de nieuwe omgeving voor iedereen leesbaar.",
    "De back-up was volledig en de systemen zijn binnen een dag hersteld.",
    "Er is aangifte gedaan bij de politie.",
    "De FG is bij de beoordeling betrokken en heeft de afweging vastgelegd.",
    "Het gaat om contactgegevens zonder bijzondere persoonsgegevens.",
    "Medewerkers zijn opnieuw gewezen op de werkinstructie voor het versturen van bijlagen.",
    "De leverancier heeft de kwetsbaarheid in de plug-in inmiddels verholpen.",
    "Een deel van de betrokkenen is telefonisch geïnformeerd.",
    "De financiële schade voor betrokkenen wordt als beperkt ingeschat.",
    "Het apparaat kon op afstand worden gewist; dat is om {hour} uur gebeurd.",
)
CAUSES = (
    "Menselijke fout: verkeerde ontvanger gekozen via automatisch aanvullen van adressen.",
    "Phishingmail met een valse inlogpagina; tweestapsverificatie stond niet aan.",
    "Apparaat zonder schijfversleuteling; het beleid werd niet afgedwongen.",
    "Verkeerd ingestelde rechten in de gedeelde map na een migratie.",
    "Papieren dossier meegenomen naar huis, tegen de afspraken in.",
    "Verouderde software bij een verwerker.",
)
PARTS = ("nature", "subjects", "records", "contact", "consequences", "measures")


def pick(rng: random.Random, options: Sequence[str]) -> str:
    return options[rng.randrange(len(options))]


def fill_in(rng: random.Random, template: str) -> str:
    return template.format(
        role=pick(rng, ROLES),
        place=pick(rng, PLACES),
        data=pick(rng, DATA),
        subjects=pick(rng, SUBJECTS),
        partner=pick(rng, PARTNERS),
        n=rng.choice((3, 12, 40, 150, 800, 2300)),
        hour=rng.randint(8, 22),
    )


def prose(rng: random.Random, low: int, high: int) -> str:
    """Sentences up to a length between low and high characters."""
    target, parts, length = rng.randint(low, high), [], 0
    while length < target:
        sentence = fill_in(rng, pick(rng, SENTENCES))
        parts.append(sentence)
        length += len(sentence) + 1
    return " ".join(parts)


def title(rng: random.Random, incident_type: str) -> str:
    text = fill_in(rng, pick(rng, TITLES[incident_type]))
    return text[:1].upper() + text[1:]


@dataclass
class Plan:
    """What one incident is: when the controller became aware, and how far it got."""

    aware_at: datetime
    is_open: bool
    risk: str
    is_breach: bool = True
    notified_after: timedelta | None = None
    subjects: str = ""  # "" | communication | exemption


def plans(rng: random.Random, count: int, now: datetime) -> list[Plan]:
    start = datetime(now.year - YEARS + 1, 1, 2, 8, 0, tzinfo=UTC)
    closed_until = now - timedelta(days=15)
    span = (closed_until - start).total_seconds()
    result = []
    for _ in range(count - OPEN):
        aware = start + timedelta(seconds=rng.random() * span)
        roll = rng.random()
        if roll < 0.03:
            result.append(Plan(aware, False, "unassessed", is_breach=False))
            continue
        risk = "none" if roll < 0.58 else "risk" if roll < 0.86 else "high"
        plan = Plan(aware, False, risk)
        if risk != "none":
            late = rng.random() < 0.08
            hours = rng.uniform(73, 140) if late else rng.uniform(4, 70)
            plan.notified_after = timedelta(hours=hours)
        if risk == "high":
            plan.subjects = "communication" if rng.random() < 0.7 else "exemption"
        result.append(plan)
    for k in range(min(OPEN, count)):
        if k < 12:  # clock running, deadline still ahead
            age, risk, notified = rng.uniform(1, 70), ("unassessed", "risk", "high")[k % 3], None
        elif k < 18:  # past the 72 hours without a notification: overdue
            age, risk, notified = rng.uniform(80, 400), ("unassessed", "risk", "high")[k % 3], None
        elif k < 26:  # notified, the people concerned not yet informed
            age, risk = rng.uniform(80, 480), "high"
            notified = timedelta(hours=rng.uniform(20, 60))
        else:  # no risk, waiting to be closed
            age, risk, notified = rng.uniform(24, 480), "none", None
        result.append(Plan(now - timedelta(hours=age), True, risk, notified_after=notified))
    result.sort(key=lambda p: p.aware_at)
    return result


@dataclass
class Filled:
    officer_email: str
    officer_password: str
    refs: list[str]  # a sample for the incident page: open and closed
    incidents: int
    audit_events: int


def fill(count: int, seed: int, now: datetime) -> Filled:
    """One organisation, users and `count` incidents, straight into the tables."""
    from breachlog import create_app
    from breachlog.audit.chain import jsonable
    from breachlog.audit.models import AuditEvent
    from breachlog.auth import services as auth
    from breachlog.config import DEFAULT_REMINDER_OFFSETS
    from breachlog.db import writing
    from breachlog.domain import audit as chain_rules
    from breachlog.domain import reminders as reminder_rules
    from breachlog.domain.deadlines import deadline_for
    from breachlog.domain.folding import folded_together
    from breachlog.domain.refs import format_ref
    from breachlog.extensions import db
    from breachlog.incidents.models import AUDITED_FIELDS, Incident, Measure, RefCounter
    from breachlog.incidents.search_index import FOLDED
    from breachlog.notifications.models import Notification, SubjectCommunication
    from breachlog.orgs import services as orgs
    from breachlog.reminders import planning
    from breachlog.reminders.models import Reminder

    rng = random.Random(seed)
    app = create_app()
    password = "bench-" + secrets.token_urlsafe(12)
    with app.app_context(), writing():
        created = now - timedelta(days=365 * YEARS + 30)
        organisation = orgs.create_organisation(
            {
                "name": "Installatiebedrijf Van der Heijden B.V.",
                "kvk_number": "12345678",
                "ref_prefix": "DL",
                "fg_name": "Fenna Groen",
                "fg_email": "fg@vanderheijden.example",
                "escalation_emails": "directie@vanderheijden.example",
                "timezone": "Europe/Amsterdam",
            },
            actor="bench",
            now=created,
        )
        people = [
            ("fg@vanderheijden.example", "officer", "Fenna Groen"),
            ("beheer@vanderheijden.example", "admin", "Bas Beheer"),
            ("privacy@vanderheijden.example", "officer", "Priya Visser"),
            ("directie@vanderheijden.example", "viewer", "Dirk de Directeur"),
            ("planning@vanderheijden.example", "reporter", "Paula Planning"),
            ("monteur1@vanderheijden.example", "reporter", "Mo Monteur"),
            ("klantenservice@vanderheijden.example", "reporter", "Kees Klant"),
        ]
        users = [
            auth.create_user(
                email, role, password, actor="bench", now=created, name=name, language="nl"
            )
            for email, role, name in people
        ]
        for user in users:
            user.organisation_id = organisation.id
        db.session.commit()
        officers = [u.id for u in users if u.role == "officer"]
        reporters = [u.id for u in users]

        offsets = reminder_rules.parse_offsets(DEFAULT_REMINDER_OFFSETS)
        tables: dict[Any, list[dict[str, Any]]] = {
            Incident: [],
            Measure: [],
            Notification: [],
            SubjectCommunication: [],
            Reminder: [],
        }
        events: list[dict[str, Any]] = []
        counters: dict[int, int] = {}
        open_ids: list[int] = []
        types = tuple(TITLES)
        for n, plan in enumerate(plans(rng, count, now), start=1):
            year = plan.aware_at.astimezone(ZONE).year
            counters[year] = counters.get(year, 0) + 1
            incident_type = rng.choices(types, weights=(5, 6, 3, 1, 1, 1, 1, 2))[0]
            deadline = deadline_for(plan.aware_at)
            reported = plan.aware_at + timedelta(minutes=rng.randint(0, 90))
            assessed = reported + timedelta(hours=rng.uniform(0.5, 3))
            notified = plan.aware_at + plan.notified_after if plan.notified_after else None
            informed = (notified or assessed) + timedelta(hours=rng.uniform(2, 48))
            finished = max(notified or assessed, informed) + timedelta(days=rng.uniform(3, 40))
            closed = None if plan.is_open else min(finished, now - timedelta(days=1))
            people_min = rng.choice((1, 2, 5, 20, 80, 300))
            row: dict[str, Any] = {
                "id": n,
                "ref": format_ref("DL", year, counters[year]),
                "ref_year": year,
                "organisation_id": organisation.id,
                "title": title(rng, incident_type),
                "summary": prose(rng, 300, 1200),
                "reporter_id": rng.choice(reporters),
                "reporter_contact": "",
                "assignee_id": rng.choice(officers) if rng.random() < 0.9 else None,
                "occurred_from": plan.aware_at - timedelta(hours=rng.uniform(1, 96)),
                "occurred_until": None,
                "is_ongoing": False,
                "discovered_at": plan.aware_at - timedelta(minutes=rng.randint(0, 600)),
                "aware_at": plan.aware_at,
                "deadline_at": deadline,
                "how_discovered": prose(rng, 50, 200),
                "processor_name": pick(rng, PARTNERS) if rng.random() < 0.15 else "",
                "processor_aware_at": None,
                "processor_notified_at": None,
                "incident_type": incident_type,
                "nature": ["confidentiality"] + (["availability"] if n % 7 == 0 else []),
                "personal_data": ["name_address", "email", "phone"][: rng.randint(1, 3)]
                + (["financial"] if n % 5 == 0 else [])
                + (["id_copy"] if n % 11 == 0 else []),
                "personal_data_details": prose(rng, 0, 200) if rng.random() < 0.5 else "",
                "special_categories": ["health"] if n % 23 == 0 else [],
                "subject_categories": ["customers"] + (["employees"] if n % 6 == 0 else []),
                "people_min": people_min,
                "people_max": people_min * rng.choice((1, 2, 5)),
                "records_count": people_min * rng.randint(1, 20),
                "is_protected": rng.random() < 0.3,
                "protection_details": "BitLocker" if n % 4 == 0 else "",
                "consequences": prose(rng, 100, 400),
                "is_personal_data_breach": plan.is_breach,
                "not_breach_rationale": "" if plan.is_breach else prose(rng, 80, 250),
                "risk": plan.risk,
                "risk_rationale": "" if plan.risk == "unassessed" else prose(rng, 100, 500),
                "enisa_dpc": None,
                "enisa_ei": None,
                "enisa_cb": None,
                "is_dpo_involved": plan.risk in ("risk", "high"),
                "is_cross_border": False,
                "member_states": [],
                "status": "closed"
                if closed
                else "notified"
                if notified
                else "open"
                if plan.risk == "unassessed"
                else "assessed",
                "notified_at": notified,
                "meldnummer": f"M{3_000_000 + n}" if notified else "",
                "is_withdrawn": False,
                "subjects_informed_at": informed if plan.subjects == "communication" else None,
                "exemption_ground": "unintelligible" if plan.subjects == "exemption" else "",
                "cause": pick(rng, CAUSES) if not plan.is_open else "",
                "evaluation": prose(rng, 100, 400) if not plan.is_open else "",
                "created_at": reported,
                "updated_at": closed or notified or assessed,
                "closed_at": closed,
            }
            # written with Core, past the model's hook that keeps the folded search text
            row["search_text"] = folded_together(row.get(name) for name in FOLDED)
            tables[Incident].append(row)
            if plan.is_open:
                open_ids.append(n)

            def event(
                action: str,
                at: datetime,
                after: dict[str, Any],
                before: dict[str, Any] | None = None,
                object_type: str = "incident",
                incident_id: int = n,
            ) -> None:
                events.append(
                    {
                        "at": at,
                        "actor_id": None,
                        "actor": "fg@vanderheijden.example",
                        "action": action,
                        "object_type": object_type,
                        "object_id": incident_id,
                        "incident_id": incident_id,
                        "before": before or {},
                        "after": after,
                        "reason": "",
                    }
                )

            state = {name: jsonable(row[name]) for name in AUDITED_FIELDS}
            first = {
                **state,
                "risk": "unassessed",
                "risk_rationale": "",
                "status": "open",
                "notified_at": None,
                "meldnummer": "",
                "subjects_informed_at": None,
                "exemption_ground": "",
                "cause": "",
                "evaluation": "",
                "closed_at": None,
                "is_dpo_involved": False,
                "is_personal_data_breach": True,
                "not_breach_rationale": "",
            }
            event("incident.reported", reported, first)
            if plan.risk != "unassessed" or not plan.is_breach:
                keys = ("risk", "risk_rationale", "is_personal_data_breach", "status")
                event(
                    "incident.assessed",
                    assessed,
                    {k: state[k] if k != "status" else "assessed" for k in keys},
                    {k: first[k] for k in keys},
                )
            if notified:
                late = notified > deadline
                answers = {part: prose(rng, 40, 160) for part in PARTS}
                form = [
                    {
                        "number": number,
                        "title": f"Sectie {number}",
                        "answers": [
                            {"key": f"q{number}_{a}", "question": prose(rng, 30, 60), "value": v}
                            for a, v in enumerate(prose(rng, 200, 600).split(". "))
                        ],
                    }
                    for number in range(9)
                ]
                kinds = ["initial"] + (["supplement"] if rng.random() < 0.2 else [])
                for kind in kinds:
                    at = notified if kind == "initial" else notified + timedelta(days=3)
                    tables[Notification].append(
                        {
                            "incident_id": n,
                            "kind": kind,
                            "submitted_at": at,
                            "meldnummer": row["meldnummer"],
                            "is_provisional": kind == "initial" and len(kinds) > 1,
                            "is_late": kind == "initial" and late,
                            "reasons_for_delay": prose(rng, 60, 200) if late else "",
                            "answers": {"parts": answers, "form": form},
                            "follows": [],
                            "note": "",
                            "recorded_by_id": officers[0],
                            "created_at": at,
                        }
                    )
                    event(
                        f"notification.{kind}",
                        at,
                        {"kind": kind, "submitted_at": at.isoformat(), "is_late": late},
                        object_type="notification",
                    )
                event(
                    "incident.updated",
                    notified,
                    {"status": "notified", "notified_at": notified.isoformat()},
                    {"status": "assessed", "notified_at": None},
                )
            if plan.subjects:
                is_exemption = plan.subjects == "exemption"
                tables[SubjectCommunication].append(
                    {
                        "incident_id": n,
                        "is_exemption": is_exemption,
                        "sent_at": None if is_exemption else informed,
                        "channel": "" if is_exemption else "email",
                        "people_reached": None if is_exemption else row["people_max"],
                        "text": "" if is_exemption else prose(rng, 400, 1200),
                        "ground": "unintelligible" if is_exemption else "",
                        "rationale": prose(rng, 80, 300) if is_exemption else "",
                        "public_communication": "",
                        "recorded_by_id": officers[0],
                        "created_at": informed,
                    }
                )
                event(
                    "subjects.exempted" if is_exemption else "subjects.informed",
                    informed,
                    {"channel": "" if is_exemption else "email"},
                    object_type="subject_communication",
                )
            for number in range(rng.randint(1, 3) if not plan.is_open else rng.randint(0, 1)):
                kind = "corrective" if number == 0 else "preventive"
                added = assessed + timedelta(hours=number + 1)
                done = None if plan.is_open else added + timedelta(days=rng.uniform(1, 30))
                measure = {
                    "incident_id": n,
                    "kind": kind,
                    "description": prose(rng, 60, 250),
                    "owner": pick(rng, ("ICT", "HR", "Klantenservice", "FG")),
                    "due_on": (added + timedelta(days=30)).date(),
                    "done_at": done,
                    "created_at": added,
                }
                tables[Measure].append(measure)
                event(
                    "measure.added",
                    added,
                    {k: jsonable(measure[k]) for k in ("kind", "description", "owner")},
                    object_type="measure",
                )
                if done:
                    event("measure.completed", done, {"done_at": done.isoformat()}, {}, "measure")
            if closed:
                event(
                    "incident.closed",
                    closed,
                    {"status": "closed", "closed_at": closed.isoformat()},
                    {"status": "notified" if notified else "assessed", "closed_at": None},
                )
                # the reminder rows of a closed incident: sent while the clock ran, then cancelled
                stopped = notified or assessed
                purpose = "notify" if plan.risk in ("risk", "high") else "assess"
                for stage in reminder_rules.deadline_stages(deadline, offsets, purpose):
                    sent = stage.due_at <= stopped
                    tables[Reminder].append(
                        {
                            "incident_id": n,
                            "measure_id": None,
                            "notification_id": None,
                            "kind": "deadline",
                            "stage": stage.stage,
                            "purpose": purpose,
                            "level": stage.level,
                            "due_at": stage.due_at,
                            "status": "sent" if sent else "cancelled",
                            "attempts": 1 if sent else 0,
                            "next_attempt_at": None,
                            "claimed_by": "",
                            "lease_until": None,
                            "last_error": "",
                            "recipients": ["fg@vanderheijden.example"] if sent else [],
                            "sent_at": stage.due_at if sent else None,
                            "created_at": reported,
                            "updated_at": stage.due_at if sent else stopped,
                        }
                    )

        # the audit chain: in time order, after the events the services wrote above
        events.sort(key=lambda e: e["at"])
        last = db.session.execute(
            sa.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
        ).one()
        previous, next_id = last.hash, last.id + 1
        for number, item in enumerate(events, start=next_id):
            fields = {**item, "at": item["at"].isoformat()}
            item["id"] = number
            item["prev_hash"] = previous
            item["hash"] = previous = chain_rules.event_hash(previous, fields)
        tables[AuditEvent] = events

        for model, rows in tables.items():
            for i in range(0, len(rows), 2000):
                db.session.execute(sa.insert(model.__table__), rows[i : i + 2000])
        db.session.execute(
            sa.insert(RefCounter.__table__),
            [
                {"organisation_id": organisation.id, "year": year, "last_seq": seq}
                for year, seq in counters.items()
            ],
        )
        if db.engine.dialect.name == "postgresql":
            # explicit ids were given: move the sequences past them
            for table in ("incidents", "audit_events"):
                db.session.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        db.session.commit()

        # the open ones get their reminders from the real planner, as if just reported
        for incident_id in open_ids:
            incident = db.session.get(Incident, incident_id)
            assert incident is not None
            planning.plan(incident, now)
        db.session.commit()

        closed_refs = [r["ref"] for r in tables[Incident] if r["status"] == "closed"]
        sample = [tables[Incident][i - 1]["ref"] for i in open_ids[::3]]
        sample += rng.sample(closed_refs, min(30, len(closed_refs)))
        audit_events = db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) or 0
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            # what autovacuum has long done to a register that grew to this size: statistics
            # for the planner, and a visibility map so that index-only scans can be used
            with db.engine.connect() as connection:
                tables = ", ".join(table.name for table in db.metadata.sorted_tables)
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    sa.text(f"VACUUM ANALYZE {tables}")
                )
        db.engine.dispose()
    return Filled(people[0][0], password, sample, count, int(audit_events))


# --- the instance, its database and the server --------------------------------------------


def breachlog_command(*args: str, stdin: str | None = None) -> str:
    """Run the breachlog command line of this virtualenv; return its standard output."""
    command = [str(Path(sys.executable).with_name("breachlog")), *args]
    done = subprocess.run(
        command, input=stdin, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode:
        raise SystemExit(f"breachlog {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


@dataclass
class Database:
    url: str
    backend: str
    application: str = ""  # the application_name of our PostgreSQL connections

    def backends(self) -> list[int]:
        """The PostgreSQL server processes that serve this run's connections."""
        if not self.application:
            return []
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND pid <> "
                "pg_backend_pid()",
                (self.application,),
            ).fetchall()
        return [int(row[0]) for row in rows]


@contextmanager
def database(url: str | None, instance: Path) -> Iterator[Database]:
    """SQLite in the instance folder, or a fresh schema in the given PostgreSQL database."""
    if not url:
        yield Database("sqlite:///" + str(instance / "breachlog.sqlite"), "SQLite")
        return
    import psycopg
    from psycopg import sql

    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    if not plain.startswith(("postgresql://", "postgres://")):
        raise SystemExit("--database-url must be a postgresql:// URL")
    host = re.sub(r"^[a-z]+://(?:[^@/]*@)?", "", plain).split("/")[0].rsplit(":", 1)[0]
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit("--database-url must point to this machine (127.0.0.1)")
    schema = f"bench_web_{secrets.token_hex(4)}"
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        options = f"options=-csearch_path%3D{schema}&application_name={schema}"
        yield Database(plain + ("&" if "?" in plain else "?") + options, "PostgreSQL", schema)
    finally:
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(
    instance: Path, worker_class: str, threads: int, workers: int
) -> Iterator[tuple[int, int]]:
    """gunicorn serving the instance on 127.0.0.1; stopped (and waited for) on the way out."""
    port = free_port()
    log = instance / f"gunicorn-{worker_class}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        "60",
        "--error-logfile",
        str(log),
        "breachlog:create_app()",
    ]
    if worker_class == "gthread":
        command[3:3] = ["--threads", str(threads)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn stopped:\n{log.read_text()}")
            try:
                if get(port, "/healthz", {})[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not answer within 60 s:\n{log.read_text()}")
            time.sleep(0.2)
        yield port, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cpu_times(master: int, database: Database) -> dict[int, float]:
    """CPU seconds (user and system) used so far by each process that serves the requests:
    gunicorn's workers (the children of its master) and, on PostgreSQL, their backends.

    Other work on the machine makes latency noisy; the CPU a request costs the server much
    less so, which is what a before/after comparison on a busy machine can still rely on.
    """
    times: dict[int, float] = {}
    wanted = set(database.backends())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == master or int(entry.name) in wanted:  # ppid, or a backend
            ticks = int(fields[11]) + int(fields[12])  # utime, stime
            times[int(entry.name)] = ticks / os.sysconf("SC_CLK_TCK")
    return times


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def log_in(port: int, email: str, password: str) -> str:
    """The Cookie header of a logged-in session, got the way a browser gets it."""
    base = f"http://{HOST}:{port}"
    with requests.Session() as browser:
        form = browser.get(base + "/login", timeout=30)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text)
        if form.status_code != 200 or not found:
            raise SystemExit(f"no login form with a CSRF token ({form.status_code})")
        answer = browser.post(
            base + "/login",
            data={"csrf_token": found.group(1), "email": email, "password": password},
            allow_redirects=False,
            timeout=30,
        )
        if answer.status_code != 302:
            raise SystemExit(f"login failed: {answer.status_code}")
        cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
    status, page = get(port, "/", {"Cookie": cookie})
    if status != 200 or b'data-count="open"' not in page:
        raise SystemExit(f"the session cookie does not open the dashboard ({status})")
    return cookie


# --- the load generator ----------------------------------------------------------------------


@dataclass
class Result:
    route: str
    path: str
    requests: int
    errors: int
    seconds: float
    rps: float
    p50: float
    p95: float
    p99: float
    cpu_ms: float  # server CPU (both workers) per request
    load: float  # the machine's 1-minute load average when the route was done
    statuses: dict[str, int] = field(default_factory=dict)


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest rank, in milliseconds."""
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)] * 1000


def load(
    port: int,
    paths: Sequence[str],
    headers: dict[str, str],
    clients: int,
    total: int,
    seconds: float,
) -> tuple[list[float], dict[int, int], float]:
    """`clients` threads, one keep-alive connection each, until `total` requests or `seconds`."""
    counter = itertools.count()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    start = time.perf_counter()
    stop_at = start + seconds

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        mine: list[float] = []
        seen: dict[int, int] = {}
        try:
            while True:
                number = next(counter)
                if number >= total or time.perf_counter() >= stop_at:
                    break
                began = time.perf_counter()
                try:
                    connection.request("GET", paths[number % len(paths)], headers=headers)
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    connection.close()  # reopened by the next request
                    status = 0
                mine.append(time.perf_counter() - began)
                seen[status] = seen.get(status, 0) + 1
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)
                for status, n in seen.items():
                    statuses[status] = statuses.get(status, 0) + n

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - start


def measure(
    port: int,
    master: int,
    database: Database,
    route: Route,
    paths: Sequence[str],
    headers: dict[str, str],
    args: Any,
) -> Result:
    load(port, paths, headers, args.clients, args.warmup * args.clients, 30)
    before = cpu_times(master, database)
    latencies, statuses, wall = load(
        port, paths, headers, args.clients, args.requests, args.seconds
    )
    after = cpu_times(master, database)
    cpu = sum(used - before.get(pid, 0.0) for pid, used in after.items())
    latencies.sort()
    errors = sum(n for status, n in statuses.items() if status != 200)
    return Result(
        route=route.name,
        path=route.path,
        requests=len(latencies),
        errors=errors,
        seconds=round(wall, 3),
        rps=len(latencies) / wall if wall else 0.0,
        p50=percentile(latencies, 50),
        p95=percentile(latencies, 95),
        p99=percentile(latencies, 99),
        cpu_ms=cpu * 1000 / len(latencies) if latencies else math.nan,
        load=os.getloadavg()[0],
        statuses={str(k): v for k, v in sorted(statuses.items())},
    )


def expand(path: str, filled: Filled, now: datetime) -> list[str]:
    """The paths a route asks for, in turn: one, or one for each ref, page or search."""
    if "<ref>" in path:
        return [path.replace("<ref>", ref) for ref in filled.refs]
    if "<page>" in path:
        pages = range(1, math.ceil(filled.incidents / 25) + 1)
        return [path.replace("<page>", str(page)) for page in pages]
    if "<term>" in path:
        years = ["", *(f"&year={now.year - n}" for n in range(YEARS))]
        terms = [urllib.parse.quote(term) for term in search_terms()]
        searches = [path.replace("<term>", term) + year for term in terms for year in years]
        random.Random(0).shuffle(searches)
        return searches
    return [path]


def search_terms() -> list[str]:
    """The words of five letters or more in the titles and sentences the incidents are made of."""
    texts = [t for titles in TITLES.values() for t in titles] + list(SENTENCES) + list(DATA)
    words = re.findall(r"[^\W\d_]{5,}", " ".join(re.sub(r"\{\w+\}", " ", t) for t in texts))
    return sorted({word.lower() for word in words})


# --- the report -------------------------------------------------------------------------------


PAGE_ROUTES = {r.name for r in ROUTES if r.is_page and r.in_targets}
FRESH_ROUTES = {r.name for r in ROUTES if r.is_page and not r.in_targets}


def print_table(title: str, results: list[Result]) -> None:
    """Print the table and whether the targets hold."""
    ceiling = next((r for r in results if r.route == CEILING), None)
    print(f"\n{title}")
    print(
        f"{'route':<14} {'path':<44} {'requests':>8} {'rps':>8} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'errors':>6} {'×ceiling':>8} {'cpu ms':>7} {'load':>5}"
    )
    for r in results:
        share = f"{r.rps / ceiling.rps:.2f}" if ceiling and ceiling.rps else "-"
        print(
            f"{r.route:<14} {r.path:<44} {r.requests:>8} {r.rps:>8.1f} {r.p50:>8.1f} "
            f"{r.p95:>8.1f} {r.p99:>8.1f} {r.errors:>6} {share:>8} {r.cpu_ms:>7.2f} {r.load:>5.1f}"
        )
    print(
        "cpu ms: the server's CPU time per request (gunicorn's workers and, on PostgreSQL, "
        "their database backends); load: the machine's 1-minute load average after the route"
    )
    pages = [r for r in results if r.route in PAGE_ROUTES]
    if pages:
        worst = max(pages, key=lambda r: r.p95)
        holds = worst.p95 < TARGET_P95_MS and not any(r.errors for r in pages)
        print(
            f"target: p95 < {TARGET_P95_MS:g} ms on every page: "
            f"{'ok' if holds else 'MISSED'} (slowest: {worst.route} {worst.p95:.1f} ms)"
        )
    fresh = [r for r in results if r.route in FRESH_ROUTES]
    if fresh:
        print(
            "made afresh for each request (no kept copy), p95: "
            + ", ".join(f"{r.route} {r.p95:.1f} ms" for r in fresh)
        )
    dashboard = next((r for r in results if r.route == "dashboard"), None)
    if dashboard and ceiling:
        share = dashboard.rps / ceiling.rps
        holds = share >= TARGET_DASHBOARD_SHARE
        print(
            f"target: dashboard >= {TARGET_DASHBOARD_SHARE:g} × the throughput of {ceiling.path}: "
            f"{'ok' if holds else 'MISSED'} ({dashboard.rps:.0f} / {ceiling.rps:.0f} rps "
            f"= {share:.2f})"
        )


def print_comparison(before: dict[str, Any], after: dict[str, Any]) -> None:
    if before["config"].get("backend") != after["config"]["backend"]:
        print(f"\n--compare: that run was on {before['config'].get('backend')}, not compared")
        return
    for setup, now_results in after["results"].items():
        old_results = before["results"].get(setup)
        if not old_results:
            continue
        old = {r["route"]: r for r in old_results}
        print(f"\nbefore → after ({setup}; before: {before['config'].get('label') or 'saved'})")
        print(
            f"{'route':<14} {'rps before':>10} {'rps after':>10} {'×':>6} "
            f"{'p95 before':>11} {'p95 after':>10} {'÷':>6} "
            f"{'cpu before':>10} {'cpu after':>9} {'÷':>6}"
        )
        for r in now_results:
            o = old.get(r["route"])
            if not o:
                continue
            print(
                f"{r['route']:<14} {o['rps']:>10.1f} {r['rps']:>10.1f} "
                f"{r['rps'] / o['rps']:>6.2f} {o['p95']:>11.1f} {r['p95']:>10.1f} "
                f"{o['p95'] / r['p95']:>6.2f} {o['cpu_ms']:>10.2f} {r['cpu_ms']:>9.2f} "
                f"{o['cpu_ms'] / r['cpu_ms']:>6.2f}"
            )


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL on 127.0.0.1 (default: SQLite)")
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--requests", type=int, default=2000, help="per route, at most")
    parser.add_argument("--seconds", type=float, default=15.0, help="per route, at most")
    parser.add_argument("--warmup", type=int, default=3, help="requests per client, unmeasured")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--worker-class", nargs="+", default=["gthread"], choices=("gthread", "sync")
    )
    parser.add_argument("--threads", type=int, default=2, help="per gthread worker")
    parser.add_argument("--routes", nargs="+", choices=[r.name for r in ROUTES])
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--label", default="", help="a name for this run in --save")
    parser.add_argument("--save", type=Path, help="write the results as JSON")
    parser.add_argument("--compare", type=Path, help="a file of --save: print before → after")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite instance folder")
    args = parser.parse_args()
    # ended from outside (SIGTERM): still stop gunicorn and remove what was made
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))

    instance = Path(tempfile.mkdtemp(prefix="breachlog-web-bench-"))
    started = time.perf_counter()
    try:
        with database(args.database_url, instance) as db:
            os.environ.update(
                BREACHLOG_INSTANCE_PATH=str(instance),
                BREACHLOG_DATABASE_URL=db.url,
                BREACHLOG_SCHEDULER="off",
            )
            breachlog_command("init-db")
            now = datetime.now(UTC)
            filled = fill(args.incidents, args.seed, now)
            routes = [
                replace(route, path=route.path.replace("<last year>", str(now.year - 1)))
                for route in ROUTES
                if not args.routes or route.name in args.routes or route.name == CEILING
            ]
            token = breachlog_command("api-token", filled.officer_email, "--label", "bench")
            token = token.strip().splitlines()[-1]
            backend = db.backend
            print(
                f"{backend}, {filled.incidents:,} incidents ({OPEN} open), "
                f"{filled.audit_events:,} audit events; filled in "
                f"{time.perf_counter() - started:.1f} s"
            )
            print(breachlog_command("verify-audit").strip())
            print(
                f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
                f"load generator and server on the same machine"
            )
            saved: dict[str, Any] = {
                "config": {
                    "label": args.label,
                    "backend": backend,
                    "incidents": args.incidents,
                    "clients": args.clients,
                    "requests": args.requests,
                    "seconds": args.seconds,
                    "workers": args.workers,
                    "threads": args.threads,
                    "at": now.isoformat(),
                },
                "results": {},
            }
            for worker_class in args.worker_class:
                with server(instance, worker_class, args.threads, args.workers) as (port, master):
                    cookie = log_in(port, filled.officer_email, filled.officer_password)
                    describe(port, cookie, token, routes)
                    headers = {
                        "web": {"Cookie": cookie},
                        "api": {"Authorization": f"Bearer {token}"},
                        "none": {},
                    }
                    results = []
                    for route in routes:
                        paths = expand(route.path, filled, now)
                        results.append(
                            measure(port, master, db, route, paths, headers[route.auth], args)
                        )
                setup = f"{worker_class}, {args.workers} workers" + (
                    f" × {args.threads} threads" if worker_class == "gthread" else ""
                )
                title = (
                    f"{backend}, {args.incidents:,} incidents, gunicorn {setup}, "
                    f"{args.clients} clients, up to {args.requests} requests or "
                    f"{args.seconds:g} s per route"
                )
                print_table(title, results)
                saved["results"][setup] = [asdict(r) for r in results]
            if args.save:
                args.save.write_text(json.dumps(saved, indent=1))
            if args.compare:
                print_comparison(json.loads(args.compare.read_text()), saved)
    finally:
        if args.keep:
            print(f"kept {instance}")
        else:
            shutil.rmtree(instance, ignore_errors=True)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


def describe(port: int, cookie: str, token: str, routes: Sequence[Route]) -> None:
    """What the pages show, so a table is not read for pages that show nothing."""
    facts = []
    status, page = get(port, "/", {"Cookie": cookie})
    open_count = re.search(rb'data-count="open">(\d+)<', page)
    overdue = re.search(rb'data-count="overdue">(\d+)<', page)
    if open_count and overdue:
        facts.append(f"dashboard {open_count.group(1).decode()} open")
        facts.append(f"{overdue.group(1).decode()} overdue")
    for route in routes:
        if route.name in ("register", "search"):
            status, page = get(port, route.path, {"Cookie": cookie})
            found = re.search(rb'<p class="muted">(\d+) ', page)
            shown = found.group(1).decode() if found else "?"
            facts.append(f"{route.name} {shown} found ({status})")
    status, body = get(port, "/api/v1/incidents", {"Authorization": f"Bearer {token}"})
    if status == 200:
        facts.append(f"api total {json.loads(body)['total']}, {len(body) // 1024} KiB a page")
    print("pages: " + ", ".join(facts))


if __name__ == "__main__":
    main()
