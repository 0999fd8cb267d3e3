"""The sources of an archive ingest as partitions: small, picklable slices that a worker reads.

The driver never reads an article. It lists folders and reads their manifests, and it scans each
dump once for where its records begin (a pass over the bytes, in constant memory); what it hands
out is a `Partition`: a list of files with their manifest entries, a byte range of a JSON Lines
or CSV dump, or a range of a Parquet file's row groups. The worker reads that slice
(`articles_of`), through fsspec, so `s3://bucket/dump.jsonl` works where s3fs is installed.

Records are numbered as `timeline.dumps.records` numbers them (the first record is 1, blank lines
and a CSV's header are not records), so an error names the same record, and an article without
a `file` field gets the same name (`dump.jsonl#17`), whichever engine read it.
"""
from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .. import corpus, dumps
from ..corpus import ManifestEntry
from ..errors import ArticleError, ManifestError
from ..model import Article

PARTITION_ENV = "TIMELINE_PARTITION_ARTICLES"
# Articles per partition (and per archive part): large enough that a part's Parquet files are
# not tiny and a task's scheduling cost (a few ms) is nothing beside its extraction (about a
# second per 500 articles a core), small enough that a retried partition loses little work.
DEFAULT_PARTITION_ARTICLES = 500
PARQUET_SUFFIXES = (".parquet", ".pq")
SCAN_BLOCK = 1 << 20


@dataclass(frozen=True)
class Options:
    """What the user said about every article: a publication date, a dump's own field names."""

    published: dt.date | None = None
    fields: tuple[tuple[str, str], ...] = ()  # dumps.parse_fields' mapping, as pairs (hashable)

    @property
    def field_map(self) -> dict[str, str]:
        return dict(self.fields)


@dataclass(frozen=True)
class Partition:
    """A slice of the sources. `kind` is "files" (`files`: paths with their manifest entries),
    "jsonl" or "csv" (bytes `start`..`stop` of `source`, whose first record is number `first`;
    a CSV's header is bytes 0..`header_end`), or "parquet" (row groups `start`..`stop`)."""

    kind: str
    source: str = ""
    files: tuple[tuple[str, ManifestEntry | None], ...] = ()
    start: int = 0
    stop: int = 0
    first: int = 1
    header_end: int = 0

    def describe(self) -> str:
        if self.kind == "files":
            first, last = self.files[0][0], self.files[-1][0]
            return first if len(self.files) == 1 else f"{first} … {last} ({len(self.files)} files)"
        if self.kind == "parquet":
            return f"{self.source}: row groups {self.start + 1}-{self.stop}"
        return f"{self.source}: records from {self.first}"


def partition_articles() -> int:
    """Articles per partition: $TIMELINE_PARTITION_ARTICLES, else DEFAULT_PARTITION_ARTICLES."""
    raw = os.environ.get(PARTITION_ENV, "").strip()
    if not raw:
        return DEFAULT_PARTITION_ARTICLES
    if not raw.isdigit() or int(raw) < 1:
        raise ArticleError(f"${PARTITION_ENV}: expected a number of articles, 1 or more, got {raw!r}")
    return int(raw)


# ---------- the driver: planning ----------

class Plan:
    """The partitions of `paths`, yielded as the sources are scanned; `errors` collects the
    one-line errors found on the way (a missing path, a bad manifest, an unreadable dump)."""

    def __init__(self, paths, manifest: Path | None = None, size: int | None = None):
        self.paths = list(dict.fromkeys(_absolute(str(p)) for p in paths))  # a path given twice is read once
        self.manifest = manifest
        self.size = size or partition_articles()
        self.errors: list[str] = []
        self.planned = 0  # partitions handed out so far
        self.complete = False  # every source scanned

    def __iter__(self) -> Iterator[Partition]:
        for part in self._partitions():
            self.planned += 1
            yield part
        self.complete = True

    def _partitions(self) -> Iterator[Partition]:
        entries = self._manifest_entries()
        pending: list[tuple[str, ManifestEntry | None]] = []  # article files not yet handed out
        for path in self._files():
            kind = _dump_kind(path)
            if kind is None:
                pending.append((path, _entry_of(entries, path)))
                if len(pending) == self.size:
                    yield Partition("files", files=tuple(pending))
                    pending = []
                continue
            if pending:
                yield Partition("files", files=tuple(pending))
                pending = []
            try:
                yield from (_parquet_partitions if kind == "parquet" else _text_partitions)(path, kind, self.size)
            except (ArticleError, OSError, ValueError) as e:
                self.errors.append(_one_line(path, e))
        if pending:
            yield Partition("files", files=tuple(pending))

    def _files(self) -> Iterator[str]:
        for path in self.paths:  # in the order given; a folder's files in name order
            if _is_local(path):
                found, errors = corpus.article_paths([path])  # the corpus's own walk
                self.errors += errors
                yield from map(str, found)
            else:
                yield from self._remote_files(path)

    def _remote_files(self, url: str) -> Iterator[str]:
        import fsspec

        fs, root = fsspec.core.url_to_fs(url)
        protocol = url.split("://", 1)[0]
        try:
            if fs.isdir(root):
                names = sorted(p for p in fs.find(root) if _wanted(p))
                if not names:
                    self.errors.append(f"{url}: no article files here ({' '.join(corpus.ARTICLE_SUFFIXES)})")
                yield from (f"{protocol}://{p}" for p in names)
            elif fs.exists(root):
                yield url
            else:
                self.errors.append(f"{url}: no such file or folder")
        except OSError as e:
            self.errors.append(_one_line(url, e))

    def _manifest_entries(self) -> dict[str, ManifestEntry]:
        """File -> manifest entry, keyed as corpus.load_articles keys them (by absolute path, and
        by name alone); each manifest is read once, here, and its problems reported once."""
        local = [p for p in self.paths if _is_local(p)]
        manifests = [self.manifest] if self.manifest else corpus.default_manifests(local)
        entries: dict[str, ManifestEntry] = {}
        for manifest in manifests:
            try:
                found, warnings = corpus.read_manifest(manifest)
            except ManifestError as e:
                self.errors.append(str(e))
                continue
            self.errors += warnings
            folder = os.path.dirname(os.path.abspath(manifest))
            missing = [f for f in found if not os.path.exists(os.path.join(folder, f))]
            if missing:
                self.errors.append(f"{manifest}: names {len(missing)} file(s) that do not exist: "
                                   f"{', '.join(missing[:3])}" + (" …" if len(missing) > 3 else ""))
            for name, entry in found.items():
                entries[os.path.join(folder, name)] = entry
                entries.setdefault(name, entry)
        return entries


