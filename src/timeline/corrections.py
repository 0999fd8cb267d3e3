"""The analyst's corrections: rows of their own, kept for good, applied after every extraction.

A correction names what it corrects by words, not by row: the article (its file, and the hash
of its text) and, in it, the event's date words, where they stood and the sentence around them
(its `anchor`). So it finds its event again after a re-ingest of the same text, after a newer
extractor read the article again, and after the text changed a little (the same date words in
the most alike sentence, nearest to where they stood). Kinds:

    place, date, label, type   the event's value becomes `value` (`was` keeps what it was)
    reject                     not an event: gone from every view and export
    confirm                    the analyst checked it: it leaves the review queue
    detach                     the event leaves its story (ingest.regroup_stories)
    merge                      two events' stories become one (anchor and `other`)
    rule                       "always read X as Y": every event and mention whose place words
                               are X, in every article, present and future, is placed at Y

Applying never loses what extraction said: an event's extracted values are kept in its
`extracted` column (JSON) while corrections change it, and every application starts from them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass

from .errors import TimelineError
from .geocode.gazetteer import fold

KINDS = ("place", "date", "label", "type", "reject", "confirm", "detach", "merge", "rule")
EVENT_KINDS = ("place", "date", "label", "type", "reject")  # change the event itself
# What an event's correctable values are, as columns of the events table.
FIELDS = ("place_id", "place_inferred", "value", "start", "end", "precision", "days", "label", "event_type",
          "rejected")
PRECISIONS = ("day", "week", "month", "quarter", "season", "year", "decade", "century", "range")


class CorrectionError(TimelineError, ValueError):
    """A correction that cannot be made: no such event, place or date. The message says why."""


@dataclass(frozen=True)
class Correction:
    kind: str
    anchor: dict
    value: dict | None = None
    was: dict | None = None
    reviewer: str | None = None
    created_at: str = ""

    @property
    def key(self) -> str:
        """What makes two corrections the same one: importing a review twice adds nothing."""
        body = json.dumps([self.kind, self.anchor, self.value, self.created_at], sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()[:24]

    def to_json(self) -> dict:
        return {"kind": self.kind, "anchor": self.anchor, "value": self.value, "was": self.was,
                "reviewer": self.reviewer, "created_at": self.created_at}

    @classmethod
    def from_json(cls, d: dict) -> "Correction":
        if d.get("kind") not in KINDS or not isinstance(d.get("anchor"), dict):
            raise CorrectionError(f"not a correction: {str(d)[:80]}")
        return cls(d["kind"], d["anchor"], d.get("value"), d.get("was"), d.get("reviewer"), d.get("created_at") or "")


def reviewer_name(given: str | None = None) -> str | None:
    return given or os.environ.get("TIMELINE_REVIEWER") or None


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# ---------- anchors: an event named by its words ----------

_EVENT_SQL = ('SELECT e.seq, e.id, e.sentence, e.sentence_start, e.date_text, e.date_start, e.place_text, '
              'a.id AS article_id, a.file FROM events e JOIN articles a ON a.id = e.article_id')


def anchor_of(conn: sqlite3.Connection, seq: int) -> dict:
    """The words that name event `seq`, for a correction to find it again."""
    row = conn.execute(_EVENT_SQL + " WHERE e.seq = ?", (seq,)).fetchone()
    if row is None:
        raise CorrectionError(f"no event {seq}")
    from .store import TEXT_COLUMNS, article_text

    text = article_text(*conn.execute(f"SELECT {TEXT_COLUMNS} FROM articles WHERE id = ?", (row["article_id"],)).fetchone())
    return {"file": row["file"], "digest": hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
            "sentence": row["sentence"], "date_text": row["date_text"], "date_start": row["date_start"],
            "place_text": row["place_text"]}


def find_event(conn: sqlite3.Connection, anchor: dict, article_id: str | None = None) -> int | None:
    """The seq of the event an anchor names, or None: the same date words in the same file (or
    the same text under another name), in the same sentence, else in the most alike sentence
    nearest to where they stood."""
    sql = _EVENT_SQL + " WHERE e.date_text = ? AND (a.file = ?" + (" OR a.id = ?)" if article_id else ")")
    params = [anchor.get("date_text"), anchor.get("file")] + ([article_id] if article_id else [])
    if article_id:
        sql += " AND a.id = ?"
        params.append(article_id)
    rows = conn.execute(sql, params).fetchall()
    if not rows:
        return None
    exact = [r for r in rows if r["sentence"] == anchor.get("sentence")]
    if exact:
        return min(exact, key=lambda r: abs(r["date_start"] - (anchor.get("date_start") or 0)))["seq"]
    words = set(str(anchor.get("sentence", "")).lower().split())
    scored = []
    for r in rows:
        theirs = set(r["sentence"].lower().split())
        alike = len(words & theirs) / max(1, len(words | theirs))
        if alike >= 0.5:  # a text that changed a little; not another sentence with those date words
            scored.append((-alike, abs(r["date_start"] - (anchor.get("date_start") or 0)), r["seq"]))
    return min(scored)[2] if scored else None


def event_seq(conn: sqlite3.Connection, event_id: str) -> int:
    """The seq of an event given by its id (or an unambiguous prefix of at least 6 characters)."""
    event_id = event_id.strip()
    rows = conn.execute("SELECT seq FROM events WHERE id = ? OR (length(?) >= 6 AND id LIKE ? || '%') LIMIT 2",
                        (event_id, event_id, event_id)).fetchall()
    if len(rows) != 1:
        raise CorrectionError(f"no event {event_id!r}" if not rows else f"event id {event_id!r} is ambiguous: give more of it")
    return rows[0][0]


# ---------- writing and applying ----------

def add(conn: sqlite3.Connection, correction: Correction) -> bool:
    """Store a correction and apply every correction again, in one transaction (a kill -9
    midway leaves the store as it was before). False when the same correction was stored."""
    from . import store

    def write():
        conn.execute("BEGIN IMMEDIATE")
        try:
            added = conn.execute(
                "INSERT OR IGNORE INTO corrections (key, kind, anchor, was, value, reviewer, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (correction.key, correction.kind, json.dumps(correction.anchor, ensure_ascii=False),
                 json.dumps(correction.was, ensure_ascii=False) if correction.was is not None else None,
                 json.dumps(correction.value, ensure_ascii=False) if correction.value is not None else None,
                 correction.reviewer, correction.created_at or now())).rowcount == 1
            if added:
                apply_corrections(conn)
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('stories_dirty', '1')")
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('data_as_of', ?)", (now(),))
            conn.execute("COMMIT")
            return added
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return store._retry(write)


def stored(conn: sqlite3.Connection) -> list[Correction]:
    return [Correction(r[0], json.loads(r[1]), json.loads(r[2]) if r[2] else None,
                       json.loads(r[3]) if r[3] else None, r[4], r[5])
            for r in conn.execute("SELECT kind, anchor, value, was, reviewer, created_at FROM corrections ORDER BY id")]


def apply_corrections(conn: sqlite3.Connection, article_id: str | None = None) -> int:
    """Apply every stored correction (to the events of one article, or all), starting from the
    extracted values. Runs inside the caller's transaction. Returns the events corrected."""
    scope, params = (" AND article_id = ?", [article_id]) if article_id else ("", [])
    for seq, extracted in conn.execute("SELECT seq, extracted FROM events WHERE corrected = 1" + scope, params).fetchall():
        values = json.loads(extracted)
        conn.execute(f"UPDATE events SET {', '.join(f'{_q(f)} = ?' for f in FIELDS)}, corrected = 0, extracted = NULL "
                     "WHERE seq = ?", [values.get(f) for f in FIELDS] + [seq])
    touched = set()
    for kind, anchor, value in conn.execute(
            "SELECT kind, anchor, value FROM corrections WHERE kind IN (%s) ORDER BY id"
            % ",".join("?" * (len(EVENT_KINDS) + 1)), (*EVENT_KINDS, "rule")).fetchall():
        anchor, value = json.loads(anchor), json.loads(value) if value else None
        if kind == "rule":
            touched |= _apply_rule(conn, anchor, value, article_id)
            continue
        seq = find_event(conn, anchor, article_id)
        if seq is not None:
            _apply(conn, seq, kind, value)
            touched.add(seq)
    return len(touched)


