"""The AP form of one incident as a PDF: the same sections, answers and states as the page.

Set in the register's embedded DejaVu fonts (register/export_text), so a name prints as it
was typed (Łódź, Şahin); a character no font has is printed as a marker and listed on the
last page, as in the register.
"""

from __future__ import annotations

import io
from datetime import datetime
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..incidents.models import Incident
from ..register.export_missing import MissingList
from ..register.export_text import BOLD, REGULAR, clean, fonts, noting_missing
from .ap_answers import moment
from .ap_form import Section

STYLES = {
    "title": ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, spaceAfter=4),
    "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=11.5, leading=14, spaceBefore=10),
    "h3": ParagraphStyle("h3", fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=6),
    "body": ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12, spaceAfter=4),
    "question": ParagraphStyle("question", fontName=REGULAR, fontSize=8.5, leading=10.5),
    "group": ParagraphStyle("group", fontName=BOLD, fontSize=8.5, leading=10.5),
    "answer": ParagraphStyle("answer", fontName=REGULAR, fontSize=8.5, leading=10.5),
    "state": ParagraphStyle(
        "state",
        fontName=REGULAR,
        fontSize=8.5,
        leading=10.5,
        textColor=colors.Color(0.55, 0.35, 0),
    ),
}
GRID = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.Color(0.6, 0.6, 0.6)),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
)


def _p(text: str, style: str = "body") -> Paragraph:
    """Plain text, line breaks kept: what was typed is never read as ReportLab markup."""
    return Paragraph(escape(clean(text)).replace("\n", "<br/>"), STYLES[style])


def ap_form_pdf(incident: Incident, sections: list[Section], now: datetime) -> bytes:
    """The form in the language of the request; `sections` as ap_form.sections gives them."""
    rl_config.useA85 = 0
    fonts()
    buffer = io.BytesIO()
    with noting_missing() as missing:
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
            title=f"{_('AP notification form')} {incident.ref}",
            author=clean(incident.organisation.name),
            creator="breachlog",
        )
        width = document.width
        story = [
            _p(f"{incident.ref} · {_('As the AP notification form asks it')}", "title"),
            _p(incident.title),
            _p(
                _("Made on %(when)s from the register of %(organisation)s.")
                % {
                    "when": moment(now, incident.organisation.timezone),
                    "organisation": incident.organisation.name,
                }
            ),
        ]
        for section in sections:
            story.append(_p(f"{section.number}. {section.title}", "h2"))
            rows, group = [], ""
            for answer in section.answers:
                if answer.group and answer.group != group:
                    rows.append([_p(answer.group, "group"), ""])
                group = answer.group
                rows.append([_p(answer.question, "question"), _answer(answer.state, answer.value)])
            table = Table(rows, colWidths=[width * 0.45, width * 0.55], style=GRID, hAlign="LEFT")
            story.append(KeepTogether([Spacer(1, 3), table]) if len(rows) < 8 else table)
        story.append(MissingList(missing, _p))
        document.build(story)
    return buffer.getvalue()


def _answer(state: str, value: str | None) -> Paragraph:
    if state == "answered":
        return _p(value or "", "answer")
    return _p(_("not known yet") if state == "unknown" else _("does not apply"), "state")
