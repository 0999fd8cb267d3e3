"""Reading articles: files and folders, encodings, manifests, outlet and date inference (pages
go through html.py).

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
from pathlib import Path

from .errors import ArticleError, ManifestError
from .extract.dates import dateline_date
from .dumps import is_dump, records
from .html import declared_charset, html_to_text, looks_like_html
from .model import Article
from .pieces import PIECE_CHARS, read_pieces

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
MANIFEST_NAME = "manifest.json"
MAX_BYTES = 64 * 1024 * 1024  # larger files (but plain text, read in pieces) are not news articles
MAX_TEXT_BYTES = 2**30
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
            if not any(f.is_relative_to(path) for f in found[-1:]):
                errors.append(f"{path}: no article files here ({' '.join(ARTICLE_SUFFIXES)})")
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            errors.append(f"{path}: no such file or folder")
    return found, errors


def default_manifests(paths: list[str | Path]) -> list[Path]:
    """The manifest.json of each folder given, or beside each file given: used when no
    --manifest is named (the articles of two folders each keep their own)."""
    found = []
    for raw in paths:
        path = Path(raw)
        folder = path if path.is_dir() else path.parent
        if (folder / MANIFEST_NAME).is_file() and folder / MANIFEST_NAME not in found:
            found.append(folder / MANIFEST_NAME)
    return found


# ---------- decoding ----------

def read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ArticleError(f"{path}: larger than {MAX_BYTES // 2**20} MB, not read")
        return path.read_bytes()
    except ArticleError:
        raise
    except OSError as e:
        raise ArticleError(f"{path}: cannot be read ({e.strerror or e})") from None


def read_text(path: Path) -> tuple[str, list[str]]:
    """The decoded text of a file, and warnings about how it was decoded."""
    return decode(read_bytes(path), str(path))


def decode(data: bytes, name: str, declared: str | None = None) -> tuple[str, list[str]]:
    """Text from bytes: a byte-order mark wins, then the charset a page declares (`declared`),
    then UTF-8, then Windows-1252 or Latin-1 for legacy text."""
    if not data.strip():
        raise ArticleError(f"{name}: empty file")
    if declared and declared not in ("utf-8", "ascii") and not data.startswith(
            (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode(declared, errors="replace")
        bad = text.count("\ufffd")
        return _checked(text, name), [f"{name}: {bad} byte(s) not {declared} replaced"] if bad else []
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


# ---------- metadata ----------

@dataclass(frozen=True)
class ManifestEntry:
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None


def read_manifest(path: Path) -> tuple[dict[str, ManifestEntry], list[str]]:
    """File name -> metadata, and a one-line error for each entry that had to be dropped or
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
            try:
                date = parse_date(published) if isinstance(published, str) else None
            except AmbiguousDate as e:
                warnings.append(f"{where} ({item['file']}): published {e}, ignored")
                date = False
            if date is None:
                warnings.append(f"{where} ({item['file']}): published {published!r} is not a date, ignored")
            fields["published"] = date or None
        entries[item["file"]] = ManifestEntry(**fields)
    return entries, warnings


class AmbiguousDate(ValueError):
    """A numeric date whose day and month could be either way round ("06/01/2024")."""


_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")


