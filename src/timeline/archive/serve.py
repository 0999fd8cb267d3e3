"""`timeline serve --archive DIR`: the dashboard over an archive, aggregated in DuckDB.

The same page, callbacks and figures as over a SQLite store (dashboard/backend.py): this
backend answers them from aggregate.Frame, the archive's events loaded once into memory. The
archive is served as it is, read only: no correction form or review queue (they write to a
SQLite store: `timeline archive export` makes one).
"""
from __future__ import annotations

import dataclasses
import sys
import threading
import time
from pathlib import Path

from ..dashboard.provenance import MAX_EVENTS, MAX_STORIES
from ..ingest import plural
from ..query import UNKNOWN_OUTLET, EventRow, Filters
from . import aggregate
from .query import nocase



class ArchiveBackend:
    """dashboard/backend.py's questions, answered from an archive folder."""

    editable = False

    def __init__(self, root: Path, threads: int | None = None, index_words: bool = True):
        from .read import open_archive

        self.root = Path(root)
        self.frame = aggregate.Frame(open_archive(self.root), threads=threads, index_words=index_words)
        self.lock = threading.Lock()  # one DuckDB connection: one query at a time
        self._stamp = f"archive|{time.time()}"  # the data are those loaded: one state per process
        self._choices = None

    def stamp(self) -> str:
        return self._stamp

    def _locked(fetch):
        def run(self, *args, **kwargs):
            with self.lock:
                return fetch(self, *args, **kwargs)
        return run

    @_locked
    def timeline(self, filters: Filters, group_by: str, view: str) -> dict:
        return aggregate.timeline(self.frame, filters, group_by, view)

    @_locked
    def histogram(self, filters: Filters) -> list[dict]:
        return aggregate.histogram(self.frame, filters)

    @_locked
    def places(self, filters: Filters) -> list[dict]:
        return aggregate.places(self.frame, filters)

    @_locked
    def undrawn(self, filters: Filters) -> dict:
        return aggregate.undated_without_place(self.frame, filters)

    @_locked
    def choices(self) -> tuple[list[tuple[str, int]], list[str], str]:
        """What there is to choose from (the data are those loaded: read once)."""
        if self._choices is None:
            self._choices = self._read_choices()
        return self._choices

    def _read_choices(self) -> tuple[list[tuple[str, int]], list[str], str]:
        t = aggregate.totals(self.frame)
        status = (f"{plural(t['stories'], 'story', 'stories')} ({t['told']:,} told by several outlets) · "
                  f"{plural(t['events'], 'event')} · {plural(t['articles'], 'article')} · "
                  f"{plural(t['places'], 'place')} · archive {self.root.name}, read only")
        return aggregate.outlet_counts(self.frame), aggregate.place_names(self.frame), status

    @_locked
    def provenance(self, key, filters: Filters, on_map: bool = False) -> list:
        from ..dashboard.provenance import provenance_panel, story_list

        if not isinstance(key, (str, int)) or key == "":
            return provenance_panel("", [], None)
        key = str(key)
        frame = self.frame
        if key.startswith("s:"):
            return story_list(None, self._stories([key[2:]]))
        if key.startswith("e:") and key[2:].isdigit():
            events = self._events(filters, "e.seq = ?", [int(key[2:])])
            return provenance_panel("Event", events, self._sources_of(events))
        if key.startswith("c:"):  # a bubble of counts: lane | first day | last day
            lane, first, last = (key[2:].split("|") + ["", ""])[:3]
            from ..dashboard.state import iso_day

            span = dataclasses.replace(filters, since=iso_day(first), until=iso_day(last), vaguer=True)
            condition, params = ("", []) if lane == "(other)" else (
                f"(e.event_type = ? OR coalesce(o.name, '{UNKNOWN_OUTLET}') = ? OR coalesce(p.name, '(no place)') = ?)",
                [lane] * 3)
            events, total = self._events(span, condition, params, counted=True)
            return provenance_panel(f"{plural(total, 'event')}, {first} to {last}", events, self._sources_of(events))
        if key.startswith("cell:"):
            lat0, lon0, lat1, lon1 = (float(x) for x in key[5:].split(","))
            events, total = self._events(filters, "p.lat >= ? AND p.lat < ? AND p.lon >= ? AND p.lon < ?",
                                         [lat0, lat1, lon0, lon1], counted=True)
            return provenance_panel(f"{plural(total, 'event')} in this area", events, self._sources_of(events))
        # A place: the stories of the events there (not those that only name it, when some are there).
        sel = frame.select(dataclasses.replace(filters, places=(key,)))
        there = f"e.place_k IN (SELECT k FROM place_code WHERE {nocase('name')} = {nocase('?')})"
        if not frame.query(f"SELECT count(*) {sel.sql(there)}", [*sel.params, key])[0][0]:
            there = "true"
        params = [*sel.params, key] if there != "true" else sel.params
        stories = [r[0] for r in frame.query(
            f"SELECT f.story_key FROM (SELECT e.story_k, min(e.seq) AS seq, max(e.story_outlets) AS outlets "
            f"{sel.sql(there)} GROUP BY 1) g JOIN ev f ON f.seq = g.seq ORDER BY g.outlets DESC, f.start, f.seq "
            f"LIMIT {MAX_STORIES}", params)]
        total = frame.query(f"SELECT count(DISTINCT e.story_k) {sel.sql(there)}", params)[0][0]
        return story_list(f"At {key}: {total} stor{'y' if total == 1 else 'ies'}", self._stories(stories),
                          more=total - len(stories))

    @_locked
    def story_rows(self, ids: list[str]) -> list[dict]:
        """query.story_rows's answer, of the ids of the timeline's rows (story_key: a story's id,
        or "e:<seq>"), with every member (the briefing numbers all of their sources)."""
        return self._stories(list(ids), every_member=True)

    def data_as_of(self) -> str | None:
        """When the archive's newest part was written (SQLite's data_as_of: its last ingest)."""
        import datetime as dt

        from . import schema

        done = list((self.root / schema.MARKERS).glob("*.done"))
        if not done:
            return None
        newest = max(p.stat().st_mtime for p in done)
        return dt.datetime.fromtimestamp(newest, dt.timezone.utc).isoformat(timespec="seconds")

    def _events(self, filters: Filters, condition: str, params: list, counted: bool = False):
        """EventRows of the events matching `filters` and `condition` (over ev e, outlet_code o,
        place_code p), date order, at most MAX_EVENTS + 1; with `counted`, (rows, how many match)."""
        sel = self.frame.select(filters)
        joined = (f"FROM (SELECT e.seq {sel.sql()}) c JOIN ev e ON e.seq = c.seq "
                  "LEFT JOIN outlet_code o ON o.k = e.outlet_k LEFT JOIN place_code p ON p.k = e.place_k"
                  + (f" WHERE {condition}" if condition else ""))
        seqs = [r[0] for r in self.frame.query(f"SELECT e.seq {joined} ORDER BY e.start IS NULL, e.start, e.seq "
                                               f"LIMIT {MAX_EVENTS + 1}", [*sel.params, *params])]
        rows = self._rows(seqs)
        if not counted:
            return rows
        return rows, self.frame.query(f"SELECT count(*) {joined}", [*sel.params, *params])[0][0]

    def _rows(self, seqs: list[int]) -> list[EventRow]:
        if not seqs:
            return []
        listed = ",".join(str(int(s)) for s in seqs)
        events = self.frame.by_ids("ev", "seq", [int(s) for s in seqs])
        articles = self.frame.by_ids("article", "id", [e["article_id"] for e in events.values()])
        stories = self.frame.by_ids("story", "id", [e["story_id"] for e in events.values()], "label, disagreement")
        places = self.frame.by_ids("place_code", "k", [e["place_k"] for e in events.values()])
        rows = []
        for e in sorted(events.values(), key=lambda e: (e["start"] is None, e["start"] or "", e["seq"])):
            a, s, p = articles.get(e["article_id"], {}), stories.get(e["story_id"], {}), places.get(e["place_k"], {})
            rows.append((e["seq"], e["id"], a.get("file"), a.get("outlet"), a.get("title"), a.get("url"), a.get("published"),
                         e["sentence"], e["sentence_start"], e["date_text"], e["date_start"], e["date_end"], e["value"],
                         e["start"], e["end"], e["precision"], p.get("name"), p.get("country"), p.get("kind"), p.get("lat"),
                         p.get("lon"), e["place_text"], e["place_start"], e["place_end"], e["place_inferred"] or 0,
                         e["story_id"], e["story_outlets"], s.get("disagreement"), e["label"], e["event_type"],
                         s.get("label"), e["corrected"], a.get("author")))
        named: dict[int, list] = {}
        for seq, text, start, end in self.frame.query(
                f'SELECT seq, text, start, "end" FROM ev_places WHERE seq IN ({listed}) ORDER BY start'):
            named.setdefault(seq, []).append((text, start, end))
        return [EventRow(*r[:24], bool(r[24]), *r[25:31], bool(r[31]), r[32], named_places=tuple(named.get(r[0], ())))
                for r in rows]

    def _stories(self, keys: list[str], every_member: bool = False) -> list[dict]:
        """query.story_rows's answer: each story with its label, date, place, outlets and members
        (at most MAX_EVENTS of each, for the sources panel; all with `every_member`)."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        seqs = self._members(keys, None if every_member else MAX_EVENTS)
        members: dict[str, list[EventRow]] = {}
        for e in self._rows(seqs):
            members.setdefault(e.story_id or f"e:{e.seq}", []).append(e)
        found = {r["id"]: r for r in self.frame.dicts(
            f"SELECT s.*, p.name AS place FROM story s LEFT JOIN place_code p ON p.id = s.place_id WHERE s.id IN ({marks})",
            keys)}
        out = []
        for key in keys:
            if key not in members:
                continue
            row = found.get(key)
            lead = next((m for m in members[key] if row is not None and m.seq == row["lead_seq"]), members[key][0])
            out.append({"id": key, "label": row["label"] if row else lead.label,
                        "event_type": row["event_type"] if row else lead.event_type,
                        "start": lead.start, "end": lead.end, "precision": lead.precision,
                        "place": (row["place"] if row else lead.place_name) or "",
                        "outlets": row["outlets"] if row else 1,
                        "disagreement": row["disagreement"] if row else None, "members": members[key]})
        return out

    def _members(self, keys: list[str], most: int | None) -> list[int]:
        """The seqs of the events of these stories (story_key: a story id, or "e:<seq>"), at
        most `most` each (None: all), found by the stories' hashes (an integer scan, not a text one)."""
        if not keys:
            return []
        return [r[0] for r in self.frame.query(
            "SELECT seq FROM (SELECT seq, row_number() OVER (PARTITION BY story_k ORDER BY start, seq) AS i FROM ev "
            "WHERE story_k IN (SELECT (hash(x) >> 1)::BIGINT FROM unnest(?::VARCHAR[]) t(x)) "
            f"AND story_key IN (SELECT unnest(?::VARCHAR[])))" + (f" WHERE i <= {int(most)}" if most else ""),
            [keys, keys])]

    def _sources_of(self, events: list[EventRow]):
        """provenance_panel's `sources_of`: every source of the stories of `events` told by
        several outlets, read in one query for all of them."""
        keys = list(dict.fromkeys(e.story_id for e in events[:MAX_EVENTS] if e.story_id and e.story_outlets > 1))
        sources: dict[str, list[dict]] = {}
        for e in self._rows(self._members(keys, MAX_EVENTS)):
            sources.setdefault(e.story_id, []).append(
                {"outlet": e.outlet, "file": e.article, "title": e.title, "url": e.url, "date_text": e.date_text,
                 "value": e.value, "sentence": e.sentence})
        return lambda story_id: sources.get(story_id, [])


