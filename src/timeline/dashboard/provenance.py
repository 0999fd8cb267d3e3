"""The provenance panel: each event's sentence with its date and place words marked, its outlet,
article and link, the other outlets that tell the same story, and any disagreement.

Article text is only ever passed to Dash as strings (children), which React renders as text:
an article holding `<script>` or `<img onerror=...>` shows those characters and runs nothing.
"""
from __future__ import annotations

from urllib.parse import urlparse

from dash import html

from ..ingest import plural
from ..query import EventRow
from .review_ui import event_actions

MAX_EVENTS = 50
MAX_STORIES = 20  # listed for one place


def highlighted_sentence(e: EventRow) -> list:
    """The sentence as text pieces, with the date words and place words in <mark>s."""
    marks = [(e.date_start, e.date_end, "mark-date")]
    marks += [(s, t, "mark-place") for _, s, t in e.named_places]
    if e.place_start is not None and not e.place_inferred:
        marks.append((e.place_start, e.place_end, "mark-place"))
    base = e.sentence_start
    pieces, at = [], 0
    for start, end, cls in sorted({(s - base, t - base, c) for s, t, c in marks}):
        if start < at or start < 0 or end > len(e.sentence):
            continue  # overlapping or outside the sentence: leave as plain text
        if start > at:
            pieces.append(e.sentence[at:start])
        pieces.append(html.Mark(e.sentence[start:end], className=cls))
        at = end
    pieces.append(e.sentence[at:])
    return pieces


def safe_link(url: str | None) -> str | None:
    """Only web links become clickable; `javascript:` and the like stay text."""
    if url and urlparse(url).scheme in ("http", "https"):
        return url
    return None


def provenance_panel(title: str, events: list[EventRow], sources_of, said: dict | None = None) -> list:
    """Components listing `events`; `sources_of(story_id)` gives a story's other sources;
    `said`: event seq -> what the analyst said of it (corrections.history)."""
    if not events:
        return [html.P("Click an event on the timeline or a place on the map to read its sources.",
                       className="hint")]
    items = []
    for e in events[:MAX_EVENTS]:
        link = safe_link(e.url)
        article = e.title or e.article
        header = [html.Span(e.outlet or "unknown outlet", className="outlet"), " · ",
                  html.A(article, href=link, target="_blank", rel="noopener noreferrer") if link
                  else html.Span(article, className="article")]
        where = e.place_name or "no place"
        if e.place_inferred and e.place_name:
            where += f" (inferred from “{e.place_text}”)"
        body = [html.Div(header, className="source"),
                html.Blockquote(highlighted_sentence(e), className="sentence"),
                html.Div(f"{e.date_text} → {e.value or 'unresolved'} ({e.precision}) · {where}", className="meta")]
        if e.story_id and e.story_outlets > 1:
            others = [s for s in sources_of(e.story_id) if s["file"] != e.article]
            body.append(html.Details([
                html.Summary(f"Also reported by {e.story_outlets - 1} other outlet"
                             f"{'s' if e.story_outlets > 2 else ''} ({plural(len(others), 'source')})"),
                html.Ul([html.Li([html.B(s["outlet"] or "unknown outlet"), f" ({s['date_text']}): ",
                                  s["sentence"]]) for s in others])], className="story"))
        if e.disagreement:
            body.append(html.Div("Sources disagree on the date: " + e.disagreement, className="disagreement"))
        if said is not None:
            body.append(event_actions(e.seq, said.get(e.seq, [])))
        items.append(html.Li(body, className="event"))
    more = len(events) - MAX_EVENTS
    return [html.H3(title), html.Ol(items, className="events")] + (
        [html.P(f"… and {plural(more, 'more event')}: narrow the filters to see them.", className="hint")]
        if more > 0 else [])


def story_list(title: str | None, stories: list[dict], more: int = 0, said: dict | None = None) -> list:
    """Stories, each with its label, date, place and outlets, then its members one per outlet:
    each outlet's sentence (date and place words marked), date words and link."""
    from .timeline_figure import when_written

    if not stories:
        return provenance_panel("", [], None)
    items = []
    for story in stories:
        when = when_written(story["start"], story["end"], story["precision"]) if story["start"] else "no date"
        outlets = story["outlets"]
        head = [html.H3(story["label"] or "(no label)", className="story-label"),
                html.Div(f"{when} · {story['place'] or 'no place'} · {story['event_type']} · told by "
                         f"{outlets} outlet{'s' if outlets != 1 else ''}", className="meta")]
        if story.get("disagreement"):
            head.append(html.Div("Sources disagree on the date: " + story["disagreement"], className="disagreement"))
        by_outlet: dict[str, list[EventRow]] = {}
        for m in story["members"]:
            by_outlet.setdefault(m.outlet or "unknown outlet", []).append(m)
        members = []
        for outlet, reports in by_outlet.items():
            e = reports[0]
            link = safe_link(e.url)
            article = e.title or e.article
            body = [html.Div([html.Span(outlet, className="outlet"), " · ",
                              html.A(article, href=link, target="_blank", rel="noopener noreferrer") if link
                              else html.Span(article, className="article")]
                             + ([f" · by {e.author}"] if e.author else []), className="source"),
                    html.Blockquote(highlighted_sentence(e), className="sentence"),
                    html.Div(f"“{e.date_text}” → {e.value or 'unresolved'} ({e.precision}) · "
                             f"{_where(e)}", className="meta")]
            if said is not None:
                body.append(event_actions(e.seq, said.get(e.seq, [])))
            if len(reports) > 1:
                body.append(html.Details([html.Summary(f"{len(reports) - 1} more report"
                                                       f"{'s' if len(reports) > 2 else ''} from {outlet}"),
                                          html.Ul([html.Li(highlighted_sentence(r)) for r in reports[1:]])]))
            members.append(html.Li(body, className="member"))
        items.append(html.Li(head + [html.Ol(members, className="members")], className="event story-item"))
    tail = ([html.P(f"… and {plural(more, 'more story', 'more stories')}: narrow the filters to see them.",
                    className="hint")] if more > 0 else [])
    return ([html.H3(title)] if title else []) + [html.Ol(items, className="events")] + tail


def _where(e: EventRow) -> str:
    where = e.place_name or "no place"
    if e.place_inferred and e.place_name:
        where += f" (inferred from “{e.place_text}”)"
    return where