def parse_date(value: str) -> dt.date | None:
    """A publication date as people and feeds write it: ISO 8601 ("2024-03-05",
    "2024-03-05T10:00:00+02:00", "20240305"), RFC 2822 ("Tue, 05 Mar 2024 10:00:00 +0000"), then
    words through dateparser ("5 March 2024"). None when it is no date. Raises AmbiguousDate for
    a numeric date that reads two ways: "06/01/2024" is June in New York and January in London,
    and a wrong guess moves every relative date of the article."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-?\d{2}-?\d{2}(?:[T ].*)?", value):
        try:
            return dt.date.fromisoformat(value[:10] if "-" in value[:10] else value[:8])
        except ValueError:
            return None  # ISO-shaped but impossible ("2024-02-30"): never guess another day
    if re.fullmatch(r"[\d\W]+", value) and re.match(r"\d{4}-\d{1,2}-\d{1,2}", value):
        return None
    numeric = _NUMERIC.fullmatch(value)
    if numeric:
        return _numeric_date(value, *map(int, numeric.groups()))
    if re.search(r"\d{1,2} \w{3} \d{4} \d{2}:\d{2}", value):  # RFC 2822, as in feeds and mail
        from email.utils import parsedate_to_datetime

        try:
            return parsedate_to_datetime(value).date()
        except (TypeError, ValueError, IndexError):
            pass
    import dateparser  # slow to import, and needed only for free-form dates

    parsed = dateparser.parse(value, settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


def _numeric_date(value: str, first: int, second: int, year: int) -> dt.date | None:
    if year < 100:
        raise AmbiguousDate(f"{value!r} has a two-digit year: write it as YYYY-MM-DD")
    if first <= 12 and second <= 12 and first != second:
        raise AmbiguousDate(f"{value!r} could be day/month or month/day: write it as YYYY-MM-DD")
    day, month = (first, second) if first > 12 or first == second else (second, first)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


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


HTML_SUFFIXES = (".html", ".htm")


def load_article(path: Path, meta: ManifestEntry | None = None, published: dt.date | None = None,
                 name: str | None = None) -> tuple[Article, list[str]]:
    """Read one article. Metadata comes from `published` (the user's word), the manifest, then the
    page's own metadata, then the text itself. Raises ArticleError."""
    data = read_bytes(path)
    is_html = path.suffix.lower() in HTML_SUFFIXES
    text, warnings = decode(data, str(path), declared_charset(data) if is_html else None)
    del data
    return article_of(text, name or path.name, meta, published, str(path), warnings,
                      html=is_html or looks_like_html(text))


def article_of(text: str, name: str, meta: ManifestEntry | None = None, published: dt.date | None = None,
               where: str | None = None, warnings: list[str] | None = None,
               html: bool = False) -> tuple[Article, list[str]]:
    """An Article from its text (or a page's HTML) and what is known about it: the user's
    `published`, then `meta`, then the page's metadata, then what the text itself says."""
    warnings = list(warnings or [])
    meta = meta or ManifestEntry()
    page = None
    if html:
        page = html_to_text(text, where or name, meta.url)
        text = page.text
    date = published or meta.published or (page and page.published) or infer_published(text)
    if date and date > dt.date.today() + dt.timedelta(days=1):  # a day's grace for time zones
        warnings.append(f"{where or name}: publication date {date} is in the future")
    article = Article(
        file=name,
        text=text,
        outlet=meta.outlet or (page and page.outlet) or infer_outlet(text),
        title=meta.title or (page and page.title) or None,
        url=meta.url or (page and page.url) or None,
        author=(page and page.author) or None,
        published=date,
    )
    return article, warnings


def load_articles(paths: list[str | Path], manifest: Path | None = None,
                  published: dt.date | None = None, fields: dict[str, str] | None = None):
    """Yield (article or None, warnings, errors): each article with its warnings, or None with the
    one-line errors of a file, folder, manifest or dump record that failed. Never raises for one
    file. A dump (.jsonl, .csv: see dumps.py) gives one article per record; `fields` maps its
    column names."""
    files, errors = article_paths(paths)
    if errors:
        yield None, [], errors
    entries: dict[str, ManifestEntry] = {}  # by the file's folder and name, and by its name alone
    for manifest in [manifest] if manifest else default_manifests(paths):
        try:
            found, warnings = read_manifest(manifest)
        except ManifestError as e:
            yield None, [], [str(e)]
            continue
        if warnings:
            yield None, [], warnings
        folder = os.path.dirname(manifest)  # os.path: pathlib costs 20 µs a file here
        missing = [f for f in found if not os.path.exists(os.path.join(folder, f))]
        if missing:
            yield None, [], [f"{manifest}: names {len(missing)} file(s) that do not exist: {', '.join(missing[:3])}"
                         + (" …" if len(missing) > 3 else "")]
        for name, entry in found.items():
            entries[os.path.join(os.path.abspath(folder), name)] = entry
            entries.setdefault(name, entry)
    for path in files:
        if is_dump(path):
            yield from _dump_articles(path, published, fields)
            continue
        meta = (entries.get(os.path.abspath(path)) or entries.get(path.name) or entries.get(str(path)))
        try:
            if is_long_text(path):
                pieces, warnings = load_pieces(path, meta, published)
                for piece in pieces:
                    yield piece, warnings, []
                    warnings = []
                continue
            article, warnings = load_article(path, meta, published)
        except ArticleError as e:
            yield None, [], [str(e)]
        except OSError as e:
            yield None, [], [f"{path}: cannot be read ({e.strerror or e})"]
        else:
            yield article, warnings, []


def is_long_text(path: Path) -> bool:
    """A text file long enough to be read and extracted in pieces (pieces.py)."""
    try:
        if path.suffix.lower() in HTML_SUFFIXES or path.stat().st_size <= 2 * PIECE_CHARS:
            return False
        with path.open("rb") as f:
            head = f.read(1000)
    except OSError:
        return False  # load_article says what is wrong with it
    return not looks_like_html(head.decode("latin-1"))


def load_pieces(path: Path, meta: ManifestEntry | None, published: dt.date | None):
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise ArticleError(f"{path}: larger than {MAX_TEXT_BYTES // 2**30} GB, not read")
    meta = meta or ManifestEntry()
    pieces, warnings = read_pieces(path, path.name, meta.outlet, meta.title, meta.url, published or meta.published,
                                   infer_outlet, infer_published)
    return pieces, warnings


def _dump_articles(path: Path, published: dt.date | None, fields: dict[str, str] | None):
    try:
        for n, record, error in records(path, fields):
            if record is None:
                yield None, [], [error]
                continue
            article, warnings, errors = record_article(record, record["file"] or f"{path.name}#{n}",
                                                       f"{path}: record {n}", published)
            yield article, warnings, ([error] if error else []) + errors
    except ArticleError as e:
        yield None, [], [str(e)]


def record_article(record: dict, name: str, where: str, published: dt.date | None):
    """(article or None, warnings, errors) of one dump record (dumps.record_of's fields), named
    `name`; `where` names the record in messages ("dump.jsonl: record 7")."""
    errors = []
    try:
        date = parse_date(record["published"]) if record["published"] else None
    except AmbiguousDate as e:
        errors.append(f"{where}: published {e}, ignored")
        date = None
    else:
        if record["published"] and date is None:
            errors.append(f"{where}: published {record['published']!r} is not a date, ignored")
    meta = ManifestEntry(record["outlet"], record["title"], record["url"], date)
    html = not record["text"]
    try:
        article, warnings = article_of(record["html"] if html else record["text"], name, meta, published, where,
                                       html=html)
    except ArticleError as e:
        return None, [], errors + [str(e)]
    return article, warnings, errors