def _entry_of(entries: dict[str, ManifestEntry], path: str) -> ManifestEntry | None:
    return (entries.get(os.path.abspath(path)) if _is_local(path) else None) or entries.get(os.path.basename(path))


def _wanted(name: str) -> bool:
    base = os.path.basename(name)
    return not base.startswith(".") and base.lower().endswith(corpus.ARTICLE_SUFFIXES)


def _dump_kind(path: str) -> str | None:
    lower = path.lower()
    if lower.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if lower.endswith(dumps.DUMP_SUFFIXES):
        return "csv" if lower.endswith(".csv") else "jsonl"
    return None


def _text_partitions(url: str, kind: str, size: int) -> Iterator[Partition]:
    """Byte ranges of `size` records each. A JSON Lines record is a line that is not blank. A CSV
    record ends at a line break outside quotes (an even count of quote marks since it began: a
    doubled quote, the escape, keeps the count even); an empty line there is a blank row, which
    csv skips; the first record is the header."""
    records = header_end = start = offset = 0
    first = 1
    inside = False  # within a quoted CSV cell
    for line in _lines(url):
        offset += len(line)
        if kind == "csv":
            inside ^= line.count(b'"') % 2 == 1
            if inside or not line.strip(b"\r\n"):
                continue
            if not header_end:
                header_end = start = offset
                continue
        elif _blank(line):
            continue
        records += 1
        if records == size:
            yield Partition(kind, url, start=start, stop=offset, first=first, header_end=header_end)
            start, first, records = offset, first + size, 0
    if records:
        yield Partition(kind, url, start=start, stop=offset, first=first, header_end=header_end)


def _blank(line: bytes) -> bool:
    """A blank line, as str.strip() judges it in dumps.records (which skips it)."""
    stripped = line.strip()
    return not stripped or (stripped[0] >= 0x80 and not stripped.decode("utf-8", "replace").strip())


def _lines(url: str) -> Iterator[bytes]:
    """The lines of a file, each with its line break, read a block at a time."""
    carry = b""
    with _open(url) as f:
        while block := f.read(SCAN_BLOCK):
            lines = (carry + block).split(b"\n")
            carry = lines.pop()
            for line in lines:
                yield line + b"\n"
    if carry:
        yield carry


def _parquet_partitions(url: str, kind: str, size: int) -> Iterator[Partition]:
    """Runs of whole row groups of about `size` rows (a larger row group is one partition: the
    worker streams it and writes it in parts of `size`)."""
    import pyarrow.parquet as pq

    with _open(url) as f:
        try:
            meta = pq.ParquetFile(f).metadata
        except Exception as e:  # noqa: BLE001 - pyarrow raises several kinds for a file that is no Parquet
            raise ArticleError(f"{url}: not a Parquet file ({type(e).__name__}: {e})") from None
    start, rows, first = 0, 0, 1
    for group in range(meta.num_row_groups):
        rows += meta.row_group(group).num_rows
        if rows >= size:
            yield Partition(kind, url, start=start, stop=group + 1, first=first)
            start, first, rows = group + 1, first + rows, 0
    if start < meta.num_row_groups:
        yield Partition(kind, url, start=start, stop=meta.num_row_groups, first=first)


# ---------- the worker: reading one partition ----------

