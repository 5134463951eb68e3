"""The yearly register as a PDF an inspector can read: title page, summary, table, details.

The web download, the command line and the API all call `register_pdf()` (bytes) or
`write_register_pdf()` (into a file, for registers too large to hold twice in memory).
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import datetime
from functools import partial
from itertools import chain
from typing import BinaryIO
from xml.sax.saxutils import escape

from babel.dates import get_month_names
from flask_babel import force_locale, format_decimal, format_percent, ngettext
from flask_babel import gettext as _
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..audit import seal
from ..orgs.models import Organisation
from .export_data import Formatter, records
from .export_details import detail_rows
from .export_layout import Laid, RowStream, laid_out
from .export_missing import MissingList
from .export_pages import Footer, FooterCanvas, RegisterDocument, month_chart
from .export_parallel import LaidElsewhere, RowMaker, can_run
from .export_summary import Summary, summary_for
from .export_table import table_header, table_rows
from .export_text import BOLD, REGULAR, clean, fonts, noting_missing

STYLES = {
    "title": ParagraphStyle("title", fontName=BOLD, fontSize=22, leading=27),
    "subtitle": ParagraphStyle("subtitle", fontName=REGULAR, fontSize=14, leading=18),
    "h2": ParagraphStyle(
        "h2", fontName=BOLD, fontSize=13, leading=16, spaceBefore=6, spaceAfter=6
    ),
    "h3": ParagraphStyle(
        "h3", fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=8, spaceAfter=3
    ),
    "body": ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12, spaceAfter=4),
    "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=10.5),
    "label": ParagraphStyle("label", fontName=BOLD, fontSize=8.5, leading=10.5),
}
GRID = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.Color(0.6, 0.6, 0.6)),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
)


def register_pdf(
    organisation: Organisation,
    year: int,
    *,
    language: str,
    generated_by: str,
    now: datetime,
) -> bytes:
    """The register of `organisation` for `year` (of aware_at in its zone), as PDF bytes."""
    buffer = io.BytesIO()
    write_register_pdf(
        buffer, organisation, year, language=language, generated_by=generated_by, now=now
    )
    return buffer.getvalue()


def write_register_pdf(
    output: BinaryIO,
    organisation: Organisation,
    year: int,
    *,
    language: str,
    generated_by: str,
    now: datetime,
    in_parallel: bool = False,
) -> None:
    """Write the register PDF to a binary file: a large register is not held twice.

    `in_parallel`: lay out the rows in a child process (export_parallel), for the command
    line; the same PDF, sooner on a machine with two CPUs or more.
    """
    rl_config.useA85 = 0  # ReportLab's pure-Python ASCII85 would cost about 1 ms a page
    # first: the register as it stands when the export begins, anchored outside the database
    fingerprint = seal.anchor("register export")[1]
    fonts()
    with ExitStack() as stack:
        stack.enter_context(force_locale(language))
        stack.enter_context(_collector_paused())
        missing = stack.enter_context(noting_missing())
        fmt = Formatter(language, organisation.timezone)
        summary = summary_for(organisation, year)
        document = RegisterDocument(
            output,
            title=_("Register of personal-data breaches") + f" {year}",
            author=clean(organisation.name),
            subject=_("Register fingerprint") + f": {fingerprint}",
            creator="breachlog",
        )
        story = _title_page(organisation, year, summary, fmt, generated_by, now, fingerprint)
        if summary.total:
            if in_parallel and can_run():
                # the first half of the table here; its second half and the details in a
                # child process: about as much work for each (measured at 1,000 and 10,000)
                half = summary.total // 4 * 2  # even: every other row stays shaded
                here, *there = _row_makers(document, organisation, year, fmt, half)
                elsewhere = stack.enter_context(LaidElsewhere(there, missing))
                table = chain(laid_out(here()), elsewhere.part())
                details = elsewhere.part()
            else:
                make_table, make_details = _row_makers(document, organisation, year, fmt)
                table, details = laid_out(make_table()), laid_out(make_details())
            story += _summary_page(summary, fmt, year, document.frame_size("portrait")[0])
            story += _table_part(document, table, fmt)
            story += _details_part(document, details)
        story.append(MissingList(missing, _p))
        footer = Footer(
            left=f"{organisation.name} · {_('Register of personal-data breaches')} {year}",
            fingerprint=_("Register fingerprint (SHA-256 of the last audit event): %(hash)s")
            % {"hash": fingerprint},
            page=_("Page %(page)d of"),
        )
        document.build(story, canvasmaker=partial(FooterCanvas, footer=footer))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a register is built.

    The export makes millions of short-lived objects, all freed by reference counting;
    the collector's passes over everything alive would cost a tenth of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _p(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text: user text must never be read as ReportLab markup."""
    return Paragraph(escape(clean(text)), STYLES[style])


def _facts_table(rows: Sequence[tuple[str, str]], widths: Sequence[float]) -> Table:
    data = [[_p(label, "label"), _p(value, "cell")] for label, value in rows]
    return Table(data, colWidths=list(widths), style=GRID, hAlign="LEFT")


