"""Where the project's bundled files live.

The package is installed from its source tree (`pip install -e .`), so the curated data/ and
assets/ folders beside src/ are found relative to this file. TIMELINE_HOME points elsewhere.
"""
import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("TIMELINE_HOME") or Path(__file__).resolve().parents[2])
DATA_DIR = PROJECT_ROOT / "data"
ASSETS_DIR = PROJECT_ROOT / "assets"
ARTICLES_DIR = DATA_DIR / "articles"
GAZETTEER_DIR = DATA_DIR / "gazetteer"
TOPOJSON_DIR = ASSETS_DIR / "topojson"
# The event store of the bundled articles; git ignores it (see .gitignore).
DEFAULT_DB = PROJECT_ROOT / "var" / "timeline.db"
