"""Corrections and the review queue in the real page: each test on a store of its own."""
import shutil

import pytest

from .conftest import ROOT, click_map_place, open_view, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_server(tmp_path, browser):
    from conftest import running_dashboard

    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "data" / "articles", articles)
    with running_dashboard(articles, tmp_path / "t.db") as (base, _):
        yield base + "/", tmp_path / "t.db"


_HAS = """([graph, text]) => {
    const gd = document.querySelector(graph + ' .js-plotly-plot');
    return JSON.stringify(gd.data).includes(text) || JSON.stringify(gd.layout.annotations || []).includes(text); }"""


def figure_has(page, graph: str, text: str) -> bool:
    return page.evaluate(_HAS, [graph, text])


def until(page, script: str, arg=None, timeout: int = 20000) -> None:
    """Wait for a condition of the page: a change sets off several callbacks, one after another."""
    page.wait_for_function(script, arg=arg, timeout=timeout)


def test_correct_a_place_and_a_date_and_see_both_views_and_the_sources_change(page, fresh_server):
    server, db = fresh_server
    open_view(page, server + "?view=events")
    click_map_place(page, "Kursk")
    page.locator("#provenance button:has-text('Correct')").first.click()
    until(page, "() => document.querySelector('#fix-message').innerText.includes('in story')")
    wait_idle(page)
    form = page.locator("#correction-form")
    assert form.is_visible()
    page.click("#fix-place")  # dash 4's dropdown: a button that opens a search box
    page.locator(".dash-dropdown-content input[type=search]").fill("Kharkiv")
    page.locator(".dash-dropdown-content").get_by_text("Kharkiv, UA · city").first.click()
    page.keyboard.press("Escape")
    page.fill("#fix-date", "2024-08-10")
    page.click("#fix-save")
    form.wait_for(state="hidden", timeout=20000)
    until(page, _HAS, ["#map-graph", "Kharkiv"])  # the map moved the event
    until(page, _HAS, ["#timeline-graph", "2024-08-10"])  # the timeline moved it
    until(page, "() => document.querySelector('#provenance').innerText.includes('date corrected on ')")
    wait_idle(page)
    text = page.locator("#provenance").inner_text()
    assert "place corrected on " in text and "date corrected on " in text and "was " in text
    assert "correction" in page.locator("#status-line").inner_text()


def test_reject_an_event_and_it_is_gone_from_both_views_and_from_exports(page, fresh_server, tmp_path):
    from timeline.cli import main

    server, db = fresh_server
    open_view(page, server + "?view=events&q=Belgorod")
    before = page.locator("#selection-line").inner_text()
    page.locator("#timeline-graph .scatterlayer .point").first.click(force=True)
    wait_idle(page)
    page.locator("#provenance blockquote").first.wait_for(timeout=10000)
    sentence = page.locator("#provenance blockquote").first.inner_text()
    page.locator("#provenance button:has-text('Not an event')").first.click()
    until(page, "(before) => document.querySelector('#selection-line').innerText !== before", before)
    wait_idle(page)
    assert not figure_has(page, "#timeline-graph", sentence[:60].replace("\\n", " "))
    out = tmp_path / "e.csv"
    assert main(["export", "--db", str(db), "--format", "csv", "-o", str(out)]) == 0
    assert sentence[:60] not in out.read_text(encoding="utf-8-sig")


def test_work_through_two_items_of_the_review_queue(page, fresh_server):
    server, db = fresh_server
    open_view(page, server)
    page.click("#review-open")
    wait_idle(page)
    queue = page.locator("#review-queue")
    count = lambda: int(queue.locator(".queue-count").inner_text().split()[0])
    first = count()
    assert first > 2
    left = "(n) => parseInt(document.querySelector('#review-queue .queue-count').innerText) === n"
    queue.locator("button:has-text('Looks right')").first.click()
    until(page, left, first - 1)
    queue.locator("button:has-text('Not an event')").first.click()
    until(page, left, first - 2)
    assert count() == first - 2


def test_move_an_event_out_of_its_story_and_merge_it_back(page, fresh_server):
    from timeline import store

    server, db = fresh_server
    conn = store.connect(db, readonly=True)
    story, seq = conn.execute("SELECT s.id, e.seq FROM stories s JOIN events e ON e.story_id = s.id "
                              "WHERE s.sources > 1 ORDER BY s.outlets DESC, e.seq DESC LIMIT 1").fetchone()
    conn.close()
    open_view(page, server + f"?view=events&open=s:{story}")
    page.locator("#provenance blockquote").first.wait_for(timeout=10000)
    button = page.locator("#provenance button:has-text('Move out of its story')")
    before = button.count()
    button.last.click()
    until(page, "(n) => document.querySelectorAll('#provenance .member').length < n",
          page.locator("#provenance .member").count())
    wait_idle(page)
    conn = store.connect(db, readonly=True)
    alone = conn.execute("SELECT story_id FROM events WHERE seq = ?", (seq,)).fetchone()[0]
    assert alone != story
    conn.close()
    page.locator("#provenance button:has-text('Correct')").first.click()
    # the form fills itself (and clears the merge field) in a callback of its own: wait for it
    until(page, "() => document.querySelector('#fix-message').innerText.includes('in story')")
    wait_idle(page)
    page.fill("#fix-merge", alone)
    page.click("#fix-save")
    until(page, "() => getComputedStyle(document.querySelector('#correction-form')).display === 'none'"
                " || document.querySelector('#fix-message').innerText.startsWith('N')")
    assert not page.locator("#correction-form").is_visible(), page.locator("#fix-message").inner_text()
    wait_idle(page)
    conn = store.connect(db, readonly=True)
    assert conn.execute("SELECT story_id FROM events WHERE seq = ?", (seq,)).fetchone()[0] == story
    assert before >= 2
