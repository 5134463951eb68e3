"""The PDF's own text layout: lines fit their column, no text is lost, long rows go on."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from breachlog.domain.incidents import TEXT_MAX
from breachlog.register.export_layout import PAD, Cell, Laid, Row
from breachlog.register.export_text import MARKER, clean, noting_missing, text_width, wrap

from .test_register_export import NOW, build, make_pdf, section

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzëïé€WM—()\\.,;:", min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(WORDS, min_size=1, max_size=60),
    width=st.floats(min_value=20, max_value=500),
    style=st.sampled_from(["text", "bold", "small", "cell"]),
)
def test_wrapped_lines_fit_their_column_and_keep_every_word(words, width, style):
    text = " ".join(words)
    lines = wrap(text, style, width)
    for line in lines:
        assert text_width(line, style) <= width + 1e-6 or len(line) == 1
    # joined again, the lines give the words back in order (a long word may be cut anywhere)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_line_breaks_in_a_text_are_kept():
    assert wrap("eerste regel\ntweede regel", "text", 400) == ["eerste regel", "tweede regel"]


def test_text_is_printed_as_typed_and_what_no_font_has_is_marked_and_noted():
    assert clean("Ëën café € 5 — “goed” ĳs") == "Ëën café € 5 — “goed” ĳs"
    assert clean("Łukasz Şahin Đorđe Yılmaz") == "Łukasz Şahin Đorđe Yılmaz"
    assert clean("Lo\u0301dz\u0301") == "Lódź"  # typed with combining accents: composed
    assert clean("a\tb\x00c\r\nd") == "a bc\nd"
    with noting_missing() as missing:
        assert clean("漢 en 字") == f"{MARKER} en {MARKER}"
    assert list(missing) == ["漢", "字"]


def test_a_row_taller_than_a_page_is_split_between_its_lines():
    cell = Cell(0, 200, [("text", "woord " * 3000)])
    laid = Laid.of(Row([cell]))
    first, rest = laid.split(500)
    assert first.height <= 500
    assert first.height + rest.height == pytest.approx(laid.height + 2 * PAD)  # padded twice
    assert laid.split(5) is None  # not even two lines fit


def test_the_longest_text_the_app_accepts_is_printed_whole(make):

    register = build(make)
    words = [f"w{n:05d}" for n in range(TEXT_MAX // 7)]
    officer = make.user("officer")
    aware = datetime(2025, 11, 1, 9, tzinfo=UTC)
    make.incident(
        register.organisation,
        reporter=officer,
        now=NOW,
        aware_at=aware,
        discovered_at=aware,
        consequences=" ".join(words),
    )
    pdf = make_pdf(register)
    details = pdf.flat(section(pdf, "Every incident in detail"))
    assert " ".join(words) in details


def test_the_detail_section_has_a_place_for_every_field_of_an_incident():
    from breachlog.incidents.models import ASSESSMENT_FIELDS, EDITABLE_FIELDS
    from breachlog.register.export_details import GROUPS

    shown = {name for _title, names in GROUPS for name in names}
    assert (set(EDITABLE_FIELDS) | set(ASSESSMENT_FIELDS)) - {"organisation_id"} <= shown


def test_a_long_organisation_name_is_shortened_in_the_footer_not_run_into_the_page_number():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from breachlog.register.export_pages import FOOTER_FONT, FOOTER_SIZE, _shortened

    name = "Coöperatieve Vereniging " * 20
    short = _shortened(name, 300)
    assert short.endswith(" …") and name.startswith(short[:-2])
    assert stringWidth(short, FOOTER_FONT, FOOTER_SIZE) <= 300
    assert _shortened("Kort B.V.", 300) == "Kort B.V."


class _Writes(io.BytesIO):
    """A file that remembers the size of every write."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.sizes.append(len(data))
        return super().write(data)


def test_the_pdf_goes_into_its_file_object_by_object_not_held_whole_first(make):
    # a register of ten thousand incidents is a PDF of some 50 MB: held whole, and joined
    # from its pieces, it took twice that in memory at the end
    from breachlog.register.export_pdf import write_register_pdf

    register = build(make)
    for n in range(40):  # enough pages that no one object (a font) is a large part of the file
        aware = datetime(2025, 6, 1, 9, tzinfo=UTC) + timedelta(hours=n)
        make.incident(register.organisation, now=NOW, aware_at=aware, discovered_at=aware)
    out = _Writes()
    write_register_pdf(out, register.organisation, 2025, language="en", generated_by="", now=NOW)
    data = out.getvalue()
    assert len(out.sizes) > 50 and max(out.sizes) < len(data) / 4
    # and the cross-reference table finds every object where it was written
    reader = PdfReader(io.BytesIO(data), strict=True)
    for number, offset in reader.xref[0].items():
        assert data[offset:].startswith(f"{number} 0 obj".encode())
    assert "Every incident in detail" in "".join(page.extract_text() for page in reader.pages)