def articles_of(part: Partition, options: Options) -> Iterator[tuple[Article | None, list[str], list[str]]]:
    """(article or None, warnings, errors) for each article of the partition, as
    corpus.load_articles gives them: one bad file or record is an error line, never a raise."""
    if part.kind == "files":
        for path, meta in part.files:
            yield from _file_articles(path, meta, options.published)
        return
    try:
        rows = _parquet_rows(part, options) if part.kind == "parquet" else _text_rows(part)
        yield from _record_articles(part.source, rows, options)
    except (ArticleError, OSError) as e:
        yield None, [], [_one_line(part.source, e)]


def _file_articles(path: str, meta: ManifestEntry | None, published: dt.date | None):
    """One article file, as corpus.load_articles reads it (a long text in pieces); a remote one
    through fsspec, whole."""
    try:
        if _is_local(path):
            local = Path(path)
            if corpus.is_long_text(local):
                pieces, warnings = corpus.load_pieces(local, meta, published)
                for piece in pieces:
                    yield piece, warnings, []
                    warnings = []
                return
            article, warnings = corpus.load_article(local, meta, published)
        else:
            article, warnings = _remote_article(path, meta, published)
    except ArticleError as e:
        yield None, [], [str(e)]
    except OSError as e:
        yield None, [], [_one_line(path, e)]
    else:
        yield article, warnings, []


def _remote_article(url: str, meta: ManifestEntry | None, published: dt.date | None):
    with _open(url) as f:
        data = f.read(corpus.MAX_BYTES + 1)
    if len(data) > corpus.MAX_BYTES:
        raise ArticleError(f"{url}: larger than {corpus.MAX_BYTES // 2**20} MB, not read")
    is_html = url.lower().endswith(corpus.HTML_SUFFIXES)
    from ..html import declared_charset, looks_like_html

    text, warnings = corpus.decode(data, url, declared_charset(data) if is_html else None)
    return corpus.article_of(text, os.path.basename(url), meta, published, url, warnings,
                             html=is_html or looks_like_html(text))


def _text_rows(part: Partition) -> Iterator[tuple[int, dict | None, str | None]]:
    """(record number, row, error) of a JSON Lines or CSV byte range, through dumps' own readers."""
    with _open(part.source) as f:
        head = f.read(part.header_end) if part.header_end else b""
        f.seek(part.start)
        body = f.read(part.stop - part.start)
    try:  # a byte-order mark can only begin the file: the header, or a JSON Lines dump's first range
        text = head.decode("utf-8-sig") + body.decode("utf-8-sig" if part.start == 0 else "utf-8")
    except UnicodeDecodeError as e:
        raise ArticleError(f"{part.source}: not UTF-8 ({e.reason} near record {part.first})") from None
    handle = io.StringIO(text, newline="")
    rows = dumps.csv_rows(handle) if part.kind == "csv" else dumps.json_rows(handle)
    import csv

    try:
        for n, row, error in rows:
            yield n + part.first - 1, row, error
    except csv.Error as e:
        raise ArticleError(f"{part.source}: not a CSV file ({e})") from None


def _parquet_rows(part: Partition, options: Options) -> Iterator[tuple[int, dict | None, str | None]]:
    """Rows of a run of row groups, a batch at a time, only the columns an article is made of."""
    import pyarrow.parquet as pq

    wanted = {options.field_map.get(name, name) for name in dumps.FIELDS} | set(dumps.NAME_FALLBACKS)
    n = part.first
    with _open(part.source) as f:
        parquet = pq.ParquetFile(f)
        columns = [c for c in parquet.schema_arrow.names if c in wanted]
        for batch in parquet.iter_batches(batch_size=256, row_groups=range(part.start, part.stop), columns=columns):
            for row in batch.to_pylist():
                yield n, {k: _as_text(v) for k, v in row.items()}, None
                n += 1


def _as_text(value):
    """A Parquet cell as a dump's text: dates and times in ISO form (a typed `published`)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _record_articles(source: str, rows, options: Options):
    """Articles of numbered dump rows from any reader, by corpus.record_article (the rules of
    a dump read whole by corpus.load_articles)."""
    columns = {name: options.field_map.get(name, name) for name in dumps.FIELDS}
    name_of = os.path.basename(source)
    for n, row, error in rows:
        where = f"{source}: record {n}"
        if error:
            yield None, [], [f"{where}: {error}"]
            continue
        record, error = dumps.record_of(row, columns)
        if record is None:
            yield None, [], [f"{where}: {error}"]
            continue
        article, warnings, errors = corpus.record_article(record, record["file"] or f"{name_of}#{n}", where,
                                                          options.published)
        yield article, warnings, ([f"{where}: {error}"] if error else []) + errors


# ---------- paths ----------

def _is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def _absolute(path: str) -> str:
    """Workers run in other folders (and on other machines): local paths are made absolute."""
    if path.startswith("file://"):
        path = path[len("file://"):]
    return os.path.abspath(path) if _is_local(path) else path


def _open(url: str):
    import fsspec

    return fsspec.open(url, "rb").open()


def _one_line(where: str, e: BaseException) -> str:
    message = str(e)
    if isinstance(e, OSError) and e.strerror:
        message = e.strerror
    return message if message.startswith(where) else f"{where}: cannot be read ({message})"
