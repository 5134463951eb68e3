"""Form pieces shared by every feature."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, DateTimeLocalInput, ListWidget

from . import clock
from .domain.dates import YEAR_MESSAGE, has_register_year, year_range
from .domain.deadlines import AmbiguousLocalTime, NonexistentLocalTime, local_to_utc, to_local
from .domain.errors import RuleViolation


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms wants them."""
    return [SelectChoice(value, label) for value, label in pairs]


class EmptyForm(FlaskForm):
    """For button-only POSTs, so they carry a CSRF token too."""


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        # choices come from the catalogue; the service reports unknown codes per field
        pass


class ThreeStateField(RadioField):
    """A yes/no fact that may not be known yet: None, True or False, shown as three choices
    ("not known yet" first), so a re-saved form keeps an open question open."""

    def __init__(
        self, label: Any = None, validators: Any = None, unknown: Any = None, **kwargs: Any
    ) -> None:
        pairs = (("", unknown or _l("not known yet")), ("yes", _l("yes")), ("no", _l("no")))
        super().__init__(label, validators, choices=choices(pairs), default="", **kwargs)

    def process_data(self, value: Any) -> None:
        if isinstance(value, bool) or value is None:
            value = {True: "yes", False: "no"}.get(value, "")
        super().process_data(value)

    @property
    def answer(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.data or "")


class LocalDateTimeField(Field):
    """A wall-clock time in the organisation's zone; skipped hours refused, doubled ones asked."""

    widget = DateTimeLocalInput()
    FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M")

    def __init__(
        self, label: Any = None, validators: Any = None, required: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.raw = ""
        self.fold: int | None = None
        self.ambiguous: AmbiguousLocalTime | None = None
        self.zone = "Europe/Amsterdam"

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            fold = formdata.get(self.name + "_fold")
            self.fold = int(fold) if fold in ("0", "1") else None

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw = valuelist[0].strip() if valuelist else ""

    def _value(self) -> str:
        if self.raw:
            return self.raw
        if isinstance(self.data, datetime):
            return to_local(self.data, self.zone).strftime("%Y-%m-%dT%H:%M")
        return ""

    def naive(self) -> datetime | None:
        for fmt in self.FORMATS:
            try:
                return datetime.strptime(self.raw, fmt)  # noqa: DTZ007 - local time, zone applied next
            except ValueError:
                continue
        return None

    def to_utc(self, zone: str) -> datetime | None:
        """Read the typed time in `zone`; on a problem, add a field error and return None."""
        self.zone = zone
        if not self.raw:
            if self.required:
                self.errors = [*self.errors, _("This time is required.")]
            return None
        naive = self.naive()
        if naive is None:
            self.errors = [*self.errors, _("Give a date and time, for example 2026-03-01 09:30.")]
            return None
        message = year_error(self, naive)
        if message:
            self.errors = [*self.errors, message]
            return None
        try:
            return local_to_utc(naive, zone, self.fold)
        except NonexistentLocalTime:
            self.errors = [
                *self.errors,
                _(
                    "%(time)s does not exist in %(zone)s: the clocks skipped that hour. "
                    "Check the time.",
                    time=naive.strftime("%Y-%m-%d %H:%M"),
                    zone=zone,
                ),
            ]
        except AmbiguousLocalTime as ambiguous:
            self.ambiguous = ambiguous
            self.errors = [
                *self.errors,
                _(
                    "%(time)s happened twice in %(zone)s because the clocks went back. "
                    "Choose which one you mean.",
                    time=naive.strftime("%Y-%m-%d %H:%M"),
                    zone=zone,
                ),
            ]
        return None

    def ambiguous_options(self) -> list[tuple[int, str]]:
        if self.ambiguous is None:
            return []
        options = []
        for fold, moment in enumerate(self.ambiguous.choices):
            local = to_local(moment, self.zone)
            options.append((fold, f"{local:%H:%M} {local.tzname()} (UTC{local:%z})"))
        return options


def year_error(field: Field, typed: date | datetime | None) -> str | None:
    """What is wrong with the year of a typed date, naming the field; None if nothing."""
    now = clock.now()
    if typed is None or has_register_year(typed, now):
        return None
    first, last = year_range(now)
    return _(YEAR_MESSAGE, field=field.label.text, first=first, last=last)


class InRegisterYears:
    """A WTForms validator: a date field's year from 2000 to ten years ahead."""

    def __call__(self, form: Any, field: Field) -> None:
        message = year_error(field, field.data) if isinstance(field.data, date) else None
        if message:
            raise StopValidation(message)


def flash_refusal(violation: RuleViolation) -> None:
    """Rule violations of an act without fields (a button): each as an error on the page
    the act returns to."""
    for messages in violation.by_field(_).values():
        for message in messages:
            flash(message, "error")


def attach_errors(
    form: Any, violation: RuleViolation, aliases: dict[str, str] | None = None
) -> None:
    """Put rule violations on the form's fields (by name or alias); the rest on the form."""
    for name, messages in violation.by_field(_).items():
        field = getattr(form, (aliases or {}).get(name, name), None)
        # two rules can say the same of one field (aware_at defaults to discovered_at): once
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, *(m for m in messages if m not in field.errors)]
        else:
            form.form_errors.extend(m for m in messages if m not in form.form_errors)
