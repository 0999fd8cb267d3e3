"""The type of an event, from the words of its sentence: one of EVENT_TYPES.

The knowledge is data/lexicon/event_types.csv (type, cue, weight; its header comment says what
the weights mean and which choices it makes); this module is the mechanism:

- the cues become ONE compiled regex, read once a process: a case-blind alternation of every
  cue, longer cues first, anchored at word edges. A space in a cue matches any run of spaces
  or hyphens; a trailing "*" matches the rest of the word ("bomb*": bombed, bombing).
  The alternation is laid out as a trie of the cues (their common beginnings shared, a longer
  cue tried before the shorter one it starts with), so that at each word the engine follows
  one branch instead of trying every cue in turn: a flat alternation of some 600 cues made
  each call several times slower.
- one finditer over the sentence and one over the label; the weights of the cues found are
  summed per type, a label's cue adding LABEL_WEIGHT times its weight on top (the label is the
  clause about the event). Matches do not overlap, so a phrase eats the words inside it:
  "price war" counts for economy/production and not "war" for fighting.
- the highest sum wins, ties going to the type that comes first in EVENT_TYPES; no cue -> other.
  A type whose only hits are weak cues (weight 1) outside the label does not win: a sentence
  whose only cue is "..., officials said" is "other" unless its label is itself a statement.
  With no label, the sentence is its own label.
"""
from __future__ import annotations

import csv
import functools
import re
from pathlib import Path
from typing import NamedTuple

from ..paths import DATA_DIR

EVENT_TYPES = ("attack/strike", "fighting", "movement/deployment", "meeting/agreement",
               "statement/accusation", "casualties/damage", "legal/arrest", "politics/election",
               "disaster/accident", "economy/production", "other")
OTHER = "other"
LEXICON = DATA_DIR / "lexicon" / "event_types.csv"
LABEL_WEIGHT = 2  # a cue in the label adds this many times its weight, besides its count in the sentence
WEAK = 1          # cues of at most this weight cannot make a type win from outside the label
_RANK = {t: i for i, t in enumerate(EVENT_TYPES)}
_GAP = re.compile(r"[\s\-]+")


class Lexicon(NamedTuple):
    regex: re.Pattern
    exact: dict[str, tuple[tuple[int, int], ...]]    # cue -> ((type index, weight), ...)
    prefix: dict[str, tuple[tuple[int, int], ...]]   # "bomb" (from "bomb*") -> ...
    longest_prefix: int


def event_type(sentence: str, label: str = "") -> str:
    """The event type of the event that `sentence` tells, `label` being the clause about it."""
    lex = lexicon()
    scores = [0] * len(EVENT_TYPES)
    strong = [False] * len(EVENT_TYPES)   # has a cue that may make the type win
    label = (label or "").strip()
    for text, factor, decides in ((sentence or "", 1, not label), (label, LABEL_WEIGHT, True)):
        if not text:
            continue
        for m in lex.regex.finditer(text):
            for kind, weight in _hits(lex, m.group()):
                scores[kind] += weight * factor
                if weight and (decides or weight > WEAK):
                    strong[kind] = True
    best, best_score = len(EVENT_TYPES) - 1, 0
    for kind, score in enumerate(scores):   # in EVENT_TYPES order: a tie keeps the earlier
        if strong[kind] and score > best_score:
            best, best_score = kind, score
    return EVENT_TYPES[best]


def _hits(lex: Lexicon, matched: str) -> tuple[tuple[int, int], ...]:
    key = _GAP.sub(" ", matched.lower())
    hits = lex.exact.get(key)
    if hits is not None:
        return hits
    for n in range(min(len(key), lex.longest_prefix), 0, -1):
        hits = lex.prefix.get(key[:n])
        if hits is not None:
            return hits
    return ()


@functools.cache
def lexicon(path: Path = LEXICON) -> Lexicon:
    """The cues of `path` and their regex, read once."""
    return build_lexicon(read_cues(path))


def read_cues(path: Path) -> list[tuple[str, str, int]]:
    """(type, cue, weight) rows of a commented CSV (lines starting with # are comments)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    rows = []
    for n, row in enumerate(csv.DictReader(lines), 2):
        kind, cue, weight = ((row.get(k) or "").strip() for k in ("type", "cue", "weight"))
        if kind not in _RANK:
            raise ValueError(f"{path.name}: row {n}: unknown event type {kind!r}")
        try:
            w = int(weight)
        except ValueError:
            raise ValueError(f"{path.name}: row {n}: weight {weight!r} is not a whole number") from None
        if w < 0:
            raise ValueError(f"{path.name}: row {n}: negative weight {w}")
        rows.append((kind, cue, w))
    return rows


def build_lexicon(rows: list[tuple[str, str, int]]) -> Lexicon:
    """The lexicon of (type, cue, weight) rows. Refuses an empty list, or a cue that is empty or
    would match anything (a bare "*"): the regex must never match everywhere."""
    if not rows:
        raise ValueError("event types: no cues")
    exact: dict[str, list[tuple[int, int]]] = {}
    prefix: dict[str, list[tuple[int, int]]] = {}
    for kind, cue, weight in rows:
        key = _GAP.sub(" ", cue.strip().lower()).strip()
        table = exact
        if key.endswith("*"):
            key, table = key[:-1].rstrip(), prefix
        if not key or "*" in key or not (key[0].isalnum() and key[-1].isalnum()):
            raise ValueError(f"event types: bad cue {cue!r}")
        hits = table.setdefault(key, [])
        if any(_RANK[kind] == k for k, _ in hits):
            raise ValueError(f"event types: cue {cue!r} given twice for {kind}")
        hits.append((_RANK[kind], weight))
    trie: dict = {}
    for table, end in ((exact, ""), (prefix, "*")):
        for key in table:
            node = trie
            for ch in key:
                node = node.setdefault(ch, {})
            node[end] = True
    body = _trie_pattern(trie)
    regex = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
    freeze = lambda t: {k: tuple(v) for k, v in t.items()}  # noqa: E731
    return Lexicon(regex, freeze(exact), freeze(prefix), max(map(len, prefix), default=0))


def _trie_pattern(node: dict) -> str:
    """The regex of a trie node: its branches, longer first (a branch that goes on before the
    rest of the word, "*", before the word's end, "")."""
    branches = []
    for ch in sorted(k for k in node if k not in ("", "*")):
        head = r"[\s\-]+" if ch == " " else re.escape(ch)
        branches.append(head + _trie_pattern(node[ch]))
    if "*" in node:
        branches.append(r"\w*")
    if not branches:
        return ""
    alternation = branches[0] if len(branches) == 1 and len(branches[0]) <= 1 else f"(?:{'|'.join(branches)})"
    if "" in node:
        alternation += "?"    # the cue may end here: greedy, so the longer cue is tried first
    return alternation
