"""Corrections and the review queue in the dashboard.

Beside each event in the sources panel: "Correct…", "Not an event" and "Looks right". The form
changes the place (a gazetteer search, with country, kind and population, the candidates of the
event's own words first), the date (value and precision), the label and the type; a place can
become a rule for every article. The review queue lists the events most likely wrong first
with their reasons and how many remain. Every change is a correction row (corrections.py),
applied at once; the views and the sources panel draw again (ids.CHANGES).
"""
from __future__ import annotations

import contextlib
import datetime as dt

from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from .. import corrections as C
from .. import store
from ..extract.event_types import EVENT_TYPES
from . import ids

QUEUE_SHOWN = 8


def event_actions(seq: int, said: list[str]) -> html.Div:
    """The buttons beside an event, and what the analyst said of it already."""
    buttons = [html.Button("Correct…", id={"type": ids.OPEN_FIX, "seq": seq}, className="mini"),
               html.Button("Not an event", id={"type": ids.REJECT, "seq": seq}, className="mini"),
               html.Button("Looks right", id={"type": ids.CONFIRM, "seq": seq}, className="mini"),
               html.Button("Move out of its story", id={"type": ids.DETACH, "seq": seq}, className="mini")]
    notes = [html.Div(line, className="corrected") for line in said]
    return html.Div(notes + [html.Div(buttons, className="actions")])


def form_layout() -> html.Section:
    return html.Section([
        html.H2("Correct an event"),
        html.Div(id=ids.FIX_MESSAGE, className="hint"),
        html.Label("Place", className="field-label"),
        dcc.Dropdown(id=ids.FIX_PLACE, options=[], placeholder="type a place's name", searchable=True),
        dcc.Checklist(id=ids.FIX_ALWAYS, options=[{"label": " always read these words as this place", "value": "always"}],
                      value=[], inputClassName="check", labelClassName="check-label"),
        html.Div([
            html.Div([html.Label("Date", className="field-label"),
                      dcc.Input(id=ids.FIX_DATE, type="text", placeholder="2024-06-19, 2024-06 or 2024",
                                className="text-input")], className="half"),
            html.Div([html.Label("Precision", className="field-label"),
                      dcc.Dropdown(id=ids.FIX_PRECISION, options=list(C.PRECISIONS), placeholder="as written")],
                     className="half")], className="pair"),
        html.Label("Label", className="field-label"),
        dcc.Input(id=ids.FIX_LABEL, type="text", className="text-input"),
        html.Label("Type", className="field-label"),
        dcc.Dropdown(id=ids.FIX_TYPE, options=list(EVENT_TYPES), clearable=False),
        html.Label("Merge its story with", className="field-label"),
        dcc.Input(id=ids.FIX_MERGE, type="text", placeholder="a story id (story_id in exports), e.g. s-3169c60779b449c2",
                  className="text-input"),
        html.Div([html.Button("Save", id=ids.FIX_SAVE, className="button primary inline"),
                  html.Button("Cancel", id=ids.FIX_CANCEL, className="button inline")], className="actions"),
    ], id=ids.FORM, className="panel correction-form", style={"display": "none"})


def review_layout() -> html.Section:
    """The queue is read on request: it weighs every event of the store (seconds at 100,000)."""
    return html.Section([html.H2("Review"),
                         html.Button("Show the events most likely wrong", id=ids.REVIEW_OPEN, className="button"),
                         html.Div(id=ids.REVIEW)], className="panel review")


