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


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_png_briefing_presets_give_a_slide_and_an_a4_page(db, tmp_path, capsys):
    out = tmp_path / "brief.png"
    assert main(["export", "--db", str(db), "--format", "png", "--outlet", "CNN", "-o", str(out)]) == 0
    assert png_size(out.read_bytes()) == (1920, 1080)  # the slide preset, the default
    assert "events -> " in capsys.readouterr().err
    assert main(["export", "--db", str(db), "--format", "png", "--preset", "a4", "-o", str(out)]) == 0
    assert png_size(out.read_bytes()) == (1588, 2246)
    assert main(["export", "--db", str(db), "--format", "png", "--width", "1000", "--height", "800",
                 "--scale", "1", "-o", str(out)]) == 0
    assert png_size(out.read_bytes()) == (1000, 800)


def test_svg_and_pdf_briefings_carry_title_labels_sources_and_the_base_map(db, tmp_path):
    svg, pdf = tmp_path / "b.svg", tmp_path / "b.pdf"
    assert main(["export", "--db", str(db), "--format", "svg", "--query", "pact", "--title", "The pact story",
                 "--subtitle", "Five outlets, one treaty", "-o", str(svg)]) == 0
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg") and "The pact story" in text and "Five outlets, one treaty" in text
    assert "Data as of" in text and "[1] " in text  # numbered sources
    assert "“pact”" in text  # the filters in words
    assert "outlets" in text and "Jun 2024" in text  # a labelled story with its date
    assert 'class="layer countries"' in text  # the local base map was drawn
    assert main(["export", "--db", str(db), "--format", "pdf", "-o", str(pdf)]) == 0
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_a_briefing_from_an_archive_through_the_cli(tmp_path, browser, capsys):
    """`timeline export --archive DIR --format png`: the dashboard's briefing of an archive."""
    from timeline.archive.transfer import import_store

    store_db = tmp_path / "t.db"
    ingest([ROOT / "data" / "articles"], store_db)
    archive = tmp_path / "archive"
    import_store(store_db, archive)
    out = tmp_path / "brief.png"
    assert main(["export", "--archive", str(archive), "--format", "png", "--title", "From the archive",
                 "-o", str(out)]) == 0
    assert png_size(out.read_bytes()) == (1920, 1080)
    assert "events -> " in capsys.readouterr().err
