"""Wrong settings stop breachlog at its start, naming the setting, never as a 500 later."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import suppress
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from breachlog import create_app
from breachlog.config_check import InvalidSettings, StartRefused, problems

ROOT = Path(__file__).resolve().parent.parent
CLI = "from breachlog.cli import main; main()"
A_KEY = "A" * 43 + "="  # a key as `breachlog rotate-key` prints one (32 bytes, base64)


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHLOG_")}
    env["PYTHONPATH"] = str(ROOT)
    env["BREACHLOG_INSTANCE_PATH"] = str(tmp_path / "instance")
    env["BREACHLOG_DATABASE_URL"] = "sqlite:///" + str(tmp_path / "db.sqlite")
    env.update({"BREACHLOG_" + key: value for key, value in settings.items()})
    return env


def breachlog(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        env=environment(tmp_path, **settings),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def settings_problems(tmp_path: Path, **config: object) -> list[str]:
    return problems(config, str(tmp_path / "instance"))


def test_check_config_names_every_wrong_setting(tmp_path: Path) -> None:
    result = breachlog(
        tmp_path,
        "check-config",
        REMINDER_OFFSETS="48x",
        SCHEDULER="of",
        SMTP_PORT="abc",
        SMTP_STARTTLS="maybe",
    )
    assert result.returncode == 2
    assert "REMINDER_OFFSETS (BREACHLOG_REMINDER_OFFSETS): not a reminder offset: '48x'" in (
        result.stderr
    )
    assert "SCHEDULER (BREACHLOG_SCHEDULER): 'of': use inline or off" in result.stderr
    assert "SMTP_PORT (BREACHLOG_SMTP_PORT): 'abc' is not a number" in result.stderr
    assert "SMTP_STARTTLS (BREACHLOG_SMTP_STARTTLS): 'maybe': use true or false" in result.stderr
    assert "Traceback" not in result.stderr


def test_settings_that_work_are_not_refused(tmp_path: Path) -> None:
    rotating = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    found = settings_problems(
        tmp_path,
        ENCRYPTION_KEY=rotating,
        SESSION_ABSOLUTE_LIFETIME=timedelta(hours=4),
        API_TOKEN_DAYS=366,
        SMTP_TIMEOUT=2.5,
    )
    assert found == []
    assert settings_problems(tmp_path, SESSION_ABSOLUTE_LIFETIME=8, API_TOKEN_DAYS="30") == []


def test_a_wrong_encryption_key_is_refused_without_repeating_it(tmp_path: Path) -> None:
    """Before, it started, and turning on two-factor login then answered 500."""
    result = breachlog(tmp_path, "check-config", ENCRYPTION_KEY="my-secret-passphrase")
    assert result.returncode == 2
    assert "ENCRYPTION_KEY (BREACHLOG_ENCRYPTION_KEY): not a key breachlog can use" in (
        result.stderr
    )
    assert "my-secret-passphrase" not in result.stderr


def test_numbers_in_the_environment_are_named_with_their_variable(tmp_path: Path) -> None:
    """Before: "SESSION_ABSOLUTE_LIFETIME: 'abc': use true or false"."""
    result = breachlog(
        tmp_path, "check-config", SESSION_HOURS="abc", API_TOKEN_DAYS="-5", SMTP_TIMEOUT="inf"
    )
    assert result.returncode == 2
    assert "SESSION_ABSOLUTE_LIFETIME (BREACHLOG_SESSION_HOURS): 'abc' is not a number" in (
        result.stderr
    )
    assert "API_TOKEN_DAYS (BREACHLOG_API_TOKEN_DAYS): -5: give the days" in result.stderr
    assert "SMTP_TIMEOUT (BREACHLOG_SMTP_TIMEOUT): inf is not a number of seconds" in (
        result.stderr
    )
    huge = breachlog(tmp_path, "check-config", SESSION_HOURS="1e300")
    assert huge.returncode == 2 and "Traceback" not in huge.stderr


def test_a_config_file_with_a_mistake_is_named_not_a_traceback(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text('SMTP_HOST = "smtp.example.nl\n')
    for command in ("check-config", "serve"):
        result = breachlog(tmp_path, command)
        assert result.returncode == 2
        assert "config.py: cannot be read: SyntaxError" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "db.sqlite").exists()


def test_check_config_passes_the_defaults(tmp_path: Path) -> None:
    result = breachlog(tmp_path, "check-config")
    assert result.returncode == 0, result.stderr
    assert "Settings are fine" in result.stdout


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("REMINDER_OFFSETS", "12h=boss", "unknown level 'boss'"),
        ("REMINDER_OFFSETS", "48x", "not a reminder offset"),
        ("SCHEDULER", "of", "use inline or off"),
        ("SMTP_PORT", 70000, "not a port number"),
        ("SMTP_TIMEOUT", 0, "not a number of seconds"),
        ("SMTP_STARTTLS", "yes", "use True or False"),
        ("MAIL_FROM", "datalek", "not an e-mail address"),
        ("BASE_URL", "datalek.example.nl", "give the address people use"),
        ("TIMEZONE", "Europe/Amsterdm", "not a time zone"),
        ("PROXY_FIX", -1, "number of proxies"),
        ("LOG_FORMAT", "xml", "use text or json"),
        ("METRICS_TOKEN", "short", "at least 16 characters"),
        ("SQLALCHEMY_DATABASE_URI", "mysql://x@y/z", "PostgreSQL or SQLite"),
        ("SQLALCHEMY_DATABASE_URI", "breachlog:secret@localhost", "not a database URL"),
        ("SMTP_TIMEOUT", float("inf"), "not a number of seconds"),
        ("ENCRYPTION_KEY", "not-a-key", "not a key breachlog can use"),
        ("ENCRYPTION_KEY", A_KEY + ",old-key", "not a key"),
        ("SESSION_ABSOLUTE_LIFETIME", timedelta(hours=-3), "the hours a login lasts"),
        ("SESSION_ABSOLUTE_LIFETIME", "twelve", "the hours a login lasts"),
        ("API_TOKEN_DAYS", 0, "1 to 366"),
        ("API_TOKEN_DAYS", 1000, "1 to 366"),
        ("API_TOKEN_DAYS", "ninety", "1 to 366"),
    ],
)
def test_each_wrong_setting_is_named(tmp_path: Path, key: str, value: object, words: str) -> None:
    found = settings_problems(tmp_path, **{key: value})
    assert len(found) == 1
    assert found[0].startswith(key + " (BREACHLOG_")
    assert words in found[0]


def test_an_instance_folder_inside_the_python_environment_is_refused() -> None:
    inside = os.path.join(sys.prefix, "var", "breachlog-instance")
    found = problems({}, inside)
    if sys.prefix == sys.base_prefix:
        pytest.skip("the tests do not run in a virtual environment")
    assert found and found[0].startswith("INSTANCE_PATH (BREACHLOG_INSTANCE_PATH)")


def test_serve_refuses_to_start_with_wrong_reminder_offsets(tmp_path: Path) -> None:
    """Before, it started and every new report then failed with a 500."""
    result = breachlog(tmp_path, "serve", "--port", "1", REMINDER_OFFSETS="48x")
    assert result.returncode == 2
    assert "REMINDER_OFFSETS" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "db.sqlite").exists()


def test_scheduler_refuses_to_start_with_an_unknown_mode(tmp_path: Path) -> None:
    result = breachlog(tmp_path, "scheduler", SCHEDULER="of")
    assert result.returncode == 2
    assert "SCHEDULER (BREACHLOG_SCHEDULER): 'of'" in result.stderr


def gunicorn(tmp_path: Path, *options: str) -> tuple[int, str]:
    """gunicorn started with these options on settings with a wrong reminder level."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *options, "--bind", "127.0.0.1:0"]
        + ["breachlog:create_app()"],
        env=environment(tmp_path, REMINDER_OFFSETS="12h=boss"),
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _, log = server.communicate(timeout=60)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
    return server.returncode, log


