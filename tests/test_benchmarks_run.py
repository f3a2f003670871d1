"""The events benchmarks run (on a tiny national file): they call dps's own steps, so a rename breaks them.

Only that they run and report is checked here; their figures belong in the notes, never in a test.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("script", ["claims_bench.py", "performance_bench.py"])
def test_the_events_benchmarks_run(script):
    command = [sys.executable, script, "--rows", "3000", "--calloffs", "30"]
    done = subprocess.run(command, cwd=ROOT / "benchmarks", capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "csv.reader" in done.stdout and "ratio" in done.stdout
