"""Faithful records: the register, its PDF and its pages say exactly what happened."""

from __future__ import annotations

from datetime import UTC, datetime

from breachlog.extensions import db
from breachlog.register.export_text import MARKER

from .test_register_export import NOW, make_pdf, read_pdf

NAMES = ("Łódź", "Şahin", "Paweł Włodarczyk", "Yılmaz", "😀")


def _names_register(make):
    from breachlog.register.export_pdf import register_pdf

    organisation = make.organisation("Łódź Logistyka Sp. z o.o.", fg_name="Paweł Włodarczyk")
    officer = make.user("officer", name="Ayşe Yılmaz")
    aware = datetime(2025, 5, 1, 9, tzinfo=UTC)
    make.incident(
        organisation,
        reporter=officer,
        now=NOW,
        aware_at=aware,
        discovered_at=aware,
        title="Brief van Şahin naar Paweł Włodarczyk in Łódź 😀",
        summary="Klant Yılmaz meldde het; zijn naam in het Chinees is 漢字.",
    )
    db.session.commit()
    return read_pdf(
        register_pdf(organisation, 2025, language="nl", generated_by="Yılmaz", now=NOW)
    )


def test_the_pdf_prints_every_name_as_typed(make):
    pdf = _names_register(make)
    for name in NAMES:
        assert name in pdf.text
    for plain in ("Lodz", "Sahin", "Pawel", "Wlodarczyk", "Yilmaz", "Lódz"):
        assert plain not in pdf.text
    assert "Łódź Logistyka Sp. z o.o." in pdf.pages[0]  # the title page and every footer
    assert all("Łódź Logistyka" in page for page in pdf.pages)


def test_a_character_no_font_has_is_marked_and_listed_on_the_last_page(make):
    pdf = _names_register(make)
    assert f"in het Chinees is {MARKER}{MARKER}." in pdf.text
    last = pdf.pages[-1]
    assert "Tekens die niet konden worden afgedrukt" in last
    assert "U+6F22 CJK UNIFIED IDEOGRAPH-6F22" in last
    assert "U+5B57 CJK UNIFIED IDEOGRAPH-5B57" in last


def test_a_register_without_such_characters_has_no_such_list(make):
    from .test_register_export import build

    pdf = make_pdf(build(make))
    assert "Characters that could not be printed" not in pdf.text