def register(app, db, reader, gazetteer_of) -> None:
    """The callbacks of the form, the buttons and the queue. `reader()` opens a read-only
    connection; writes open their own; `gazetteer_of()` gives the gazetteer (loaded once)."""

    @contextlib.contextmanager
    def writer():
        conn = store.connect(db)
        try:
            yield conn
        finally:
            conn.close()

    def changed(conn, seq: int | None = None) -> dict:
        """What ids.CHANGES holds: when, and the event corrected (the sources panel shows it)."""
        from ..ingest import regroup_stories

        regroup_stories(conn)
        return {"at": dt.datetime.now(dt.timezone.utc).isoformat(), "seq": seq}

    @app.callback(Output(ids.CORRECTING, "data"), Output(ids.FORM, "style"), Output(ids.FIX_PLACE, "options"),
                  Output(ids.FIX_PLACE, "value"), Output(ids.FIX_DATE, "value"), Output(ids.FIX_PRECISION, "value"),
                  Output(ids.FIX_LABEL, "value"), Output(ids.FIX_TYPE, "value"), Output(ids.FIX_MESSAGE, "children"),
                  Output(ids.FIX_MERGE, "value"),
                  Input({"type": ids.OPEN_FIX, "seq": ALL}, "n_clicks"), Input(ids.FIX_CANCEL, "n_clicks"),
                  Input(ids.CHANGES, "data"), prevent_initial_call=True)
    def open_form(_opens, _cancel, _changes):
        trigger = ctx.triggered_id
        if trigger in (ids.FIX_CANCEL, ids.CHANGES):
            return None, {"display": "none"}, [], None, "", None, "", None, "", ""
        if not isinstance(trigger, dict) or not any(t["value"] for t in ctx.triggered):
            raise PreventUpdate  # the buttons were drawn, not clicked
        seq = trigger["seq"]
        with reader() as conn:
            row = conn.execute('SELECT e.label, e.event_type, e.value, e.precision, e.place_text, e.date_text, '
                               'p.name, p.country, e.story_id FROM events e LEFT JOIN places p ON p.id = e.place_id '
                               'WHERE e.seq = ?', (seq,)).fetchone()
        if row is None:
            raise PreventUpdate
        label, event_type, value, precision, place_text, date_text, name, country, story = row
        options = candidate_options(gazetteer_of(), place_text or name or "")
        current = f"{name}|{country}" if name else None
        if current and current not in {o["value"] for o in options}:
            options.insert(0, {"label": f"{name}, {country} (now)", "value": current})
        words = f"“{place_text}”" if place_text else "no place words"
        message = f"Dated “{date_text}” ({value or 'unresolved'}), placed by {words}; in story {story}."
        return (seq, {"display": "block"}, options, current, value or "", None, label, event_type, message, "")

    @app.callback(Output(ids.FIX_PLACE, "options", allow_duplicate=True), Input(ids.FIX_PLACE, "search_value"),
                  State(ids.FIX_PLACE, "value"), prevent_initial_call=True)
    def search(text, value):
        if not text or len(text) < 2:
            raise PreventUpdate
        options = candidate_options(gazetteer_of(), text)
        if value and value not in {o["value"] for o in options}:
            name, _, country = value.partition("|")
            options.insert(0, {"label": f"{name}, {country}", "value": value})
        return options

    # The save closes the form itself: the change it makes also redraws the sources panel and
    # so its Correct buttons, which call open_form again at once, and the browser keeps only the
    # answer of open_form's latest call (one that nobody clicked, which changes nothing).
    @app.callback(Output(ids.CHANGES, "data"), Output(ids.FIX_MESSAGE, "children", allow_duplicate=True),
                  Output(ids.FORM, "style", allow_duplicate=True), Input(ids.FIX_SAVE, "n_clicks"), State(ids.CORRECTING, "data"), State(ids.FIX_PLACE, "value"),
                  State(ids.FIX_ALWAYS, "value"), State(ids.FIX_DATE, "value"), State(ids.FIX_PRECISION, "value"),
                  State(ids.FIX_LABEL, "value"), State(ids.FIX_TYPE, "value"), State(ids.FIX_MERGE, "value"),
                  prevent_initial_call=True)
    def save(_clicks, seq, place, always, date, precision, label, event_type, merge):
        if seq is None:
            raise PreventUpdate
        with writer() as conn:
            try:
                made = corrections_of_form(conn, gazetteer_of(), seq, place, bool(always), date, precision,
                                           label, event_type, merge)
            except C.CorrectionError as e:
                return no_update, f"Not saved: {e}", no_update
            if not made:
                return no_update, "Nothing changed.", no_update
            for correction in made:
                C.add(conn, correction)
            return changed(conn, seq), "", {"display": "none"}

    @app.callback(Output(ids.CHANGES, "data", allow_duplicate=True),
                  Input({"type": ids.REJECT, "seq": ALL}, "n_clicks"), Input({"type": ids.CONFIRM, "seq": ALL}, "n_clicks"),
                  Input({"type": ids.DETACH, "seq": ALL}, "n_clicks"), prevent_initial_call=True)
    def quick(_rejects, _confirms, _detaches):
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(t["value"] for t in ctx.triggered):
            raise PreventUpdate
        kind = {ids.REJECT: "reject", ids.CONFIRM: "confirm", ids.DETACH: "detach"}[trigger["type"]]
        with writer() as conn:
            C.add(conn, C.Correction(kind, C.anchor_of(conn, trigger["seq"]), None, None, C.reviewer_name(), C.now()))
            return changed(conn)

    @app.callback(Output(ids.REVIEW, "children"), Output(ids.REVIEW_OPEN, "style"),
                  Input(ids.REVIEW_OPEN, "n_clicks"), Input(ids.CHANGES, "data"), prevent_initial_call=True)
    def review(opened, _changes):
        from ..review import queue

        if not opened:
            raise PreventUpdate  # not asked for yet
        with reader() as conn:
            items = queue(conn, gazetteer_of())
        return queue_panel(items), {"display": "none"}


