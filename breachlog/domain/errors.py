"""Rule violations that every edge (form, API, CLI) can show in the user's language."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)

    def render(self, translate: object = None) -> str:
        text = translate(self.message) if callable(translate) else self.message
        return text % dict(self.params) if self.params else text


class RuleViolation(ValueError):
    """One or more fields break a rule; nothing has been written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.field}: {p.render()}" for p in self.problems))

    def by_field(self, translate: object = None) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        for problem in self.problems:
            errors.setdefault(problem.field, []).append(problem.render(translate))
        return errors


class Problems:
    """Collects problems, then raises them together so a form shows every error at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, field_name: str, message: str, **params: object) -> None:
        self.items.append(Problem(field_name, message, params))

    def raise_if_any(self) -> None:
        if self.items:
            raise RuleViolation(self.items)
