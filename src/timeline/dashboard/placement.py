"""Where marks and labels go so that none lies on another: pure geometry in pixels.

The timeline: each lane is a stack of levels (lines of marks). The most important item goes
first (most outlets, then most reports); each takes the first level where its mark and its label
(to the right of the mark) are free; when no level has room and the lane may grow, a new level
opens for it; past that the mark alone goes where it is free, its label left to the hover, and
only when a lane is full does a mark share a level with another (never on the same pixels if
any level has room). Marks of one day thus stand one above the other, never on top of each
other, and a crowded lane grows instead of squeezing.

The map: each place's label tries positions around its marker, then farther out with a leader
line; a label that fits nowhere is left to the hover. Text widths are estimated from character
classes at the font size, generously, so that estimated boxes hold the drawn ones.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

# Average advance of characters of Helvetica/Arial, in ems, by class (a little generous).
_NARROW, _WIDE, _CAPS = set("il.,:;'|!ftjrI()[] "), set("mwMW@%"), 0.68
PAD_PX = 4  # between a mark and its label, and around every label box
# Levels a lane may grow to for marks alone (labels stop at the caller's max_levels): past this,
# the timeline should show counts instead (dashboard/data.py MAX_POINTS).
MAX_MARK_LEVELS = 24


def text_px(text: str, size: float) -> float:
    """Estimated width in pixels of `text` at font `size` (no markup in `text`)."""
    ems = 0.0
    for c in text:
        if c in _NARROW:
            ems += 0.3
        elif c in _WIDE:
            ems += 0.86
        elif c.isupper() or c.isdigit():
            ems += _CAPS
        else:
            ems += 0.56
    return ems * size + 2


@dataclass
class Item:
    """One mark to place: `x0`..`x1` its extent in pixels (x0 == x1 for a dot), `radius` its
    half-width, `label_px` its label's width (0 for none), `rank` smaller first."""

    key: object
    lane: str
    x0: float
    x1: float
    radius: float
    label_px: float
    rank: tuple
    level: int = 0
    labelled: bool = False
    label_left: bool = False  # the label stands left of the mark (no room on its right)


class _Level:
    """Occupied pixel intervals of one level, kept sorted and disjoint; each knows its owner
    and whether it is a label (which may give way) or a mark (which may not)."""

    def __init__(self):
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.owners: list[tuple[Item, bool]] = []

    def free(self, a: float, b: float) -> bool:
        k = bisect.bisect_left(self.ends, a)
        return k == len(self.starts) or self.starts[k] > b

    def take(self, a: float, b: float, owner: Item, is_label: bool = False) -> None:
        k = bisect.bisect_right(self.starts, a)  # a label starts where its mark ends: order by start
        self.starts.insert(k, a)
        self.ends.insert(k, b)
        self.owners.insert(k, (owner, is_label))

    def in_the_way(self, a: float, b: float) -> list[int]:
        k = bisect.bisect_left(self.ends, a)
        found = []
        while k < len(self.starts) and self.starts[k] <= b:
            found.append(k)
            k += 1
        return found

    def drop(self, indexes: list[int]) -> None:
        for k in sorted(indexes, reverse=True):
            del self.starts[k], self.ends[k], self.owners[k]


def place_marks(items: list[Item], max_levels: int, width: float = float("inf")) -> dict[str, int]:
    """Give each item a level and say whether its label is drawn (right of its mark, or left
    where the right has no room inside `width`); returns the levels of each lane. A mark never
    lies on a label: where a full lane has no room for a mark, the labels in its way give way
    (to the hover), as every mark must be seen and a label can be read there."""
    lanes: dict[str, list[_Level]] = {}
    for item in sorted(items, key=lambda i: i.rank):
        levels = lanes.setdefault(item.lane, [_Level()])
        mark = (item.x0 - item.radius - PAD_PX / 2, item.x1 + item.radius + PAD_PX / 2)
        room = item.label_px + 2 * PAD_PX
        sides = []
        if item.label_px and mark[1] + room <= width:
            sides.append(((mark[1], mark[1] + room), False))
        if item.label_px and mark[0] - room >= 0:
            sides.append(((mark[0] - room, mark[0]), True))
        fits = [(k, label, left) for k, lv in enumerate(levels) if lv.free(*mark)
                for label, left in sides if lv.free(*label)]
        if not fits and sides and len(levels) < max_levels:
            levels.append(_Level())
            fits = [(len(levels) - 1, *sides[0])]
        if fits:
            k, label, left = fits[0]
            item.level, item.labelled, item.label_left = k, True, left
            levels[k].take(*mark, item)
            levels[k].take(*label, item, is_label=True)
            continue
        chosen = next((k for k, lv in enumerate(levels) if lv.free(*mark)), None)
        if chosen is None and len(levels) < max(max_levels, MAX_MARK_LEVELS):
            levels.append(_Level())  # a mark is never drawn on another: its lane grows for it
            chosen = len(levels) - 1
        if chosen is None:  # the lane is full: labels in the way give way; else the least crowded
            # the level where the labels in the way are of the least important items
            yielding = [(min(lv.owners[j][0].rank for j in way), k) for k, lv in enumerate(levels)
                        if (way := lv.in_the_way(*mark)) and all(lv.owners[j][1] for j in way)]
            chosen = max(yielding)[1] if yielding else None
            if chosen is not None:
                level = levels[chosen]
                in_way = level.in_the_way(*mark)
                for j in in_way:
                    level.owners[j][0].labelled = False
                level.drop(in_way)
            else:
                chosen = min(range(len(levels)), key=lambda k: _crowding(levels[k], *mark))
        item.level, item.labelled = chosen, False
        if levels[chosen].free(*mark):
            levels[chosen].take(*mark, item)
    return {lane: len(levels) for lane, levels in lanes.items()}


