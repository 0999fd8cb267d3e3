import datetime as dt
import json

import pytest

from timeline.corpus import (article_paths, decode, infer_outlet, infer_published,
                             load_articles, read_manifest)
from timeline.html import html_to_text
from timeline.errors import ArticleError, ManifestError


def test_utf8_cp1252_and_utf16_with_bom_decode(tmp_path):
    assert decode("Zürich café".encode("utf-8"), "a.txt") == ("Zürich café", [])
    text, warnings = decode("Zürich – café".encode("cp1252"), "b.txt")
    assert text == "Zürich – café" and "Windows-1252" in warnings[0]
    assert decode("Kyiv said".encode("utf-16"), "c.txt") == ("Kyiv said", [])


def test_a_few_invalid_utf8_bytes_are_replaced_not_fatal():
    data = "Café in Zürich, ".encode() * 5 + b"bad \xff byte."
    text, warnings = decode(data, "d.txt")
    assert text.startswith("Café in Zürich") and "\ufffd" in text
    assert "1 invalid UTF-8" in warnings[0]


@pytest.mark.parametrize("data, problem", [
    (b"", "empty file"),
    (b"  \n\t ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary data"),
])
def test_unreadable_files_raise_one_line_errors_naming_the_file(data, problem):
    with pytest.raises(ArticleError) as info:
        decode(data, "bad.txt")
    assert str(info.value).startswith("bad.txt: ") and problem in str(info.value)
    assert "\n" not in str(info.value)


def test_html_keeps_the_article_and_drops_scripts_navigation_and_styles():
    html = """<html><head><title>Page</title><meta property="og:site_name" content="Daily Planet">
    <meta property="article:published_time" content="2024-03-05T10:00:00Z"><style>p{}</style></head>
    <body><nav>Home | World | Sport</nav><script>alert(1)</script>
    <article><h1>Floods in Lisbon</h1><p>Rain fell &amp; rivers rose on Monday.</p></article>
    <footer>© 2024</footer></body></html>"""
    page = html_to_text(html)
    assert page.text == "Floods in Lisbon\nRain fell & rivers rose on Monday."
    assert page.outlet == "Daily Planet" and page.published == dt.date(2024, 3, 5) and page.title == "Floods in Lisbon"


def test_html_lists_of_links_to_other_stories_are_left_out():
    html = """<main><p>Storm Darragh hit Wales on Saturday.</p>
    <ul><li><a href="/a">Storm Bert: floods hit Pontypridd in November</a></li></ul>
    <ul><li>Trains stopped in <a href="/c">Cardiff</a> on Friday.</li></ul></main>"""
    assert html_to_text(html).text == "Storm Darragh hit Wales on Saturday.\nTrains stopped in Cardiff on Friday."


def test_outlet_and_date_inferred_from_the_text():
    assert infer_outlet("Body.\n© 2024 Cable News Network. All Rights Reserved.") == "CNN"
    assert infer_outlet("The Daily Planet has reached out to the ministry for comment.") == "The Daily Planet"
    assert infer_outlet("Just a story.") is None
    assert infer_published("Headline\nBy A. Writer\nTuesday 26 November 2024 02:38 EST\nBody.") == dt.date(2024, 11, 26)


def test_manifest_entries_with_bad_fields_are_reported_and_trimmed(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps([
        {"file": "a.txt", "outlet": "Wire", "published": "2024-02-30"},
        {"file": "b.txt", "outlet": 7, "published": "5 March 2024"},
        {"outlet": "no file"},
    ]))
    entries, problems = read_manifest(path)
    assert entries["a.txt"].published is None and entries["a.txt"].outlet == "Wire"
    assert entries["b.txt"].outlet is None and entries["b.txt"].published == dt.date(2024, 3, 5)
    assert len(problems) == 3
    assert "published '2024-02-30' is not a date" in problems[0]


