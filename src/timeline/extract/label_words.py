"""The word lists of the label maker (labels.py), read once from data/lexicon/, and the small
morphology it needs: a past or "-ing" form to the present tense, and a noun's number.

Each list file has '#' comment lines; a CSV's first other line is its header.
"""
from __future__ import annotations

import csv
import functools
import re

from ..paths import DATA_DIR

LEXICON_DIR = DATA_DIR / "lexicon"
MAX_LEN = 70

AUX_HAVE = frozenset({"has", "have", "had"})
AUX_BE = frozenset({"was", "were", "is", "are", "am", "been", "being"})
MODALS = frozenset({"will", "would", "can", "could", "may", "might", "must", "should", "shall",
                    "did", "does", "do"})
AUX = AUX_HAVE | AUX_BE | MODALS
# Adverbs that may sit between an auxiliary and its verb; dropped when the auxiliary goes.
AUX_ADVERBS = frozenset({"since", "already", "also", "now", "just", "yet", "still", "recently",
                         "finally", "previously", "repeatedly", "officially", "initially",
                         "subsequently", "later", "formally", "quickly", "briefly", "again"})
PREPOSITIONS = frozenset("""in on at near after for from with over amid during to as by into
    onto across against following despite under off toward towards through throughout outside
    inside around before behind between beyond without within via per upon""".split())
PRONOUNS = frozenset("he she it they we i you".split())
POSSESSIVES = frozenset("its his her their our my your this that these those".split())


def _lines(name: str) -> list[str]:
    with open(LEXICON_DIR / name, encoding="utf-8") as f:
        return [s for s in (line.strip() for line in f) if s and not s.startswith("#")]


def _rows(name: str) -> list[list[str]]:
    rows = list(csv.reader(_lines(name)))
    return [[c.strip() for c in r] for r in rows[1:] if r]


def alternation(phrases) -> str:
    """A regex alternation of `phrases` (longest first, escaped); refuses an empty list, which
    would make a pattern that matches everywhere."""
    items = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not items:
        raise ValueError("a pattern cannot be built from an empty word list")
    return "|".join(re.escape(p) for p in items)


@functools.cache
def verb_table() -> dict[str, tuple[str, str]]:
    """past (or participle) -> (present 3rd person singular, present plural)."""
    return {r[0].lower(): (r[1], r[2]) for r in _rows("verbs.csv") if len(r) >= 3}


@functools.cache
def base_forms() -> frozenset[str]:
    return frozenset(v[1] for v in verb_table().values())


@functools.cache
def present_forms() -> frozenset[str]:
    return frozenset(f for v in verb_table().values() for f in v)


@functools.cache
def e_final_stems() -> frozenset[str]:
    return frozenset(s.lower() for s in _lines("e_final_stems.txt"))


@functools.cache
def ed_adjectives() -> frozenset[str]:
    return frozenset(s.lower() for s in _lines("ed_adjectives.txt"))


@functools.cache
def attribution() -> dict[str, set[str]]:
    """kind -> phrases (see attribution.csv)."""
    kinds: dict[str, set[str]] = {}
    for r in _rows("attribution.csv"):
        if len(r) >= 2:
            kinds.setdefault(r[1], set()).add(r[0].lower())
    return kinds


def index(phrases) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases (word tuples) by their first word, longest first; refuses an empty list."""
    out: dict[str, list] = {}
    for ph in sorted({tuple(p) for p in phrases if p}, key=len, reverse=True):
        out.setdefault(ph[0], []).append(ph)
    if not out:
        raise ValueError("a phrase index cannot be built from an empty word list")
    return {k: tuple(v) for k, v in out.items()}


def _phrases(name: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    return index(tuple(p.lower().split()) for p in _lines(name))


@functools.cache
def attribution_parts():
    """(verbs, that-verbs, both, and the object, adjunct and lead phrases indexed)."""
    attr = attribution()
    verbs, that_verbs = frozenset(attr.get("verb", ())), frozenset(attr.get("that_verb", ()))
    parts = [index(tuple(p.split()) for p in attr.get(k, ())) for k in ("object", "adjunct", "lead")]
    return (verbs, that_verbs, verbs | that_verbs, *parts)


@functools.cache
def hedges():
    return _phrases("hedges.txt")


@functools.cache
def connectives():
    return _phrases("connectives.txt")


@functools.cache
def determiners() -> frozenset[str]:
    return frozenset(s.lower() for s in _lines("determiners.txt"))


@functools.cache
def metric_nouns() -> frozenset[str]:
    return frozenset(s.lower() for s in _lines("metric_nouns.txt"))


@functools.cache
def noun_numbers() -> dict[str, str]:
    return {r[0].lower(): r[1] for r in _rows("noun_number.csv") if len(r) >= 2}


@functools.cache
def date_words():
    """(phrases dropped anywhere, phrases dropped only beside a removed date)."""
    anywhere, beside = set(), set()
    for p in _lines("date_words.txt"):
        (beside if p.startswith("~") else anywhere).add(tuple(p.lstrip("~").lower().split()))
    if not anywhere and not beside:
        raise ValueError("date_words.txt is empty")
    return index(anywhere) if anywhere else {}, index(beside) if beside else {}


VOWELS = frozenset("aeiou")


def _third(base: str) -> str:
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    if len(base) > 1 and base[-1] == "y" and base[-2] not in VOWELS:
        return base[:-1] + "ies"
    return base + "s"


def _needs_e(stem: str) -> bool:
    """Whether a regular verb's stem (its "-ed" removed) lost a silent "e"."""
    if stem in e_final_stems():
        return True
    if len(stem) < 2:
        return False
    last, prev = stem[-1], stem[-2]
    if last in "cvu" or (last == "z" and prev != "z") or (last == "s" and prev != "s"):
        return True
    if last == "g" and prev in "nrdla":
        return True
    if last == "l" and prev not in VOWELS and prev not in "lrwn":
        return True
    if len(stem) >= 3 and prev in VOWELS and stem[-3] not in VOWELS:
        pair = prev + last
        if pair in ("ir", "ar", "ur", "ut", "id", "od", "ud", "in", "um", "ok", "ag", "iz", "ib"):
            return True
    if len(stem) >= 4 and stem.endswith("at") and stem[-3] not in "eoa":
        return True
    groups = sum(1 for i, c in enumerate(stem) if c in VOWELS and (i == 0 or stem[i - 1] not in VOWELS))
    # one syllable ending in one vowel and one consonant: "voted", "named" (a base without the
    # "e" would have doubled its consonant: "stopped")
    return (groups == 1 and last not in VOWELS and last not in "wxy" and prev in VOWELS
            and (len(stem) < 3 or stem[-3] not in VOWELS))