def fit_marks(items: list[Item], width: float, per_lane: int, total: int) -> dict[str, int]:
    """place_marks with as many levels per lane as `total` levels in all allow: a lane may use
    up to `per_lane`, fewer when the lanes together would pass `total`."""
    cap = per_lane
    while True:
        levels = place_marks(items, cap, width)
        if sum(levels.values()) <= total or cap <= 2:
            return levels
        cap -= 1


def _crowding(level: _Level, a: float, b: float) -> float:
    k = bisect.bisect_left(level.ends, a)
    overlap = 0.0
    while k < len(level.starts) and level.starts[k] <= b:
        overlap += min(b, level.ends[k]) - max(a, level.starts[k])
        k += 1
    return overlap


# ---------- the map ----------

# Offsets tried for a label around its marker, as (dx, dy) directions: right, left, above,
# below, then the diagonals; then the same twice and three times as far, with a leader line.
_DIRECTIONS = [(1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1)]
_REACH = (1, 2, 3)
LEADER_STEP_PX = 18  # how much farther each ring of positions lies


@dataclass
class MapLabel:
    """A place label: marker centre (`x`, `y`) and `radius` in pixels; `width` and `height` of
    its text. After placement: `dx`, `dy` (the text box's centre from the marker) and `leader`."""

    key: object
    x: float
    y: float
    radius: float
    width: float
    height: float
    dx: float = 0.0
    dy: float = 0.0
    shown: bool = False
    leader: bool = False

    def box(self) -> tuple[float, float, float, float]:
        cx, cy = self.x + self.dx, self.y + self.dy
        return (cx - self.width / 2 - PAD_PX / 2, cy - self.height / 2 - PAD_PX / 2,
                cx + self.width / 2 + PAD_PX / 2, cy + self.height / 2 + PAD_PX / 2)


def place_map_labels(labels: list[MapLabel], width: float, height: float, most: int = 80) -> None:
    """Place labels (most important first, as given; at most `most` of them) inside the width x
    height frame so that no label box covers another label or any marker; set `shown`, `dx`,
    `dy`, `leader`. Boxes are kept in a grid of cells, so a check looks at its neighbours only."""
    cell = 64.0
    grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def add(box):
        for key in _cells(box, cell):
            grid.setdefault(key, []).append(box)

    def free(box) -> bool:
        return not any(_overlap(box, other) for key in _cells(box, cell) for other in grid.get(key, ()))

    for m in labels:
        add((m.x - m.radius, m.y - m.radius, m.x + m.radius, m.y + m.radius))
    placed = 0
    for label in labels:
        if placed >= most:
            break
        for reach in _REACH:
            gap = label.radius + PAD_PX + (reach - 1) * LEADER_STEP_PX
            for ux, uy in _DIRECTIONS:
                label.dx = ux * (gap + label.width / 2)
                label.dy = uy * (gap + label.height / 2)
                box = label.box()
                if not (0 <= box[0] and box[2] <= width and 0 <= box[1] and box[3] <= height) or not free(box):
                    continue
                label.shown, label.leader = True, reach > 1
                add(box)
                placed += 1
                break
            if label.shown:
                break
        if not label.shown:
            label.dx = label.dy = 0.0


def _cells(box, size: float):
    for i in range(int(box[0] // size), int(box[2] // size) + 1):
        for j in range(int(box[1] // size), int(box[3] // size) + 1):
            yield i, j


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def mercator_y(lat: float) -> float:
    """Web Mercator's y of a latitude, in radians of the equator (clamped near the poles)."""
    lat = max(-85.0, min(85.0, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
