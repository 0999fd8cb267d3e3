"""The review queue: the events most likely wrong first, each with its reasons.

Each reason is a pattern where extraction errs, weighed by how often it does: its weight is the
share of wrong events among the events with that reason, as a reader judged the 81 events of
tests/corpus (benchmarks/review_queue.py), smoothed by one wrong in four for the rare ones
((wrong + 1) / (events + 4)). An event's score is the chance that any of its reasons is a real
error, 1 - the product of (1 - weight): two weak reasons do not outrank one strong one.

- a place chosen by population alone among places of that name in several countries, none of
  which the article names elsewhere;
- a small margin: the second candidate of that name is nearly as large as the one chosen;
- a location inferred from context ("the plant", a demonym, an earlier sentence);
- a place named far from the date words (likelier in another clause, about another happening);
- a relative date ("on Friday", "last week") resolved against the publication date;
- an event from a caption, a heading or a line with no sentence in it;
- a story whose sources disagree on the date.

An event the analyst confirmed or corrected leaves the queue.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from .geocode.gazetteer import fold

# Measured on tests/corpus: inferred 10 wrong of 22, far 7 of 25, relative 13 of 64, margin 1 of
# 11, population 0 of 2, disagree 0 of 4; no caption was there (the prior, 1 in 4).
WEIGHTS = {"inferred": 0.42, "far": 0.28, "relative": 0.21, "margin": 0.13, "population": 0.17,
           "disagree": 0.13, "caption": 0.25}
FAR = 30  # characters between the place words and the date words
REASONS = {
    "population": "place chosen by population among {n} places of that name in {k} countries",
    "margin": "another {name} ({country}, {people:,} people) is nearly as large",
    "inferred": "location inferred from “{text}”, not named in the sentence",
    "far": "placed by “{text}”, {gap} characters from the date words: another clause?",
    "relative": "relative date “{text}” resolved against the publication date",
    "caption": "from a caption or heading, not a sentence",
    "disagree": "its story's sources disagree on the date",
}
MARGIN = 3.0  # the chosen place is fewer than this many times larger than the next: a close call
_YEAR = re.compile(r"\b(1[6-9]|20)\d\d\b")
_CAPTION = re.compile(r"^(?:photo|image|picture|caption|file photo|video)\b|\((?:AP|Reuters|AFP|Getty)[^)]*\)\s*$"
                      r"|\bphoto(?:graph)?:|\bpictured\b", re.I)


@dataclass
class Item:
    seq: int
    id: str
    score: float
    reasons: list[str]
    label: str
    when: str
    place: str
    outlet: str
    sentence: str


def queue(conn: sqlite3.Connection, gazetteer, limit: int | None = None) -> list[Item]:
    """Events to review, most likely wrong first (the score sums the weights of their reasons);
    events with no reason are not in the queue."""
    reviewed = _reviewed(conn)
    named = _countries_named(conn)
    items = []
    for r in conn.execute(
            'SELECT e.seq, e.id, e.label, e.value, e.date_text, e.sentence, e.place_text, e.place_inferred, '
            'e.article_id, p.name, p.country, p.kind, p.lat, p.lon, a.outlet, s.disagreement, e.place_start, '
            'e.place_end, e.date_start, e.date_end FROM events e '
            'JOIN articles a ON a.id = e.article_id LEFT JOIN places p ON p.id = e.place_id '
            'LEFT JOIN stories s ON s.id = e.story_id WHERE e.rejected = 0 AND e.corrected = 0'):
        if r["seq"] in reviewed:
            continue
        reasons = {}
        if r["place_inferred"]:
            reasons["inferred"] = REASONS["inferred"].format(text=r["place_text"])
        elif r["place_start"] is not None and _gap(r) >= FAR:
            reasons["far"] = REASONS["far"].format(text=r["place_text"], gap=_gap(r))
        if not r["place_inferred"] and r["name"] and r["place_text"] and r["kind"] in ("city", "region"):
            words = fold(r["place_text"])
            others = {c for c, texts in named.get(r["article_id"], {}).items() if texts - {words}}
            reasons.update(_place_reasons(gazetteer, r, others))
        if r["value"] and not _YEAR.search(r["date_text"] or "") and not _YEAR.search(r["sentence"]):
            reasons["relative"] = REASONS["relative"].format(text=r["date_text"])
        if _looks_like_caption(r["sentence"]):
            reasons["caption"] = REASONS["caption"]
        if r["disagreement"]:
            reasons["disagree"] = REASONS["disagree"]
        if reasons:
            items.append(Item(r["seq"], r["id"], _chance(reasons), list(reasons.values()),
                              r["label"], r["value"] or "?", f"{r['name']}, {r['country']}" if r["name"] else "-",
                              r["outlet"] or "unknown outlet", r["sentence"]))
    items.sort(key=lambda i: (-i.score, i.seq))
    return items[:limit] if limit else items


def _place_reasons(gazetteer, r, named: set[str]) -> dict:
    """Reasons to doubt a named city or region: its name means places in several countries and
    the article's other places do not name the one chosen, so population chose; or the next
    of that name is nearly as large. `named`: the countries of the article's other places."""
    entries = [e for e in gazetteer.lookup(fold(r["place_text"])) if e.kind in ("city", "region")]
    countries = {e.country for e in entries}
    out = {}
    if len(countries) > 1 and r["country"] not in named:
        out["population"] = REASONS["population"].format(n=len(entries), k=len(countries))
    def is_chosen(e) -> bool:  # the entry drawn: same name and country, at the event's point
        return (e.name, e.country) == (r["name"], r["country"]) and abs(e.lat - r["lat"]) < 0.01 \
            and abs(e.lon - r["lon"]) < 0.01
    others = sorted((e for e in entries if not is_chosen(e)), key=lambda e: -e.population)
    chosen = max((e.population for e in entries if is_chosen(e)), default=0)
    if others and others[0].population and chosen < MARGIN * others[0].population:
        out["margin"] = REASONS["margin"].format(name=others[0].name, country=others[0].country,
                                                 people=others[0].population)
    return out


