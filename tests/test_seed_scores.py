"""The seed set's scores stay above the bars (the scorer and gold live in ../shared/eval)."""
import json
import subprocess
import sys

import pytest

from conftest import SEEDS, SHARED

SCORER = SHARED / "eval" / "score.py"


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval is not beside this checkout")
def test_seed_scores_meet_the_bars(tmp_path):
    out = tmp_path / "out.jsonl"
    with out.open("w") as fh:
        subprocess.run([sys.executable, "-m", "timeline.cli", "extract", str(SEEDS)], stdout=fh, check=True)
    scores = json.loads(subprocess.run([sys.executable, str(SCORER), str(SHARED / "eval" / "dev_gold.json"),
                                        str(out), "--json"], capture_output=True, text=True, check=True).stdout)
    assert scores["event_f1"] >= 0.90 and scores["trap_hits"] == 0
    assert scores["toponym_f1"] >= 0.90 and scores["event_place_recall"] >= 0.90
    assert scores["event_location_acc161"] >= 0.80
