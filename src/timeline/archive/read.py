"""Reading an archive: DuckDB views with the SQLite store's tables and columns.

    from timeline.archive.read import open_archive
    con = open_archive("var/archive")
    con.sql("SELECT event_type, count(*) FROM events GROUP BY ALL").show()

`open_archive` gives an in-memory DuckDB connection with views `articles`, `events`, `places`,
`event_places`, `mentions` and `stories`, named and columned as store.SCHEMA's tables, over the
parts that have their `.done` marker (a part being written, or left half written by a killed
worker, is not read). One row per article id, event seq and place id:
- an article in two parts (a re-run that cut its batches otherwise) is read from the part whose
  name sorts first, with that part's events, places and mentions; the check costs one scan of
  the articles' ids when the set of parts is new (its answer is kept in _parts/.copies-*.json),
  and the views filter rows only when some article is in two parts;
- places, repeated in every part that names them, are read once per id (a table made when the
  archive is opened: there are few places, and every view of the dashboard joins them).
`events.story_id` is the story of the latest stories generation (stories.regroup_archive): a
generation holds a copy of the events it grouped with their story ids in place (sorted by
start, so that a date filter skips row groups; a join per query would cost 0.3 s per 2 million
events), and the parts it grouped; the events of parts written since are read from their parts
without a story until the next one, as in SQLite between an ingest's writes and its
regrouping. An archive written by other means without a generation
(benchmarks/synthetic_archive.py) is read with the story ids its parts hold.

An article in a part the generation grouped and in a later part is read from the grouped one
(its events are in the generation's copy).

The views read the Parquet files at query time: a connection sees the parts done when it was
opened; open another to see newer ones.
"""
from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from . import schema

VIEWS = ("articles", "events", "places", "event_places", "mentions", "stories")
_DUCK_TYPES = {pa.string(): "VARCHAR", pa.int64(): "BIGINT", pa.int32(): "INTEGER", pa.int8(): "TINYINT",
               pa.float64(): "DOUBLE"}


def check_archive(root) -> Path:
    """`root` as a Path, or the one-line error that it is no archive."""
    root = Path(root)
    if not (root / "archive.json").is_file():
        raise schema.no_archive(root)
    try:
        fmt = json.loads((root / "archive.json").read_text(encoding="utf-8")).get("format")
    except (ValueError, AttributeError, OSError) as e:
        raise schema.ArchiveError(f"{root}: archive.json is not readable ({e})") from None
    if fmt != schema.FORMAT:
        raise schema.ArchiveError(f"{root}: archive format {fmt!r}, this version reads {schema.FORMAT}")
    return root


def done_parts(root: Path) -> set[str]:
    """The parts whose every file is written."""
    try:
        return {name[:-5] for name in os.listdir(root / schema.MARKERS)
                if name.endswith(".done") and not name.startswith(".")}
    except FileNotFoundError:
        return set()


def part_files(root: Path, table: str, parts: set[str], months: set[str] | None = None) -> list[str]:
    """The Parquet files of `table` that belong to `parts` (and `months`), in a stable order."""
    folder = root / table
    found = []
    folders = [folder] if table not in schema.MONTHLY else sorted(
        folder / d for d in _names(folder) if d.startswith("month=") and (months is None or d[6:] in months))
    for where in folders:
        for name in sorted(_names(where)):
            if name.endswith(".parquet") and not name.startswith(".") and name[:-8] in parts:
                found.append(str(where / name))
    return found


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []


def generation(root: Path) -> str | None:
    """The latest stories generation's name, or None when stories were never grouped here."""
    try:
        return json.loads((root / "stories" / schema.STORIES_POINTER).read_text(encoding="utf-8"))["generation"]
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, OSError) as e:
        raise schema.ArchiveError(f"{root}: stories/{schema.STORIES_POINTER} is not readable ({e})") from None


def _source(files: list[str], table_schema: pa.Schema, filename: bool = False) -> str:
    """A FROM item over the files, or an empty relation of the table's columns when none."""
    if files:
        listed = ", ".join(_quote(f) for f in files)
        return (f"read_parquet([{listed}], hive_partitioning = true, union_by_name = true"
                + (", filename = true)" if filename else ")"))
    columns = ", ".join(f"NULL::{_DUCK_TYPES[f.type]} AS {_ident(f.name)}" for f in table_schema)
    return f"(SELECT {columns}{', NULL::VARCHAR AS filename' if filename else ''} WHERE false)"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name + '"'


