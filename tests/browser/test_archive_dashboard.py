"""The dashboard over an archive in the browser: `timeline serve --archive` of a small synthetic
archive draws both graphs and answers a filter."""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pytest

from conftest import running_serve

ROOT = Path(__file__).resolve().parents[2]
IDLE = "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"


@contextlib.contextmanager
def running_archive_dashboard(root: Path):
    """`timeline serve --archive ROOT` on a free loopback port: yields its base URL once it answers."""
    with running_serve("--archive", str(root)) as (base, _):
        yield base


@pytest.fixture(scope="module")
def archive_server(tmp_path_factory, browser):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic_archive import build

    root = tmp_path_factory.mktemp("archive-dash") / "archive"
    build(root, events=20_000, places=300, outlets=12, log=lambda *_: None)
    with running_archive_dashboard(root) as base:
        yield base + "/"


@pytest.mark.browser
def test_the_page_draws_both_graphs_of_an_archive_and_answers_a_filter(browser, archive_server):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        page.goto(archive_server)
        page.wait_for_selector("#map-graph .scattergeo .point", state="attached", timeout=30000)
        page.wait_for_selector("#timeline-graph .cartesianlayer .trace", state="attached", timeout=30000)
        page.wait_for_function(IDLE)
        assert "20,000 events" in page.inner_text("#status-line") and "read only" in page.inner_text("#status-line")
        assert "20,000 events match" in page.inner_text("#selection-line")
        assert page.locator("#timeline-graph .annotation-text").count() > 0  # the counts say what they are
        page.wait_for_timeout(500)  # the first load's later callbacks (choices, the graph's width) come in
        page.wait_for_function(IDLE)
        box = page.get_by_label("Wire A", exact=False).first
        box.check()
        try:
            page.wait_for_function(
                "() => document.querySelector('#selection-line').innerText.includes('outlets: Wire A')", timeout=60000)
        except Exception:  # what the page shows, to tell a slow answer from a lost one
            raise AssertionError(f"checked: {box.is_checked()}; selection line: {page.inner_text('#selection-line')!r}; "
                                 f"url: {page.url}") from None
        assert "20,000 events match" not in page.inner_text("#selection-line")
        assert page.locator("#review-open").count() == 0  # read only: no review queue, no correction form
    finally:
        context.close()
