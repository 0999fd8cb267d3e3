"""`timeline archive import/export/regroup` and `timeline export --archive` (cli.build_parser adds them).

Each prints one line of error naming the folder or file and exits 1 when it cannot do what was
asked (timeline.cli.main prints a TimelineError); what they write is whole or not there.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED = 0, 1


def add_archive_commands(sub, add_db_arg) -> None:
    """Register `timeline archive ...` on the command's subparsers."""
    p = sub.add_parser("archive", help="move a store between SQLite and an archive folder (Parquet read by DuckDB)",
                       description="An archive folder holds the store as partitioned Parquet files read through "
                       "DuckDB, for corpora that outgrow one SQLite file. These commands move a store between "
                       "the two and group an archive's events into stories.",
                       epilog="examples:\n  timeline archive import var/timeline.db --archive var/archive\n"
                       "  timeline archive export --archive var/archive --db desk.db\n"
                       "  timeline archive regroup --archive var/archive",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = p.add_subparsers(dest="archive_command", required=True, metavar="COMMAND",
                                help="import (SQLite -> archive), export (archive -> SQLite) or regroup")

    c = commands.add_parser("import", help="copy a SQLite store into an archive folder",
                            description="Copy the articles, events, places, mentions and corrections of a SQLite "
                            "store into an archive folder (created when missing), a part per batch of articles; "
                            "then group the archive's stories. Running it again adds nothing: articles the "
                            "archive holds are skipped.",
                            epilog="example: timeline archive import var/timeline.db --archive var/archive",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("db", type=Path, metavar="DB", help="the SQLite store to copy")
    c.add_argument("--archive", type=Path, required=True, metavar="DIR", help="the archive folder to write into")
    _add_batch_arg(c)
    c.set_defaults(func=cmd_import)

    c = commands.add_parser("export", help="copy an archive folder into a SQLite store",
                            description="Write every article of an archive into a SQLite store (created when "
                            "missing) as ingest writes it, with its events, places and the analyst's corrections, "
                            "then group the store's stories. Running it again adds nothing.",
                            epilog="example: timeline archive export --archive var/archive --db desk.db",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("--archive", type=Path, required=True, metavar="DIR", help="the archive folder to read")
    add_db_arg(c)
    _add_batch_arg(c)
    c.set_defaults(func=cmd_export_store)

    c = commands.add_parser("regroup", help="group an archive's events into stories again",
                            description="Compute the stories of every event of the archive (as ingest does for "
                            "a SQLite store) and replace the old ones whole.",
                            epilog="example: timeline archive regroup --archive var/archive",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("--archive", type=Path, required=True, metavar="DIR", help="the archive folder")
    c.set_defaults(func=cmd_regroup)


def _add_batch_arg(p: argparse.ArgumentParser) -> None:
    from . import TRANSFER_BATCH as BATCH

    p.add_argument("--batch", type=_positive, default=BATCH, metavar="N",
                   help=f"articles a batch (default {BATCH:,}): memory grows with it, not with the store")


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of articles, 1 or more, got {value!r}")
    return int(value)


def cmd_import(args) -> int:
    from ..errors import StoreError
    from .transfer import import_store

    if not args.db.is_file():
        raise StoreError(f"{args.db}: no event store here (run `timeline ingest` first)")
    print(import_store(args.db, args.archive, args.batch).line(args.archive))
    return EXIT_OK


def cmd_export_store(args) -> int:
    from .transfer import export_store

    print(export_store(args.archive, args.db, args.batch).line(args.db))
    return EXIT_OK


def cmd_regroup(args) -> int:
    from ..ingest import plural
    from .stories import regroup_archive

    print(f"{plural(regroup_archive(args.archive), 'story', 'stories')} -> {args.archive}")
    return EXIT_OK


def cmd_export_archive(args) -> int:
    """`timeline export --archive DIR`: the filtered events of an archive, as from SQLite."""
    from ..cli import _filters, report, say_exported, write_image_export, write_text_export
    from ..cli_review import unknown_names
    from ..export import IMAGE_FORMATS
    from .query import RowsOf, query_events
    from .read import open_archive

    con = open_archive(args.archive)
    try:
        filters = _filters(args)
        unknown = unknown_names(RowsOf(con), filters.outlets, filters.places)
        if unknown:  # say so, rather than write an empty file
            for problem in unknown:
                report("error", problem)
            return EXIT_FAILED
        events = None if args.format in IMAGE_FORMATS else query_events(con, filters)
    finally:
        con.close()
    if events is None:  # the dashboard's briefing, of the events loaded as `serve --archive` loads them
        from .serve import ArchiveBackend

        shown = write_image_export(ArchiveBackend(args.archive, index_words=False), filters, args)
    else:
        write_text_export(events, filters, args)
        shown = len(events)
    say_exported(shown, args.output)
    return EXIT_OK
