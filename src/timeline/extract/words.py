"""What the finders share about words: the function words, and small readings of text, each
done without a regex.

An end-anchored regex (`word\\W*$`) is tried at every position of its window, which made the
look at "the word before" the costliest step on long runs of dates or names.
"""
from __future__ import annotations

# Function words, capitalised when they open a sentence but never part of a name: neither a
# place ("Since" is a town's alias) nor the word of a name before a month ("Red October").
FUNCTION_WORDS = frozenset("""the a an in on at from to of for by with and but or as if when
    while after before since during until into onto over under near across between among
    this that these those it its his her their our we they he she i you there here what which
    who why how meanwhile however also both only even related""".split())


def lower_in_place(text: str) -> str:
    """`text` in lower case with every character where it was, so that a position found in it
    holds in `text` ("İ" lowers to two characters, which would shift all that follow)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def word_before(text: str, end: int, skip: str = " \t\u00a0", keep_dot: bool = False) -> tuple[int, str]:
    """(start, word) of the run of letters and digits that ends where `skip` characters before
    `end` end; ("", end) when none. With keep_dot, one trailing '.' belongs to the word ("Mr.")."""
    i = end
    while i > 0 and text[i - 1] in skip:
        i -= 1
    stop = i
    if keep_dot and i > 0 and text[i - 1] == ".":
        i -= 1
    j = i
    while j > 0 and text[j - 1].isalnum():
        j -= 1
    if j == i:
        return end, ""
    return j, text[j:stop]
