"""Reading articles: files and folders, encodings, HTML, manifests, outlet and date inference.

Every failure is an `ArticleError` or `ManifestError` whose message names the file and the
problem in one line; callers report it and go on with the other files.
"""
from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .errors import ArticleError, ManifestError
from .extract.dates import dateline_date
from .model import Article

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
MANIFEST_NAME = "manifest.json"
MAX_BYTES = 64 * 1024 * 1024  # larger files are not news articles
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


# ---------- finding files ----------

def article_paths(paths: list[str | Path]) -> tuple[list[Path], list[str]]:
    """The article files under `paths` (files as given, folders walked in name order), and a
    one-line error for each path that cannot be walked. Symbolic-link loops are not followed."""
    found, errors = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path, onerror=lambda e: errors.append(f"{e.filename}: {e.strerror}")):
                dirs.sort()
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in sorted(files):
                    if name.lower().endswith(ARTICLE_SUFFIXES) and not name.startswith("."):
                        found.append(Path(root) / name)
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            errors.append(f"{path}: no such file or folder")
    return found, errors


def default_manifest(paths: list[str | Path]) -> Path | None:
    """The manifest.json in the first folder given, or beside the first file given: used when no
    --manifest is named."""
    for raw in paths:
        path = Path(raw)
        folder = path if path.is_dir() else path.parent
        if (folder / MANIFEST_NAME).is_file():
            return folder / MANIFEST_NAME
    return None


# ---------- decoding ----------

def read_text(path: Path) -> tuple[str, list[str]]:
    """The decoded text of a file, and warnings about how it was decoded."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ArticleError(f"{path}: larger than {MAX_BYTES // 2**20} MB, not read")
        data = path.read_bytes()
    except ArticleError:
        raise
    except OSError as e:
        raise ArticleError(f"{path}: cannot be read ({e.strerror or e})") from None
    return decode(data, str(path))


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    if not data.strip():
        raise ArticleError(f"{name}: empty file")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF32_LE, "utf-32")):
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), name), []
            except UnicodeDecodeError:
                raise ArticleError(f"{name}: starts with a {codec} byte-order mark but is not {codec}") from None
    if b"\x00" in data[:4096]:
        raise ArticleError(f"{name}: binary data, not text")
    try:
        return _checked(data.decode("utf-8"), name), []
    except UnicodeDecodeError:
        pass
    # Not UTF-8. Mostly-UTF-8 text with a few bad bytes keeps its UTF-8 and loses those bytes;
    # text with no valid multi-byte sequence at all is a legacy single-byte encoding.
    lossy = data.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd")
    good = sum(1 for c in lossy if ord(c) > 127) - bad
    if good > bad:
        return _checked(lossy, name), [f"{name}: {bad} invalid UTF-8 byte(s) replaced"]
    try:
        return _checked(data.decode("cp1252"), name), [f"{name}: not UTF-8, read as Windows-1252"]
    except UnicodeDecodeError:
        return _checked(data.decode("latin-1"), name), [f"{name}: not UTF-8, read as Latin-1"]


def _checked(text: str, name: str) -> str:
    """Reject decoded 'text' that is mostly control characters (a binary file)."""
    sample = text[:4096]
    controls = len(_CONTROL_CHARS.findall(sample))
    if controls > len(sample) * 0.05:
        raise ArticleError(f"{name}: binary data, not text")
    if not text.strip():
        raise ArticleError(f"{name}: empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------- HTML ----------

@dataclass
class HtmlArticle:
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


def html_to_text(html: str) -> HtmlArticle:
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
    return HtmlArticle(text, title, published, (meta.get("og:site_name") or "").strip() or None)


def _looks_like_html(text: str) -> bool:
    head = text[:1000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


# ---------- metadata ----------

@dataclass(frozen=True)
class ManifestEntry:
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None


def read_manifest(path: Path) -> tuple[dict[str, ManifestEntry], list[str]]:
    """File name -> metadata, and a one-line warning for each entry that had to be dropped or
    trimmed. A manifest that is not a JSON list of objects raises ManifestError."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise ManifestError(f"{path}: cannot be read ({e.strerror or e})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ManifestError(f"{path}: not valid JSON ({e})") from None
    if not isinstance(raw, list):
        raise ManifestError(f"{path}: expected a JSON list of entries, got {type(raw).__name__}")
    entries, warnings = {}, []
    for n, item in enumerate(raw, 1):
        where = f"{path}: entry {n}"
        if not isinstance(item, dict) or not isinstance(item.get("file"), str) or not item["file"]:
            warnings.append(f"{where}: needs a \"file\" name, skipped")
            continue
        fields = {}
        for key in ("outlet", "title", "url"):
            value = item.get(key)
            if value is not None and not isinstance(value, str):
                warnings.append(f"{where} ({item['file']}): {key} must be text, ignored")
                value = None
            fields[key] = value or None
        published = item.get("published")
        if published is not None:
            date = parse_date(published) if isinstance(published, str) else None
            if date is None:
                warnings.append(f"{where} ({item['file']}): published {published!r} is not a date, ignored")
            fields["published"] = date
        entries[item["file"]] = ManifestEntry(**fields)
    return entries, warnings


