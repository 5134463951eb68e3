"""How long `breachlog import --dry-run` takes for a large register, and how much memory.

    python bench/import_register.py [--sizes 10000 100000] [--formats csv xlsx] [--keep]

For each size, writes a register as an officer might have kept it in Excel (Dutch headers,
the register's columns, labels and dates as people type them, a title line above the
header; every row valid, so the whole of each row is checked) as CSV and as XLSX. Each file
is then checked in its own child process: a fresh SQLite instance, one organisation, and
`breachlog import FILE --dry-run` run in that process through the command line. It reports
the seconds of the import itself, the peak memory of the child (ru_maxrss: the app and the
database included) and rows per second. Target: 100,000 rows in under 60 s and 300 MB.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

TARGETS = {100_000: (60.0, 300.0)}  # seconds, MB
HEADER = [
    "Kenmerk",
    "Titel",
    "Wat er is gebeurd",
    "Begonnen op",
    "Ontdekt op",
    "Kennisname",
    "Soort incident",
    "Aard",
    "Persoonsgegevens",
    "Bijzondere persoonsgegevens",
    "Betrokkenen",
    "Aantal betrokkenen (min)",
    "Aantal betrokkenen (max)",
    "Aantal records",
    "Gevolgen",
    "Maatregelen",
    "Risico",
    "Onderbouwing risico",
    "Gemeld aan AP op",
    "Meldnummer",
    "Reden vertraging",
    "Betrokkenen geïnformeerd",
    "Oorzaak",
]
KINDS = (
    ("Laptop gestolen uit auto", "lost_device", "Schijf niet versleuteld"),
    ("Factuur naar verkeerde klant", "wrong_recipient", "Verkeerde ontvanger via autocomplete"),
    ("Phishingmail geopend, mailbox overgenomen", "hacking", "Geen tweestapsverificatie"),
    ("Ransomware op de fileserver", "ransomware", "Verouderde VPN-software"),
    ("Dossier in de trein laten liggen", "lost_device", "Papieren dossier mee naar huis"),
    ("Bestand met klantgegevens openbaar gedeeld", "publication", "Rechten te ruim ingesteld"),
)
DATA = ("name_address", "email", "phone", "financial", "login", "ip_address")
SENTENCES = (
    "Een medewerker meldde het de volgende ochtend bij de servicedesk.",
    "De gegevens van klanten met een onderhoudscontract stonden erin.",
    "Het bestand is binnen een uur verwijderd en de ontvanger bevestigde dat.",
    "Onbekend is of iemand de gegevens heeft ingezien.",
    "De leverancier heeft de logbestanden nagekeken.",
    "Wachtwoorden van de betrokken accounts zijn direct gewijzigd.",
    "Het ging om werkbonnen met naam, adres en telefoonnummer.",
    "De FG is dezelfde dag ingelicht.",
)


def when(moment: datetime, style: int) -> str:
    """A time as registers kept by hand write it: not always the same way.

    Never in the hour after 02:00, which on the nights the clocks change does not exist or
    happens twice (the import asks for an offset then: right, but not what this measures).
    """
    if moment.hour == 2:
        moment += timedelta(hours=1)
    if style == 0:
        return moment.strftime("%d-%m-%Y %H:%M")
    if style == 1:
        return moment.strftime("%Y-%m-%d %H:%M")
    return f"{moment.day}-{moment.month}-{moment.year} {moment:%H:%M}"


def register_rows(count: int, seed: int = 7) -> list[list[Any]]:
    """The header and `count` valid rows of 2025, in the order they were entered."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 9, 0)  # noqa: DTZ001 - local times, as an officer types them
    rows: list[list[Any]] = [HEADER]
    for n in range(1, count + 1):
        title, kind, cause = rng.choice(KINDS)
        # by day (09:00-22:00): no time falls in the hour the clocks skip or repeat
        aware = start + timedelta(days=rng.randint(0, 359), minutes=rng.randint(0, 13 * 60 - 1))
        discovered = aware - timedelta(minutes=rng.randint(0, 300))
        style = n % 3
        risk = rng.choice(("geen risico", "geen risico", "Risico", "Risico", "Hoog risico"))
        notified = late = informed = ""
        meldnummer = ""
        if risk != "geen risico":
            hours = rng.choice((7, 20, 30, 50, 50, 90))
            notified = when(aware + timedelta(hours=hours), style)
            meldnummer = f"M-2025-{n:06d}"
            late = "Omvang pas na onderzoek van de leverancier bekend" if hours > 72 else ""
        if risk == "Hoog risico":
            informed = when(aware + timedelta(days=2), style)
        people = rng.randint(1, 5000)
        rows.append(
            [
                f"2025-{n:05d}",
                f"{title} ({n})",
                " ".join(rng.sample(SENTENCES, rng.randint(1, 3))),
                when(discovered - timedelta(days=rng.randint(0, 2), hours=1), style),
                when(discovered, style),
                when(aware, style),
                kind,
                "C" if n % 4 else "C, A",
                "; ".join(rng.sample(DATA, rng.randint(1, 3))),
                "health" if n % 17 == 0 else "",
                "customers" if n % 5 else "customers; employees",
                people // 2,
                people,
                rng.randint(people, people * 3),
                "Klanten kunnen phishing-mail krijgen.",
                "corrigerend: wachtwoorden gewijzigd; preventief: tweestapsverificatie",
                risk,
                rng.choice(SENTENCES),
                notified,
                meldnummer,
                late,
                informed,
                cause,
            ]
        )
    return rows


