"""The other supervisory authorities told of a breach (AP form, section 8), as rows of a form.

A page without JavaScript cannot add rows, so the form shows the authorities recorded and
a few blank rows; a row left blank is no authority. The rows' names are
other_authorities-<n>-<key>, read back whatever their number.
"""

from __future__ import annotations

import re
from typing import Any

from wtforms import Field
from wtforms.utils import unset_value

KEYS = ("authority", "country", "notified_on", "reference")
BLANK_ROWS = 2
# a form posts at most this many rows; more is not a person filling in a form
ROWS_MAX = 60


class AuthoritiesField(Field):
    """A list of {"authority", "country", "notified_on", "reference"}, blank rows dropped."""

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.rows = [
            {key: str(entry.get(key) or "") for key in KEYS}
            for entry in (data or [])
            if isinstance(entry, dict)
        ]
        if formdata is not None:
            pattern = re.compile(re.escape(self.name) + r"-([0-9]{1,3})-(" + "|".join(KEYS) + ")")
            numbers = sorted(
                {int(found[1]) for key in formdata if (found := pattern.fullmatch(key))}
            )
            if numbers:
                self.rows = [
                    {key: (formdata.get(f"{self.name}-{n}-{key}") or "").strip() for key in KEYS}
                    for n in numbers[:ROWS_MAX]
                ]
        self.data = [row for row in self.rows if any(row.values())]

    def shown_rows(self) -> list[dict[str, str]]:
        """The rows to show: those given, then blank ones to add more."""
        return [*self.data, *({key: "" for key in KEYS} for _ in range(BLANK_ROWS))]