def parse_date(value: str) -> dt.date | None:
    """A publication date as people write it: ISO first, then dateparser for the rest."""
    value = value.strip()
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    if re.fullmatch(r"[\d\W]+", value) and re.match(r"\d{4}-\d{1,2}-\d{1,2}", value):
        return None  # ISO-shaped but impossible ("2024-02-30"): never guess another day
    import dateparser  # slow to import, and needed only for free-form dates

    parsed = dateparser.parse(value, settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


# Outlets recognised from their own words: copyright lines, house phrases, bylines.
OUTLET_SIGNALS = [
    (re.compile(r"Cable News Network|\bCNN['’]s [A-Z][\w -]+ contributed"), "CNN"),
    (re.compile(r"\bThe Independent is\b|\bIndependent readers\b|\bindependent\.co\.uk"), "The Independent"),
    (re.compile(r"\bNewsweek (?:has )?reached out\b|\bNewsweek should\b|@newsweek\.com"), "Newsweek"),
    (re.compile(r"\(Reuters\) [-–—]|Reporting by [^\n;]+; Editing by"), "Reuters"),
    (re.compile(r"\(AP\) [-–—]|The Associated Press\. All rights reserved"), "Associated Press"),
    (re.compile(r"\bBBC News\b|©\s*\d{4}\s*BBC"), "BBC"),
    (re.compile(r"\btheguardian\.com\b|Guardian News (?:&|and) Media"), "The Guardian"),
    (re.compile(r"\bAl Jazeera\b and news agencies"), "Al Jazeera"),
]
_COPYRIGHT = re.compile(r"(?:©|\(c\)|Copyright)\s*(?:\d{4}[-–]?\d{0,4}\s*)?(?:by\s+)?([A-Z][\w&.'’ -]{2,40}?)"
                        r"(?:[.,]|\s+All\b|\s*$)", re.M)
_REACHED_OUT = re.compile(r"\b([A-Z][\w.]*(?: [A-Z][\w.]*){0,2}) (?:has )?(?:reached out to|contacted) [^.\n]{0,80}for comment")


def infer_outlet(text: str) -> str | None:
    for pattern, outlet in OUTLET_SIGNALS:
        if pattern.search(text):
            return outlet
    for pattern in (_COPYRIGHT, _REACHED_OUT):
        m = pattern.search(text)
        if m:
            return m.group(1).strip()
    return None


def infer_published(text: str) -> dt.date | None:
    """The date of a dateline among the article's first lines."""
    for line in text.split("\n", 30)[:30]:
        date = dateline_date(line)
        if date:
            return date
    return None


def load_article(path: Path, meta: ManifestEntry | None = None, published: dt.date | None = None,
                 name: str | None = None) -> tuple[Article, list[str]]:
    """Read one article. Metadata comes from `published` (the user's word), the manifest, then the
    text itself. Raises ArticleError."""
    text, warnings = read_text(path)
    html_meta = None
    if path.suffix.lower() in (".html", ".htm") or _looks_like_html(text):
        html_meta = html_to_text(text)
        text = html_meta.text
        if not text.strip():
            raise ArticleError(f"{path}: HTML with no article text")
    meta = meta or ManifestEntry()
    article = Article(
        file=name or path.name,
        text=text,
        outlet=meta.outlet or (html_meta and html_meta.outlet) or infer_outlet(text),
        title=meta.title or (html_meta and html_meta.title) or None,
        url=meta.url,
        published=published or meta.published or (html_meta and html_meta.published) or infer_published(text),
    )
    return article, warnings


def load_articles(paths: list[str | Path], manifest: Path | None = None,
                  published: dt.date | None = None):
    """Yield (article or None, warnings, errors): each article with its warnings, or None with the
    one-line errors of a file, folder or manifest that failed. Never raises for one file."""
    files, errors = article_paths(paths)
    if errors:
        yield None, [], errors
    manifest = manifest or default_manifest(paths)
    entries: dict[str, ManifestEntry] = {}
    if manifest:
        try:
            entries, warnings = read_manifest(manifest)
        except ManifestError as e:
            yield None, [], [str(e)]
        else:
            if warnings:
                yield None, [], warnings
            folder = os.path.dirname(manifest)  # os.path: pathlib costs 20 µs a file here
            missing = [f for f in entries if not os.path.exists(os.path.join(folder, f))]
            if missing:
                yield None, [], [f"{manifest}: names {len(missing)} file(s) that do not exist: {', '.join(missing[:3])}"
                             + (" …" if len(missing) > 3 else "")]
    for path in files:
        meta = entries.get(path.name) or entries.get(str(path))
        try:
            article, warnings = load_article(path, meta, published)
        except ArticleError as e:
            yield None, [], [str(e)]
        else:
            yield article, warnings, []