def _title_page(
    organisation: Organisation,
    year: int,
    summary: Summary,
    fmt: Formatter,
    generated_by: str,
    now: datetime,
    fingerprint: str,
) -> list[Flowable]:
    contact = ", ".join(v for v in (organisation.fg_name, organisation.fg_email) if v)
    count = str(summary.total)
    if summary.not_breaches:
        count += " " + _("(of which %(num)d not a personal-data breach)", num=summary.not_breaches)
    facts = [
        (_("Organisation"), organisation.name),
        (_("KvK number"), organisation.kvk_number or "—"),
        (_("Year"), str(year)),
        (_("FG / contact point"), contact or "—"),
        (_("Number of incidents"), count),
        (_("Times shown in"), organisation.timezone),
        (_("Generated at"), fmt.time(now, with_zone=True)),
        (_("Generated by"), generated_by),
        (_("Register fingerprint"), fingerprint),
    ]
    story: list[Flowable] = [
        Spacer(1, 90),
        _p(_("Register of personal-data breaches"), "title"),
        Spacer(1, 6),
        _p(f"{organisation.name} · {year}", "subtitle"),
        Spacer(1, 30),
        _facts_table(facts, (130, 380)),
        Spacer(1, 24),
        _p(
            _(
                "Every breach of personal data is registered here, whether or not it was "
                "notified to the Autoriteit Persoonsgegevens (Art. 33(5) GDPR): the facts, "
                "the consequences, the measures taken, the assessment of the risk and what "
                "was notified to the AP and told to the people concerned."
            )
        ),
        _p(
            _(
                "The fingerprint in the footer of every page is the SHA-256 hash of the "
                "last event in the register's audit trail when this document was made, the "
                "hash that breachlog verify-audit then reported as the last one. As long as "
                "the audit trail verifies and still holds this event, the register this "
                "document was made from has not been altered since."
            )
        ),
    ]
    if not summary.total:
        story += [
            Spacer(1, 12),
            _p(
                _("No breaches of personal data were registered in %(year)s.", year=year),
                "h2",
            ),
        ]
    return story


def _summary_page(summary: Summary, fmt: Formatter, year: int, width: float) -> list[Flowable]:
    share = summary.on_time_share
    median = summary.median_hours_to_notify
    exemptions = ", ".join(
        f"{fmt.label('ground', ground)}: {count}"
        for ground, count in sorted(summary.exemptions.items())
    )
    figures = [
        (_("Incidents registered"), str(summary.total)),
        (_("Personal-data breaches"), str(summary.breaches)),
        (_("Not a personal-data breach"), str(summary.not_breaches)),
        (_("Notified to the AP"), str(summary.notified)),
        (
            _("Notified within 72 hours"),
            f"{summary.notified_on_time} ({format_percent(share)})" if share is not None else "—",
        ),
        (_("Notified late"), str(summary.notified_late)),
        (
            _("Median time from awareness to notification"),
            _("%(hours)s hours", hours=format_decimal(median, "0.0"))
            if median is not None
            else "—",
        ),
        (
            _("People concerned informed (Art. 34)"),
            ngettext("%(num)d incident", "%(num)d incidents", summary.informed)
            + ", "
            + ngettext("%(num)d person reached", "%(num)d people reached", summary.people_reached),
        ),
        (_("Exemptions used (Art. 34(3))"), exemptions or "0"),
    ]
    story: list[Flowable] = [
        NextPageTemplate("portrait"),
        PageBreak(),
        _p(_("Summary of %(year)s", year=year), "h2"),
        _facts_table(figures, (220, width - 220)),
    ]
    counts = (
        (_("By kind of incident"), summary.by_type, lambda c: fmt.codes("incident_type", c)),
        (_("By nature of the breach"), summary.by_nature, lambda c: fmt.codes("nature", c)),
        (_("By risk"), summary.by_risk, lambda c: fmt.label("risk", c)),
    )
    for title, counter, name in counts:
        rows = [(name(code), str(n)) for code, n in counter.most_common()]
        story.append(
            KeepTogether([_p(title, "h3"), _facts_table(rows or [("—", "0")], (300, 60))])
        )
    story.append(_p(_("Recurring causes"), "h3"))
    if summary.recurring_causes:
        rows = [(cause, f"{n}×") for cause, n in summary.recurring_causes]
        story.append(_facts_table(rows, (width - 80, 80)))
    else:
        story.append(_p(_("No cause was recorded more than once.")))
    months = get_month_names("abbreviated", locale=fmt.language).values()
    chart = month_chart(
        list(months),
        [
            (_("Registered"), summary.per_month),
            (_("Notified to the AP"), summary.notified_per_month),
        ],
        width,
    )
    story += [CondPageBreak(190), _p(_("Incidents per month (by awareness)"), "h3"), chart]
    return story


def _row_makers(
    document: RegisterDocument,
    organisation: Organisation,
    year: int,
    fmt: Formatter,
    split: int | None = None,
) -> list[RowMaker]:
    """The rows of the register table and of the details, each read when first asked for;
    with `split`, the table in two: its first `split` incidents, and the rest."""
    table = document.frame_size("landscape")[0]
    details = document.frame_size("portrait")[0]

    def table_part(part: slice | None = None, first: int = 0) -> RowMaker:
        reading = partial(records, organisation.id, year, with_history=False, part=part)
        return lambda: table_rows(reading(), fmt, table, first)

    tables = [table_part()]
    if split is not None:
        tables = [table_part(slice(None, split)), table_part(slice(split, None), split)]
    return [*tables, lambda: detail_rows(records(organisation.id, year), fmt, details)]


def _table_part(
    document: RegisterDocument, rows: Iterator[Laid], fmt: Formatter
) -> list[Flowable]:
    width, height = document.frame_size("landscape")
    stream = RowStream(rows, width, height, table_header(fmt, width))
    return [NextPageTemplate("landscape"), PageBreak(), _p(_("The register"), "h2"), stream]


def _details_part(document: RegisterDocument, rows: Iterator[Laid]) -> list[Flowable]:
    width, height = document.frame_size("portrait")
    heading = _p(_("Every incident in detail"), "h2")
    return [NextPageTemplate("portrait"), PageBreak(), heading, RowStream(rows, width, height)]
