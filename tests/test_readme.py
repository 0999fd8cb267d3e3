"""The README's commands are the ones CI runs."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_opens_with_the_serve_and_test_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^    (python3 -m venv .+)$", readme, re.M)
    assert len(commands) >= 2
    serve, test = commands[:2]
    assert serve.endswith("app.py") and "pytest" in test
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
