"""Each date rule on its own examples (date_rules.RULES): a failure names the rule and the words."""
import datetime as dt

import pytest

from timeline.extract.date_rules import RULES, alt
from timeline.extract.dates import find_dates

PUB = dt.date(2023, 11, 2)  # a Thursday; every example is read as in a story of that day


@pytest.mark.parametrize("rule, text, value", [
    pytest.param(rule, text, value, id=f"{rule.name}-{text}") for rule in RULES for text, value in rule.examples])
def test_rule(rule, text, value):
    found = [d.value for d in find_dates(text, (0, len(text)), PUB)]
    if value is None:  # a trap: no date at all
        assert found == []
    else:
        assert rule.compiled.search(text), "the example does not exercise its rule"
        assert found == [value]


def test_every_rule_has_an_example_with_a_date():
    assert all(any(value for _, value in rule.examples) for rule in RULES)


def test_rule_names_are_unique():
    assert len({rule.name for rule in RULES}) == len(RULES)


def test_an_alternation_is_longest_first_and_never_empty():
    assert alt(["Sep", "Sept", "S.e"]) == r"Sept|S\.e|Sep"
    with pytest.raises(ValueError):
        alt([])
