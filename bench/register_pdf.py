"""How long `breachlog export-register` takes for a large register, and how much memory.

    python bench/register_pdf.py [--sizes 1000 10000] [--keep]

For each size, fills a fresh SQLite instance with that many incidents of one year (written
straight into the tables with SQLAlchemy Core, with realistic text lengths, measures,
notifications, communications and an audit history of five to seven events each), then runs
the whole command line as a user would, in a child process, and reports its wall time,
peak memory (of the command and the process it forks, together: see export()) and CPU
time (user + system of both: on a busy machine the wall time also counts other
processes). Targets: 1,000 incidents in under 3 s,
10,000 in under 20 s, under 300 MB at 10,000.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

YEAR = 2025
TARGETS = {1000: (3.0, None), 10000: (20.0, 300.0)}  # seconds, MB
SYLLABLES = tuple(
    syllable
    for line in (
        "be ge ver ont klant ge ge vens adres mail mede wer ker lap top wacht woord fac",
        "tuur be stand stuur ont van ger bei lig heid sleu teld le ve ran cier in stal la",
        "teur tele foon be ta ling stel in log ac count sys teem wij derd ko pi eerd be",
        "voegd toe gang in for meerd maat re gel ri si co fi nan ci ele scha de iden ti",
        "teit frau de phi shing",
    )
    for syllable in line.split()
)
COMMON = ("de", "het", "een", "en", "van", "in", "is", "op", "te", "dat", "die", "met", "voor")


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Made-up words of two to five syllables: real text repeats words, but not only a few."""
    words = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 5))) for _ in range(size)}
    return [*COMMON, *sorted(words), "€", "financiële", "geïnformeerd"]


CAUSES = (
    "Menselijke fout: verkeerde ontvanger gekozen via autocomplete",
    "Phishingmail met een valse inlogpagina",
    "Laptop zonder schijfversleuteling",
    "Verkeerd ingestelde rechten in de gedeelde map",
    "Papieren dossier in de trein laten liggen",
    "Zwak wachtwoord zonder tweestapsverificatie",
)


WORDS: list[str] = []


