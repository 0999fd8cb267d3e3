"""The analyst's commands: correct, review, corrections (export, import), outlets, places.

Added to the `timeline` command by cli.build_parser (add_review_commands). Each prints one line
of error naming the problem and exits 1 when it cannot do what was asked; nothing it writes is
half done (each correction is one transaction).
"""
from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED = 0, 1


def add_review_commands(sub, add_db_arg) -> None:
    p = sub.add_parser("correct", help="correct an event or a story; kept for good, re-applied after re-extraction",
                       description="Correct what the extractor got wrong. A correction is kept in the store and "
                       "applied again after every re-ingest and re-extraction.",
                       epilog="example: timeline correct 3f2a9c1d07e4b812 --place \"Kharkiv, UA\"\n"
                       "         timeline correct 3f2a9c1d07e4b812 --date 2024-06-19\n"
                       "         timeline correct 3f2a9c1d07e4b812 --reject\n"
                       "         timeline correct --merge s-3f2a9c1d07e4b812 s-77aa01b2c3d4e5f6",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("event", nargs="?", metavar="EVENT_ID", help="the event's id (event_id in exports; 6+ characters do)")
    p.add_argument("--place", metavar="NAME[, CC]", help="where it happened: a gazetteer place, e.g. \"Kharkiv, UA\"")
    p.add_argument("--always", action="store_true",
                   help="with --place: always read the event's place words as that place, in every article")
    p.add_argument("--date", metavar="DATE", help="when: 2024-06-19, 2024-06, 2024 or 2024-06-01/2024-06-30")
    p.add_argument("--precision", metavar="P", help="the date's precision (default: as written): day, week, month, "
                   "quarter, season, year, decade, century or range")
    p.add_argument("--label", help="what happened, in a headline")
    p.add_argument("--type", dest="event_type", metavar="TYPE", help="its event type")
    p.add_argument("--reject", action="store_true", help="not an event: gone from every view and export")
    p.add_argument("--confirm", action="store_true", help="it is right: it leaves the review queue")
    p.add_argument("--detach", action="store_true", help="move the event out of its story")
    p.add_argument("--merge", nargs=2, metavar="STORY", help="make two stories one")
    p.add_argument("--reviewer", help="your name, kept with the correction (default: $TIMELINE_REVIEWER)")
    add_db_arg(p)
    p.set_defaults(func=cmd_correct)

    p = sub.add_parser("review", help="list the events most likely wrong first, with the reasons",
                       description="The review queue: events most likely wrong first, each with its reasons. "
                       "Confirm or correct one with `timeline correct`.",
                       epilog="example: timeline review --limit 20", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--limit", type=int, default=20, metavar="N", help="show the first N (default 20; 0: all)")
    add_db_arg(p)
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("corrections", help="export or import the corrections of a store (JSON)",
                       description="Pass a review around: export the corrections to a JSON file, import one "
                       "(importing twice changes nothing).",
                       epilog="example: timeline corrections export review.json\n"
                       "         timeline corrections import review.json --db team.db",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=("export", "import"), help="export to FILE or import from it")
    p.add_argument("file", type=Path, metavar="FILE", help="the JSON file")
    add_db_arg(p)
    p.set_defaults(func=cmd_corrections)

    for name, what in (("outlets", "outlets"), ("places", "places where events happened")):
        p = sub.add_parser(name, help=f"list the {what} with their numbers of events",
                           description=f"The {what} of the store, with how many events each has.",
                           epilog=f"example: timeline {name}", formatter_class=argparse.RawDescriptionHelpFormatter)
        add_db_arg(p)
        p.set_defaults(func=cmd_outlets if name == "outlets" else cmd_places)


def cmd_correct(args) -> int:
    from . import corrections as C
    from . import store
    from .extract.event_types import EVENT_TYPES
    from .ingest import regroup_stories

    conn = store.connect(_existing(args.db))
    reviewer = C.reviewer_name(args.reviewer)
    made = []
    if args.merge:
        seqs = [C.story_lead(conn, story) for story in args.merge]
        anchor = {**C.anchor_of(conn, seqs[0]), "other": C.anchor_of(conn, seqs[1])}
        made.append(C.Correction("merge", anchor, None, {"stories": list(args.merge)}, reviewer, C.now()))
    else:
        if not args.event:
            raise C.CorrectionError("give an EVENT_ID (or --merge STORY STORY)")
        seq = C.event_seq(conn, args.event)
        anchor, was = C.anchor_of(conn, seq), C.current_values(conn, seq)
        if args.place:
            value = C.place_value(args.place)
            kind = "rule" if args.always else "place"
            if kind == "rule" and not anchor.get("place_text"):
                raise C.CorrectionError("--always needs an event whose place is named by words")
            made.append(C.Correction(kind, anchor, value, {"place": was["place"]}, reviewer, C.now()))
        if args.date:
            made.append(C.Correction("date", anchor, C.date_value(args.date, args.precision),
                                     {"date": was["date"], "precision": was["precision"]}, reviewer, C.now()))
        if args.label:
            made.append(C.Correction("label", anchor, {"label": args.label.strip()[:120]}, {"label": was["label"]},
                                     reviewer, C.now()))
        if args.event_type:
            if args.event_type not in EVENT_TYPES:
                raise C.CorrectionError(f"not an event type: {args.event_type!r} (choose {', '.join(EVENT_TYPES)})")
            made.append(C.Correction("type", anchor, {"event_type": args.event_type},
                                     {"event_type": was["event_type"]}, reviewer, C.now()))
        for flag in ("reject", "confirm", "detach"):
            if getattr(args, flag):
                made.append(C.Correction(flag, anchor, None, None, reviewer, C.now()))
        if not made:
            raise C.CorrectionError("say what to correct: --place, --date, --label, --type, --reject, --confirm or --detach")
    for correction in made:
        C.add(conn, correction)
    regroup_stories(conn)
    for correction in made:
        print(f"{correction.kind}: {_said(correction)}")
    return EXIT_OK


def _said(c) -> str:
    if c.kind in ("place", "rule"):
        where = f"{c.value['name']}, {c.value['country']}"
        return f"“{c.anchor.get('place_text')}” is always {where}" if c.kind == "rule" else f"now at {where} (was {c.was['place'] or 'no place'})"
    if c.kind == "date":
        return f"now {c.value['value']} ({c.value['precision']}), was {c.was['date']}"
    if c.kind in ("label", "type"):
        key = "label" if c.kind == "label" else "event_type"
        return f"now “{c.value[key]}”, was “{c.was[key]}”"
    return {"reject": "not an event", "confirm": "checked", "detach": "out of its story",
            "merge": "the two stories are one"}[c.kind]


def cmd_review(args) -> int:
    from . import store
    from .geocode.gazetteer import default_gazetteer
    from .ingest import plural
    from .review import queue

    conn = store.connect(_existing(args.db), readonly=True)
    items = queue(conn, default_gazetteer())
    shown = items[:args.limit] if args.limit else items
    for k, item in enumerate(shown, 1):
        print(f"{k:>3}. {item.id}  wrong? {item.score:.0%}  {item.when:<12} {item.place[:24]:<24} "
              f"{item.outlet[:18]:<18} {item.label}")
        for reason in item.reasons:
            print(f"       - {reason}")
    print(f"{plural(len(items), 'event')} to review"
          + (f" ({len(shown)} shown)" if len(shown) < len(items) else "")
          + ". Confirm: timeline correct EVENT_ID --confirm; correct: --place, --date, --label, --type, --reject")
    return EXIT_OK


def cmd_corrections(args) -> int:
    from . import store
    from .corrections import export_json, import_json
    from .ingest import plural, regroup_stories

    if args.action == "export":
        conn = store.connect(_existing(args.db), readonly=True)
        text = export_json(conn)
        tmp = args.file.with_name(f".{args.file.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(args.file)
        print(f"{plural(text.count(chr(34) + 'kind' + chr(34)), 'correction')} -> {args.file}")
        return EXIT_OK
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        print(f"timeline: error: {args.file}: cannot read it ({e})", file=sys.stderr)
        return EXIT_FAILED
    conn = store.connect(_existing(args.db))
    added, known = import_json(conn, text, str(args.file))
    regroup_stories(conn)
    print(f"{plural(added, 'correction')} added, {known} already there <- {args.file}")
    return EXIT_OK


def cmd_outlets(args) -> int:
    from . import store
    from .query import outlet_counts

    conn = store.connect(_existing(args.db), readonly=True)
    for name, n in outlet_counts(conn):
        print(f"{n:>7,}  {name}")
    return EXIT_OK


def cmd_places(args) -> int:
    from . import store

    conn = store.connect(_existing(args.db), readonly=True)
    for name, country, kind, n in conn.execute(
            "SELECT p.name, p.country, p.kind, count(*) FROM events e JOIN places p ON p.id = e.place_id "
            "WHERE e.rejected = 0 GROUP BY p.id ORDER BY count(*) DESC, p.name"):
        print(f"{n:>7,}  {name}, {country} ({kind})")
    return EXIT_OK


def _existing(db: Path) -> Path:
    from .errors import StoreError

    if not Path(db).exists():
        raise StoreError(f"{db}: no event store here (run `timeline ingest` first)")
    return db


def unknown_names(conn, outlets=(), places=()) -> list[str]:
    """One line per filter value that names nothing in the store, with the closest names:
    "no outlet 'Kyiv Independent'; did you mean 'The Kyiv Independent'?"."""
    from .query import UNKNOWN_OUTLET, outlet_counts

    problems = []
    known_outlets = [name for name, _ in outlet_counts(conn)]
    known_places = [r[0] for r in conn.execute("SELECT DISTINCT name FROM places")]
    for kind, asked, known in (("outlet", outlets, known_outlets), ("place", places, known_places)):
        lower = {k.lower(): k for k in known}
        for name in asked:
            if name == UNKNOWN_OUTLET or name.lower() in lower:
                continue
            close = difflib.get_close_matches(name.lower(), list(lower), n=3, cutoff=0.5)
            close += [k for k in lower if name.lower() in k and k not in close][:3 - len(close)]
            problems.append(f"no {kind} {name!r}" + (
                "; did you mean " + " or ".join(repr(lower[c]) for c in close) + "?" if close else ""))
    return problems
