"""The real page in headless Chromium: filters, linked selections, provenance, URL state, safety."""
import re
from urllib.parse import urlparse

import pytest

from .conftest import open_view, wait_idle

pytestmark = pytest.mark.browser


def map_places(page) -> list[str]:
    """Names of the map's markers, read from the figure the page holds."""
    return page.evaluate("""() => {
        const gd = document.querySelector('#map-graph .js-plotly-plot');
        return gd.data.flatMap(t => t.customdata || []);
    }""")


def timeline_rows(page) -> set:
    return set(page.evaluate("""() => {
        const gd = document.querySelector('#timeline-graph .js-plotly-plot');
        return gd.data.slice(1).flatMap(t => t.y || []);
    }"""))


def click_first_place(page):
    """Click the first marker on the map; return the provenance panel once it lists sentences."""
    box = page.locator("#map-graph .scattergeo .point").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_idle(page)
    panel = page.locator("#provenance")
    panel.locator("blockquote").first.wait_for(timeout=10000)
    return panel


def test_page_loads_every_resource_from_its_own_host(page, server):
    open_view(page, server)
    hosts = {urlparse(u).netloc for u in page.requests if u.startswith("http")}
    assert hosts == {urlparse(server).netloc}
    # plotly.js is the small bundle in assets/, not dash's full one (4.8 MB, loaded when absent)
    scripts = [u for u in page.requests if re.search(r"plotly[^/]*\.js", u)]
    assert scripts and all("plotly-timeline.min.js" in u for u in scripts), scripts
    assert page.locator("#map-graph .geo .countries path").count() > 0  # the offline base map drew


def test_no_toolbar_button_sends_the_view_anywhere(page, server):
    """plotly.js 4 offers "Share chart...", an upload to cloud.plotly.com, unless told not to."""
    open_view(page, server)
    for graph in ("#timeline-graph", "#map-graph"):
        page.hover(f"{graph} .js-plotly-plot")
        titles = page.evaluate(f"""() => [...document.querySelectorAll('{graph} .modebar-btn')]
            .map(b => b.getAttribute('data-title'))""")
        assert titles and not [t for t in titles if "share" in (t or "").lower()], titles
        assert "Autoscale" in titles or graph == "#map-graph"


def test_filter_by_outlet_updates_views_and_url(page, server):
    open_view(page, server)
    assert "CNN" in timeline_rows(page) and "Newsweek" in timeline_rows(page)
    page.get_by_label(re.compile(r"^\s*Newsweek \(\d+\)")).check()
    wait_idle(page)
    assert timeline_rows(page) == {"Newsweek"}
    assert "outlet=Newsweek" in page.url
    assert "Belgorod" in map_places(page)


def test_selecting_a_span_on_the_timeline_filters_the_map(page, server):
    open_view(page, server)
    before = map_places(page)
    box = page.locator("#timeline-graph .nsewdrag").last.bounding_box()
    # drag across the first fifth of the axis (2020): only the plant's expansion is there
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.2, y, steps=8)
    page.mouse.up()
    wait_idle(page)
    after = map_places(page)
    assert "from=" in page.url and "to=" in page.url
    assert 0 < len(after) < len(before)
    assert not {"Belgorod", "Kursk"} & set(after)


def test_clicking_a_place_lists_its_sentences(page, server):
    open_view(page, server)
    page.locator("#filter-query input, input#filter-query").fill("Belgorod")
    page.keyboard.press("Enter")
    wait_idle(page)
    panel = click_first_place(page)
    text = panel.inner_text()
    assert "Belgorod" in text and "Newsweek" in text
    assert panel.locator("mark.mark-date").count() >= 1


def test_a_url_restores_the_same_view(page, server):
    open_view(page, server + "?outlet=CNN&since=2024-06-01&q=pact&group=place")
    assert page.locator("#filter-query input, input#filter-query").input_value() == "pact"
    assert page.locator("input[type=checkbox][value='CNN']").is_checked()
    rows = timeline_rows(page)
    page.reload()
    open_view(page, page.url)
    assert timeline_rows(page) == rows and "CNN" not in rows  # grouped by place now


def test_malformed_url_state_gives_the_default_view(page, server):
    open_view(page, server + "?since=not-a-date&min=lots&group=%00&from=2024-13-45&pick=&%ZZ")
    assert {"CNN", "Newsweek", "The Independent"} <= timeline_rows(page)
    assert "events match the filters (all events)" in page.locator("#selection-line").inner_text()
    open_view(page, server + "?outlet=" + "x" * 5000)
    assert "No dated events match these filters." in page.locator("#timeline-graph").inner_text()


def test_article_text_never_becomes_markup(page, server):
    open_view(page, server + "?q=graffiti")
    panel = click_first_place(page)
    assert "<img src=x onerror" in panel.inner_text()
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("#provenance img").count() == 0