def text(rng: random.Random, low: int, high: int) -> str:
    """Words up to a length between low and high characters, in sentences."""
    target, words = rng.randint(low, high), []
    length = 0
    while length < target:
        # roughly Zipf: a few words very often, most rarely, as in a real register
        word = WORDS[int(len(WORDS) * rng.random() ** 4)]
        words.append(word)
        length += len(word) + 1
    sentences = [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
    return ". ".join(s[:1].upper() + s[1:] for s in sentences) + "."


def fill(instance: Path, count: int, seed: int = 7) -> int:
    """A database with `count` incidents of YEAR; returns the organisation's id."""
    os.environ["BREACHLOG_INSTANCE_PATH"] = str(instance)
    os.environ["BREACHLOG_DATABASE_URL"] = "sqlite:///" + str(instance / "breachlog.sqlite")
    from breachlog import create_app
    from breachlog.audit.models import AuditEvent
    from breachlog.catalogue import services as catalogue
    from breachlog.extensions import db
    from breachlog.incidents.models import AUDITED_FIELDS, Incident, Measure
    from breachlog.notifications.models import Notification, SubjectCommunication
    from breachlog.orgs import services as orgs

    app = create_app()
    rng = random.Random(seed)
    WORDS[:] = vocabulary(rng)
    with app.app_context():
        db.create_all()
        catalogue.seed()
        now = datetime(YEAR + 1, 1, 15, 9, 0, tzinfo=UTC)
        organisation = orgs.create_organisation(
            {
                "name": "Installatiebedrijf Van der Heijden B.V.",
                "kvk_number": "12345678",
                "ref_prefix": "DL",
                "fg_name": "Fenna Groen",
                "fg_email": "fg@example.nl",
                "escalation_emails": "directie@example.nl",
                "timezone": "Europe/Amsterdam",
            },
            actor="bench",
            now=now,
        )
        db.session.flush()
        start = datetime(YEAR, 1, 1, 8, 0, tzinfo=UTC)
        incidents, measures, notifications, communications, events = [], [], [], [], []
        types = ("lost_device", "wrong_recipient", "hacking", "ransomware", "publication")
        for n in range(1, count + 1):
            aware = start + timedelta(minutes=rng.randint(0, 364 * 24 * 60))
            risk = rng.choice(("none", "none", "risk", "risk", "high"))
            notified = (
                aware + timedelta(hours=rng.choice((20, 40, 60, 90))) if risk != "none" else None
            )
            row = {
                "id": n,
                "ref": f"DL-{YEAR}-{n:04d}",
                "ref_year": YEAR,
                "organisation_id": organisation.id,
                "title": text(rng, 30, 90)[:200],
                "summary": text(rng, 250, 700),
                "reporter_id": None,
                "reporter_contact": "",
                "assignee_id": None,
                "occurred_from": aware - timedelta(hours=rng.randint(1, 72)),
                "occurred_until": None,
                "is_ongoing": False,
                "discovered_at": aware,
                "aware_at": aware,
                "deadline_at": aware + timedelta(hours=72),
                "first_aware_at": aware,
                "first_deadline_at": aware + timedelta(hours=72),
                "how_discovered": text(rng, 40, 120),
                "processor_name": "",
                "processor_aware_at": None,
                "processor_notified_at": None,
                "incident_type": rng.choice(types),
                "nature": ["confidentiality"] + (["availability"] if n % 4 == 0 else []),
                "personal_data": ["name_address", "email"] + (["financial"] if n % 3 == 0 else []),
                "personal_data_details": "",
                "special_categories": ["health"] if n % 17 == 0 else [],
                "subject_categories": ["customers"],
                "people_min": rng.randint(1, 50),
                "people_max": rng.randint(50, 5000),
                "records_count": rng.randint(1, 10000),
                "is_protected": n % 5 == 0,
                "protection_details": "",
                "consequences": text(rng, 100, 300),
                "is_personal_data_breach": True,
                "not_breach_rationale": "",
                "risk": risk,
                "risk_rationale": text(rng, 120, 350),
                "is_dpo_involved": True,
                "enisa_dpc": None,
                "enisa_ei": None,
                "enisa_cb": None,
                "is_cross_border": False,
                "member_states": [],
                "status": "notified" if notified else "assessed",
                "notified_at": notified,
                "meldnummer": f"M{2000000 + n}" if notified else "",
                "is_withdrawn": False,
                "subjects_informed_at": notified if risk == "high" and n % 2 else None,
                "exemption_ground": "unintelligible" if risk == "high" and not n % 2 else "",
                "cause": rng.choice(CAUSES),
                "evaluation": text(rng, 60, 200),
                "created_at": aware,
                "updated_at": aware,
                "closed_at": None,
            }
            row = {**_defaults(Incident), **row}
            incidents.append(row)
            state = {k: _json(row[k]) for k in AUDITED_FIELDS}
            events.append(_event(n, "incident.reported", aware, {}, state))
            for kind in ("corrective", "preventive"):
                measure = {
                    "id": len(measures) + 1,
                    "incident_id": n,
                    "kind": kind,
                    "description": text(rng, 60, 160),
                    "owner": "ICT",
                    "due_on": (aware + timedelta(days=30)).date(),
                    "done_at": aware + timedelta(days=2) if kind == "corrective" else None,
                    "created_at": aware + timedelta(hours=1),
                }
                measures.append(measure)
                events.append(
                    _event(
                        n,
                        "measure.added",
                        aware + timedelta(hours=1),
                        {},
                        {
                            "kind": kind,
                            "description": measure["description"],
                            "owner": "ICT",
                        },
                        object_id=measure["id"],
                    )
                )
            events.append(
                _event(
                    n,
                    "incident.assessed",
                    aware + timedelta(hours=2),
                    {
                        "risk": "unassessed",
                        "risk_rationale": "",
                        "status": "open",
                    },
                    {"risk": risk, "risk_rationale": row["risk_rationale"], "status": "assessed"},
                )
            )
            if notified:
                late = notified > row["deadline_at"]
                notifications.append(
                    {
                        "id": len(notifications) + 1,
                        "incident_id": n,
                        "kind": "initial",
                        "submitted_at": notified,
                        "meldnummer": row["meldnummer"],
                        "is_provisional": False,
                        "is_late": late,
                        "reasons_for_delay": text(rng, 60, 150) if late else "",
                        "answers": {},
                        "follows": [],
                        "note": "",
                        "recorded_by_id": None,
                        "created_at": notified,
                    }
                )
                events.append(
                    _event(
                        n,
                        "notification.initial",
                        notified,
                        {},
                        {
                            "kind": "initial",
                            "submitted_at": notified.isoformat(),
                            "meldnummer": row["meldnummer"],
                            "is_late": late,
                        },
                        object_id=len(notifications),
                    )
                )
                events.append(
                    _event(
                        n,
                        "incident.updated",
                        notified,
                        {
                            "status": "assessed",
                            "notified_at": None,
                            "meldnummer": "",
                        },
                        {
                            "status": "notified",
                            "notified_at": notified.isoformat(),
                            "meldnummer": row["meldnummer"],
                        },
                    )
                )
            if risk == "high":
                communications.append(
                    {
                        "id": len(communications) + 1,
                        "incident_id": n,
                        "is_exemption": not n % 2,
                        "sent_at": notified if n % 2 else None,
                        "channel": "email" if n % 2 else "",
                        "people_reached": row["people_max"] if n % 2 else None,
                        "text": text(rng, 400, 900) if n % 2 else "",
                        "ground": "" if n % 2 else "unintelligible",
                        "rationale": "" if n % 2 else text(rng, 80, 200),
                        "public_communication": "",
                        "recorded_by_id": None,
                        "created_at": notified,
                    }
                )
                told = communications[-1]
                after = {k: _json(told[k]) for k in ("is_exemption", "sent_at", "channel", "text")}
                events.append(
                    _event(
                        n,
                        "subjects.exempted" if told["is_exemption"] else "subjects.informed",
                        notified,
                        {},
                        after,
                        object_type="subjectcommunication",
                        object_id=told["id"],
                    )
                )
        _chain(events)
        for model, rows in (
            (Incident, incidents),
            (Measure, measures),
            (Notification, notifications),
            (SubjectCommunication, communications),
            (AuditEvent, events),
        ):
            for i in range(0, len(rows), 5000):
                db.session.execute(sa.insert(model.__table__), rows[i : i + 5000])
        db.session.commit()
        return int(organisation.id)


def _defaults(model: Any) -> dict[str, Any]:
    """Every column of the model with the value the app would give it when not set."""
    values: dict[str, Any] = {}
    for column in model.__table__.columns:
        default = column.default
        if default is None:
            values[column.key] = None
        elif default.is_callable:
            values[column.key] = default.arg(None)
        else:
            values[column.key] = default.arg
    return values


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _event(
    incident_id: int,
    action: str,
    at: datetime,
    before: dict,
    after: dict,
    object_type: str | None = None,
    object_id: int | None = None,
) -> dict:
    return {
        "at": at,
        "actor_id": None,
        "actor": "fg@example.nl",
        "action": action,
        "object_type": object_type or action.split(".")[0],
        "object_id": object_id or incident_id,
        "incident_id": incident_id,
        "before": before,
        "after": after,
        "reason": "",
    }


def _chain(events: list[dict]) -> None:
    """Link the events in time order after the newest event already stored."""
    from breachlog.audit.models import AuditEvent
    from breachlog.domain import audit as rules
    from breachlog.extensions import db

    events.sort(key=lambda e: e["at"])
    last = db.session.execute(
        sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    previous = last or rules.GENESIS
    for event in events:
        # the same fields AuditEvent.chain_fields() gives, so `breachlog verify-audit` passes
        fields = {**event, "at": event["at"].isoformat()}
        event["prev_hash"] = previous
        event["hash"] = previous = rules.event_hash(previous, fields)


def export(
    instance: Path, organisation_id: int, file_format: str
) -> tuple[float, float, float, int]:
    """Run the command line in a child: (wall seconds, CPU seconds, peak MB, bytes written).

    The CPU seconds count the command and the process it forks to lay out the PDF's rows
    (export_parallel). The peak memory is the larger of the command's own peak (ru_maxrss)
    and the peak of the command and its child together, sampled every 20 ms as their
    proportional set size (PSS: the pages they share after the fork count once).
    """
    output = instance / f"register.{file_format}"
    script = Path(sys.executable).with_name("breachlog")
    # without the package installed (PYTHONPATH at a checkout), the same entry point
    program = [str(script)]
    if not script.exists():
        program = [sys.executable, "-c", "from breachlog.cli import main; main()"]
    command = [
        *program,
        "export-register",
        "--year",
        str(YEAR),
        "--organisation",
        str(organisation_id),
        "--format",
        file_format,
        "-o",
        str(output),
    ]
    env = {**os.environ, "BREACHLOG_INSTANCE_PATH": str(instance)}
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        sampler = TreeMemory(child.pid)
        sampler.start()
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            errors.seek(0)
            raise SystemExit(f"export failed ({child.returncode}):\n{errors.read().decode()}")
    # wait4 counts the command's own children (waited for) in its CPU time
    cpu = usage.ru_utime + usage.ru_stime
    peak = max(usage.ru_maxrss / 1024, sampler.peak / 1024)
    return wall, cpu, peak, output.stat().st_size


class TreeMemory(threading.Thread):
    """The peak of a process's and its descendants' summed PSS, in kB, sampled."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.02):
            self.peak = max(self.peak, sum(map(_pss, _tree(self.pid))))


def _tree(pid: int) -> list[int]:
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        try:
            tasks = Path(f"/proc/{current}/task").iterdir()
            for task in tasks:
                waiting += [int(c) for c in (task / "children").read_text().split()]
        except OSError:  # ended meanwhile
            continue
    return found


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", action="store_true", help="keep the instance folders")
    args = parser.parse_args()
    print(
        f"{'incidents':>9} {'format':>6} {'fill s':>7} {'wall s':>7} {'cpu s':>7} "
        f"{'peak MB':>8} {'size MB':>8} {'pages':>6}  target"
    )
    print(f"(load average before: {os.getloadavg()[0]:.2f}; wall time counts other processes too)")
    for count in args.sizes:
        instance = Path(tempfile.mkdtemp(prefix=f"breachlog-bench-{count}-"))
        try:
            started = time.perf_counter()
            # filled in a child so this process's memory does not count as the export's
            filled = subprocess.run(
                [sys.executable, __file__, "--fill", str(instance), str(count)],
                check=True,
                capture_output=True,
                text=True,
            )
            organisation_id = int(filled.stdout.strip())
            fill_seconds = time.perf_counter() - started
            for file_format in ("pdf", "csv"):
                wall, cpu, peak, size = export(instance, organisation_id, file_format)
                pages = _pages(instance / "register.pdf") if file_format == "pdf" else ""
                seconds, megabytes = TARGETS.get(count, (None, None))
                target = ""
                if file_format == "pdf" and seconds:
                    ok = wall < seconds and (megabytes is None or peak < megabytes)
                    target = f"< {seconds:g} s" + (f", < {megabytes:g} MB" if megabytes else "")
                    target += "  ok" if ok else "  MISSED"
                print(
                    f"{count:>9} {file_format:>6} {fill_seconds:>7.1f} {wall:>7.2f} {cpu:>7.2f} "
                    f"{peak:>8.0f} {size / 1e6:>8.1f} {pages!s:>6}  {target}"
                )
        finally:
            if args.keep:
                print(f"  kept {instance}")
            else:
                shutil.rmtree(instance, ignore_errors=True)


def _pages(path: Path) -> int:
    # counted in a child: a child's peak memory starts from its parent's (fork, then exec)
    script = "import sys, pypdf; print(len(pypdf.PdfReader(sys.argv[1]).pages))"
    counted = subprocess.run(
        [sys.executable, "-c", script, str(path)], check=True, capture_output=True, text=True
    )
    return int(counted.stdout)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--fill":
        print(fill(Path(sys.argv[2]), int(sys.argv[3])))
    else:
        main()
