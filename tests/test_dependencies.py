"""Installs take the versions the tests ran with: constraints.txt pins every dependency."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + project["optional-dependencies"]["test"]
    return [Requirement(line) for line in listed]


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line}"
            found[canonicalize_name(name)] = version
    return found


@pytest.mark.parametrize("requirement", requirements(), ids=str)
def test_every_dependency_is_pinned_within_its_range(requirement: Requirement) -> None:
    pinned = pins().get(canonicalize_name(requirement.name))
    assert pinned is not None, f"{requirement.name} is missing from constraints.txt"
    assert requirement.specifier.contains(pinned), f"{requirement.name}=={pinned} is outside"


def test_dependencies_whose_next_major_version_would_break_are_bounded() -> None:
    unbounded = [
        str(r)
        for r in requirements()
        if not any(spec.operator in ("<", "<=", "==", "~=") for spec in r.specifier)
        and r.name not in ("pytest", "pytest-xdist", "aiosmtpd", "playwright", "pypdf")
        and r.name not in ("ruff", "mypy")
    ]
    assert unbounded == []


def test_the_installed_versions_are_the_pinned_ones() -> None:
    """CI installs with -c constraints.txt, so what runs is what is locked."""
    wrong = {}
    for name, version in pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # a dependency of another platform or Python
        if installed != version:
            wrong[name] = (installed, version)
    assert wrong == {}


def test_ci_installs_from_the_lock() -> None:
    script = (ROOT / ".ci/run").read_text()
    assert "pip\" install --quiet -c constraints.txt -e '.[test]'" in script
