"""The `timeline` command: extract, ingest, serve, export.

Errors about one file are printed as one line on stderr and the other files go on; the exit
status is 1 when any file failed, 2 for a usage error.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from . import __version__
from .errors import TimelineError

EXIT_OK, EXIT_SOME_FAILED = 0, 1  # argparse exits with 2 on a usage error


def _date_arg(value: str) -> dt.date:
    from .corpus import parse_date

    date = parse_date(value)
    if date is None:
        raise argparse.ArgumentTypeError(f"not a date: {value!r}")
    return date


def _add_input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files (.txt .md .html) or folders")
    p.add_argument("--manifest", type=Path, help="JSON list of {file, outlet, title, url, published} "
                   "(default: manifest.json in the folder given)")
    p.add_argument("--published", type=_date_arg, metavar="DATE",
                   help="publication date for every article, overriding the manifest and the text")
    p.add_argument("--geocoder", choices=("offline", "nominatim"), default="offline",
                   help="offline (the default: no network) or nominatim, which refines the places "
                   "found through the network, rate-limited and cached; it falls back to offline")
    p.add_argument("--geocoder-url", metavar="URL", help="a Nominatim-compatible server (default: the public one)")
    p.add_argument("--geocoder-delay", type=float, default=1.0, metavar="SECONDS",
                   help="least time between two online requests (default 1, the public service's rule)")


def _refiner(args):
    if args.geocoder == "offline":
        return None
    from .geocode.online import nominatim

    return nominatim(args.geocoder_url, min_delay=args.geocoder_delay,
                     error_wait=min(2.0, args.geocoder_delay * 2))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timeline", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("extract", help="print the dated events and place mentions of articles",
                       description="Print events and place mentions, one JSON object a line.",
                       epilog="example: timeline extract data/articles --format table",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_input_args(p)
    p.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", help="extract articles into the event store",
                       description="Extract articles into the event store. Re-ingesting the same text "
                       "adds nothing; a file whose text changed replaces its own events.",
                       epilog="example: timeline ingest data/articles --jobs 2",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_input_args(p)
    _add_db_arg(p)
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="extract in N processes (default 1)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("export", help="write the (filtered) events as CSV, GeoJSON, KML, TimelineJS or an image",
                       description="Write the events that match the filters.",
                       epilog="example: timeline export --format geojson --outlet CNN --since 2024-06-01 -o events.geojson",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_db_arg(p)
    p.add_argument("--format", required=True, choices=("csv", "geojson", "kml", "timelinejs", "png", "svg", "pdf"))
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="where to write ('-' for standard output)")
    _add_filter_args(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="serve the dashboard (ingesting the articles first when needed)",
                       description="Serve the dashboard on http://HOST:PORT/. The articles are ingested "
                       "first when the store is missing or older than them.",
                       epilog="example: timeline serve --port 8050",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", metavar="PATH", help="articles to ingest (default: the bundled data/articles)")
    p.add_argument("--manifest", type=Path)
    _add_db_arg(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8050)
    p.set_defaults(func=cmd_serve)
    return parser


def cmd_serve(args) -> int:
    from .dashboard.app import serve
    from .ingest import ingest, needs_ingest
    from .paths import ARTICLES_DIR

    paths = args.paths or [ARTICLES_DIR]
    status = EXIT_OK
    if needs_ingest(paths, args.db):
        summary = ingest(paths, args.db, args.manifest)
        for message in summary.errors:
            print(f"timeline: error: {message}", file=sys.stderr)
        print(summary.line(args.db), file=sys.stderr)
        status = EXIT_SOME_FAILED if summary.errors else EXIT_OK
    print(f"timeline: serving {args.db} on http://{args.host}:{args.port}/ (Ctrl+C stops)", file=sys.stderr)
    serve(args.db, args.host, args.port)
    return status


def _add_db_arg(p: argparse.ArgumentParser) -> None:
    from .paths import DEFAULT_DB

    p.add_argument("--db", type=Path, default=Path(os.environ.get("TIMELINE_DB") or DEFAULT_DB),
                   help="the event store (default: $TIMELINE_DB or var/timeline.db in the project)")


def _add_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--outlet", action="append", default=[], help="only this outlet (repeatable)")
    p.add_argument("--since", type=_date_arg, metavar="DATE", help="events that end on or after DATE")
    p.add_argument("--until", type=_date_arg, metavar="DATE", help="events that start on or before DATE")
    p.add_argument("--place", action="append", default=[], help="only events at or naming this place (repeatable)")
    p.add_argument("--query", default="", help="words that must all appear in the sentence")
    p.add_argument("--min-outlets", type=int, default=0, metavar="N", help="only stories told by at least N outlets")


def _filters(args):
    from .query import Filters

    return Filters.of(args.outlet, args.since, args.until, args.place, args.query, args.min_outlets)


def cmd_ingest(args) -> int:
    from .ingest import ingest, terminal_progress

    summary = ingest(args.paths, args.db, args.manifest, args.published, max(1, args.jobs),
                     progress=terminal_progress(), refiner=_refiner(args))
    for message in summary.warnings:
        print(f"timeline: warning: {message}", file=sys.stderr)
    for message in summary.errors:
        print(f"timeline: error: {message}", file=sys.stderr)
    print(summary.line(args.db))
    return EXIT_SOME_FAILED if summary.errors else EXIT_OK


def cmd_export(args) -> int:
    from . import store
    from .export import IMAGE_FORMATS, export_text
    from .query import query_events

    conn = store.connect(args.db, readonly=True)
    filters = _filters(args)
    events = query_events(conn, filters)
    if args.format in IMAGE_FORMATS:
        from .dashboard.briefing import write_briefing

        write_briefing(conn, filters, args.format, args.output)
    else:
        text = export_text(events, args.format)
        if str(args.output) == "-":
            sys.stdout.write(text)
        else:
            _write_atomically(args.output, text)
    print(f"{len(events)} events -> {args.output}", file=sys.stderr)
    return EXIT_OK


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a failure leaves the old file whole."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)


def cmd_extract(args) -> int:
    from .corpus import load_articles
    from .extract.pipeline import extract

    out = sys.stdout
    failed = False
    refiner = _refiner(args)
    for article, warnings, errors in load_articles(args.paths, args.manifest, args.published):
        for message in warnings:
            print(f"timeline: warning: {message}", file=sys.stderr)
        for message in errors:
            print(f"timeline: error: {message}", file=sys.stderr)
            failed = True
        if article is None:
            continue
        result = extract(article, refiner=refiner)
        for message in result.warnings:
            print(f"timeline: warning: {message}", file=sys.stderr)
        if args.format == "jsonl":
            out.write(_jsonl(result))
        else:
            _print_table(result, out)
    return EXIT_SOME_FAILED if failed else EXIT_OK


_encode = json.JSONEncoder(ensure_ascii=False).encode


def _jsonl(result) -> str:
    """An extraction's lines of the evaluation's JSONL: its events, then its place mentions.
    One string per article: a write per line cost more than the encoding."""
    lines = [_encode(event.to_json()) for event in result.events]
    lines += [_encode({"type": "mention", "article": result.article.file, **place.to_json()})
              for place in result.mentions]
    return "".join(line + "\n" for line in lines)


def _print_table(result, out) -> None:
    for event in result.events:
        place = event.location.name + (" ~" if event.location.inferred else "") if event.location else "-"
        quote = " ".join(event.sentence.split())
        quote = quote if len(quote) <= 70 else quote[:69] + "…"
        out.write(f"{event.date.value or '?':<24} {place[:22]:<22} {(event.outlet or '-')[:16]:<16} {quote}\n")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except TimelineError as e:
        print(f"timeline: error: {e}", file=sys.stderr)
        return EXIT_SOME_FAILED
    except KeyboardInterrupt:
        print("timeline: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
