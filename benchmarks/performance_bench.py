"""Benchmark for dps performance: 1,000,000 event rows over 10,000 call-offs (a national year).

    python benchmarks/performance_bench.py [--rows 1000000] [--calloffs 10000]

Writes the national events file of `claims_bench.py` (the same generator), then,
in one fresh process, measures `csv.reader` over it (the floor) and the
performance core over the same file (read the events, derive every
participant's milestones, measure every call-off), each by CPU time beside wall
time, with the ratio, and the process's peak RSS after each. The call-offs are
the example call-off under 10,000 ids.

Figures vary with the machine and its load; the CPU-time ratio is the point.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claims_bench import ROOT, ratio, write_events  # the one national-file generator

BOTH = """
import csv, gc, resource, sys, time
from datetime import date
from pathlib import Path


def clocks():
    return time.perf_counter(), time.process_time()


def since(began):
    wall, cpu = clocks()
    return wall - began[0], cpu - began[1]


def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


began = clocks()
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = sum(1 for _ in csv.reader(f))
floor = since(began)
floor_rss = rss()

from dps_cli.events import read
from dps_cli.milestones import derive, rules_of
from dps_cli.performance import performance
from dps_cli.reference import load_reference
from dps_cli.validate import check_file

example = Path(sys.argv[2])
base = check_file(example.read_bytes(), str(example), load_reference(None)).model
calloffs = [base.model_copy(update={"id": f"CO-{i:05d}"}) for i in range(int(sys.argv[3]))]
rules = {c.id: rules_of(c) for c in calloffs}
cutoff = date(2027, 10, 31)
gc.disable()  # as `dps performance` does
began = clocks()
with open(sys.argv[1], "rb") as f:
    events = read(f, "events.csv", set(rules), cutoff)
derivation = derive(events.rows, rules, cutoff, events.findings)
middle = clocks()
result = performance(calloffs, derivation, events.findings)
measuring = since(middle)
core = since(began)
measures = sum(len(c.measures) for c in result.calloffs)
print(rows, *(f"{v:.2f}" for v in (*floor, *core, *measuring)), f"{floor_rss:.0f}", f"{rss():.0f}", measures)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--calloffs", type=int, default=10_000)
    options = parser.parse_args()
    example = ROOT / "examples" / "calloffs" / "crawley-warehouse-award.yaml"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        written = write_events(path, options.rows, options.calloffs)
        size = path.stat().st_size / 1024 / 1024
        print(f"{written:,} event rows, {options.calloffs:,} call-offs, {size:.1f} MiB")
        command = [sys.executable, "-c", BOTH, str(path), str(example), str(options.calloffs)]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
    fw, fc, pw, pc, mw, mc = (float(v) for v in out[1:7])
    print(f"csv.reader:  wall {fw:.2f} s, cpu {fc:.2f} s ({int(out[0]):,} rows); peak RSS {out[7]} MiB")
    print(f"performance: wall {pw:.2f} s, cpu {pc:.2f} s (read + derive + measure); peak RSS {out[8]} MiB")
    print(f"             of which measuring {out[9]} measures: wall {mw:.2f} s, cpu {mc:.2f} s")
    print(f"ratio: cpu {ratio(pc, fc)}, wall {ratio(pw, fw)} (goal: within 3x)")


if __name__ == "__main__":
    main()
