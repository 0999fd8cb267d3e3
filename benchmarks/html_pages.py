"""Saved news pages of our own making, with their truth: the article's text, the boilerplate
around it, and the publication date the page declares.

`make_pages()` builds 36 pages from the bundled and test-corpus articles, each in one of twelve
layouts met in saved pages: teaser <article> cards around the story, unclosed <button> and <svg>,
a page wrapped in one <form>, comment sections, sidebars, related-story lists and blocks, share
and newsletter boxes, bylines and captions, soft hyphens, a declared windows-1251 charset, and
<div> soup with no <article> at all. The date is declared in a different place per page (Open
Graph, JSON-LD, <time>, the URL, nowhere).
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "tests" / "corpus").glob("*.txt")) + sorted((ROOT / "data" / "articles").glob("*.txt"))

NAV = ["Home", "World", "Politics", "Business", "Sport", "Weather", "Subscribe to our print edition"]
FOOTER = "Copyright Meridian Media Group. Terms of use, privacy policy and cookie settings."
SHARE = "Share this story on Facebook, Twitter or WhatsApp, or copy the link"
NEWSLETTER = "Sign up for the Morning Briefing newsletter delivered to your inbox every weekday"
BYLINE = "By Maria Fernandes, Senior Correspondent"
CAPTION = "Firefighters survey the damage in a photograph released by the regional emergency service"
COMMENTS = ["Ridiculous coverage as usual, nobody remembers the floods of 1987 in Valencia",
            "My cousin lives near Gdansk and says the ferries stopped running in February 2019"]
SIDEBAR = ["Most read: Celebrity chef opens a restaurant in Marseille on 2 March 2020",
           "Editor's pick: the best hiking trails of the Dolomites this autumn"]
RELATED = ["Storm Bert floods Pontypridd in November 2022", "Ferry strike halts crossings to Calais",
           "Central bank in Nairobi raises rates again"]
TEASERS = ["Opinion: why the harbour tunnel in Bergen will never be finished on time",
           "Watch: drone footage of the glacier collapse near Zermatt in July 2021"]
CYRILLIC = "Мешканці Києва повідомили про вибухи вночі, сказав мер міста."
LAYOUTS = ("plain", "teasers", "unclosed", "form", "comments", "sidebar", "related", "share",
           "byline_caption", "soft_hyphens", "charset", "div_soup")
DATE_PLACES = ("og", "jsonld", "time", "url", "none")


@dataclass
class Page:
    name: str
    layout: str
    data: bytes
    url: str
    article: str  # the text a perfect reader gives
    boilerplate: list[str]  # snippets that must not come back
    published: dt.date | None  # what the page declares (None: nothing)


def _paragraphs(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def make_pages(count: int = 36) -> list[Page]:
    return [_page(n, SOURCES[n % len(SOURCES)], LAYOUTS[n % len(LAYOUTS)], DATE_PLACES[n % len(DATE_PLACES)])
            for n in range(count)]


def _page(n: int, source: Path, layout: str, date_place: str) -> Page:
    paragraphs = _paragraphs(source)
    title, body = f"Report {n}: " + paragraphs[0][:60].rsplit(" ", 1)[0], paragraphs[1:] or paragraphs
    if layout == "charset":
        body = body + [CYRILLIC]
    published = dt.date(2024, 1, 1) + dt.timedelta(days=17 * n)
    url = f"https://news.example.org/world/story-{n}" if date_place != "url" else \
        f"https://news.example.org/{published:%Y/%m/%d}/story-{n}"
    head = [f"<title>{html.escape(title)} | Meridian</title>", '<meta name="viewport" content="width=device-width">']
    if date_place == "og":
        head.append(f'<meta property="article:published_time" content="{published}T07:30:00Z">')
    if date_place == "jsonld":
        head.append('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
                    f'"headline": "{title}", "datePublished": "{published}T09:00:00+01:00", '
                    '"publisher": {"@type": "Organization", "name": "Meridian"}}</script>')
    if layout == "charset":
        head.insert(0, '<meta charset="windows-1251">')
    else:
        head.insert(0, '<meta charset="utf-8">')
    time_tag = f'<time datetime="{published}">{published:%d %B %Y}</time>' if date_place == "time" else ""

    def ps(items):
        words = [html.escape(p) for p in items]
        if layout == "soft_hyphens":
            words = [" ".join(w[:3] + "\u00ad" + w[3:] if len(w) > 8 else w for w in p.split(" ")) for p in words]
        return "".join(f"<p>{p}</p>" for p in words)

    nav = "<nav><ul>" + "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in NAV) + "</ul></nav>"
    footer = f"<footer><p>{FOOTER}</p></footer>"
    story = f"<h1>{html.escape(title)}</h1>{time_tag}{ps(body)}"
    boilerplate = [FOOTER, NAV[-1]]
    if layout == "plain":
        main = f"<article>{story}</article>"
    elif layout == "teasers":
        cards = "".join(f'<article class="card"><h3><a href="/t{i}">{t}</a></h3><p>{t}. Read more.</p></article>'
                        for i, t in enumerate(TEASERS))
        main = f'<div class="rail">{cards}</div><article class="story">{story}</article><div class="more">{cards}</div>'
        boilerplate += TEASERS
    elif layout == "unclosed":
        main = f'<div class="tools"><button class="share">{SHARE}<svg viewBox="0 0 10 10"><path d="M0 0"></div>' \
               f"<article>{story}</article>"
        boilerplate.append(SHARE)
    elif layout == "form":
        main = f'<form id="aspnetForm" action="/page.aspx"><div class="content">{story}</div></form>'
    elif layout == "comments":
        comments = "".join(f'<article class="comment"><p class="author">reader{i}</p><p>{c}</p></article>'
                           for i, c in enumerate(COMMENTS))
        main = f'<article>{story}</article><section id="comments" class="comments"><h2>Comments</h2>{comments}</section>'
        boilerplate += COMMENTS
    elif layout == "sidebar":
        side = "".join(f"<p>{s}</p>" for s in SIDEBAR)
        main = f'<div class="wrap"><article>{story}</article><aside class="sidebar">{side}</aside></div>'
        boilerplate += SIDEBAR
    elif layout == "related":
        links = "".join(f'<li><a href="/r{i}">{r}</a></li>' for i, r in enumerate(RELATED))
        main = f'<article>{story}<div class="related-stories"><h3>Related stories</h3><ul>{links}</ul></div></article>'
        boilerplate += RELATED
    elif layout == "share":
        main = (f'<article>{story}<div class="share-box"><p>{SHARE}</p></div>'
                f'<div class="newsletter-signup"><p>{NEWSLETTER}</p><input type="email"><button>Sign up</button></div></article>')
        boilerplate += [SHARE, NEWSLETTER]
    elif layout == "byline_caption":
        main = (f'<article><h1>{html.escape(title)}</h1>{time_tag}<p class="byline">{BYLINE}</p>'
                f'<figure><img src="/a.jpg" alt=""><figcaption>{CAPTION}</figcaption></figure>{ps(body)}</article>')
        boilerplate += [BYLINE, CAPTION]
    elif layout == "soft_hyphens":
        main = f"<article>{story}</article>"
    elif layout == "charset":
        main = f"<article>{story}</article>"
    else:  # div soup
        menu = "".join(f'<div class="menu-item"><a href="/{w.lower()}">{w}</a></div>' for w in NAV)
        side = "".join(f'<div class="promo">{s}</div>' for s in SIDEBAR)
        main = f'<div id="menu">{menu}</div><div class="story-body">{story}</div><div class="promos">{side}</div>'
        boilerplate += SIDEBAR
    page = (f"<!doctype html><html><head>{''.join(head)}</head><body><header>{nav}</header>"
            f"<main>{main}</main>{footer}<script>var ads = 'on 1 January 2020';</script></body></html>")
    data = page.encode("windows-1251", errors="xmlcharrefreplace") if layout == "charset" else page.encode("utf-8")
    article = "\n".join([title, *body])
    return Page(f"{n:02d}_{layout}.html", layout, data, url, article, boilerplate,
                None if date_place == "none" else published)


def save(folder: Path) -> list[Page]:
    """Write the pages to `folder` (to look at them in a browser)."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = make_pages()
    for page in pages:
        (folder / page.name).write_bytes(page.data)
    return pages
