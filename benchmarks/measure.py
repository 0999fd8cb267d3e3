"""Wall time and peak memory of one command, measured in a wrapper process of its own.

RUSAGE_CHILDREN's ru_maxrss is the largest child a process ever waited for, so two runs measured
from one process would both report the larger. Each run here gets a fresh wrapper; the peak
includes the command's own worker processes.
"""
from __future__ import annotations

import json
import subprocess
import sys

_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(json.dumps([time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))
"""


def measure(cmd: list[str], env=None) -> tuple[float, float]:
    """(seconds, peak resident MB) of `cmd`."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True, env=env, check=True)
    seconds, peak = json.loads(out.stdout)
    return seconds, peak