def _chance(reasons) -> float:
    """The chance that one of the reasons is a real error, were they independent."""
    right = 1.0
    for k in reasons:
        right *= 1 - WEIGHTS[k]
    return round(1 - right, 3)


def _gap(r) -> int:
    """Characters between the place words and the date words of an event."""
    if r["place_end"] <= r["date_start"]:
        return r["date_start"] - r["place_end"]
    return max(0, r["place_start"] - r["date_end"])


def _looks_like_caption(sentence: str) -> bool:
    """A caption or a heading: a photo credit, or a line of few words with no verb's stop."""
    text = sentence.strip()
    if _CAPTION.search(text):
        return True
    return len(text.split()) <= 12 and not text.endswith((".", "!", "?", "”", '"', "’"))


def _countries_named(conn) -> dict[str, dict[str, set[str]]]:
    """article -> country -> the (folded) words that name places of it there."""
    out: dict[str, dict[str, set[str]]] = {}
    for article, country, text in conn.execute(
            "SELECT DISTINCT m.article_id, p.country, m.text FROM mentions m JOIN places p ON p.id = m.place_id"):
        out.setdefault(article, {}).setdefault(country, set()).add(fold(text))
    return out


def _reviewed(conn) -> set[int]:
    """Events the analyst confirmed (corrected ones are out of the queue already)."""
    import json

    from .corrections import find_event

    seqs = set()
    for (anchor,) in conn.execute("SELECT anchor FROM corrections WHERE kind = 'confirm'"):
        seq = find_event(conn, json.loads(anchor))
        if seq is not None:
            seqs.add(seq)
    return seqs


def remaining(conn: sqlite3.Connection, gazetteer) -> int:
    return len(queue(conn, gazetteer))
