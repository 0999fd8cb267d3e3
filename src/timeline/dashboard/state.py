"""The whole view state, and its form in the URL's query string.

A link or a reload restores the view; anything malformed in the URL is dropped, field by field,
so a bad link gives the default view of what remains, never an error page.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

from ..extract.event_types import EVENT_TYPES
from ..query import Filters

GROUP_CHOICES = ("type", "outlet", "place")
VIEW_CHOICES = ("stories", "events")
MAX_ITEMS = 50  # of a list in the URL
MAX_TEXT = 200  # characters of free text in the URL
MAX_FIELDS = 500  # of the query string; the rest is ignored


@dataclass(frozen=True)
class ViewState:
    outlets: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    places: tuple[str, ...] = ()
    query: str = ""
    min_outlets: int = 0
    group_by: str = "type"  # the timeline's lanes
    view: str = "stories"  # one mark per story, or per event
    event_types: tuple[str, ...] = ()
    vaguer: bool = False  # a span of days also shows the events of vaguer dates
    # The linked selections: a time span chosen on the timeline, places chosen on the map.
    span_from: str = ""
    span_to: str = ""
    picked: tuple[str, ...] = ()
    # What the briefing image is titled.
    title: str = ""
    subtitle: str = ""
    # What the sources panel shows (callbacks.provenance_for's key), so a reload brings it back.
    opened: str = ""

    def filters(self) -> Filters:
        """The filters every view shares (not the selections)."""
        return Filters.of(self.outlets, self.since or None, self.until or None, self.places,
                          self.query, self.min_outlets, self.event_types, self.vaguer)

    def for_map(self) -> Filters:
        """The map shows the filtered events inside the timeline's selected span."""
        f = self.filters()
        since = max(filter(None, (self.since, self.span_from)), default="")
        until = min(filter(None, (self.until, self.span_to)), default="")
        return replace(f, since=iso_day(since), until=iso_day(until))

    def for_timeline(self) -> Filters:
        """The timeline shows the filtered events at the places picked on the map."""
        f = self.filters()
        return replace(f, places=self.picked) if self.picked else f

    def to_query(self) -> str:
        pairs = [("outlet", o) for o in self.outlets] + [("place", p) for p in self.places]
        pairs += [("pick", p) for p in self.picked]
        for key, value in (("since", self.since), ("until", self.until), ("q", self.query),
                           ("from", self.span_from), ("to", self.span_to)):
            if value:
                pairs.append((key, value))
        if self.min_outlets:
            pairs.append(("min", str(self.min_outlets)))
        if self.group_by != "type":
            pairs.append(("group", self.group_by))
        if self.view != "stories":
            pairs.append(("view", self.view))
        pairs += [("type", t) for t in self.event_types]
        if self.vaguer:
            pairs.append(("vaguer", "1"))
        for key, value in (("title", self.title), ("subtitle", self.subtitle), ("open", self.opened)):
            if value:
                pairs.append((key, value))
        return ("?" + urlencode(pairs)) if pairs else ""


def from_query(search: str | None) -> ViewState:
    """Parse a query string; every field that does not parse is left at its default."""
    fields = (search or "").lstrip("?").split("&")[:MAX_FIELDS]
    try:
        args = parse_qs("&".join(fields), keep_blank_values=False)
    except ValueError:
        return ViewState()

    def texts(key):
        return tuple(v[:MAX_TEXT] for v in args.get(key, [])[:MAX_ITEMS] if v.strip())

    def one(key):
        values = args.get(key)
        return values[0][:MAX_TEXT] if values else ""

    def date(key):
        return one(key) if iso_day(one(key)) else ""

    try:
        min_outlets = max(0, min(99, int(one("min") or 0)))
    except ValueError:
        min_outlets = 0
    group, view = one("group"), one("view")
    return ViewState(
        outlets=texts("outlet"), since=date("since"), until=date("until"), places=texts("place"),
        query=one("q"), min_outlets=min_outlets,
        group_by=group if group in GROUP_CHOICES else "type",
        view=view if view in VIEW_CHOICES else "stories",
        event_types=tuple(t for t in texts("type") if t in EVENT_TYPES), vaguer=one("vaguer") == "1",
        span_from=date("from"), span_to=date("to"), picked=texts("pick"),
        title=one("title"), subtitle=one("subtitle"), opened=one("open"))


def iso_day(value: str) -> dt.date | None:
    """The day an ISO date (or datetime) names; None for anything else."""
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except (ValueError, TypeError):
        return None