def queue_panel(items: list) -> list:
    if not items:
        return [html.P("Nothing to review: every event with a reason to doubt it was checked.", className="hint")]
    rows = []
    for item in items[:QUEUE_SHOWN]:
        rows.append(html.Li([
            html.Div([html.B(item.label), f" · {item.when} · {item.place} · {item.outlet}"]),
            html.Ul([html.Li(reason) for reason in item.reasons], className="reasons"),
            html.Div([html.Button("Looks right", id={"type": ids.CONFIRM, "seq": item.seq}, className="mini"),
                      html.Button("Correct…", id={"type": ids.OPEN_FIX, "seq": item.seq}, className="mini"),
                      html.Button("Not an event", id={"type": ids.REJECT, "seq": item.seq}, className="mini")],
                     className="actions"),
        ], className="queue-item"))
    left = len(items)
    return [html.P(f"{left} event{'s' if left != 1 else ''} to review, most likely wrong first.", className="queue-count"),
            html.Ol(rows, className="queue")]


def candidate_options(gazetteer, text: str) -> list[dict]:
    """Places for the form's dropdown: every place the words may name (the candidates the
    extractor weighed), then names that begin with them; with country, kind and population."""
    from ..geocode.gazetteer import fold

    seen, options = set(), []
    for entry in list(gazetteer.lookup(fold(text))) + C.search_places(gazetteer, text, 12):
        key = f"{entry.name}|{entry.country}|{entry.kind}"
        if key in seen:
            continue
        seen.add(key)
        people = f" · {entry.population:,} people" if entry.population and entry.kind == "city" else ""
        options.append({"label": f"{entry.name}, {entry.country} · {entry.kind}{people}", "value": key})
    return options[:20]


def corrections_of_form(conn, gazetteer, seq: int, place, always: bool, date, precision, label, event_type,
                        merge: str | None = None) -> list:
    """The corrections the form asks for: only what differs from the event now."""
    anchor, was = C.anchor_of(conn, seq), C.current_values(conn, seq)
    reviewer, at = C.reviewer_name(), C.now()
    made = []
    if place:
        name, country, *kind = place.split("|")
        entries = [e for e in gazetteer.lookup(C.fold(name)) if e.country == country and (not kind or e.kind == kind[0])]
        if not entries:
            raise C.CorrectionError(f"no place {name}, {country}")
        value = C.place_of(max(entries, key=lambda e: e.rank))
        if f"{value['name']}, {value['country']}" != was["place"] or always:
            made.append(C.Correction("rule" if always and anchor.get("place_text") else "place", anchor, value,
                                     {"place": was["place"]}, reviewer, at))
    if date and (date.strip() != (was["date"] or "") or (precision and precision != was["precision"])):
        made.append(C.Correction("date", anchor, C.date_value(date, precision),
                                 {"date": was["date"], "precision": was["precision"]}, reviewer, at))
    if label and label.strip() != was["label"]:
        made.append(C.Correction("label", anchor, {"label": label.strip()[:120]}, {"label": was["label"]}, reviewer, at))
    if event_type and event_type != was["event_type"]:
        if event_type not in EVENT_TYPES:
            raise C.CorrectionError(f"not an event type: {event_type!r}")
        made.append(C.Correction("type", anchor, {"event_type": event_type}, {"event_type": was["event_type"]},
                                 reviewer, at))
    if merge and merge.strip():
        made.append(C.Correction("merge", {**anchor, "other": C.anchor_of(conn, C.story_lead(conn, merge))}, None,
                                 {"stories": [merge.strip()]}, reviewer, at))
    return made
