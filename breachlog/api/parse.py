"""Turning request bodies and query strings into service arguments, or 422s naming the field.

Everything a client can send is checked here for type and size; the rules of the law stay
in the services, which raise RuleViolation just as they do for the web forms.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, NoReturn

from flask import request

from .. import clock
from ..domain.dates import year_problem
from ..domain.deadlines import parse_iso_with_offset
from ..domain.errors import N_, Problem, Problems, RuleViolation
from .fields import Field

DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
BODY = "body"


class Refusal(ValueError):
    """What is wrong with one value: a message marked for translation and its parameters."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


def json_object() -> dict[str, Any]:
    """The request body as a JSON object; anything else is a 422 on the field `body`."""
    if not request.is_json:
        _refuse(BODY, N_("Send a JSON object with Content-Type: application/json."))
    try:
        body = json.loads(request.get_data(cache=False), parse_constant=_no_constant)
    except (ValueError, RecursionError):
        # RecursionError: deeply nested arrays; UnicodeDecodeError is a ValueError
        _refuse(BODY, N_("The body is not valid JSON."))
    if not isinstance(body, dict):
        _refuse(BODY, N_("Send a JSON object."))
    return body


def fields(
    body: Mapping[str, Any],
    known: Mapping[str, Field],
    required: tuple[str, ...] = (),
    elsewhere: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Check every field of `body` against `known`; report all problems at once.

    `elsewhere` names fields this body does not take but another request does, with a message
    saying where they go; any other unknown field is refused as unknown.
    """
    problems = Problems()
    values = _fields(body, known, required, problems, elsewhere or {})
    problems.raise_if_any()
    return values


def _fields(
    body: Mapping[str, Any],
    known: Mapping[str, Field],
    required: tuple[str, ...],
    problems: Problems,
    elsewhere: Mapping[str, str],
    prefix: str = "",
) -> dict[str, Any]:
    """The checked values of one object; problems inside a nested object are named a.b."""
    values: dict[str, Any] = {}
    for name in sorted(set(body) - set(known)):
        problems.add(prefix + name, elsewhere.get(name, N_("Unknown field.")))
    for name in required:
        if name not in body:
            problems.add(prefix + name, N_("This field is required."))
    for name, spec in known.items():
        if name not in body:
            continue
        raw = body[name]
        if spec.kind == "object" and raw is not None:
            if not isinstance(raw, dict):
                problems.add(prefix + name, "Give a JSON object.")
                continue
            inner = spec.fields or {}
            values[name] = _fields(raw, inner, spec.required, problems, {}, f"{prefix}{name}.")
            continue
        if spec.kind == "objects":
            values[name] = _objects(raw, spec, problems, prefix + name)
            continue
        try:
            values[name] = value(raw, spec)
        except Refusal as refusal:
            problems.add(prefix + name, refusal.message, **refusal.params)
            continue
        _check_year(prefix + name, spec, values[name], problems)
    return values


def _objects(raw: Any, spec: Field, problems: Problems, name: str) -> list[dict[str, Any]]:
    """A list of objects; a problem inside the third is named name[2].field."""
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        problems.add(name, N_("Give a list of JSON objects."))
        return []
    if spec.max_items is not None and len(raw) > spec.max_items:
        problems.add(name, N_("Give at most %(n)s items."), n=spec.max_items)
        return []
    inner = spec.fields or {}
    return [
        _fields(item, inner, spec.required, problems, {}, f"{name}[{number}].")
        for number, item in enumerate(raw)
    ]


def _check_year(name: str, spec: Field, given: Any, problems: Problems) -> None:
    """A date or time outside the register's years is refused, naming the field."""
    if spec.kind in ("date", "datetime"):
        problem = year_problem(name, name, given, clock.now())
        if problem is not None:
            problems.items.append(problem)


def value(raw: Any, spec: Field) -> Any:
    """One field's value in the form the services take; Refusal says what is wrong."""
    if raw is None:
        if spec.nullable:
            return None
        raise Refusal(N_("This field cannot be null."))
    convert = _CONVERTERS[spec.kind]
    return convert(raw, spec)


def _text(raw: Any, spec: Field) -> str:
    text = _string(raw)
    if spec.max_length is not None and len(text) > spec.max_length:
        raise Refusal(N_("Too long: at most %(n)s characters."), n=spec.max_length)
    text = text.strip()
    if len(text) < spec.min_length:
        raise Refusal(N_("This field cannot be empty."))
    return text


def _boolean(raw: Any, spec: Field) -> bool:
    if not isinstance(raw, bool):
        raise Refusal(N_("Give true or false."))
    return raw


def _integer(raw: Any, spec: Field) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise Refusal(N_("Give a whole number."))
    _in_range(raw, spec.minimum, spec.maximum)
    return raw


def _number(raw: Any, spec: Field) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise Refusal(N_("Give a number."))
    try:
        number = float(raw)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise Refusal(N_("This number is too large."))
    if spec.choices and number not in spec.choices:
        raise Refusal(
            N_("Choose one of: %(choices)s."), choices=", ".join(map(_show, spec.choices))
        )
    _in_range(number, spec.minimum, spec.maximum)
    if spec.multiple_of and not (number / spec.multiple_of).is_integer():
        raise Refusal(N_("Give a multiple of %(n)s."), n=_show(spec.multiple_of))
    return number


def _datetime(raw: Any, spec: Field) -> datetime:
    text = _string(raw)
    try:
        moment = parse_iso_with_offset(text)
    except OverflowError as exc:
        raise Refusal(N_("Not a valid ISO 8601 date and time.")) from exc
    except ValueError as exc:
        raise Refusal(str(exc)) from exc
    return moment


def _date(raw: Any, spec: Field) -> date:
    text = _string(raw)
    if not DATE_PATTERN.fullmatch(text):
        raise Refusal(N_("Give a date as YYYY-MM-DD."))
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise Refusal(N_("Not a valid date.")) from exc
    return day


def _choice(raw: Any, spec: Field) -> str:
    code = _string(raw)
    if spec.choices and code not in spec.choices:
        raise Refusal(
            N_("Choose one of: %(choices)s."), choices=", ".join(map(_show, spec.choices))
        )
    # catalogue codes are checked by the services, which know the admins' additions
    return code


def _list(raw: Any, spec: Field) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise Refusal(N_("Give a list of strings."))
    items = [_string(item) for item in raw]
    if len(set(items)) != len(items):
        raise Refusal(N_("Give each code once."))
    if spec.item_pattern and not all(re.fullmatch(spec.item_pattern, item) for item in items):
        raise Refusal(N_("Use two-letter country codes such as BE or DE."))
    if spec.choices and not set(items) <= set(spec.choices):
        raise Refusal("Choose from: %(choices)s.", choices=", ".join(map(_show, spec.choices)))
    return items


_CONVERTERS = {
    "text": _text,
    "boolean": _boolean,
    "integer": _integer,
    "number": _number,
    "datetime": _datetime,
    "date": _date,
    "choice": _choice,
    "list": _list,
}


def _string(raw: Any) -> str:
    if not isinstance(raw, str):
        raise Refusal(N_("Give a string."))
    # PostgreSQL stores neither NUL characters nor lone UTF-16 surrogates
    if "\x00" in raw:
        raise Refusal(N_("Text cannot contain NUL characters."))
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise Refusal(N_("Text must be valid Unicode.")) from exc
    return raw


def _in_range(number: float, minimum: float | None, maximum: float | None) -> None:
    if minimum is not None and number < minimum:
        raise Refusal(N_("Give at least %(n)s."), n=_show(minimum))
    if maximum is not None and number > maximum:
        raise Refusal(N_("Give at most %(n)s."), n=_show(maximum))


def _show(number: float | str) -> str:
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _refuse(name: str, message: str) -> NoReturn:
    raise RuleViolation([Problem(name, message)])


# -- query strings


def query(known: Mapping[str, Field]) -> dict[str, Any]:
    """The query parameters named in `known`; empty ones count as absent, others are ignored."""
    problems = Problems()
    values: dict[str, Any] = {}
    for name, spec in known.items():
        raw: Any = request.args.get(name)
        if raw is None or raw == "":
            continue
        try:
            if spec.kind == "integer":
                raw = _whole_number(raw)
            values[name] = value(raw, spec)
        except Refusal as refusal:
            problems.add(name, refusal.message, **refusal.params)
            continue
        _check_year(name, spec, values[name], problems)
    problems.raise_if_any()
    return values


def _whole_number(text: str) -> int:
    if not WHOLE_NUMBER.fullmatch(text.strip()):
        raise Refusal(N_("Give a whole number."))
    digits = text.strip()
    if len(digits.lstrip("+-")) > 18:
        # past every bound we have; int() of a huge string is slow and may refuse
        return -(10**18) if digits.startswith("-") else 10**18
    return int(digits)
