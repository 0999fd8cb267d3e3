"""The `timeline` command: extract, ingest, serve, export.

Errors about one file are printed as one line on stderr and the other files go on; the exit
status is 1 when any file failed, 2 for a usage error.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from . import __version__
from .errors import TimelineError

EXIT_OK, EXIT_SOME_FAILED = 0, 1  # argparse exits with 2 on a usage error


def _date_arg(value: str) -> dt.date:
    from .corpus import AmbiguousDate, parse_date

    try:
        date = parse_date(value)
    except AmbiguousDate as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    if date is None:
        raise argparse.ArgumentTypeError(f"not a date: {value!r}")
    return date


def report(level: str, message: str) -> None:
    """One line on stderr: `timeline: error: …`, `timeline: warning: …`."""
    print(f"timeline: {level}: {message}", file=sys.stderr)


def _fields_arg(value: str) -> dict[str, str]:
    from .dumps import parse_fields

    try:
        return parse_fields(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _add_input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="article files (.txt .md .html), folders of them, or dumps of one article a "
                   "record (.jsonl .csv, with a text or html field)")
    p.add_argument("--fields", type=_fields_arg, metavar="FIELD=COLUMN,...",
                   help="the dumps' own names for text, html, file, outlet, title, url, published "
                   "(example: text=body,published=date)")
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
    p.add_argument("--format", choices=("jsonl", "table"), default="jsonl",
                   help="jsonl: one JSON object a line, events then place mentions (the default); "
                   "table: one event a line, for people")
    _add_jobs_arg(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", help="extract articles into the event store",
                       description="Extract articles into the event store. Re-ingesting the same text "
                       "adds nothing; a file whose text changed replaces its own events.",
                       epilog="examples:\n  timeline ingest data/articles --jobs 1\n"
                       "  timeline ingest scraped.jsonl --fields text=body,published=date",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_input_args(p)
    _add_db_arg(p)
    _add_jobs_arg(p)
    p.add_argument("--reextract", action="store_true",
                   help="read every stored article again (ingest does so by itself for articles read by an "
                   "older extractor or before the curated files changed); corrections are applied again")
    _add_archive_arg(p, "write into this archive folder (partitioned Parquet, read through DuckDB) "
                     "instead of the SQLite store")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="with --archive: local (worker processes on this machine, the default) or dask "
                   "(tasks on a Dask cluster: a local one, or the one at --scheduler)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="with --engine dask: the address of a running `dask scheduler` (default: start a "
                   "LocalCluster on this machine)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("export", help="write the (filtered) events as CSV, GeoJSON, KML, TimelineJS or an image",
                       description="Write the events that match the filters.",
                       epilog="example: timeline export --format geojson --outlet CNN --since 2024-06-01 -o events.geojson",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_db_arg(p)
    p.add_argument("--format", required=True, choices=("csv", "geojson", "kml", "timelinejs", "png", "svg", "pdf"),
                   help="csv (UTF-8 with a byte-order mark, for Excel), geojson, kml (Google Earth), "
                   "timelinejs, or a briefing image: png, svg, pdf")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="where to write ('-' for standard output)")
    _add_archive_arg(p, "export from this archive folder instead of the SQLite store")
    _add_filter_args(p)
    p.add_argument("--title", default="", help="the title of the image or of the TimelineJS title slide "
                   "(default: what the filters show)")
    image = p.add_argument_group("briefing images (png, svg, pdf)")
    image.add_argument("--subtitle", default="", help="a line under the title")
    image.add_argument("--preset", choices=("slide", "a4"), default="slide",
                       help="slide: 16:9, 1920x1080 pixels (the default); a4: an A4 portrait page, 1588x2246")
    image.add_argument("--width", type=int, metavar="PX", help="layout width, in pixels at 96 per inch (slide: 1280)")
    image.add_argument("--height", type=int, metavar="PX", help="layout height, in pixels at 96 per inch (slide: 720)")
    image.add_argument("--scale", type=float, metavar="X", help="output pixels per layout pixel (slide: 1.5)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="serve the dashboard (ingesting the articles given first when needed)",
                       description="Serve the dashboard of the event store on http://HOST:PORT/. Articles "
                       "given are ingested first when the store is missing or older than them; without "
                       "any, the store is served as it is (an empty one says how to add articles).",
                       epilog="examples:\n  timeline serve --port 8050\n  timeline serve ~/scraped --db story.db\n"
                       "  timeline serve --demo          # the bundled articles, as python app.py does",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", metavar="PATH", help="articles to ingest first (files, folders or dumps)")
    p.add_argument("--demo", action="store_true", help="ingest and serve the bundled articles (data/articles)")
    p.add_argument("--manifest", type=Path, help="JSON list of {file, outlet, title, url, published} for the "
                   "articles given (default: manifest.json in the folder given)")
    _add_db_arg(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8050, help="port to listen on (default 8050)")
    _add_archive_arg(p, "serve this archive folder (aggregated in DuckDB) instead of the SQLite store")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("fetch", help="download pages from their links into a folder that ingest reads",
                       description="Download web pages into a folder, with a manifest.json that ingest "
                       "reads. The only command that goes online for articles: it obeys each host's "
                       "robots.txt, waits between requests to one host, and does not fetch a page "
                       "already in the folder again.",
                       epilog="example:\n  timeline fetch --urls links.txt --into pages && timeline ingest pages",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("urls", nargs="*", metavar="URL", help="links to web pages")
    p.add_argument("--urls", dest="url_file", type=Path, metavar="FILE", help="a file of links, one a line")
    p.add_argument("--into", type=Path, default=Path("pages"), metavar="DIR",
                   help="the folder for the pages and their manifest.json (default: ./pages)")
    p.add_argument("--delay", type=float, default=1.0, metavar="SECONDS",
                   help="least time between two requests to one host (default 1; a longer Crawl-delay wins)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                   help="give up on a page after this long (default 30)")
    p.set_defaults(func=cmd_fetch)

    from .cli_review import add_review_commands

    add_review_commands(sub, _add_db_arg)
    from .archive.cli import add_archive_commands

    add_archive_commands(sub, _add_db_arg)
    return parser


def cmd_fetch(args) -> int:
    from .fetch import fetch, read_urls

    urls = list(args.urls)
    if args.url_file:
        try:
            urls += read_urls(args.url_file)
        except OSError as e:
            report("error", f"{args.url_file}: cannot be read ({e.strerror or e})")
            return EXIT_SOME_FAILED
    if not urls:
        report("error", "no links given (name them, or give --urls FILE)")
        return EXIT_SOME_FAILED
    summary = fetch(urls, args.into, delay=args.delay, timeout=args.timeout)
    for message in summary.errors:
        report("error", message)
    print(summary.line(args.into))
    return EXIT_SOME_FAILED if summary.errors else EXIT_OK


def cmd_serve(args) -> int:
    if args.archive:
        from .archive.serve import cmd_serve_archive

        return cmd_serve_archive(args)
    from .dashboard.app import serve
    from .ingest import ingest, needs_ingest
    from .paths import ARTICLES_DIR
    from . import store

    paths = [*args.paths, *([ARTICLES_DIR] if args.demo else [])]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:  # a typo must not serve an empty dashboard that looks like an answer
        for path in missing:
            report("error", f"{path}: no such file or folder")
        return EXIT_SOME_FAILED
    status = EXIT_OK
    if paths and needs_ingest(paths, args.db):
        summary = ingest(paths, args.db, args.manifest)
        for message in summary.errors:
            report("error", message)
        if not summary.articles:  # nothing could be read: no empty dashboard that looks like an answer
            if not summary.errors:
                report("error", f"no articles read from {', '.join(map(str, paths))}; not serving")
            return EXIT_SOME_FAILED
        print(summary.line(args.db), file=sys.stderr)
        status = EXIT_SOME_FAILED if summary.errors else EXIT_OK
    store.connect(args.db).close()  # a new store is created empty: the dashboard says how to fill it
    print(f"timeline: serving {args.db} on http://{args.host}:{args.port}/ (Ctrl+C stops)", file=sys.stderr)
    serve(args.db, args.host, args.port)
    return status


def _add_jobs_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", type=_jobs_arg, default=0, metavar="N",
                   help="extract in N processes (default 0: one per CPU; 1: in this process)")


def _jobs_arg(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a number of processes, 0 or more, got {value!r}")
    return int(value)


def _add_db_arg(p: argparse.ArgumentParser) -> None:
    from .paths import DEFAULT_DB

    p.add_argument("--db", type=Path, default=Path(os.environ.get("TIMELINE_DB") or DEFAULT_DB),
                   help="the event store (default: $TIMELINE_DB or var/timeline.db in the project)")


def _add_archive_arg(p: argparse.ArgumentParser, help: str) -> None:
    p.add_argument("--archive", type=Path, metavar="DIR", help=help)


def _add_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--outlet", action="append", default=[], help="only this outlet (repeatable)")
    p.add_argument("--since", type=_date_arg, metavar="DATE", help="events that end on or after DATE")
    p.add_argument("--until", type=_date_arg, metavar="DATE", help="events that start on or before DATE")
    p.add_argument("--place", action="append", default=[], help="only events at or naming this place (repeatable)")
    p.add_argument("--query", default="", help="words that must all appear in the sentence")
    p.add_argument("--min-outlets", type=int, default=0, metavar="N", help="only stories told by at least N outlets")
    p.add_argument("--type", action="append", default=[], metavar="TYPE", choices=_event_types(),
                   help="only events of this type (repeatable): " + ", ".join(_event_types()))
    p.add_argument("--include-vaguer", action="store_true",
                   help="with --since and --until: also the events dated only to a longer span around them")


def _event_types() -> tuple[str, ...]:
    from .extract.event_types import EVENT_TYPES

    return EVENT_TYPES


def _filters(args):
    from .query import Filters

    return Filters.of(args.outlet, args.since, args.until, args.place, args.query, args.min_outlets,
                      args.type, args.include_vaguer)


def cmd_ingest(args) -> int:
    if args.archive:
        from .archive.engine import cmd_ingest_archive

        return cmd_ingest_archive(args)
    if args.engine != "local" or args.scheduler:
        report("error", "--engine dask and --scheduler write an archive: give --archive DIR")
        return EXIT_SOME_FAILED
    from .ingest import ingest, terminal_progress

    summary = ingest(args.paths, args.db, args.manifest, args.published, args.jobs,
                     progress=terminal_progress(), refiner=_refiner(args), fields=args.fields,
                     reextract=args.reextract)
    for message in summary.warnings:
        report("warning", message)
    for message in summary.errors:
        report("error", message)
    if summary.articles:  # else the errors said why, and the store was not touched
        print(summary.line(args.db))
    if summary.reread:
        print(f"{summary.reread} stored article{'s' if summary.reread != 1 else ''} read again: "
              f"{summary.changed} event{'s' if summary.changed != 1 else ''} changed; corrections applied again")
    return EXIT_SOME_FAILED if summary.errors or not summary.articles else EXIT_OK


def cmd_export(args) -> int:
    if args.archive:
        from .archive.cli import cmd_export_archive

        return cmd_export_archive(args)
    from . import store
    from .cli_review import unknown_names
    from .export import IMAGE_FORMATS
    from .query import query_events

    conn = store.connect(args.db, readonly=True)
    filters = _filters(args)
    unknown = unknown_names(conn, filters.outlets, filters.places)
    if unknown:  # say so, rather than write an empty file
        for problem in unknown:
            report("error", problem)
        return EXIT_SOME_FAILED
    if args.format in IMAGE_FORMATS:
        shown = write_image_export(conn, filters, args)
    else:
        events = query_events(conn, filters)
        write_text_export(events, filters, args)
        shown = len(events)
    say_exported(shown, args.output)
    return EXIT_OK


def write_image_export(source, filters, args) -> int:
    """The dashboard's briefing image of `source` (a SQLite connection, or a backend: the
    archive's export writes the same way) to `args.output`; returns how many events the filters
    match, counted by the backend rather than read one by one."""
    from .dashboard.briefing import backend_of, page_of, state_of, write_briefing

    backend = backend_of(source)
    page = page_of(args.preset, args.width, args.height, args.scale)
    write_briefing(backend, state_of(filters, args.title, args.subtitle), args.format, args.output, page)
    return backend.undrawn(filters)["events"]


def say_exported(events: int, output) -> None:
    from .ingest import plural

    print(f"{plural(events, 'event')} -> {output}", file=sys.stderr)


def write_text_export(events, filters, args) -> None:
    """Events as CSV, GeoJSON, KML or TimelineJS to `args.output` ('-': standard output), titled
    by --title or the filters (the archive's export writes the same way)."""
    from .export import export_text

    title = args.title or _title_of(filters)
    text = export_text(events, args.format, title, args.subtitle or (filters.describe() if args.title else ""))
    if str(args.output) == "-":
        sys.stdout.write(text)
    else:
        _write_atomically(args.output, text)


def _title_of(filters) -> str:
    """A title slide's words when none is given: what the filters choose."""
    described = filters.describe()
    return f"Events: {described}" if described and described != "all events" else "All events"


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a failure leaves the old file whole."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)


def cmd_extract(args) -> int:
    import functools

    from .corpus import load_articles
    from .pieces import extract_as_text
    from .geocode.gazetteer import default_gazetteer
    from .parallel import ordered_map

    failed = False
    read = 0

    def articles():
        nonlocal failed, read
        for article, warnings, errors in load_articles(args.paths, args.manifest, args.published, args.fields):
            for message in warnings:
                report("warning", message)
            for message in errors:
                report("error", message)
                failed = True
            if article is not None:
                read += 1
                yield article

    refiner = _refiner(args)
    default_gazetteer()  # loaded once, before any worker starts, so that workers share it
    work = functools.partial(extract_as_text, args.format, refiner=refiner)
    if args.format == "table":
        sys.stdout.write(TABLE_HEADER)
    # An online refiner holds a cache and a rate limit: it stays in this process.
    for text, warnings, error in ordered_map(work, articles(), 1 if refiner else args.jobs):
        for message in warnings:
            report("warning", message)
        if error:
            report("error", error)
            failed = True
        sys.stdout.write(text)
    return EXIT_SOME_FAILED if failed or not read else EXIT_OK


# The columns of extract.output.table, named.
TABLE_HEADER = f"{'date':<24} {'place':<22} {'outlet':<16} sentence\n"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except TimelineError as e:
        report("error", str(e))
        return EXIT_SOME_FAILED
    except KeyboardInterrupt:
        print("timeline: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