def test_invalid_manifest_json_is_one_error(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text("[{not json")
    with pytest.raises(ManifestError, match=r"manifest.json: not valid JSON"):
        read_manifest(path)


def test_folders_are_walked_in_order_and_bad_files_do_not_stop_the_rest(tmp_path):
    (tmp_path / "b.txt").write_text("Rain in Oslo on 5 May 2021.")
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.md").write_text("Snow in Bergen.")
    (tmp_path / "notes.csv").write_text("ignored")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    files, errors = article_paths([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.txt", "b.txt", "sub/c.md"]
    results = list(load_articles([tmp_path]))
    assert [a.file for a, _, _ in results if a] == ["b.txt", "c.md"]
    assert [e for _, _, errs in results for e in errs] == [f"{tmp_path / 'a.txt'}: empty file"]


def test_manifest_metadata_is_applied_and_published_flag_wins(tmp_path):
    (tmp_path / "a.txt").write_text("Rain fell last week.")
    (tmp_path / "manifest.json").write_text(json.dumps([{"file": "a.txt", "outlet": "Wire", "published": "2024-01-10"}]))
    [(article, _, _)] = list(load_articles([tmp_path]))
    assert (article.outlet, article.published) == ("Wire", dt.date(2024, 1, 10))
    [(article, _, _)] = list(load_articles([tmp_path], published=dt.date(2020, 1, 1)))
    assert article.published == dt.date(2020, 1, 1)


def test_a_file_given_alone_uses_the_manifest_beside_it(tmp_path):
    (tmp_path / "a.txt").write_text("Rain fell last week.")
    (tmp_path / "manifest.json").write_text(json.dumps([{"file": "a.txt", "outlet": "Wire", "published": "2024-01-10"}]))
    [(article, _, errors)] = list(load_articles([tmp_path / "a.txt"]))
    assert (article.outlet, article.published, errors) == ("Wire", dt.date(2024, 1, 10), [])


def test_a_byline_with_an_updated_date_gives_the_publication_date():
    from timeline.corpus import infer_published

    text = "Tesla shares slide\nBy Sam Nussey | Updated Tuesday 14 May 2024 08:10 BST\nShares fell on Monday."
    assert str(infer_published(text)) == "2024-05-14"


@pytest.mark.parametrize("written, date", [
    ("2024-03-05", "2024-03-05"), ("2024-03-05T23:30:00+02:00", "2024-03-05"), ("20240305", "2024-03-05"),
    ("Tue, 05 Mar 2024 10:00:00 +0000", "2024-03-05"), ("5 March 2024", "2024-03-05"),
    ("13/01/2024", "2024-01-13"), ("01/13/2024", "2024-01-13"), ("06/06/2024", "2024-06-06"),
])
def test_manifest_dates_in_iso_8601_rfc_2822_words_or_one_possible_order(written, date):
    from timeline.corpus import parse_date

    assert str(parse_date(written)) == date


def test_an_ambiguous_numeric_date_is_refused_with_one_line_naming_the_file_and_entry(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps([{"file": "a.txt", "outlet": "Wire"}, {"file": "b.txt", "published": "06/01/2024"}]))
    entries, problems = read_manifest(path)
    assert entries["b.txt"].published is None
    assert problems == [f"{path}: entry 2 (b.txt): published '06/01/2024' could be day/month or month/day: "
                        "write it as YYYY-MM-DD, ignored"]


def test_a_publication_date_in_the_future_is_warned(tmp_path):
    (tmp_path / "a.txt").write_text("Rain fell last week.")
    (tmp_path / "manifest.json").write_text(json.dumps([{"file": "a.txt", "published": "2999-01-10"}]))
    [(article, warnings, errors)] = list(load_articles([tmp_path]))
    assert article.published == dt.date(2999, 1, 10) and errors == []
    assert warnings == [f"{tmp_path / 'a.txt'}: publication date 2999-01-10 is in the future"]


def test_each_folder_given_keeps_its_own_manifest(tmp_path):
    import json

    from timeline.corpus import load_articles

    for folder, outlet in (("a", "Alpine Post"), ("b", "Valley Post")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(f"Rain fell in {folder.upper()}town on Monday.\n", encoding="utf-8")
        (tmp_path / folder / "manifest.json").write_text(json.dumps([{"file": "x.txt", "outlet": outlet,
                                                                      "published": "2024-03-07"}]))
    articles = [a for a, _, _ in load_articles([tmp_path / "a", tmp_path / "b"]) if a]
    assert sorted(a.outlet for a in articles) == ["Alpine Post", "Valley Post"]
