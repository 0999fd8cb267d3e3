import datetime as dt
from pathlib import Path

import pytest

from timeline.geocode.gazetteer import default_gazetteer
from timeline.model import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def gazetteer():
    return default_gazetteer()


@pytest.fixture
def make_article():
    def make(text, published=dt.date(2023, 11, 2), outlet="Test Wire", file="test.txt"):
        return Article(file=file, text=text, outlet=outlet, published=published)
    return make
