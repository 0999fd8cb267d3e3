"""Each date rule on its own examples (date_rules.RULES): a failure names the rule and the words."""
import datetime as dt

import pytest

from timeline.extract.date_rules import RULES, alt
from timeline.extract.dates import find_dates

PUB = dt.date(2023, 11, 2)  # a Thursday; every example is read as in a story of that day


@pytest.mark.parametrize("rule, text, value", [
    pytest.param(rule, text, value, id=f"{rule.name}-{text}") for rule in RULES for text, value in rule.examples])
def test_rule(rule, text, value):
    """The date over the words the rule matches has the example's value; a trap's example
    (value None) has no date there, nor anywhere when the rule does not match."""
    found = find_dates(text, (0, len(text)), PUB)
    m = rule.compiled.search(text)
    if value is None:
        assert not [d for d in found if m and d.span[0] < m.end() and m.start() < d.span[1]]
        assert m or found == []
    else:
        assert m, "the example does not exercise its rule"
        assert [d.value for d in found if d.span[0] <= m.start() < d.span[1]] == [value]


def test_every_rule_but_a_trap_has_an_example_with_a_date():
    assert all(any(value for _, value in rule.examples) for rule in RULES if not rule.trap)


def test_rule_names_are_unique():
    assert len({rule.name for rule in RULES}) == len(RULES)


def test_an_alternation_is_longest_first_and_never_empty():
    assert alt(["Sep", "Sept", "S.e"]) == r"Sept|S\.e|Sep"
    with pytest.raises(ValueError):
        alt([])
