"""The archive dashboard's text search: query.fts_query's searches over the events of
aggregate.Frame, as a condition that scans every sentence, or from a word index.

Both read a sentence as its words: FTS5's unicode61 tokens (runs of letters and digits),
lower-cased, accents stripped, kept in ev's column `words` as " w1 w2 ... wn " (`folded_words`).
A query word is folded the same way (archive.query.fold, by the same DuckDB functions), so "w"* is
contains(words, " w") and a phrase "a b" is contains(words, " a b "), which is what
archive.query's regexps of word boundaries find over the sentence, without a regexp.

The scan (`text_condition`) reads all of `words`: 150-450 ms at 10,000,000 events, most of a
search's time. `WordIndex` holds, for each word of the vocabulary (sorted, so that a prefix is a
range of it), the sorted rows of ev that contain it, and beside them ev's coded columns in row
order: a search of words is then a union or intersection of those rows and a take() of the coded
columns, some 50-100 ms for 400,000 matches. It is built once in the background after the frame
has loaded (40 s and 1.3 GB at 10,000,000 events, of which the postings take four bytes each);
until it is ready, and for what it cannot answer (a phrase, a prefix of a few letters that a
large part of the vocabulary starts with), the scan answers.
"""
from __future__ import annotations

import atexit
import bisect
import threading

import duckdb
import numpy as np
import pyarrow as pa

from ..query import fts_query
from . import query as archive_query
from .query import fold

def folded_words(sentence: str) -> str:
    """The SQL of ev.words: the sentence's tokens, folded, one space between and around them."""
    return "' ' || " + archive_query.FOLD_SQL.format(sentence) + " || ' '"


# --- the scan ----------------------------------------------------------------------------------

def text_condition(text: str) -> tuple[str, list]:
    """A search as query.fts_query reads it (words as prefixes of words, "phrases" in a row, OR,
    -excluded), as an SQL condition over ev e's words, read term by term as
    archive.query.text_condition reads its FTS5 queries."""
    wanted, unwanted = fts_query(text)
    parts, params = [], []
    for fts, negate in ((wanted, False), (unwanted, True)):
        if fts:
            sql, words = archive_query.fts_condition(fts, _term_condition)
            parts.append(("NOT " if negate else "") + sql)
            params += words
    return " AND ".join(parts), params


def _term_condition(quoted: str, star: str) -> tuple[str, list]:
    tokens = fold(quoted)
    if not tokens:  # a query word of no letter or digit ("___"): FTS5 finds nothing for it
        return "false", []
    spaced = " " + " ".join(tokens) + ("" if star else " ")
    # The longest token first, without its space: DuckDB's contains() looks for a needle's first
    # byte, and a space is in every other one; the second test reads the few sentences left.
    return "(contains(e.words, ?) AND contains(e.words, ?))", [max(tokens, key=len), spaced]


# --- the index ---------------------------------------------------------------------------------

class Unanswerable(Exception):
    """A term the index does not answer (a phrase, a very common prefix): the scan does."""


