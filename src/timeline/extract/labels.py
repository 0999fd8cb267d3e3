"""A short headline-style label for an event, made from its sentence by rules (no model).

    make_label("North Korea and Russia signed a mutual defence treaty in June, officials said.",
               (56, 63)) == "North Korea and Russia sign mutual defence treaty"

Steps, on the sentence's tokens: drop parentheticals, quotes, the date words (with a dangling
preposition and date-ish neighbours); take the clause holding the date (label_clauses.py);
drop attribution ("X said that", ", officials said") unless the saying is the event, hedges,
appositives, determiners and opening connectives; give a subjectless clause a subject; put the
main verb in the present tense; cut to 70 characters before a phrase. Word lists: data/lexicon/.
"""
from __future__ import annotations

import re

from . import label_words as lw
from .label_clauses import SPLIT_WORDS as _SPLIT_WORDS, ClauseMixin, verbish as _verbish
from .label_words import MAX_LEN, cut_words as _cut, fallback as _fallback
from .label_words import valid_spans as _valid_spans

_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}|(?:Mr|Mrs|Ms|Dr|St|Sr|Jr|Gen|Lt|Col|Sgt|Gov|Sen|Rep|Rev|Prof|Inc|Corp|Ltd"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|vs)\.(?!\w)"
    r"|[$£€]?\d+(?:[.,:]\d+)*(?:%|\w+)?|\w+(?:['’\-]\w+)*|\S")
_QUOTES = frozenset('"“”‘’«»')
_DANGLING = frozenset("on in since by until till during from at through throughout of the this "
                      "between before after for its their his her".split())
_BETWEEN_DATES = frozenset({"to", "and", "or", "through", "-", "–", "—", ","})
_NUMBER_WORDS = frozenset("two three four five six seven eight nine ten dozens hundreds thousands "
                          "several many some more other few".split())
_JUNK_END = lw.PREPOSITIONS | frozenset("and or but of the a an that which who whose its their "
                                       "his her as than while".split())
_CLAUSE_OPENERS = frozenset("as while when because although though whereas".split())
_PUNCT_END = frozenset(",.;:!-–—(/")


def make_label(sentence: str, date_span: tuple[int, int],
               other_date_spans: tuple[tuple[int, int], ...] = ()) -> str:
    """A headline (<= ~70 characters, never empty) saying what happened at `date_span` of
    `sentence`; the date words of `date_span` and of `other_date_spans` are left out."""
    try:
        lab = _Label(sentence, date_span, other_date_spans)
        label = lab.make()
        if lab.retry:   # "The quake, which hit on Sept 8, was measured": "Quake hits" says too little
            label = _Label(sentence, date_span, other_date_spans, lab.retry).make() or label
    except Exception:   # a label is a courtesy: never fail the extraction over one
        label = ""
    label = label or _fallback(sentence, date_span, other_date_spans)
    return label[:1].upper() + label[1:]  # a headline opens with a capital, whatever it was cut from


