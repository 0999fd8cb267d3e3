"""Finding the clause of a label (labels.py): the clause that holds the date and has its own
subject and verb - a main clause, a ", which ..." or "that ..." relative clause (which borrows
its antecedent as subject), an "after/when/as X did" clause, or an aside of the subject
("Durov, born in St Petersburg in 1984, founded ..."). Asides that do not hold the date are
dropped.
"""
from __future__ import annotations

from . import label_words as lw

DASHES = frozenset({"—", "–", "--"})
HARD = frozenset({";", ":"})
SPLIT_WORDS = frozenset("and but while whereas which who as after when where although though "
                        "because including before prompting or so then".split())
NEEDS_VERB_BEFORE = frozenset({"and", "but", "or", "so", "then"})
SUBORDINATORS = frozenset("after before when as since because while until once although though "
                          "whereas".split())
RELATIVES = frozenset({"that", "which", "who"})
MODAL_OR_BE = frozenset("is was are were would will could can may might".split())


def verbish(w: str) -> bool:
    return w in lw.verb_table() or (w not in lw.ed_adjectives() and lw.regular_base(w) is not None)


class ClauseMixin:
    """Methods of labels._Label that choose its clause."""

    def finite(self, i: int) -> bool:
        return self.st[i] == 0 and self.is_verb(i) and not self.low[i].endswith("ing")

    def verb_form(self, i: int) -> bool:
        """A verb right after "that"/"which"/"who", whatever precedes it."""
        w = self.low[i]
        return self.st[i] == 0 and self.words[i].islower() and (w in lw.AUX or w in lw.verb_table() or (
            w not in lw.ed_adjectives() and lw.regular_base(w) is not None))

    def subject_aside(self) -> tuple[int, int, str] | None:
        """"Name, <aside>, verb ...": drop the aside, or return the clause when it holds the date."""
        c1 = next((i for i in range(min(self.n, 12)) if self.words[i] == "," and self.st[i] == 0), None)
        if c1 is None:
            return None
        before = [i for i in range(c1) if self.st[i] == 0]
        if not before or len(before) > 7 or not any(self.words[i][:1].isupper() for i in before) \
                or any(self.is_verb(i) for i in before) or c1 + 1 >= self.n:
            return None
        first = self._next(c1, skip=(1, 2))
        if first is None or self.low[first] in SPLIT_WORDS - RELATIVES:
            return None
        c2 = None
        for j in range(c1 + 1, min(self.n, c1 + 32)):
            if self.words[j] == "," and self.st[j] != 2:
                nx = self._next(j, skip=(1, 2))
                if nx is not None and self.finite(nx) and self.low[nx] not in RELATIVES:
                    c2 = j
                    break
        if c2 is None:
            return None
        ev = self.event
        if ev is None or not c1 < ev < c2:
            self._drop(c1, c2 + 1)
            return None
        rel = next((j for j in range(c1 + 1, ev) if self.low[j] in RELATIVES and self.st[j] == 0
                    and j + 1 < ev and self.verb_form(j + 1)), None)
        if any(self.finite(j) for j in range(first + 1, rel or c2)):
            return None   # "The Santa Clara, California-based company said ..., which"
        if rel is not None:
            self.antecedent = before
            self._drop(c1, rel)
            self.rel_range = (c1, c2 + 1)
            return rel, c2, "rel"
        if self.low[first].endswith("ing"):   # "Biden, speaking ... on Thursday, said": the main clause
            self._drop(c1, c2 + 1)
            self.event = self._next(c2) or self.event
            self.said_date = True
            return None
        self.st[c1] = 2                       # "Durov, born in St Petersburg in 1984,"
        self.no_tense = True
        return 0, c2, "aside"

    def clauses(self) -> tuple[int, int, str]:
        """(start, end, kind) of the clause that holds the event; asides outside it dropped."""
        cuts: list[tuple[int, int, str]] = []   # (separator index, next start, kind)
        dashes = [i for i, w in enumerate(self.words) if w in DASHES or (w == "-" and self.space[i])]
        while len(dashes) >= 2:
            a, b = dashes.pop(0), dashes.pop(0)
            if self.event is not None and a < self.event < b:
                cuts += [(a, a + 1, "hard"), (b, b + 1, "hard")]
            else:
                self._drop(a, b + 1)
        cuts += [(d, d + 1, "hard") for d in dashes]
        found = self.subject_aside()
        if found:
            return found
        last = 0
        for i, w in enumerate(self.words):
            if self.st[i] == 2:
                continue
            if w in HARD:
                cuts.append((i, i + 1, "hard"))
                last = i + 1
            elif w == "," and i + 1 < self.n:
                nw = self.low[i + 1]
                nn = self.low[i + 2] if i + 2 < self.n else ""
                kind = "rel" if nw in ("who", "which") else "part" if (
                    nw.endswith("ing") and self.is_verb(i + 1, True)) or nw == "with" or (
                    nn == "by" and self.is_verb(i + 1)) or (
                    nw in ("up", "down") and nn[:1].isdigit()) or (
                    nw in ("more", "nearly", "almost") and nn in ("than", "double")) else "conj"
                if nw not in SPLIT_WORDS and kind == "conj":
                    continue
                since = 0 if nw == "then" else last
                if nw in NEEDS_VERB_BEFORE and not any(self.is_verb(j) for j in range(since, i)):
                    continue
                if kind == "rel":   # ", who is 45, was arrested": an aside
                    c2 = next((j for j in range(i + 2, self.n) if self.words[j] in ",;"), None)
                    after = c2 is not None and self._next(c2, skip=(1, 2))
                    if c2 is not None and (self.event is None or self.event > i or (
                            after and self.finite(after))):
                        if self.event is not None and i < self.event < c2:
                            self.rel_range = (i, c2 + 1)
                            return i + 1, c2, "rel"
                        self._drop(i, c2 + 1)
                        continue
                cuts.append((i, i + 1, kind))
                last = i + 1
            elif w == "and" and i + 1 < self.n and (self.low[i + 1] in lw.PRONOUNS
                                                    or self.low[i + 1] in lw.AUX):
                cuts.append((i, i, "conj"))
                last = i
        cuts.sort()
        start, end, kind, ev = 0, self.n, "main", self.event if self.event is not None else 0
        for sep, nxt, k in cuts:
            if ev < sep or (ev == sep and k == "conj" and sep == nxt):
                end = sep
                break
            start, kind = nxt, k
        return self.inner(start, end, kind, ev)

    def inner(self, start: int, end: int, kind: str, ev: int) -> tuple[int, int, str]:
        """A "that struck X last Friday" or "after troops launched X on August 6" clause inside."""
        for k in range(ev - 1, start, -1):
            w = self.low[k]
            if self.st[k] != 0:
                continue
            nx = self._next(k)
            pv = self._next(k, -1)
            if w in RELATIVES and nx is not None and nx < ev and self.verb_form(nx) and pv is not None \
                    and not self.is_verb(pv) and self.words[pv] != ",":
                stop = next((j for j in range(nx + 1, end) if self.st[j] == 0 and (
                    self.words[j] in ",;" or self.finite(j))), end)
                if ev < stop:
                    self.rel_range = (k, stop)
                    return k, stop, "rel"
            if w in SUBORDINATORS and nx is not None and not self.is_verb(nx, True):
                verb = next((j for j in range(nx + 1, min(ev, nx + 9)) if self.finite(j)), None)
                if verb is not None and not any(self.words[j] == "," for j in range(k, verb)):
                    return k + 1, end, "sub"
        for k in range(start + 1, end - 1):   # "the earthquake that struck X last Friday has risen"
            nx = self._next(k)
            if self.low[k] in RELATIVES and self.st[k] == 0 and nx is not None and self.verb_form(nx) \
                    and not self.is_verb(k - 1) and self.words[k - 1] != ",":
                stop = next((j for j in range(nx + 1, end) if self.st[j] == 0 and (
                    self.words[j] in ",;" or self.finite(j))), end)
                if stop < end and self.finite(stop) and not (k < ev < stop):
                    self._drop(k, stop)
        return start, end, kind

    def subject_for(self, a: int, kind: str) -> list[int]:
        if kind == "rel":   # the antecedent: the words just before ", which" / "that"
            if self.antecedent:
                conn = lw.connectives()
                return [i for i in self.antecedent if self.st[i] == 0 and self.low[i] not in
                        lw.determiners() and (self.low[i],) not in conn.get(self.low[i], ())]
            out = []
            j0 = a - 1 if a > 0 and self.words[a - 1] != "," else a - 2
            for j in range(j0, max(-1, j0 - 7), -1):
                if self.words[j] in ",;" or self.low[j] in lw.PREPOSITIONS or self.is_verb(j) or (
                        self.low[j],) in lw.connectives().get(self.low[j], ()):
                    break
                if self.st[j] == 0 and self.low[j] not in lw.determiners():
                    out.insert(0, j)
            return out
        first_cut = a - 1
        kept = [i for i in self.lead_off(0, first_cut) if i < first_cut]
        p = self.first_verb(kept)
        return kept[:p] if p and p <= 8 else []

    def stative(self, rest: list[int]) -> bool:
        """Whether a reported clause says what is or will be, not what happened."""
        r = next((k for k, j in enumerate(rest) if self.is_verb(j)), None)
        if r is None or self.low[rest[r]] not in MODAL_OR_BE:
            return False
        nxt = rest[r + 1] if r + 1 < len(rest) else None
        return self.low[rest[r]] in ("would", "will", "could", "can", "may", "might") or (
            nxt is not None and self.words[nxt].islower() and not self.is_verb(nxt))

    def statement_lead(self) -> None:
        """"In a statement on Sunday, Telegram said ...": the statement is the event."""
        adjuncts = lw.attribution_parts()[4]
        i = self._next(-1)
        c = i is not None and self._match(i, adjuncts) and next(
            (j for j in range(i, min(self.n, i + 12)) if self.words[j] == ","), None)
        if c and self.event is not None and self.event < c and self._next(c) is not None:
            self._drop(i, c + 1)
            self.event, self.statement = self._next(c), True

    def keep_saying(self, speaker: list[int], that: list[int], rest: list[int]) -> None:
        """"President Joe Biden said the government would ..." -> "Biden says government will"."""
        self.statement = True
        if len(speaker) >= 3 and all(self.words[j][:1].isupper() for j in speaker):
            self._drop(speaker[0], speaker[-1])
        for j in that:
            self.st[j] = 2
        r = next((k for k, j in enumerate(rest) if self.is_verb(j)), None)
        if r is None:
            return
        v = rest[r]
        self.rep[v] = {"was": "is", "were": "are", "would": "will"}.get(self.low[v], self.words[v])
        for k in range(1, r - 2):   # "the arrest of Telegram founder Pavel Durov" -> "Durov arrest"
            if self.low[rest[k]] == "of" and self.words[rest[k - 1]].isalpha() and \
                    self.words[rest[k - 1]].islower() and self.words[rest[r - 1]][:1].isupper() \
                    and self.words[rest[r - 2]][:1].isupper():
                self.rep[rest[k - 1]] = self.words[rest[r - 1]] + " " + self.words[rest[k - 1]]
                self._drop(rest[k], rest[r - 1] + 1)
                if self.low[v] in ("was", "is") and r + 1 < len(rest) and not self.is_verb(rest[r + 1]):
                    self.rep[v] = ""
                break

    def reduced(self, kept: list[int], p: int) -> bool:
        """"the number of people killed by floods ... rose": "killed" is no main verb."""
        i, prev = kept[p], kept[p - 1]
        w, pw = self.low[i], self.low[prev]
        if w in lw.AUX or i in self.base_at or not pw.isalpha() or pw in lw.PRONOUNS or \
                pw in lw.POSSESSIVES or pw == "to" or self.is_verb(prev):
            return False
        if p + 1 >= len(kept) or self.low[kept[p + 1]] != "by":
            return False
        return any(self.is_verb(j) and self.low[kept[q - 1]] != "to"
                   for q, j in enumerate(kept[p + 2:], p + 2))

    def coordinated(self, kept: list[int], p: int, plural: bool) -> None:
        """"Milton crosses the peninsula and moved out" -> "... and moves out"."""
        if kept[p] not in self.rep or self.low[kept[p]] in lw.AUX:
            return
        for q in range(p + 1, len(kept) - 1):
            if self.low[kept[q]] == "and":
                v = kept[q + 1]
                if self.words[v].islower() and self.low[v] not in lw.AUX and verbish(self.low[v]):
                    self.rep[v] = lw.present(self.words[v], plural) or self.words[v]
                return

    def main_is_plain(self) -> bool:
        """Whether the main clause after a relative clause has no date of its own after its
        verb and is no attribution ("The bridge, which opened in 1932, will close in May")."""
        end = self.rel_range[1]
        if any(self.st[i] == 1 and i not in self.event_toks for i in range(end, self.n)):
            return False
        verb = next((i for i in range(end, self.n) if self.is_verb(i)), None)
        return verb is not None and self.low[verb] not in lw.attribution_parts()[2] and \
            self.low[verb] not in lw.MODALS

    def first_verb(self, kept: list[int]) -> int | None:
        for p, i in enumerate(kept):
            if self.is_verb(i, p == 0) and not (p and self.reduced(kept, p)):
                return p
        return None
