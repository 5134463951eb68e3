"""The README's "Running in production", run as written: its marked blocks, in their order,
against a fresh PostgreSQL database, with gunicorn and the scheduler started from its
systemd units. Adapted only where a test must: paths under a temporary folder, a free port,
the test server's database, and no `sudo` (the test runs as one user)."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from .conftest import PG_URL, pg_url
from .mailbox import free_port

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PASSWORD = "n@cht:wacht"  # the README's example, %-encoded in its database URL
pytestmark = pytest.mark.skipif(not PG_URL, reason="needs BREACHLOG_TEST_DATABASE_URL")


@dataclass
class Block:
    kind: str  # production | cron
    language: str
    text: str


def marked_blocks() -> list[Block]:
    text = README.read_text()
    section = text[text.index("## Running in production") : text.index("## Tests")]
    found = re.finditer(r"<!-- tested: (\w+) -->\n```(\w*)\n(.*?)\n```", section, re.S)
    return [Block(m.group(1), m.group(2), m.group(3)) for m in found]


@dataclass
class Place:
    tmp: Path
    port: int
    database_url: str

    def adapt(self, text: str) -> str:
        for written, here in (
            ("sudo -u breachlog ", ""),
            ("sudo ", ""),
            (" -o breachlog -g breachlog", ""),
            ("/usr/local/bin/breachlog", str(self.tmp / "bin" / "breachlog")),
            ("/opt/breachlog", str(self.tmp / "opt")),
            ("/var/lib/breachlog", str(self.tmp / "data")),
            ("/var/backups/breachlog", str(self.tmp / "backups")),
            ("/etc/breachlog", str(self.tmp / "etc")),
            ("127.0.0.1:8000", f"127.0.0.1:{self.port}"),
            ("breachlog:n%40cht%3Awacht@localhost/breachlog", self.database_url),
        ):
            text = text.replace(written, here)
        return text


@dataclass
class Unit:
    settings: dict[str, list[str]]

    def get(self, key: str) -> str | None:
        values = self.settings.get(key)
        return values[-1] if values else None


def parse_unit(text: str) -> Unit:
    settings: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return Unit(settings)


@pytest.fixture
def database() -> Iterator[str]:
    """A fresh database owned by a role whose password needs %-encoding."""
    name = "bl_readme_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(pg_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{PASSWORD}'"))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" OWNER "{name}"'))
    server = sa.make_url(pg_url())
    try:
        yield f"{name}:n%40cht%3Awacht@{server.host}:{server.port or 5432}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{name}"'))
        admin.dispose()


def fake_installation(tmp: Path) -> None:
    """/opt/breachlog/.venv with this checkout in it, as the README's install step makes."""
    bin_folder = tmp / "opt" / ".venv" / "bin"
    bin_folder.mkdir(parents=True)
    (tmp / "bin").mkdir()
    for name, run in (
        ("breachlog", "-c 'from breachlog.cli import main; main()'"),
        ("gunicorn", "-m gunicorn"),
    ):
        script = bin_folder / name
        script.write_text(
            f'#!/bin/sh\nPYTHONPATH={shlex.quote(str(ROOT))} exec {sys.executable} {run} "$@"\n'
        )
        script.chmod(0o755)