class _Label(ClauseMixin):
    """One label in the making: the tokens and, for each, whether it is kept (0), a date (1)
    or dropped (2); replacements of kept tokens; the words put before the clause."""

    def __init__(self, sentence: str, date_span, others, exclude: tuple[int, int] | None = None):
        self.text = sentence if isinstance(sentence, str) else ""
        toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(self.text)]
        self.words = [t[0] for t in toks]
        self.low = [w.lower() for w in self.words]
        self.n = n = len(toks)
        self.space = [i > 0 and toks[i][1] > toks[i - 1][2] for i in range(n)]
        self.st = [0] * n
        self.rep: dict[int, str] = {}
        self.base_at: set[int] = set()
        self.speaker: list[int] = []
        self.event = None
        self.antecedent: list[int] = []
        self.rel_range: tuple[int, int] | None = None
        self.said_date = self.no_tense = self.statement = False
        spans = _valid_spans(date_span, others, len(self.text))
        for k, span in enumerate(spans):
            if span is None:
                continue
            s, e = span
            for i, (_, ts, te) in enumerate(toks):
                if ts < e and te > s:
                    self.st[i] = 1
                    if k == 0 and self.event is None:
                        self.event = i
            if k == 0 and self.event is None:
                self.event = next((i for i, t in enumerate(toks) if t[1] >= s), None)
        self.event_toks = {i for i, t in enumerate(toks) if spans and spans[0]
                           and t[1] < spans[0][1] and t[2] > spans[0][0]}
        if exclude:   # a second try without the relative clause: its main clause
            for i in range(*exclude):
                self.st[i] = 2
            self.event = next((i for i in range(exclude[0] - 1, -1, -1) if self.st[i] == 0), exclude[0])

    # --- small readings -------------------------------------------------------------------
    def _next(self, i: int, step: int = 1, skip: tuple = (2,)) -> int | None:
        i += step
        while 0 <= i < self.n and self.st[i] in skip:
            i += step
        return i if 0 <= i < self.n else None

    def _match(self, i: int, phrases, stop: int | None = None) -> int:
        """The number of kept tokens from i on that spell one of `phrases` (word tuples)."""
        stop = self.n if stop is None else stop
        for ph in phrases.get(self.low[i], ()):
            j, ok = i, True
            for word in ph:
                while j < stop and self.st[j] == 2:
                    j += 1
                if j >= stop or self.low[j] != word or self.st[j] != 0:
                    ok = False
                    break
                j += 1
            if ok:
                return j - i
        return 0

    def is_verb(self, i: int, first: bool = False) -> bool:
        w, t = self.low[i], self.words[i]
        if w in lw.AUX or i in self.base_at:
            return True
        if not t.islower():
            return False
        prev = self.low[i - 1] if i > 0 else ""
        if i > 0 and not self.space[i]:
            return False
        if (prev in lw.determiners() or (prev in lw.POSSESSIVES and prev != "that") or prev in _NUMBER_WORDS
                or prev[:1].isdigit()):
            return False
        if w in lw.verb_table():
            return True
        if w in lw.ed_adjectives():
            return False
        if first and w.endswith("ing") and w not in ("during", "including"):
            return True
        return w.endswith("ed") and lw.regular_base(w) is not None

    def _drop(self, a: int, b: int) -> None:
        for i in range(max(a, 0), min(b, self.n)):
            if self.st[i] == 0:
                self.st[i] = 2

    # --- passes -------------------------------------------------------------------------
    def asides(self) -> None:
        depth = 0
        for i, w in enumerate(self.words):
            if w in "([":
                depth += 1
            if depth or w in _QUOTES:
                self.st[i] = max(self.st[i], 2) if self.st[i] != 1 else 1
            if w in ")]" and depth:
                depth -= 1
        anywhere, beside = lw.date_words()
        for i in range(self.n):
            if self.st[i] == 0 and self.words[i].islower():
                self._drop(i, i + self._match(i, anywhere))
        changed = True
        while changed:
            changed = False
            for i in range(self.n):
                if self.st[i] != 0:
                    continue
                nx, pv = self._next(i), self._next(i, -1)
                after_date = pv is not None and self.st[pv] == 1
                before_date = nx is not None and self.st[nx] == 1
                w = self.low[i]
                drop = 0
                if before_date and w in _DANGLING and not self.low[nx].endswith(("'s", "’s")):
                    drop = 1
                elif before_date and after_date and w in _BETWEEN_DATES:
                    drop = 1
                else:
                    m = self._match(i, beside)
                    end = self._next(i + m - 1) if m else None
                    if m and (after_date or (end is not None and self.st[end] == 1)):
                        drop = m
                for j in range(i, i + drop):
                    if self.st[j] == 0:
                        self.st[j], changed = 1, True
        conn = lw.connectives()
        for i in range(self.n - 2):   # ", by contrast," -> ""
            m = self.words[i] == "," and self.st[i] == 0 and self._match(i + 1, conn)
            if m and i + 1 + m < self.n and self.words[i + 1 + m] == ",":
                self._drop(i, i + 2 + m)
        for i in range(self.n):   # ", on Monday," -> ""; "Florida, on Monday as" -> "Florida as"
            if self.words[i] == "," and self.st[i] == 0:
                nx = self._next(i)
                if nx is not None and self.st[nx] == 1:
                    self.st[i] = 2
                    after = self._next(nx, skip=(1, 2))
                    if after is not None and self.words[after] == "," and not (
                            after + 1 < self.n and self.low[after + 1] in _SPLIT_WORDS):
                        self.st[after] = 2

    def attribution(self, a: int, b: int) -> None:
        verbs, that_verbs, both, objects, adjuncts, leads = lw.attribution_parts()
        # trailing ", officials said" / ", according to ..." and middle ", X said,"
        commas = [i for i in range(a, b) if self.words[i] == "," and self.st[i] != 1]
        for c in reversed(commas):
            nxt = [j for j in range(c + 1, b) if self.st[j] == 0 and self.words[j] not in ".!"]
            stop = next((k for k, j in enumerate(nxt) if self.words[j] == ","), len(nxt))
            seg = nxt[:stop]
            if not seg or self.low[seg[0]] in _SPLIT_WORDS:
                continue
            end = seg[-1] + 1 if stop == len(nxt) else nxt[stop] + 1
            if self._match(seg[0], leads):
                self._drop(c, end)
                continue
            at = next((k for k, j in enumerate(seg) if self.low[j] in both), None)
            if at is not None and len(seg) <= 9 and len(seg) - at <= 5 and not any(
                    self.is_verb(j) for j in seg[:at] + seg[at + 1:]):
                self._drop(c, end)
        # leading "According to X," / "X said (on DATE) (that)" / "X told CNN that"
        kept = [i for i in range(a, b) if self.st[i] == 0]
        if kept and self._match(kept[0], leads):
            comma = next((j for j in kept if self.words[j] == ","), None)
            if comma is not None:
                self._drop(kept[0], comma + 1)
                kept = [i for i in kept if i > comma]
        for p, i in enumerate(kept[:9]):
            w = self.low[i]
            if self.words[i] == "," and not (0 < i < self.n - 1 and self.words[i - 1][:1].isupper()
                                             and self.words[i + 1][:1].isupper()):
                return
            if p and self.is_verb(i) and w not in both:
                return
            if w not in verbs and w not in that_verbs:
                continue
            if p == 0:
                return
            q = p + 1
            if w in ("told", "tells") and q < len(kept):
                m = self._match(kept[q], objects)
                if not m:
                    while m < 3 and q + m < len(kept) and self.words[kept[q + m]][:1].isupper():
                        m += 1
                q += m if m == 0 else len([j for j in kept[q:] if j < kept[q] + m])
            while q < len(kept) and self._match(kept[q], adjuncts):
                q += len([j for j in kept[q:] if j < kept[q] + self._match(kept[q], adjuncts)])
            has_that = q < len(kept) and self.low[kept[q]] == "that"
            if (w in that_verbs and not has_that) or q + has_that >= len(kept) or \
                    self.words[kept[q]] in ",.":
                return
            rest = kept[q + has_that:]
            ev = self.event if self.event is not None else -1
            if self.statement or (w in ("said", "says") and self.stative(rest) and (
                    self.said_date or i < ev < rest[0])):
                self.keep_saying(kept[:p], kept[q:q + has_that], rest)
                return
            self.speaker = kept[:p]
            self._drop(kept[0], kept[q + has_that - 1] + 1)
            return

    def appositives(self, a: int, b: int) -> None:
        """", the founder of Telegram," after a name."""
        for c in range(a + 1, b - 1):
            pv = self._next(c, -1, skip=(1, 2))
            if self.words[c] != "," or self.st[c] != 0 or pv is None or not self.words[pv][:1].isupper():
                continue
            nx = self._next(c)
            if nx is None or self.low[nx] not in lw.determiners() and self.low[nx] not in ("its", "his", "her", "their"):
                continue
            c2 = next((j for j in range(nx, min(b, nx + 12)) if self.words[j] in ",;"), None)
            if c2 is None and b - nx <= 10 and (self.event is None or self.event < c):
                c2 = b
            if c2 is None or any(self.is_verb(j) for j in range(nx, c2) if self.st[j] == 0):
                continue
            self._drop(c, c2 + 1)

    def strip_words(self, a: int, b: int) -> None:
        hedges = lw.hedges()
        for i in range(a, b):
            m = self.st[i] == 0 and self._match(i, hedges, b)
            if m:
                j = self._next(i + m - 1)
                self._drop(i, i + m)
                if self.low[i + m - 1] == "to" and j is not None:
                    self.base_at.add(j)
        dets = lw.determiners()
        for i in range(a, b):
            if self.st[i] == 0 and self.low[i] in dets and (
                    self.words[i].islower() or i == a or self._next(i, -1) is None):
                self.st[i] = 2

    def lead_off(self, a: int, b: int) -> list[int]:
        """The kept tokens of [a, b) without opening connectives and punctuation."""
        conn = lw.connectives()
        while True:
            kept = [i for i in range(a, b) if self.st[i] == 0]
            if not kept:
                return kept
            i = kept[0]
            m = self._match(i, conn, b)
            if m and not (m == 1 and self.low[i] == "that" and len(kept) > 1 and self.is_verb(kept[1])):
                self._drop(i, i + m)
            elif not self.words[i][0].isalnum() and self.words[i][0] not in "$£€":
                self.st[i] = 2
            else:
                return kept

    def tense(self, kept: list[int], p: int, plural: bool) -> None:
        i, w = kept[p], self.low[kept[p]]

        def nxt(q):
            q += 1
            while q < len(kept) and self.low[kept[q]] in lw.AUX_ADVERBS:
                q += 1
            return q if q < len(kept) else None

        def participle(q):
            j = kept[q]
            return self.words[j].islower() and (self.low[j] in lw.verb_table() or (
                self.low[j] not in lw.ed_adjectives() and lw.regular_base(self.low[j]) is not None))

        def drop_through(q):
            for j in kept[p:q]:
                self.st[j] = 2
        q = nxt(p)
        if w in ("has", "have", "had"):
            if q is None or self.low[kept[q]] in ("not", "never"):
                if w == "had":
                    self.rep[i] = "have" if plural else "has"
            elif self.low[kept[q]] == "been":
                q2 = nxt(q)
                if q2 is not None and participle(q2):
                    drop_through(q2)
                else:
                    drop_through(q)
                    self.rep[kept[q]] = "are" if plural else "is"
            elif participle(q):
                drop_through(q)
                self.rep[kept[q]] = lw.present(self.words[kept[q]], plural) or self.words[kept[q]]
            elif w == "had":
                self.rep[i] = "have" if plural else "has"
        elif w in ("was", "were", "is", "are"):
            if q is not None and self.low[kept[q]] == "being":
                q = nxt(q)
            if q is not None and participle(q):
                drop_through(q)
            else:
                self.rep[i] = "are" if w in ("were", "are") or plural else "is"
        elif w == "will":
            if q is not None and self.low[kept[q]] not in ("not", "never", "be"):
                self.rep[i] = "to"
        elif w == "did":
            self.rep[i] = "do" if plural else "does"
        elif w not in lw.AUX:
            out = lw.present(self.words[i], plural, base=i in self.base_at)
            if out:
                self.rep[i] = out

    # --- the whole --------------------------------------------------------------------------
    def make(self) -> str:
        self.retry = None
        if not self.n:
            return ""
        self.asides()
        self.statement_lead()
        a, b, kind = self.clauses()
        self.attribution(0, self.n)
        self.appositives(0, self.n)
        self.strip_words(a, b)
        kept = self.lead_off(a, b)
        if not kept:   # the date's clause was all attribution or date: take the main clause
            a, b, kind = 0, self.n, "main"
            self.strip_words(a, b)
            kept = self.lead_off(a, b)
        if not kept:
            return ""
        if kind == "rel" and self.low[kept[0]] in ("who", "which", "that") and len(kept) > 1:
            self.st[kept[0]] = 2
            kept = kept[1:]
        p = self.first_verb(kept)
        subject: list[int] = []
        if p == 0 and kind != "main":
            subject = self.subject_for(a, kind)
            plural = lw.is_plural([self.words[i] for i in subject])
        else:
            plural = lw.is_plural([self.words[i] for i in kept[:p or 0]])
            first, sp = kept[0], self.speaker
            name = len(sp) <= 3 and all(self.words[s][:1].isupper() for s in sp)
            if sp and name and (self.low[first] in ("its", "their") or (
                    self.low[first] in ("it", "they") and p == 1)):
                self.st[first] = 2
                subject = list(sp)
            elif sp and self.low[first] in lw.metric_nouns():
                subject = list(sp) if name else [sp[-1]] if self.words[sp[-1]].isalpha() and \
                    self.words[sp[-1]].islower() else []
        if p is not None and not self.no_tense:
            self.tense(kept, p, plural)
            self.coordinated(kept, p, plural)
        out = self.render(subject + [i for i in kept if self.st[i] == 0], kept, p)
        if kind == "rel" and self.rel_range and len(out.split()) < 4 and self.main_is_plain():
            self.retry = self.rel_range
        return out

    def render(self, order: list[int], kept: list[int], p: int | None) -> str:
        items: list[str] = []
        seps: list[bool] = []
        prev = None
        for i in order:
            w = self.rep.get(i, self.words[i])
            if not w:
                continue
            if w == "," and (not items or items[-1] == ","):
                continue
            if prev is None:
                sp = False
            elif i < prev:
                sp = True
            elif w[0].isalnum() or w[0] in "$£€":
                sp = any(self.space[j] for j in range(prev + 1, i + 1))
            else:
                sp = self.space[i]
            items.append(w)
            seps.append(sp)
            prev = i
        for _ in range(2):   # "... in the quarter that ended [in July]" -> "... in the quarter"
            while items and (items[-1] in _PUNCT_END or items[-1] == "." or items[-1].lower() in _JUNK_END):
                items.pop()
                seps.pop()
            if len(items) > 2 and items[-2].lower() in ("that", "which", "and", "or", "but") and (
                    _verbish(items[-1].lower()) or items[-1].lower() in lw.present_forms()):
                del items[-2:], seps[-2:]
        if not items:
            return ""
        pieces = [items[0]] + [(" " if s else "") + w for w, s in zip(items[1:], seps[1:])]
        lengths, total = [], 0
        for piece in pieces:
            total += len(piece)
            lengths.append(total)
        if total > MAX_LEN:
            verb_at = 0
            if p is not None and kept[p] in order:
                verb_at = order.index(kept[p])
            cut = None
            for k in range(len(items) - 1, verb_at + 1, -1):
                if lengths[k - 1] <= MAX_LEN and (items[k].lower() in lw.PREPOSITIONS or items[k] in (",", "and")):
                    cut = k
                    break
            sub = cut and next((k for k in range(cut - 1, verb_at + 1, -1)
                                if items[k].lower() in _CLAUSE_OPENERS), None)
            if sub and not any(_verbish(w.lower()) for w in items[sub + 1:cut]):
                cut = sub   # "... as the death toll [from Milton climbed]": end before "as"
            if cut is None:
                return _cut("".join(pieces))
            pieces, items = pieces[:cut], items[:cut]
            while len(items) > 1 and (items[-1] in _PUNCT_END or items[-1].lower() in _JUNK_END or (
                    len(items) > 3 and items[-2] in ("and", "or") and (
                        _verbish(items[-1].lower()) or items[-1].lower() in lw.present_forms()))):
                items.pop()
                pieces.pop()
        out = "".join(pieces).strip()
        return out[:1].upper() + out[1:]