class WordIndex:
    """For each folded word, the sorted rows of `ev` whose words include it (CSR: the rows of
    word i are rows[offsets[i]:offsets[i + 1]]), and ev's coded columns (`columns`) in row order."""

    def __init__(self, vocabulary: list[str], offsets: np.ndarray, rows: np.ndarray, coded: pa.Table):
        self.vocabulary = vocabulary
        self.offsets = offsets
        self.rows = rows
        self.coded = coded
        # A prefix whose words hold more postings than this is left to the scan: their union
        # would cost more than reading every sentence once.
        self.max_postings = max(1, 2 * coded.num_rows)

    @classmethod
    def build(cls, cur: duckdb.DuckDBPyConnection, table: str, columns: str) -> "WordIndex | None":
        """The index of `table` (with a `words` column) and its `columns`, read through `cur`
        (a cursor of the dashboard's connection, which serves queries meanwhile); None when the
        table's row ids are not its positions (rows deleted), which the postings rely on."""
        ((dense,),) = cur.execute(f"SELECT coalesce(max(rowid) + 1, 0) = count(*) FROM {table}").fetchall()
        if not dense:
            return None
        postings = cur.sql(f"""SELECT w, list(r ORDER BY r) AS rows FROM (
                    SELECT rowid::INTEGER AS r, unnest(list_filter(list_distinct(string_split(trim(words), ' ')),
                                                                   lambda w: w <> '')) AS w
                    FROM {table}) GROUP BY w ORDER BY w""").to_arrow_table()
        coded = cur.sql(f"SELECT {columns} FROM {table} e ORDER BY e.rowid").to_arrow_table().combine_chunks()
        lists = postings.column("rows").combine_chunks()
        if len(lists) == 0:
            return cls([], np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), coded)
        return cls(postings.column("w").to_pylist(), lists.offsets.to_numpy().astype(np.int64),
                   lists.values.to_numpy().astype(np.int32, copy=False), coded)

    # --- a search -----------------------------------------------------------------------------

    def matches(self, text: str) -> np.ndarray | None:
        """The sorted rows matching a search as text_condition reads it, or None when a term
        of it is left to the scan."""
        wanted, unwanted = fts_query(text)
        if not wanted:  # exclusions alone keep most events: the scan's, not a take() of them
            return None
        try:
            found = self._evaluate(wanted)
            if unwanted:
                found = found[~self._mask(self._evaluate(unwanted))[found]]
        except Unanswerable:
            return None
        return found

    def take(self, rows: np.ndarray) -> pa.Table:
        """The coded columns of `rows`."""
        return self.coded.take(pa.array(rows, type=pa.int32()))

    def _evaluate(self, fts: str) -> np.ndarray:
        """An FTS5 query of fts_query's (terms, AND, OR, brackets; AND binds first)."""
        tokens = [(operator,) if operator else ("term", quoted, star)
                  for operator, quoted, star in archive_query.fts_tokens(fts)]
        at = 0

        def peek():
            return tokens[at][0] if at < len(tokens) else None

        def either():
            nonlocal at
            found = both()
            while peek() == "OR":
                at += 1
                found = np.flatnonzero(self._mask(found, both())).astype(np.int32)
            return found

        def both():
            nonlocal at
            found = one()
            while peek() == "AND":
                at += 1
                other = one()
                found = other[self._mask(found)[other]]
            return found

        def one():
            nonlocal at
            kind, *term = tokens[at]
            at += 1
            if kind == "(":
                found = either()
                at += 1  # its ")"
                return found
            return self._term(*term)

        return either()

    def _term(self, quoted: str, star: str) -> np.ndarray:
        words = fold(quoted)
        if len(words) != 1:
            if not words:
                return np.zeros(0, dtype=np.int32)
            raise Unanswerable(quoted)  # a phrase: the order of its words is the scan's to check
        word = words[0]
        first = bisect.bisect_left(self.vocabulary, word)
        last = bisect.bisect_left(self.vocabulary, word + "\U0010ffff") if star else first + (
            first < len(self.vocabulary) and self.vocabulary[first] == word)
        if last - first <= 1:  # no word, or one: its rows as they are, sorted
            return self.rows[self.offsets[first]:self.offsets[last]]
        if self.offsets[last] - self.offsets[first] > self.max_postings:
            raise Unanswerable(quoted)
        return np.flatnonzero(self._mask(self.rows[self.offsets[first]:self.offsets[last]])).astype(np.int32)

    def _mask(self, *rows: np.ndarray) -> np.ndarray:
        """ev's rows as booleans, those of `rows` true: a union, intersection or difference
        of sorted rows through it costs their lengths and one pass over ev's rows (15 ms at
        10,000,000), where numpy's sorting set operations took 100-500 ms."""
        mask = np.zeros(self.coded.num_rows, dtype=bool)
        for r in rows:
            mask[r] = True
        return mask


class Background:
    """A WordIndex of `table` built in a thread, through a cursor of `con`: `index` is None
    until it is ready (or if it cannot be). At exit the build is interrupted and awaited: a
    process that ends while a daemon thread is inside DuckDB can abort instead of exiting."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str, columns: str):
        self.index: WordIndex | None = None
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self._cursor = con.cursor()
        self._thread = threading.Thread(target=self._run, args=(table, columns), daemon=True, name="word-index")
        self._thread.start()
        atexit.register(self.stop)

    def _run(self, table: str, columns: str) -> None:
        try:
            self.index = WordIndex.build(self._cursor, table, columns)
        except BaseException as e:  # the scan keeps answering; the error is kept for who asks
            self.error = e
        finally:
            self._cursor.close()
            self.ready.set()

    def stop(self) -> None:
        if not self.ready.is_set():
            self._cursor.interrupt()
            self._thread.join(timeout=10)
        atexit.unregister(self.stop)
