"""One exception tree. Each class is also a built-in, so callers may catch either."""


class TimelineError(Exception):
    """Base of every error this package raises on purpose."""


class ArticleError(TimelineError, ValueError):
    """An article file cannot be read or decoded. The message names the file."""


class ManifestError(TimelineError, ValueError):
    """A manifest is not valid JSON or has wrong entries. The message names the file."""


class StoreError(TimelineError, OSError):
    """The event store cannot be opened or written."""


class ExportError(TimelineError, ValueError):
    """An export cannot be produced (unknown format, no renderer)."""
