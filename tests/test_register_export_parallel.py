"""The register PDF with its rows laid out in a child process (as `export-register` makes it)
is the PDF made in one process, page for page; a failure in the child is reported."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from breachlog.extensions import db
from breachlog.register import export_pdf
from breachlog.register.export_parallel import ExportFailed, can_run
from breachlog.register.export_pdf import write_register_pdf

from .test_register_export import NOW, build

pytestmark = pytest.mark.skipif(not can_run(), reason="needs two CPUs and fork")


def made(organisation, *, in_parallel: bool, language: str = "nl") -> PdfReader:
    out = io.BytesIO()
    write_register_pdf(
        out,
        organisation,
        2025,
        language=language,
        generated_by="FG",
        now=NOW,
        in_parallel=in_parallel,
    )
    return PdfReader(io.BytesIO(out.getvalue()))


def contents(pdf: PdfReader) -> list[bytes]:
    return [page.get_contents().get_data() for page in pdf.pages]


def test_the_pdf_is_the_same_page_for_page(make):
    register = build(make)
    # a name with a character no font has: the child notes it, the last page lists it
    aware = datetime(2025, 6, 1, 9, tzinfo=UTC)
    make.incident(
        register.organisation,
        now=NOW,
        aware_at=aware,
        discovered_at=aware,
        title="Brief aan mevrouw 漢字 in Łódź",
    )
    db.session.commit()
    alone = made(register.organisation, in_parallel=False)
    together = made(register.organisation, in_parallel=True)
    assert len(together.pages) == len(alone.pages) > 5
    assert contents(together) == contents(alone)
    last = together.pages[-1].extract_text()
    assert "U+6F22 CJK UNIFIED IDEOGRAPH-6F22" in last


def test_a_failure_while_laying_out_rows_is_reported_not_hidden(make, monkeypatch):
    register = build(make)
    db.session.commit()

    def broken(*args, **kwargs):
        raise ValueError("a row that cannot be laid out")
        yield

    monkeypatch.setattr(export_pdf, "detail_rows", broken)
    with pytest.raises(ExportFailed, match="a row that cannot be laid out"):
        made(register.organisation, in_parallel=True)


def test_a_failure_here_while_the_child_is_ahead_stops_the_child(make, monkeypatch):
    from breachlog.register import export_pages, export_parallel

    register = build(make)
    db.session.commit()
    # one row a batch and one batch in the queue: the child is soon ahead, and waits
    monkeypatch.setattr(export_parallel, "BATCH", 1)
    monkeypatch.setattr(export_parallel, "QUEUED", 1)
    running = []
    original = export_parallel.LaidElsewhere.__enter__

    def remember(self):
        running.append(original(self))
        return running[-1]

    def failing_page(self):
        waited = time.monotonic()
        while not running[0]._received.full() and time.monotonic() - waited < 10:
            time.sleep(0.01)
        raise OSError("disk full")

    monkeypatch.setattr(export_parallel.LaidElsewhere, "__enter__", remember)
    monkeypatch.setattr(export_pages.FooterCanvas, "showPage", failing_page)
    with pytest.raises(OSError, match="disk full"):
        made(register.organisation, in_parallel=True)
    assert running[0]._received.full() or not running[0]._reader.is_alive()
    assert not running[0]._child.is_alive() and not running[0]._reader.is_alive()