def cmd_serve_archive(args) -> int:
    """Serve an existing archive; a missing one, or articles given to ingest, is a one-line error."""
    import duckdb

    from ..cli import EXIT_SOME_FAILED, report
    from ..dashboard.app import serve
    from ..errors import TimelineError
    from .read import check_archive

    if getattr(args, "paths", None) or getattr(args, "demo", False):
        report("error", f"serve --archive serves an archive as it is: add articles with "
                        f"`timeline ingest PATH --archive {args.archive}` first")
        return EXIT_SOME_FAILED
    try:
        check_archive(args.archive)
        print(f"timeline: loading {args.archive} ...", file=sys.stderr)
        started = time.perf_counter()
        backend = ArchiveBackend(args.archive)
        backend.choices()  # read before the first page asks
    except TimelineError as e:
        report("error", str(e))
        return EXIT_SOME_FAILED
    except duckdb.Error as e:  # a part DuckDB cannot read: its message names the file
        report("error", f"{args.archive}: cannot be read ({str(e).splitlines()[0]})")
        return EXIT_SOME_FAILED
    print(f"timeline: {plural(backend.frame.events, 'event')} loaded in {time.perf_counter() - started:.1f} s; "
          f"serving {args.archive} on http://{args.host}:{args.port}/ (Ctrl+C stops)", file=sys.stderr)
    threading.Thread(target=_report_index, args=(backend, time.perf_counter()), daemon=True).start()
    serve(backend, args.host, args.port)
    return 0


def _report_index(backend: ArchiveBackend, started: float) -> None:
    """One line when the word index is ready (or cannot be made): until then a search reads
    every sentence, and the user may wonder why the first ones were slower."""
    words = backend.frame.words
    words.ready.wait()
    if words.index is not None:
        print(f"timeline: word index ready in {time.perf_counter() - started:.1f} s "
              f"({plural(len(words.index.vocabulary), 'word')}); text searches use it", file=sys.stderr, flush=True)
    else:
        why = f" ({str(words.error).splitlines()[0]})" if words.error else ""
        print(f"timeline: no word index{why}; text searches read every sentence", file=sys.stderr, flush=True)
