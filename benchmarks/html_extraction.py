"""Article text from saved news pages: trafilatura (what timeline uses) against the hand-written
reader it replaced, on the pages of html_pages.py (36 pages, twelve layouts), in one run.

    python benchmarks/html_extraction.py [--repeat 3] [--save DIR]

Per reader: recall (share of the article's words given back), precision (share of the words
given back that are the article's), their F1 (word multisets, pooled over the pages), the share
of boilerplate snippets left out, a publication date found (and right) on the pages that declare
one, and pages per second. Targets: F1 >= 0.90 and a date for >= 85% of the pages with one.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import re
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from html_pages import make_pages, save  # noqa: E402

from timeline.corpus import decode, parse_date  # noqa: E402
from timeline.html import declared_charset, html_to_text  # noqa: E402

WORD = re.compile(r"\w+")


# ---------- the old reader, kept here only for the comparison (timeline before trafilatura) ----------

@dataclass
class OldPage:
    text: str
    title: str | None = None
    published: dt.date | None = None
    outlet: str | None = None


_BLOCK = frozenset("p div br li h1 h2 h3 h4 h5 h6 tr blockquote section article header footer "
                   "figcaption pre ul ol table dd dt".split())
_SKIP = frozenset("script style noscript template svg nav aside form button select iframe "
                  "header footer menu".split())
_VOID = frozenset("br img hr meta link input source area base col embed param track wbr".split())


class _Reducer(HTMLParser):
    """Collects visible text, one block a line; keeps <article> (or <main>) when the page has one.
    A list item that is nothing but a link is left out: those are lists of related stories,
    whose headlines carry dates and places of other events."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.article_parts: list[str] = []
        self.skip = 0
        self.in_article = 0
        self.in_title = False
        self.title = ""
        self.meta: dict[str, str] = {}
        self.in_link = 0
        self.items: list[list] = []  # open <li>: [parts length, article parts length, text outside a link?]

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag == "meta":
                a = dict(attrs)
                key = a.get("property") or a.get("name") or a.get("itemprop")
                if key and a.get("content"):
                    self.meta.setdefault(key.lower(), a["content"])
            elif tag == "br":
                self._emit("\n")
            return
        if tag in _SKIP:
            self.skip += 1
        elif tag in ("article", "main"):
            self.in_article += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "a":
            self.in_link += 1
        elif tag == "li":
            self.items.append([len(self.parts), len(self.article_parts), False])
        if tag in _BLOCK:
            self._emit("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in ("article", "main"):
            self.in_article = max(0, self.in_article - 1)
        elif tag == "title":
            self.in_title = False
        elif tag == "a":
            self.in_link = max(0, self.in_link - 1)
        elif tag == "li" and self.items:
            parts, article_parts, own_text = self.items.pop()
            if not own_text:  # a link and nothing else
                del self.parts[parts:], self.article_parts[article_parts:]
            elif self.items:
                self.items[-1][2] = True
        if tag in _BLOCK:
            self._emit("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif not self.skip:
            if self.items and not self.in_link and data.strip():
                self.items[-1][2] = True
            self._emit(data)

    def _emit(self, s):
        self.parts.append(s)
        if self.in_article:
            self.article_parts.append(s)


def old_html_to_text(html: str) -> OldPage:
    reducer = _Reducer()
    reducer.feed(html)
    reducer.close()
    parts = reducer.article_parts if "".join(reducer.article_parts).strip() else reducer.parts
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    meta = reducer.meta
    published = None
    for key in ("article:published_time", "datepublished", "date", "pubdate"):
        if meta.get(key):
            published = parse_date(meta[key][:10])
            if published:
                break
    title = (meta.get("og:title") or reducer.title or "").strip() or None
    return OldPage(text, title, published, (meta.get("og:site_name") or "").strip() or None)


# ---------- the comparison ----------

def old_reader(page):
    text, _ = decode(page.data, page.name)  # the old reader ignored the declared charset
    got = old_html_to_text(text)
    return got.text, got.published


def new_reader(page):
    text, _ = decode(page.data, page.name, declared_charset(page.data))
    got = html_to_text(text, page.name, page.url)
    return got.text, got.published


READERS = {"trafilatura": new_reader, "old reader": old_reader}


def words(text: str) -> collections.Counter:
    return collections.Counter(WORD.findall(text.lower()))


def score(pages, reader, repeat: int) -> dict:
    found = gold = hit = 0
    left_out = snippets = 0
    dated = right = declared = 0
    layouts: dict[str, list[float]] = collections.defaultdict(list)
    results = []
    start = time.perf_counter()
    for _ in range(repeat):
        results = []
        for page in pages:
            try:
                results.append(reader(page))
            except ValueError:  # no text at all (ArticleError)
                results.append(("", None))
    seconds = (time.perf_counter() - start) / repeat
    for page, (text, published) in zip(pages, results):
        title = page.article.split("\n", 1)[0]
        text = "\n".join(line for line in text.split("\n") if line != title and not line.startswith(title))
        want, got = words(page.article.split("\n", 1)[1]), words(text)  # a soft hyphen left in splits a word
        common = sum((want & got).values())
        found, gold, hit = found + sum(got.values()), gold + sum(want.values()), hit + common
        layouts[page.layout].append(2 * common / max(1, sum(want.values()) + sum(got.values())))
        flat = " ".join(text.split())
        snippets += len(page.boilerplate)
        left_out += sum(1 for s in page.boilerplate if s not in flat)
        if page.published:
            declared += 1
            dated += published is not None
            right += published == page.published
    precision, recall = hit / max(1, found), hit / max(1, gold)
    return {"f1": round(2 * precision * recall / max(1e-9, precision + recall), 3), "precision": round(precision, 3),
            "recall": round(recall, 3), "boilerplate_left_out": round(left_out / snippets, 3),
            "date_found": round(dated / declared, 3), "date_right": round(right / declared, 3),
            "pages_per_s": round(len(pages) / seconds, 1),
            "f1_by_layout": {k: round(sum(v) / len(v), 3) for k, v in layouts.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="runs per reader (the mean time is reported)")
    ap.add_argument("--save", type=Path, metavar="DIR", help="also write the pages to DIR")
    args = ap.parse_args()
    pages = save(args.save) if args.save else make_pages()
    new_reader(pages[0])  # import trafilatura before the clock starts
    report = {"pages": len(pages), "layouts": len({p.layout for p in pages}),
              **{name: score(pages, reader, args.repeat) for name, reader in READERS.items()}}
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
