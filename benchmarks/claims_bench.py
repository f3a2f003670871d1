"""Benchmark for dps claims: 1,000,000 event rows over 10,000 call-offs (a national year).

    python benchmarks/claims_bench.py [--rows 1000000] [--calloffs 10000]

Writes a realistic events file (each call-off's participants start, most
complete, some leave, many find work in spells) to a temporary folder, then
measures, each in a fresh process: reading it with the standard library's
`csv.reader` (the floor), and `dps claims`'s own steps over the same file
(read the events, derive each call-off's milestones, draw up every statement,
render the ledger CSV). Prints wall time, CPU time (user + system of the whole
process tree) and peak RSS of each, and the CPU ratio, measured in one run. The call-offs are
the example call-off under 10,000 ids (loading 10,000 YAML files is the
validate benchmark's business, not this one's).

Figures vary with the machine and its load; the ratio is the point.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLOOR = """
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    n = sum(1 for _ in csv.reader(f))
print(n)
"""

CLAIMS = """
import gc, io, sys, time
from datetime import date
from pathlib import Path
from dps_cli.claims import claims_each
from dps_cli.commands.claims import _by_calloff
from dps_cli.commands.lifefiles import read_events
from dps_cli.milestones import rules_of
from dps_cli.reference import load_reference
from dps_cli.report.claims import render_csv
from dps_cli.validate import check_file

example = Path(sys.argv[2])
base = check_file(example.read_bytes(), str(example), load_reference(None)).model
calloffs = [base.model_copy(update={"id": f"CO-{i:05d}"}) for i in range(int(sys.argv[3]))]
rules = {c.id: rules_of(c) for c in calloffs}
cutoff = date(2027, 10, 31)
gc.disable()  # as `dps claims` does
began = time.process_time()
rows, found = read_events([Path(sys.argv[1])], set(rules), cutoff)  # `dps claims`'s own path, step by step
kept = len(rows)
result = claims_each(calloffs, _by_calloff(rows, found, rules, cutoff), cutoff, [], "2027-10", found)
render_csv(io.StringIO(), result)  # the ledger form, rendered and dropped
core = time.process_time() - began
print(f"{core:.2f}", kept, sum(len(s.due) for s in result.statements), result.errors, result.warnings)
"""

MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
out = subprocess.run([sys.executable, "-c", sys.argv[1], *sys.argv[2:]], capture_output=True, text=True, check=True)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.2f} {usage.ru_utime + usage.ru_stime:.2f} {usage.ru_maxrss / 1024:.0f} {out.stdout.strip()}")
"""


def write_events(path: Path, rows: int, calloffs: int, seed: int = 1) -> int:
    rnd = random.Random(seed)
    per = max(1, rows // calloffs)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["calloff", "participant", "event", "date", "evidence"])
        for c in range(calloffs):
            written += _calloff_rows(out, rnd, f"CO-{c:05d}", per)
    return written


def _calloff_rows(out: csv.writer, rnd: random.Random, calloff: str, budget: int) -> int:  # type: ignore[valid-type]
    written, person = 0, 0
    while written < budget:
        person += 1
        who = f"P-{person:04d}"
        start = date(2026, 11, 2) + timedelta(days=rnd.randrange(300))
        rows = [("start", start)]
        ends = start + timedelta(weeks=6)
        if rnd.random() < 0.85:
            rows.append(("completion", ends))
            day = ends
            for _ in range(rnd.randrange(4)):
                day += timedelta(days=rnd.randrange(1, 20))
                rows.append(("job_start", day))
                day += timedelta(days=rnd.randrange(0, 40))
                rows.append(("job_end", day))
        else:
            rows.append(("leaver", start + timedelta(days=rnd.randrange(1, 40))))
        for event, day in rows[: budget - written]:
            out.writerow([calloff, who, event, day.isoformat(), f"EV-{person}"])  # type: ignore[attr-defined]
        written += min(len(rows), budget - written)
    return written


def measure(code: str, *args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", MEASURE, code, *args], capture_output=True, text=True, check=True)
    return out.stdout.split()


def ratio(ours: float, floor: float) -> str:
    """``ours`` as a multiple of the floor, or why there is none (a tiny file reads in no measurable time)."""
    return f"{ours / floor:.1f}x" if floor else "- (the floor took no measurable time: give more --rows)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--calloffs", type=int, default=10_000)
    options = parser.parse_args()
    example = ROOT / "examples" / "calloffs" / "crawley-warehouse-award.yaml"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        rows = write_events(path, options.rows, options.calloffs)
        size = path.stat().st_size / 1024 / 1024
        print(f"{rows:,} event rows, {options.calloffs:,} call-offs, {size:.1f} MiB")
        floor = measure(FLOOR, str(path))
        core = measure(CLAIMS, str(path), str(example), str(options.calloffs))
    print(f"csv.reader: wall {floor[0]} s, cpu {floor[1]} s, peak RSS {floor[2]} MiB")
    print(f"claims:     wall {core[0]} s, cpu {core[1]} s, peak RSS {core[2]} MiB (whole process, imports included)")
    print(
        f"            of which read + derive + claims + csv (cpu): {core[3]} s; rows, due lines, errors, warnings:",
        *core[4:],
    )
    print(
        f"ratio (cpu, whole process): {ratio(float(core[1]), float(floor[1]))}; "
        f"core alone: {ratio(float(core[3]), float(floor[1]))}; wall: {ratio(float(core[0]), float(floor[0]))}"
    )


if __name__ == "__main__":
    main()