def regular_base(word: str) -> str | None:
    """The base form of a regular "-ed" past ("signed" -> "sign"), or None."""
    if len(word) < 4 or not word.endswith("ed") or word.endswith("eed"):
        return None
    stem = word[:-2]
    if stem.endswith("i") and len(stem) > 2:
        return stem[:-1] + "y"
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "lsfzd" and stem[-1] not in VOWELS:
        return stem[:-1]
    return stem + "e" if _needs_e(stem) else stem


def ing_base(word: str) -> str | None:
    """The base form of an "-ing" word ("ending" -> "end", "making" -> "make"), or None."""
    if len(word) < 5 or not word.endswith("ing"):
        return None
    stem = word[:-3]
    bases = base_forms()
    for cand in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
        if cand and cand in bases:
            return cand
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "lsfz" and stem[-1] not in VOWELS:
        return stem[:-1]
    return stem + "e" if _needs_e(stem) else stem


def present(word: str, plural: bool, base: bool = False) -> str | None:
    """`word` (a past, participle, "-ing" or - with base - bare form) in the present tense,
    keeping a capital; None when it is no verb form known here."""
    low = word.lower()
    if base:
        stem = low
    elif low in verb_table():
        third, plain = verb_table()[low]
        return _case(plain if plural else third, word)
    elif low.endswith("ing"):
        stem = ing_base(low)
    else:
        stem = regular_base(low)
    if not stem:
        return None
    return _case(stem if plural else _third(stem), word)


def _case(out: str, like: str) -> str:
    return out[:1].upper() + out[1:] if like[:1].isupper() else out


def is_plural(words: list[str]) -> bool:
    """Whether a subject (its words) takes a plural verb: "X and Y", or a plural head noun -
    the last word before any "of"/preposition."""
    lows = [w.lower() for w in words]
    if "and" in lows or "&" in lows:
        return True
    head: list[str] = []
    numbers_ok = noun_numbers()
    for k, w in enumerate(lows):   # "homes damaged by the storm": the head is "homes"
        if w in PREPOSITIONS or w == "of" or (head and w.endswith("ed") and w not in numbers_ok
                                              and lows[k + 1:k + 2] == ["by"]):
            break
        head.append(w)
    if not head:
        return False
    numbers = noun_numbers()
    if len(head) >= 2 and " ".join(head[-2:]) in numbers:
        return numbers[" ".join(head[-2:])] == "plural"
    last, orig = head[-1], words[len(head) - 1]
    if last in numbers:
        return numbers[last] == "plural"
    if last in PRONOUNS:
        return last in ("they", "we", "you", "i")
    if not last.endswith("s") or last.endswith(("ss", "us", "is", "'s", "’s")) or len(last) < 3:
        return False
    if orig[:1].isupper() and len(head) >= 2 and words[len(head) - 2][:1].isupper():
        # a name of several words ending in "s" is singular unless it names people
        return last.endswith(("ans", "ens", "ers", "ists", "ats", "ites", "ians", "ics"))
    return True


# --- spans and the last resort --------------------------------------------------------------
def valid_spans(date_span, others, size: int) -> list[tuple[int, int] | None]:
    out: list[tuple[int, int] | None] = []
    for span in (date_span, *(others or ())):
        try:
            s, e = int(span[0]), int(span[1])
        except (TypeError, ValueError, IndexError):
            out.append(None)
            continue
        s, e = max(0, min(s, size)), max(0, min(e, size))
        out.append((s, e) if s < e else None)
    return out


def cut_words(text: str, limit: int = MAX_LEN) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    if " " in head:
        head = head[:head.rindex(" ")]
    return head.rstrip(" ,;:-–—") + "…"


def fallback(sentence, date_span, others) -> str:
    text = sentence if isinstance(sentence, str) else str(sentence or "")
    try:
        spans = sorted(s for s in valid_spans(date_span, others, len(text)) if s)
    except Exception:
        spans = []
    kept, pos = [], 0
    for s, e in spans:
        if s >= pos:
            kept.append(text[pos:s])
            pos = e
    kept.append(text[pos:])
    for cand in ("".join(kept), text):
        out = cut_words(cand.strip(" \t\r\n.,;:\"'“”"))
        if out.strip("…"):
            return out[:1].upper() + out[1:]
    return "Event"