def environment(tmp: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BREACHLOG_", "PYTHON"))}
    env["PATH"] = f"{tmp / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}"
    return env | (extra or {})


def shell(script: str, tmp: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp,
        env=environment(tmp),
        start_new_session=True,  # no terminal: create-user reads its password from stdin
    )


def environment_file(unit: Unit) -> dict[str, str]:
    values = {}
    for path in unit.settings.get("EnvironmentFile", []):
        for line in Path(path).read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                key, _, value = line.partition("=")
                values[key.strip()] = value.strip()
    return values


def start(unit: Unit, tmp: Path, log: Path) -> subprocess.Popen[str]:
    env = environment(tmp, environment_file(unit))
    cwd = unit.get("WorkingDirectory")
    for command in unit.settings.get("ExecStartPre", []):
        checked = subprocess.run(
            shlex.split(command), env=env, cwd=cwd, capture_output=True, text=True, timeout=60
        )
        assert checked.returncode == 0, checked.stderr
    with log.open("w") as out:
        return subprocess.Popen(
            shlex.split(unit.get("ExecStart") or ""),
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            preexec_fn=lambda: os.umask(0o077),  # UMask=0077 of the unit
        )


def wait_ready(port: int, processes: list[subprocess.Popen[str]], logs: list[Path]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for process, log in zip(processes, logs, strict=True):
            assert process.poll() is None, log.read_text()
        url = f"http://127.0.0.1:{port}/readyz"
        with suppress(OSError), urllib.request.urlopen(url, timeout=5) as answer:
            if answer.status == 200:
                return
        time.sleep(0.5)
    pytest.fail("not ready within 60 s:\n" + "\n".join(log.read_text() for log in logs))


def test_the_production_section_works_as_written(tmp_path: Path, database: str) -> None:
    place = Place(tmp_path, free_port(), database)
    fake_installation(tmp_path)
    blocks = marked_blocks()
    scripts = [place.adapt(b.text) for b in blocks if b.language == "sh"]
    services_at = next(i for i, s in enumerate(scripts) if "systemctl" in s)
    units = [parse_unit(place.adapt(b.text)) for b in blocks if b.language == "ini"]
    (cron,) = [b for b in blocks if b.kind == "cron"]

    before = shell("\n".join(scripts[:services_at]), tmp_path, stdin="correct horse battery\n" * 2)
    assert before.returncode == 0, before.stdout + before.stderr
    assert "Settings are fine" in before.stdout
    data = tmp_path / "data"
    assert (data / "config.py").stat().st_mode & 0o777 == 0o600
    assert (data / "secret_key").stat().st_mode & 0o777 == 0o600

    long_running = [u for u in units if u.get("Type") != "oneshot"]
    for unit in units:
        assert unit.get("ProtectSystem") == "strict" and unit.get("NoNewPrivileges") == "true"
        assert str(data) in (unit.get("ReadWritePaths") or "")
        assert unit.get("UMask") == "0077"
        assert "/opt" not in (unit.get("WorkingDirectory") or "")
    logs = [tmp_path / f"service-{number}.log" for number in range(len(long_running))]
    processes = [start(unit, tmp_path, log) for unit, log in zip(long_running, logs, strict=True)]
    try:
        wait_ready(place.port, processes, logs)
        after = shell("\n".join(scripts[services_at + 1 :]), tmp_path)
        assert after.returncode == 0, after.stdout + after.stderr
        assert '"status":"ready"' in after.stdout.replace(" ", "")
        (oneshot,) = [u for u in units if u.get("Type") == "oneshot"]
        timer = subprocess.run(
            shlex.split(oneshot.get("ExecStart") or ""),
            env=environment(tmp_path, environment_file(oneshot)),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert timer.returncode == 0, timer.stderr
        line = next(x for x in cron.text.splitlines() if not x.startswith("#"))
        minute, hour, day, month, weekday, user, command = line.split(None, 6)
        assert "%" not in command  # cron would cut the line there
        nightly = subprocess.run(
            ["sh", "-c", place.adapt(command)],
            env=environment(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert nightly.returncode == 0, nightly.stderr
    finally:
        for process in processes:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    (web_log,) = [
        log
        for unit, log in zip(long_running, logs, strict=True)
        if "gunicorn" in str(unit.get("ExecStart"))
    ]
    # gunicorn's own lines too start with the UTC time and its zone (breachlog/gunicorn_conf.py)
    utc = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00 ")
    wrong = [line for line in web_log.read_text().splitlines() if not utc.match(line)]
    assert not wrong, web_log.read_text()
    dumps = list((tmp_path / "backups").glob("breachlog-*.dump"))
    assert dumps and all(d.stat().st_mode & 0o777 == 0o600 for d in dumps)
    url = sa.make_url(pg_url()).set(database=database.rsplit("/", 1)[1])
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT email FROM users")) == "fg@example.nl"
    engine.dispose()