def _q(column: str) -> str:
    return f'"{column}"'


def _keep_extracted(conn, seq: int) -> None:
    row = conn.execute(f"SELECT {', '.join(_q(f) for f in FIELDS)}, corrected FROM events WHERE seq = ?", (seq,)).fetchone()
    if not row[-1]:
        conn.execute("UPDATE events SET corrected = 1, extracted = ? WHERE seq = ?",
                     (json.dumps(dict(zip(FIELDS, row[:-1]))), seq))


def _apply(conn, seq: int, kind: str, value: dict | None) -> None:
    from .store import interval_days, place_id

    _keep_extracted(conn, seq)
    if kind == "reject":
        conn.execute("UPDATE events SET rejected = 1 WHERE seq = ?", (seq,))
    elif kind == "place":
        conn.execute("UPDATE events SET place_id = ?, place_inferred = 0 WHERE seq = ?",
                     (place_id(conn, _place(value)), seq))
    elif kind == "date":
        conn.execute('UPDATE events SET value = ?, start = ?, "end" = ?, precision = ?, days = ? WHERE seq = ?',
                     (value["value"], value["start"], value["end"], value["precision"],
                      interval_days(value["start"], value["end"]), seq))
    elif kind == "label":
        conn.execute("UPDATE events SET label = ? WHERE seq = ?", (value["label"], seq))
    elif kind == "type":
        conn.execute("UPDATE events SET event_type = ? WHERE seq = ?", (value["event_type"], seq))