def _columns(table_schema: pa.Schema, alias: str = "t", replace: dict | None = None) -> str:
    replace = replace or {}
    return ", ".join(replace.get(f.name, f"{alias}.{_ident(f.name)}") + f" AS {_ident(f.name)}" for f in table_schema)


def open_archive(root, con: duckdb.DuckDBPyConnection | None = None,
                 months: set[str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection (or `con`) with the archive's views (see the module's
    words); with `months` (YYYY-MM, or "unknown"), of the articles published in those only."""
    root = check_archive(root)
    if con is None:
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")  # a bar on stderr is no reader's business
    parts = done_parts(root)
    files = {t: part_files(root, t, parts, months) for t in ("articles", "events", "event_places", "mentions", "places")}
    gen = generation(root)
    grouped = grouped_parts(root, gen) & parts
    losers = _copies_not_read(con, root, parts, months, grouped, files["articles"])
    dedupe = bool(losers)
    if dedupe:  # (article id, part) of every copy not read; few
        con.register("_losers_arrow", pa.table({"article_id": [a for a, _ in losers], "part": [p for _, p in losers]}))
        con.execute("CREATE OR REPLACE TEMP TABLE _losers AS SELECT * FROM _losers_arrow")
        con.unregister("_losers_arrow")

    def kept(table: str, table_files: list[str], key: str, replace: dict | None = None, join: str = "") -> str:
        columns = _columns(schema.TABLES[table], "t", replace)
        if not dedupe:
            return f"SELECT {columns} FROM {_source(table_files, schema.TABLES[table])} t {join}"
        return (f"SELECT {columns} FROM {_source(table_files, schema.TABLES[table], filename=True)} t {join} "
                f"ANTI JOIN _losers l ON l.article_id = t.{key} AND l.part = parse_filename(t.filename, true)")

    # SQLite keeps a long text apart, in `long_text` (store.article_text); Parquet holds any text
    # in `text`: the column is there, empty, so that code reading either store reads both.
    con.execute("CREATE OR REPLACE TEMP VIEW articles AS SELECT *, NULL::BLOB AS long_text FROM ("
                f"{kept('articles', files['articles'], 'id')})")
    con.execute(f"CREATE OR REPLACE TEMP VIEW mentions AS {kept('mentions', files['mentions'], 'article_id')}")
    con.execute("CREATE OR REPLACE TEMP TABLE _places AS SELECT DISTINCT ON (id) "
                f"{_columns(schema.PLACES)} FROM {_source(files['places'], schema.PLACES)} t ORDER BY id")
    con.execute("CREATE OR REPLACE TEMP VIEW places AS SELECT * FROM _places")
    # An event's places: kept when their event is (its article's copy read).
    event_places = _columns(schema.EVENT_PLACES)
    if dedupe:  # the seqs of the copies not read, by part: event_places names no article
        con.execute("CREATE OR REPLACE TEMP TABLE _losing_events AS SELECT t.seq, l.part FROM "
                    + _source(files["events"], schema.EVENTS, filename=True) + " t JOIN _losers l "
                    "ON l.article_id = t.article_id AND l.part = parse_filename(t.filename, true)")
        con.execute("CREATE OR REPLACE TEMP VIEW event_places AS SELECT " + event_places + " FROM "
                    + _source(files["event_places"], schema.EVENT_PLACES, filename=True) + " t "
                    "ANTI JOIN _losing_events l ON l.seq = t.event_seq AND l.part = parse_filename(t.filename, true)")
    else:
        con.execute(f"CREATE OR REPLACE TEMP VIEW event_places AS SELECT {event_places} FROM "
                    f"{_source(files['event_places'], schema.EVENT_PLACES)} t")
    _stories_views(con, root, files["events"], kept, gen, grouped, months)
    return con


def _stories_views(con, root: Path, event_files: list[str], kept, gen: str | None, grouped: set[str],
                   months) -> None:
    """`stories`, and `events` with the story of each from the latest generation."""
    if gen is None:  # no generation: the story ids the parts hold
        stories = [str(root / "stories" / n) for n in sorted(_names(root / "stories"))
                   if n.endswith(".parquet") and not n.startswith(".")]
        con.execute(f"CREATE OR REPLACE TEMP VIEW stories AS SELECT {_columns(schema.STORIES)} "
                    f"FROM {_source(stories, schema.STORIES)} t")
        con.execute(f"CREATE OR REPLACE TEMP VIEW events AS {kept('events', event_files, 'article_id')}")
        return
    folder = root / "stories" / gen
    con.execute(f"CREATE OR REPLACE TEMP VIEW stories AS SELECT {_columns(schema.STORIES)} "
                f"FROM {_source([str(folder / 'stories.parquet')], schema.STORIES)} t")
    # The generation's copy of the events it grouped, story ids in place (one row per seq);
    # the parts done since, without a story.
    copied = [str(folder / "events" / d / n) for d in sorted(_names(folder / "events"))
              if d.startswith("month=") and (months is None or d[6:] in months)
              for n in sorted(_names(folder / "events" / d)) if n.endswith(".parquet") and not n.startswith(".")]
    later = [f for f in event_files if Path(f).name[:-8] not in grouped]
    con.execute("CREATE OR REPLACE TEMP VIEW events AS "
                f"SELECT {_columns(schema.EVENTS)} FROM {_source(copied, schema.EVENTS)} t UNION ALL "
                + kept("events", later, "article_id", {"story_id": "NULL::VARCHAR"}))


def grouped_parts(root: Path, gen: str | None) -> set[str]:
    """The parts a stories generation grouped."""
    path = root / "stories" / str(gen) / "parts.parquet"
    return set(pq.read_table(path).column("part").to_pylist()) if gen and path.exists() else set()


def _copies_not_read(con, root: Path, parts: set[str], months, grouped: set[str],
                     article_files: list[str]) -> list[tuple[str, str]]:
    """_losing_copies, kept in a file for the set of parts it was found of: a scan of every
    article id costs about 0.2 s a million articles, at each opening of the archive. A reader
    that cannot write the file (a read-only archive) finds them again at each opening."""
    key = hashlib.blake2b(json.dumps([sorted(parts), sorted(months or ()), sorted(grouped)]).encode(),
                          digest_size=12).hexdigest()
    cache = root / schema.MARKERS / f".copies-{key}.json"
    try:
        return [tuple(pair) for pair in json.loads(cache.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    losers = _losing_copies(con, article_files, grouped)
    try:
        tmp = cache.with_name(f"{cache.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_text(json.dumps(losers), encoding="utf-8")
        os.replace(tmp, cache)
        for old in (root / schema.MARKERS).glob(".copies-*.json"):
            if old != cache and not months:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return losers


def _losing_copies(con, article_files: list[str], grouped: set[str]) -> list[tuple[str, str]]:
    """(article id, part) of each copy of an article beyond the one read: that of a part the
    stories generation grouped (its events are in the generation's copy), else of the part whose
    name sorts first."""
    if not article_files:
        return []
    con.register("_grouped", pa.table({"part": pa.array(sorted(grouped), pa.string())}))
    try:
        rows = con.execute(
            "SELECT id, list(part ORDER BY NOT grouped, part) FROM (SELECT id, part, part IN (SELECT part FROM _grouped) AS grouped "
            f"FROM (SELECT id, parse_filename(filename, true) AS part FROM read_parquet([{', '.join(_quote(f) for f in article_files)}], "
            "filename = true))) GROUP BY id HAVING count(*) > 1").fetchall()
    finally:
        con.unregister("_grouped")
    return [(article_id, part) for article_id, parts in rows for part in parts[1:]]


def known_ids(root, ids: list[str]) -> set[str]:
    """Which of `ids` the archive's done parts hold."""
    root = Path(root)
    files = part_files(root, "articles", done_parts(root))
    if not files or not ids:
        return set()
    con = duckdb.connect()
    try:
        con.register("_asked", pa.table({"id": list(ids)}))
        return {r[0] for r in con.execute(
            f"SELECT DISTINCT t.id FROM read_parquet([{', '.join(_quote(f) for f in files)}]) t "
            "SEMI JOIN _asked a ON a.id = t.id").fetchall()}
    finally:
        con.close()


def article_ids(root) -> set[str]:
    """Every article id in the archive's done parts: read once, it saves write_batch's look-up."""
    root = Path(root)
    files = part_files(root, "articles", done_parts(root))
    if not files:
        return set()
    with duckdb.connect() as con:
        return {r[0] for r in con.execute(
            f"SELECT DISTINCT id FROM read_parquet([{', '.join(_quote(f) for f in files)}])").fetchall()}


def counts(root) -> dict[str, int]:
    """Rows per table, like store.counts."""
    con = open_archive(root)
    try:
        return {table: con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                for table in ("articles", "events", "places", "mentions", "stories")}
    finally:
        con.close()
