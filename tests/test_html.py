"""Saved pages through trafilatura: the article's text, its metadata, and the page's charset."""
import datetime as dt

import pytest

from timeline.corpus import load_article
from timeline.errors import ArticleError
from timeline.html import html_to_text

BODY = ("<p>Floods hit Lisbon on 4 May 2021, officials said, after three days of rain across the region. "
        "Rescuers reached Porto and Coimbra the next day, where rivers had burst their banks overnight.</p>"
        "<p>The government declared an emergency on Wednesday and promised aid to farmers in the valley.</p>")


def page(head="", body=BODY):
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def test_json_ld_gives_the_date_the_outlet_the_author_and_the_title():
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
          '"headline": "Floods in Lisbon", "datePublished": "2021-05-05T08:00:00Z", '
          '"author": {"@type": "Person", "name": "Ana Costa"}, '
          '"publisher": {"@type": "Organization", "name": "Iberian Post"}}</script>')
    got = html_to_text(page(ld, f"<article>{BODY}</article>"))
    assert (got.published, got.outlet, got.author, got.title) == (dt.date(2021, 5, 5), "Iberian Post", "Ana Costa",
                                                                   "Floods in Lisbon")


def test_a_time_element_gives_the_date():
    got = html_to_text(page(body=f'<article><time datetime="2021-05-05">5 May</time>{BODY}</article>'))
    assert got.published == dt.date(2021, 5, 5)


def test_the_url_gives_the_date_when_the_page_has_none():
    got = html_to_text(page(body=f"<article>{BODY}</article>"), url="https://news.example.com/2021/05/06/floods")
    assert got.published == dt.date(2021, 5, 6)


def test_a_date_in_the_text_is_not_taken_for_the_publication_date():
    """'4 May 2021' is when the floods came; guessing it as the publication date would move every
    'yesterday' of the story. The project's own dateline reading decides instead."""
    assert html_to_text(page(body=f"<article>{BODY}</article>")).published is None


@pytest.mark.parametrize("body", [
    f'<form id="aspnetForm"><div class="content">{BODY}</div></form>',
    f"<div><button>Share<svg><path/></div><article>{BODY}</article><footer>About us</footer>",
    f'<article>{BODY}</article><section id="comments"><article class="comment"><p>I remember the floods '
    f"of 1990 in Madrid when we lived there, terrible times.</p></article></section>",
    f'{BODY}<ul class="related"><li><a href="/a">Storm Bert: floods hit Pontypridd in November 1990</a></li>'
    f'<li><a href="/b">Madrid braces for snow</a></li></ul>',
    f'<article class="card"><h3><a href="/t">Madrid in 1990: the floods</a></h3><p>Share the story of 1990.</p></article>'
    f"<article>{BODY}</article>",
], ids=["form-wrapped", "unclosed-button", "comments", "related-links", "teaser-card"])
def test_the_article_survives_the_layout_and_the_rest_is_left_out(body):
    text = html_to_text(page(body=body)).text
    assert text.startswith("Floods hit Lisbon on 4 May 2021") and "Wednesday" in text
    assert "1990" not in text and "Share" not in text and "About us" not in text


def test_soft_hyphens_leave_the_words_whole():
    text = html_to_text(page(body=f"<article><p>Shelling hit Zapor\u00adizhzhia on 4 May 2021.</p>{BODY}</article>")).text
    assert "Zaporizhzhia" in text and "\u00ad" not in text


def test_a_declared_charset_is_how_the_page_is_read(tmp_path):
    path = tmp_path / "kyiv.html"
    path.write_bytes(page('<meta charset="windows-1251">', f"<article><p>Київ, 4 травня 2021.</p>{BODY}</article>")
                     .encode("windows-1251"))
    article, warnings = load_article(path)
    assert article.text.startswith("Київ, 4 травня 2021.") and warnings == []


def test_the_stored_text_is_the_text_extracted_so_spans_give_back_the_words(tmp_path):
    from timeline.extract.pipeline import extract

    path = tmp_path / "p.html"
    path.write_text(page('<meta property="og:site_name" content="Iberian Post">', f"<nav>Home</nav><article>{BODY}</article>"),
                    encoding="utf-8")
    article, _ = load_article(path)
    assert article.outlet == "Iberian Post"
    result = extract(article)
    assert result.events and all(article.text[slice(*e.date.span)] == e.date.text for e in result.events)
    assert all(article.text[slice(*m.span)] == m.text for m in result.mentions)


def test_a_page_of_scripts_only_is_one_error_naming_the_file(tmp_path):
    path = tmp_path / "s.html"
    path.write_text("<html><head><script>x()</script></head><body><script>y()</script></body></html>")
    with pytest.raises(ArticleError, match=r"s\.html: HTML with no article text$"):
        load_article(path)


def test_a_pages_byline_is_stored_and_exported(tmp_path):
    import csv
    import io

    from timeline import store
    from timeline.export import to_csv
    from timeline.ingest import ingest
    from timeline.query import query_events

    body = " ".join(["The council of Springfield voted on 4 March 2024 to close the Elm Street library."] * 3)
    (tmp_path / "page.html").write_text(
        '<html><head><meta name="author" content="Ana Ruiz"><title>Library to close</title></head>'
        f"<body><article><h1>Library to close</h1><p>{body}</p><p>{body}</p></article></body></html>",
        encoding="utf-8")
    db = tmp_path / "t.db"
    ingest([tmp_path / "page.html"], db)
    events = query_events(store.connect(db, readonly=True))
    assert events and {e.author for e in events} == {"Ana Ruiz"}
    rows = list(csv.DictReader(io.StringIO(to_csv(events).lstrip("\ufeff"))))
    assert rows[0]["author"] == "Ana Ruiz"
