"""Sentence boundaries as character spans, without changing the text.

A line break always ends a sentence (scraped news keeps one paragraph a line). Inside a line, a
sentence ends at . ! or ? followed by space and a capital, a digit or an opening quote, unless
the word before the stop is a known abbreviation or a single initial ("U.S.", "Mr.", "J.").
"""
from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev st mt ft jr sr no vs etc inc
    corp co ltd dept univ jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu
    thurs fri sat sun u.s u.k u.n e.u a.m p.m i.e e.g approx est""".split()
)

_STOP = re.compile(r"""[.!?]+['"”’)\]]*(?=\s+['"“‘(\[]?[A-Z0-9])""")
_LINE = re.compile(r"[^\n]+")


def _is_abbreviation(line: str, stop: int) -> bool:
    """Is the '.' at `stop` the end of an abbreviation rather than of a sentence?"""
    if line[stop] != ".":
        return False
    start = stop
    while start > 0 and (line[start - 1].isalpha() or line[start - 1] == "."):
        start -= 1
    word = line[start:stop].lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of `text`, stripped of surrounding white space."""
    spans = []
    for line in _LINE.finditer(text):
        base, body = line.start(), line.group()
        start = 0
        for stop in _STOP.finditer(body):
            if _is_abbreviation(body, stop.start()):
                continue
            spans.append((base + start, base + stop.end()))
            start = stop.end()
        spans.append((base + start, base + len(body)))
    return [_strip(text, s, e) for s, e in spans if text[s:e].strip()]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
