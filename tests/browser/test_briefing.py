"""Briefing images through kaleido and Debian's Chromium, from the CLI."""
import struct

import pytest

from timeline.cli import main
from timeline.ingest import ingest

from .conftest import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def db(tmp_path_factory, browser):  # `browser` skips (or fails under CI) without Chromium
    path = tmp_path_factory.mktemp("brief") / "t.db"
    ingest([ROOT / "data" / "articles"], path)
    return path


def test_png_briefing_of_the_filtered_view(db, tmp_path, capsys):
    out = tmp_path / "brief.png"
    assert main(["export", "--db", str(db), "--format", "png", "--outlet", "CNN", "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1400, 1100)
    assert "events -> " in capsys.readouterr().err


def test_svg_and_pdf_briefings_carry_the_caption_and_the_base_map(db, tmp_path):
    svg, pdf = tmp_path / "b.svg", tmp_path / "b.pdf"
    assert main(["export", "--db", str(db), "--format", "svg", "--query", "pact", "-o", str(svg)]) == 0
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg") and "Sources: " in text and "Data as of" in text
    assert "“pact”" in text  # the filters in words
    assert 'class="layer countries"' in text  # the local base map was drawn
    assert main(["export", "--db", str(db), "--format", "pdf", "-o", str(pdf)]) == 0
    assert pdf.read_bytes()[:5] == b"%PDF-"
