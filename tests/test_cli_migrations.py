"""Migrations from the command line, and commands that do not migrate starting without them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .test_config_check import breachlog, environment

HEAD = sorted((Path(__file__).parents[1] / "breachlog/migrations/versions").glob("0*.py"))[-1]


def test_init_db_then_db_current_names_the_newest_migration(tmp_path: Path) -> None:
    assert breachlog(tmp_path, "init-db").returncode == 0
    result = breachlog(tmp_path, "db", "current")
    assert result.returncode == 0, result.stderr
    assert f"{HEAD.stem.split('_')[0]} (head)" in result.stdout


def test_db_takes_flask_migrates_own_options(tmp_path: Path) -> None:
    result = breachlog(tmp_path, "db", "--directory", str(tmp_path / "nowhere"), "current")
    assert "Path doesn't exist" in result.stderr


def test_db_lists_its_commands(tmp_path: Path) -> None:
    result = breachlog(tmp_path, "db", "--help")
    assert result.returncode == 0
    assert "upgrade" in result.stdout and "downgrade" in result.stdout


def test_the_app_and_its_commands_load_without_alembic_or_apscheduler(tmp_path: Path) -> None:
    # Alembic is a third of a command's start-up (export-register, a gunicorn worker)
    script = (
        "import sys, breachlog.cli; from breachlog import create_app; create_app(); "
        "print(sorted(m for m in ('alembic', 'flask_migrate', 'apscheduler', 'waitress') "
        "if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"


def test_a_command_on_a_database_without_tables_says_to_run_init_db(tmp_path: Path) -> None:
    result = breachlog(tmp_path, "organisation", "list")
    assert result.returncode == 2
    assert "run `breachlog init-db` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_on_a_fresh_folder_prepares_the_database_first(tmp_path: Path) -> None:
    result = breachlog(tmp_path, "demo")
    assert result.returncode == 0, result.stderr
    assert "Created Groen Installatietechniek B.V. with 32 incidents." in result.stdout