def _apply_rule(conn, anchor: dict, value: dict, article_id: str | None) -> set[int]:
    """Every event whose place words fold to the rule's, and every such mention, at the place."""
    from .store import place_id

    words = fold(anchor["place_text"])
    pid = place_id(conn, _place(value))
    scope, params = (" AND article_id = ?", [article_id]) if article_id else ("", [])
    seqs = {seq for seq, text in conn.execute(
        "SELECT seq, place_text FROM events WHERE place_text IS NOT NULL" + scope, params) if fold(text) == words}
    for seq in seqs:
        _keep_extracted(conn, seq)
        conn.execute("UPDATE events SET place_id = ? WHERE seq = ?", (pid, seq))
    for rowid, text in conn.execute("SELECT rowid, text FROM mentions WHERE 1 = 1" + scope, params).fetchall():
        if fold(text) == words:
            conn.execute("UPDATE mentions SET place_id = ? WHERE rowid = ?", (pid, rowid))
    return seqs


def _place(value: dict):
    from .model import Place

    return Place(text="", span=(0, 0), name=value["name"], country=value["country"], lat=float(value["lat"]),
                 lon=float(value["lon"]), kind=value.get("kind") or "city")


def apply_story_corrections(conn: sqlite3.Connection, stories: list) -> list:
    """Stories (corroborate.Story) after the analyst's word: a detached member stands alone,
    the stories of two merged events are one (the first named keeps its id)."""
    from .corroborate import Story

    rows = conn.execute("SELECT kind, anchor FROM corrections WHERE kind IN ('detach', 'merge') ORDER BY id").fetchall()
    if not rows:
        return stories
    by_seq = {m.seq: s for s in stories for m in s.members}
    for kind, anchor in rows:
        anchor = json.loads(anchor)
        seq = find_event(conn, anchor)
        story = by_seq.get(seq)
        if story is None:
            continue
        if kind == "detach" and len(story.members) > 1:
            member = next(m for m in story.members if m.seq == seq)
            story.members.remove(member)
            if story.id == "s-" + member.id:  # the story's id came from this member: the next one's
                story.id = "s-" + story.members[0].id
            alone = Story("s-" + member.id, [member], None)
            stories.append(alone)
            by_seq[seq] = alone
        elif kind == "merge":
            other = by_seq.get(find_event(conn, anchor.get("other") or {}))
            if other is not None and other is not story:
                story.members = sorted(story.members + other.members, key=lambda m: m.seq)
                for m in other.members:
                    by_seq[m.seq] = story
                other.members = []
    return [s for s in stories if s.members]


# ---------- what a correction says, from what a user types ----------

def place_value(text: str, gazetteer=None) -> dict:
    """"Kharkiv, UA" (or "Kharkiv") as a place of the gazetteer: the likeliest of that name, in
    that country when one is given."""
    from .geocode.gazetteer import default_gazetteer

    gazetteer = gazetteer or default_gazetteer()
    name, _, country = (part.strip() for part in text.partition(","))
    entries = [e for e in gazetteer.lookup(fold(name)) if not country or e.country.upper() == country.upper()]
    if not entries:
        close = ", ".join(f"{e.name}, {e.country}" for e in search_places(gazetteer, name, 5))
        raise CorrectionError(f"no place {text!r} in the gazetteer" + (f"; did you mean {close}?" if close else ""))
    entry = max(entries, key=lambda e: e.preference(frozenset({country.upper()}) if country else frozenset()))
    return place_of(entry)


def place_of(entry) -> dict:
    return {"name": entry.name, "country": entry.country, "kind": entry.kind,
            "lat": round(entry.lat, 4), "lon": round(entry.lon, 4)}


def search_places(gazetteer, text: str, limit: int = 12) -> list:
    """Gazetteer entries whose name begins with `text` (folded), the likeliest first: for the
    dashboard's place search, with country, kind and population shown."""
    key = fold(text.strip())
    if len(key) < 2:
        return []
    found, seen = [], set()
    for name in gazetteer.names_starting(key, 200):
        for e in gazetteer.lookup(name):
            if (e.name, e.country, e.kind) not in seen:
                seen.add((e.name, e.country, e.kind))
                found.append(e)
    found.sort(key=lambda e: (fold(e.name) != key, -e.rank))
    return found[:limit]


