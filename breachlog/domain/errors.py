"""Rule violations that every edge (form, API, CLI) can show in the user's language."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it is shown."""
    return message


class Term(str):
    """A word put into a message that is translated too, where the message is shown."""


def render(message: str, params: Mapping[str, object], translate: object = None) -> str:
    """The message in the reader's language; Terms, alone or in a list, are translated too."""

    def word(value: object) -> str:
        if isinstance(value, Term) and callable(translate):
            return str(translate(value))
        return str(value)

    text = translate(message) if callable(translate) else message
    if not params:
        return str(text)
    shown = {
        key: ", ".join(word(v) for v in value)
        if isinstance(value, (list, tuple))
        else (word(value) if isinstance(value, Term) else value)
        for key, value in params.items()
    }
    return str(text) % shown


class Todo(str):
    """A step still to take, as an untranslated message with its parameters."""

    params: Mapping[str, object]

    def __new__(cls, message: str, **params: object) -> Todo:
        item = super().__new__(cls, message)
        item.params = params
        return item

    def render(self, translate: object = None) -> str:
        return render(str(self), getattr(self, "params", {}), translate)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)

    def render(self, translate: object = None) -> str:
        return render(self.message, self.params, translate)


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