def test_gunicorn_as_the_readme_starts_it_refuses_wrong_settings_before_any_worker(
    tmp_path: Path,
) -> None:
    """Four workers refusing at once made gunicorn print a traceback of its own."""
    status, log = gunicorn(tmp_path, "-c", "python:breachlog.gunicorn_conf", "--workers", "4")
    assert status == 2
    assert "REMINDER_OFFSETS (BREACHLOG_REMINDER_OFFSETS): unknown level 'boss'" in log
    assert "Traceback" not in log
    assert "Booting worker" not in log


def test_gunicorn_without_breachlogs_settings_still_refuses_in_each_worker(
    tmp_path: Path,
) -> None:
    status, log = gunicorn(tmp_path, "--workers", "2")
    assert status != 0
    assert "REMINDER_OFFSETS (BREACHLOG_REMINDER_OFFSETS): unknown level 'boss'" in log
    assert not (tmp_path / "db.sqlite").exists()


def test_the_app_factory_refuses_wrong_settings(tmp_path: Path, monkeypatch) -> None:
    for key, value in environment(tmp_path, SCHEDULER="of").items():
        monkeypatch.setenv(key, value)
    with pytest.raises(InvalidSettings) as refused:
        create_app()
    assert refused.value.problems == ["SCHEDULER (BREACHLOG_SCHEDULER): 'of': use inline or off"]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand a folder to another user")
def test_a_command_run_as_root_in_the_services_folder_stops_and_creates_nothing(
    tmp_path: Path,
) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    os.chown(instance, 65534, 65534)  # the service user's folder
    result = breachlog(tmp_path, "verify-audit")
    assert result.returncode == 2
    assert "belongs to" in result.stderr and "sudo -u" in result.stderr
    assert list(instance.iterdir()) == []


def test_the_app_factory_refuses_an_instance_folder_of_another_user(
    tmp_path: Path, monkeypatch
) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    monkeypatch.setattr(os, "geteuid", lambda: instance.stat().st_uid + 1)
    with pytest.raises(StartRefused, match="belongs to"):
        create_app({"INSTANCE_PATH": str(instance), "TESTING": True})
    assert not (instance / "secret_key").exists()


def test_the_secret_key_is_made_readable_by_its_owner_only(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True})
    key = Path(app.instance_path) / "secret_key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert Path(app.instance_path).stat().st_mode & 0o777 == 0o700


def test_the_sqlite_database_is_made_readable_by_its_owner_only(tmp_path: Path) -> None:
    result = breachlog(tmp_path, "init-db")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "db.sqlite").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o777 == 0o600
