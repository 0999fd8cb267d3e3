"""The `timeline` command: extract, ingest, serve, export.

Errors about one file are printed as one line on stderr and the other files go on; the exit
status is 1 when any file failed, 2 for a usage error.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


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
    return parser


def cmd_extract(args) -> int:
    from .corpus import load_articles
    from .extract.pipeline import extract

    out = sys.stdout
    failed = False
    for article, warnings, errors in load_articles(args.paths, args.manifest, args.published):
        for message in warnings:
            print(f"timeline: warning: {message}", file=sys.stderr)
        for message in errors:
            print(f"timeline: error: {message}", file=sys.stderr)
            failed = True
        if article is None:
            continue
        result = extract(article)
        for message in result.warnings:
            print(f"timeline: warning: {message}", file=sys.stderr)
        if args.format == "jsonl":
            for event in result.events:
                out.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")
            for place in result.mentions:
                out.write(json.dumps({"type": "mention", "article": article.file, **place.to_json()},
                                     ensure_ascii=False) + "\n")
        else:
            _print_table(result, out)
    return EXIT_SOME_FAILED if failed else EXIT_OK


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
    except KeyboardInterrupt:
        print("timeline: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
