"""`timeline archive import/export` and `timeline export --archive` (owned by the archive-store work)."""
from __future__ import annotations


def add_archive_commands(sub, add_db_arg) -> None:
    """Register `timeline archive ...` on the command's subparsers."""
