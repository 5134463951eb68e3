"""The register PDF's last words: the characters it had to print as a marker."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from reportlab.platypus import Flowable, Spacer

from .export_text import MARKER, MissingCharacters, describe


class MissingList(Flowable):  # type: ignore[misc]
    """The last page's list of characters printed as a marker, known only once all is laid out.

    It stands last in the story, so platypus lays it out after every other text of the
    register has been made printable, and with it every missing character noted.
    """

    def __init__(
        self, missing: MissingCharacters, paragraph: Callable[[str, str], Flowable]
    ) -> None:
        super().__init__()
        self.missing = missing
        self.paragraph = paragraph
        self._content: list[Flowable] | None = None

    def _parts(self) -> list[Flowable]:
        if self._content is None:
            listed = [describe(char) for char in self.missing]
            self._content = [
                Spacer(1, 12),
                self.paragraph(_("Characters that could not be printed"), "h3"),
                self.paragraph(
                    _(
                        "These characters were typed in the register, but the fonts of this "
                        "document have no letter for them; they are printed as %(marker)s."
                    )
                    % {"marker": MARKER},
                    "body",
                ),
                *(self.paragraph(line, "cell") for line in listed),
            ]
        return self._content

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if not self.missing:
            return 0, 0
        self.width = available_width
        self.height = sum(p.wrap(available_width, available_height)[1] for p in self._parts())
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return list(self._parts()) if self.missing else []

    def draw(self) -> None:
        if not self.missing:
            return
        y = self.height
        for part in self._parts():
            _w, height = part.wrap(self.width, y)
            y -= height
            part.drawOn(self.canv, 0, y)
