"""gunicorn started with breachlog's settings module writes every line in breachlog's format:
its master and workers starting and stopping as well as the app's access lines."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
from contextlib import suppress
from pathlib import Path

import pytest

from .mailbox import free_port

ROOT = Path(__file__).resolve().parent.parent
TEXT_LINE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 [A-Z]+ [\w.]+: ")


def run_gunicorn(tmp_path: Path, **settings: str) -> tuple[list[str], str]:
    """Start gunicorn as the README's unit does, ask one page, stop it with SIGTERM (as
    systemd does); its standard error as lines, and its standard output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHLOG_")}
    env["PYTHONPATH"] = str(ROOT)
    env["BREACHLOG_INSTANCE_PATH"] = str(tmp_path / "instance")
    env["BREACHLOG_DATABASE_URL"] = "sqlite:///" + str(tmp_path / "db.sqlite")
    env.update({"BREACHLOG_" + key: value for key, value in settings.items()})
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:breachlog.gunicorn_conf"]
        + ["--workers", "2", "--bind", f"127.0.0.1:{port}", "--no-control-socket"]
        + ["breachlog:create_app()"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    # whatever happens below, gunicorn is gone within a minute
    watchdog = threading.Timer(60, lambda: os.killpg(server.pid, signal.SIGKILL))
    watchdog.start()
    try:
        assert server.stderr is not None
        lines = []
        while not any("Listening at" in line for line in lines):
            line = server.stderr.readline()
            assert line, "gunicorn stopped before listening:\n" + "".join(lines)
            lines.append(line)
        page = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        page.request("GET", "/healthz")
        page.getresponse().read()
        page.close()
        server.send_signal(signal.SIGTERM)
        out, rest = server.communicate(timeout=60)
    finally:
        watchdog.cancel()
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
    lines += rest.splitlines(keepends=True)
    assert server.returncode == 0, "".join(lines)
    return [line.rstrip("\n") for line in lines], out


def said(lines: list[str], words: str) -> bool:
    return any(words in line for line in lines)


def test_gunicorn_writes_its_lines_in_breachlogs_format(tmp_path: Path) -> None:
    lines, out = run_gunicorn(tmp_path)
    wrong = [line for line in lines if not TEXT_LINE.match(line)]
    assert not wrong, "\n".join(lines)
    assert said(lines, "INFO gunicorn.error: Booting worker with pid")
    assert said(lines, "INFO gunicorn.error: Shutting down: Master")
    assert said(lines, "INFO breachlog.access: GET /healthz")
    assert out == ""  # gunicorn's own access log stays off


@pytest.mark.parametrize("where", ["environment", "config.py"])
def test_gunicorn_writes_json_lines_when_asked(tmp_path: Path, where: str) -> None:
    if where == "config.py":
        (tmp_path / "instance").mkdir(mode=0o700)
        (tmp_path / "instance" / "config.py").write_text('LOG_FORMAT = "json"\n')
        lines, out = run_gunicorn(tmp_path)
    else:
        lines, out = run_gunicorn(tmp_path, LOG_FORMAT="json")
    entries = [json.loads(line) for line in lines]
    assert all(TEXT_LINE.match(f"{e['time']} {e['level']} {e['logger']}: ") for e in entries)
    said = {(e["logger"], e["message"].split(" with pid")[0]) for e in entries}
    assert ("gunicorn.error", "Booting worker") in said
    assert ("gunicorn.error", "Shutting down: Master") in said
    assert any(e["logger"] == "breachlog.access" and e["path"] == "/healthz" for e in entries)
    assert out == ""
