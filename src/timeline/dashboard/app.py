"""create_app(backend) builds the Dash app over one event store or archive (backend.py); serve()
runs it on 127.0.0.1."""
from __future__ import annotations

from pathlib import Path

from dash import Dash
from dash.exceptions import DependencyException

from ..paths import ASSETS_DIR
from . import callbacks
from .backend import SqliteBackend
from .layout import build_layout


def create_app(source) -> Dash:
    """The app over `source`: a SQLite store's path, or a backend (backend.py)."""
    backend = SqliteBackend(Path(source)) if isinstance(source, (str, Path)) else source
    app = Dash(__name__, assets_folder=str(ASSETS_DIR), title="timeline", update_title=None,
               serve_locally=True, compress=False)
    app.layout = lambda: build_layout(editable=backend.editable)
    callbacks.register(app, backend)
    # Dash serves only the script files its packages registered; any other path is a plain 404.
    app.server.register_error_handler(DependencyException, lambda e: ("Not found", 404))
    return app


def serve(source, host: str = "127.0.0.1", port: int = 8050) -> None:
    create_app(source).run(host=host, port=port, debug=False, dev_tools_ui=False, dev_tools_props_check=False)
