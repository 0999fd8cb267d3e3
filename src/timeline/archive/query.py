"""Events of an archive as timeline.query gives them of SQLite: the same Filters, the same rows.

    from timeline.archive.query import query_events
    from timeline.query import Filters
    rows = query_events("var/archive", Filters.of(outlets=["CNN"], query='missile -"air defence"'))

The conditions are query.where's, over the archive's views. Two need another way in DuckDB:
- an outlet or place "as the user writes it" is SQLite's NOCASE, which folds A-Z only: the same
  folding here (translate), so that "élysée" does not find "Élysée" in one store and not the other;
- the text search is query.fts_query's, whose FTS5 queries are read token by token into SQL:
  a word "w"* is a word of the sentence that begins with w, "a phrase" is its words in a row,
  AND and OR and brackets are SQL's (with FTS5's precedence, AND first). Words are FTS5's
  unicode61 tokens: runs of letters and digits, lower-cased, accents removed (remove_diacritics).
  A query word with "_" inside (fts_query's \\w keeps it) is read as FTS5 reads it, as the phrase
  of its parts. Where the two may differ: letters whose accents DuckDB's strip_accents and FTS5
  remove differently outside the Latin scripts.
Rows come in query_events' order: undated last, then by start, then in ingest order (the
archive's: stories.ORDER), which is SQLite's seq order for a store ingested in that order.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path

import duckdb

from .. import query
from ..query import EventRow, Filters
from .read import open_archive

_UPPER, _LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"

_SELECT = query.EVENT_COLUMNS + query.FROM  # the columns of an EventRow, as SQLite reads them
_ORDER = " ORDER BY e.start IS NULL, e.start, a.published NULLS LAST, a.file, e.article_id, e.date_start, e.seq"


def nocase(expression: str) -> str:
    """SQLite's NOCASE of an SQL expression: A-Z folded, nothing else."""
    return f"translate({expression}, '{_UPPER}', '{_LOWER}')"


def where(filters: Filters) -> tuple[str, list]:
    """query.where's condition over the archive's views (e, a, p, s as in _SELECT)."""
    return query.where(filters, nocase=nocase, text=text_condition)


_FTS_TOKEN = re.compile(r'\s*(?:(\()|(\))|(AND|OR)\b|"([^"]*)"(\*?))')
# A token of FTS5's unicode61: letters and digits; the sentence folded as FTS5 folds it.
_SEP = r"[^\pL\pN]"
_FOLDED = "strip_accents(lower(e.sentence))"
# A text as its tokens, folded, one space between: the dashboard's ev.words (archive.search), and
# how a query word is read everywhere (`fold`, by these same DuckDB functions).
FOLD_SQL = r"trim(regexp_replace(strip_accents(lower({})), '[^\pL\pN]+', ' ', 'g'))"
_FOLDER = duckdb.connect()
_FOLDING = threading.Lock()


def fold(text: str) -> list[str]:
    """FTS5's tokens of `text`, folded as a sentence is: "drone_strike" is ["drone", "strike"]."""
    with _FOLDING:
        ((folded,),) = _FOLDER.execute(f"SELECT {FOLD_SQL.format('?')}", [text]).fetchall()
    return folded.split()


def text_condition(fts: str) -> tuple[str, list]:
    """An FTS5 query of query.fts_query as an SQL condition on e.sentence, with its words as
    parameters (each folded as the sentence is, in SQL)."""
    return fts_condition(fts, lambda quoted, star: word_regexp(quoted, star, _FOLDED))


def fts_condition(fts: str, term) -> tuple[str, list]:
    """An FTS5 query of query.fts_query read token by token: its parentheses and operators
    kept, each quoted term given to `term(quoted, star) -> (sql, params)`."""
    sql, params = [], []
    for operator, quoted, star in fts_tokens(fts):
        if operator:
            sql.append(operator)
            continue
        condition, words = term(quoted, star)
        sql.append(condition)
        params += words
    return "(" + " ".join(sql) + ")", params


def fts_tokens(fts: str):
    """The tokens of an FTS5 query of query.fts_query: (operator, None, None) for "(", ")",
    AND and OR, (None, quoted, star) for a term."""
    at = 0
    while at < len(fts):
        m = _FTS_TOKEN.match(fts, at)
        if m is None:
            raise ValueError(f"not an FTS5 query of fts_query: {fts!r}")
        at = m.end()
        opening, closing, operator, quoted, star = m.groups()
        yield (opening or closing or operator, None, None) if (opening or closing or operator) else (None, quoted, star)


def word_regexp(quoted: str, star: str, folded: str) -> tuple[str, list]:
    """A term's words matched in `folded` (a folded sentence, in SQL) at word boundaries."""
    words = fold(quoted)  # "drone_strike" is the phrase "drone strike", as in SQLite
    if not words:
        return "false", []
    # Its words in a row, whole, but for the last of a "w"*, which begins a word.
    pattern = (f"'(?:^|{_SEP})' || " + f" || '{_SEP}+' || ".join(["strip_accents(lower(?))"] * len(words))
               + ("" if star else f" || '(?:$|{_SEP})'"))
    return f"regexp_matches({folded}, {pattern})", words


def query_events(root_or_conn, filters: Filters = Filters(), limit: int | None = None) -> list[EventRow]:
    """Events matching `filters` in date order (undated last), as timeline.query.query_events
    gives them of SQLite. `root_or_conn`: an archive folder, or a connection of open_archive."""
    con = root_or_conn if isinstance(root_or_conn, duckdb.DuckDBPyConnection) else open_archive(Path(root_or_conn))
    try:
        sql, params = where(filters)
        rows = con.execute(_SELECT + sql + _ORDER + (f" LIMIT {int(limit)}" if limit else ""), params).fetchall()
        named: dict[int, list] = {}
        if rows:
            con.execute("SELECT event_seq, text, start, \"end\" FROM event_places WHERE event_seq IN "
                        "(SELECT unnest(?::BIGINT[])) ORDER BY event_seq, start", [[r[0] for r in rows]])
            for seq, text, start, end in con.fetchall():
                named.setdefault(seq, []).append((text, start, end))
    finally:
        if con is not root_or_conn:
            con.close()
    return [EventRow(*row[:24], bool(row[24]), *row[25:31], bool(row[31]), row[32],
                     named_places=tuple(named.get(row[0], ()))) for row in rows]


class RowsOf:
    """A DuckDB connection seen as the SQLite connection of query.outlet_counts and
    cli_review.unknown_names: `execute` gives the rows."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def execute(self, sql: str, params=()):
        return self.con.execute(sql, list(params)).fetchall()
