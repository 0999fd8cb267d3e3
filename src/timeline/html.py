"""Saved web pages: the article's text and metadata, through trafilatura.

trafilatura finds the main text (comments left out) and the page's metadata: title, site name,
author, date (JSON-LD, Open Graph, <time>, the URL) and canonical URL. The text it gives is the
text that is stored and extracted, so every span indexes it. trafilatura is imported here, on the
first page read: it costs about 0.15 s, which a run over text files does without.
"""
from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass

from .errors import ArticleError

_TEASER_CLASSES = ("card", "teaser", "promo", "story-card", "article-card")
# The project's own discards, as XPath, applied before trafilatura looks for the main text.
PRUNE_XPATH = [
    # A list item that is nothing but a link: lists of related stories, whose headlines carry the
    # dates and places of other events (0971361).
    "//li[a][not(text()[normalize-space()])][not(*[not(self::a)][normalize-space()])]",
    # Menus and sidebars that a short page otherwise keeps (trafilatura falls back to the whole
    # body below about 250 characters of main text).
    "//nav", "//aside", "//menu", "//*[@role='navigation' or @role='complementary']",
    # Teaser cards: trafilatura takes a page's first <article> for the story, and on a front or
    # section page that is a card linking to another one.
    *(f"//article[contains(concat(' ', normalize-space(@class), ' '), ' {token} ')]"
      for token in _TEASER_CLASSES),
]
# Characters that only shape a word on screen: a soft hyphen splits "Zapor\xadizhzhia" for the
# finders; zero-width spaces and joiners likewise.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_BULLET = re.compile(r"^- ", re.M)  # trafilatura marks list items so; the stored text is prose
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


@dataclass(frozen=True)
class HtmlArticle:
    text: str
    title: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None


def declared_charset(data: bytes) -> str | None:
    """The codec a page declares in its first 4 KB (<meta charset> or http-equiv), if Python has it."""
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def html_to_text(html: str, name: str = "page", url: str | None = None) -> HtmlArticle:
    """The main text of a page, one paragraph a line, and its metadata. Raises ArticleError for a
    page with no article text."""
    import trafilatura  # lazily: see the module's docstring

    doc = trafilatura.bare_extraction(
        html, url=url, include_comments=False, with_metadata=True, include_tables=True,
        prune_xpath=PRUNE_XPATH, date_extraction_params={"extensive_search": False, "original_date": True})
    text = _clean(doc.text if doc is not None else "")
    if not text:
        raise ArticleError(f"{name}: HTML with no article text")
    return HtmlArticle(
        text=text,
        title=_field(doc.title),
        published=_date(doc.date),
        outlet=_field(doc.sitename),
        author=_field(doc.author),
        url=_field(doc.url),
    )


def _clean(text: str) -> str:
    text = _BULLET.sub("", text.translate(_INVISIBLE))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _field(value) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def looks_like_html(text: str) -> bool:
    head = text[:1000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)