def write(folder: Path, count: int) -> dict[str, Path]:
    """The same register as CSV (Dutch Excel: ";" and a BOM) and as XLSX."""
    from openpyxl import Workbook

    rows = register_rows(count)
    title = ["Datalekregister 2025 — Installatiebedrijf Van der Heijden"]
    paths = {"csv": folder / f"register-{count}.csv", "xlsx": folder / f"register-{count}.xlsx"}
    with paths["csv"].open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(title)
        writer.writerows(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Register 2025")
    sheet.append(title)
    for row in rows:
        sheet.append(row)
    book.save(paths["xlsx"])
    return paths


def check(instance: Path, path: Path) -> None:
    """In the child: a fresh instance with one organisation, then the dry run; prints seconds."""
    os.environ["BREACHLOG_INSTANCE_PATH"] = str(instance)
    os.environ["BREACHLOG_DATABASE_URL"] = "sqlite:///" + str(instance / "breachlog.sqlite")
    os.environ["BREACHLOG_SCHEDULER"] = "off"
    from breachlog import clock, create_app
    from breachlog.catalogue import services as catalogue
    from breachlog.extensions import db
    from breachlog.orgs import services as orgs

    app = create_app()
    with app.app_context():
        db.create_all()
        catalogue.seed()
        orgs.create_organisation(
            {
                "name": "Installatiebedrijf Van der Heijden B.V.",
                "kvk_number": "12345678",
                "ref_prefix": "VH",
                "fg_name": "Fenna Groen",
                "fg_email": "fg@example.nl",
                "escalation_emails": "directie@example.nl",
                "timezone": "Europe/Amsterdam",
            },
            actor="bench",
            now=clock.now(),
        )
        db.session.commit()
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["import", str(path), "--dry-run"])
    seconds = time.perf_counter() - started
    if result.exit_code != 0:
        problems = [line for line in result.output.splitlines() if "OK, would be" not in line]
        sys.stderr.write("\n".join(problems[-40:]) + "\n")
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        raise SystemExit(f"the dry run did not pass (exit {result.exit_code})")
    print(seconds)


def measure(folder: Path, path: Path) -> tuple[float, float, float]:
    """Run `check` in a child: (seconds of the import, CPU seconds of the child, peak MB)."""
    instance = Path(tempfile.mkdtemp(prefix="instance-", dir=folder))
    command = [sys.executable, __file__, "--check", str(instance), str(path)]
    with tempfile.TemporaryFile() as output, tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, stdout=output, stderr=errors)
        _pid, status, usage = os.wait4(child.pid, 0)
        if os.waitstatus_to_exitcode(status):
            errors.seek(0)
            raise SystemExit(f"{path.name}: the check failed:\n{errors.read().decode()[-3000:]}")
        output.seek(0)
        seconds = float(output.read().decode().split()[-1])
    shutil.rmtree(instance, ignore_errors=True)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="+", choices=["csv", "xlsx"], default=["csv", "xlsx"])
    parser.add_argument("--keep", action="store_true", help="keep the folder with the files")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="breachlog-bench-import-"))
    print(
        f"{'format':>6} {'rows':>8} {'size MB':>8} {'seconds':>8} {'cpu s':>7} "
        f"{'peak MB':>8} {'rows/s':>7}  target"
    )
    print(f"(load average before: {os.getloadavg()[0]:.2f}; CPU seconds include starting the app)")
    try:
        for count in args.sizes:
            paths = write(folder, count)
            for file_format in args.formats:
                path = paths[file_format]
                seconds, cpu, peak = measure(folder, path)
                target = ""
                if count in TARGETS:
                    most_seconds, most_mb = TARGETS[count]
                    ok = seconds < most_seconds and peak < most_mb
                    target = f"< {most_seconds:g} s, < {most_mb:g} MB"
                    target += "  ok" if ok else "  MISSED"
                print(
                    f"{file_format:>6} {count:>8} {path.stat().st_size / 1e6:>8.1f} "
                    f"{seconds:>8.2f} {cpu:>7.2f} {peak:>8.0f} {count / seconds:>7.0f}  {target}",
                    flush=True,
                )
    finally:
        if args.keep:
            print(f"  kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--check":
        check(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