def date_value(text: str, precision: str | None = None) -> dict:
    """"2024-06-19", "2024-06" or "2024" (or a range "2024-06-01/2024-06-30") as a date value
    at its precision (or the one given)."""
    text = text.strip()
    try:
        if "/" in text:
            first, last = text.split("/", 1)
            a, b, found = _bounds(first)[0], _bounds(last)[1], "range"
        else:
            a, b, found = _bounds(text)
    except ValueError:
        raise CorrectionError(f"not a date: {text!r} (write 2024-06-19, 2024-06, 2024 or 2024-06-01/2024-06-30)") from None
    if b < a:
        raise CorrectionError(f"a date range that runs backwards: {text!r}")
    precision = precision or found
    if precision not in PRECISIONS:
        raise CorrectionError(f"not a precision: {precision!r} (choose {', '.join(PRECISIONS)})")
    return {"value": text, "start": a.isoformat(), "end": b.isoformat(), "precision": precision}


def _bounds(text: str) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, precision) of "2024", "2024-06" or "2024-06-19"."""
    from .extract.date_values import month_value, year_value

    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return year_value(int(text))[:3]
    if len(text) == 7:
        month = dt.date.fromisoformat(text + "-01")
        return month_value(month.year, month.month)[:3]
    day = dt.date.fromisoformat(text)
    return day, day, "day"


def story_lead(conn: sqlite3.Connection, story_id: str) -> int:
    """The seq of the event that speaks for a story (an id as exports give it: story_id)."""
    row = conn.execute("SELECT lead_seq FROM stories WHERE id = ?", (story_id.strip(),)).fetchone()
    if row is None:
        raise CorrectionError(f"no story {story_id.strip()!r} (story ids are in exports: story_id)")
    return row[0]


def current_values(conn: sqlite3.Connection, seq: int) -> dict:
    """An event's values now, as a correction's `was` records them."""
    row = conn.execute('SELECT p.name, p.country, e.value, e.precision, e.label, e.event_type FROM events e '
                       'LEFT JOIN places p ON p.id = e.place_id WHERE e.seq = ?', (seq,)).fetchone()
    return {"place": f"{row[0]}, {row[1]}" if row[0] else None, "date": row[2], "precision": row[3],
            "label": row[4], "event_type": row[5]}


def history(conn: sqlite3.Connection) -> dict[int, list[str]]:
    """event seq -> what the analyst said of it, in words: "place corrected on 2026-12-01 by
    ana, was Kyiv, UA"."""
    out: dict[int, list[str]] = {}
    for kind, anchor, was, value, reviewer, created in conn.execute(
            "SELECT kind, anchor, was, value, reviewer, created_at FROM corrections ORDER BY id"):
        seq = find_event(conn, json.loads(anchor))
        if seq is None:
            continue
        was = json.loads(was) if was else {}
        value = json.loads(value) if value else {}
        by = f" by {reviewer}" if reviewer else ""
        on = f"on {created[:10]}{by}"
        if kind in ("place", "rule"):
            text = (f"place corrected {on} to {value.get('name')}, {value.get('country')}, was {was.get('place') or 'no place'}"
                    + (" (a rule for every article)" if kind == "rule" else ""))
        elif kind == "date":
            text = f"date corrected {on} to {value.get('value')}, was {was.get('date') or 'unresolved'}"
        elif kind in ("label", "type"):
            key = "label" if kind == "label" else "event_type"
            text = f"{kind} corrected {on} to “{value.get(key)}”, was “{was.get(key)}”"
        else:
            text = {"reject": "marked not an event", "confirm": "confirmed", "detach": "moved out of its story",
                    "merge": "its story merged with another"}[kind] + f" {on}"
        out.setdefault(seq, []).append(text)
    return out


def count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM corrections").fetchone()[0]


# ---------- sharing a review ----------

def export_json(conn: sqlite3.Connection) -> str:
    return json.dumps({"timeline_corrections": 1, "corrections": [c.to_json() for c in stored(conn)]},
                      ensure_ascii=False, indent=1)


def import_json(conn: sqlite3.Connection, text: str, source: str) -> tuple[int, int]:
    """(added, already there) of a review exported by export_json."""
    try:
        data = json.loads(text)
        rows = data["corrections"]
        corrections = [Correction.from_json(d) for d in rows]
    except (ValueError, KeyError, TypeError) as e:
        raise CorrectionError(f"{source}: not a file of corrections ({e})") from None
    added = sum(add(conn, c) for c in corrections)
    return added, len(corrections) - added
