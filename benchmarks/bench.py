"""Benchmarks for dps, measured in one run: CPU time of the whole process tree beside wall time.

    python benchmarks/bench.py                  # every measurement (long: many minutes)
    python benchmarks/bench.py --quick          # a tenth of the sizes, one run each
    python benchmarks/bench.py --only supplier  # or: validate, startup, jsonschema, match,
                                                #     parallel, ids, memory

Generates realistic offers (variations of the shipped examples: ids, suppliers,
prices, areas, prose) in a temporary folder. Every measurement runs in a fresh
meter process that starts the command and reads its own RUSAGE_CHILDREN
afterwards: user + system CPU of the command and every process it waited for
(dps's workers included), and the largest peak RSS among them. Each figure is
the best of --repeat runs; ratios compare two commands measured in this run.

- validate: `dps validate` on 2,000 files vs loading them with PyYAML's C loader;
- startup: `dps validate` on one file vs `python -c "import yaml, pydantic"`;
- jsonschema: `dps validate` vs check-jsonschema (given `dps schema offer`) on
  2,000 files (needs `pip install check-jsonschema`; skipped otherwise);
- match: `dps match` over 1,000 / 5,000 / 20,000 offers vs loading them;
- parallel: `dps validate` on 20,000 files, default jobs vs `--jobs 1` (wall time);
- supplier: 20,000 offers from one supplier, each with distinct prose, vs the
  same files from 20,000 suppliers (the cost of `generic-offer`'s worst case);
- ids: 20,000 files sharing one id vs 20,000 distinct ids (`duplicate-id`);
- memory: peak RSS of `dps match` over 50,000 offers.

A command still running after --timeout seconds is stopped and shown as such.
Figures vary with the machine and its load; the ratios are the point.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OFFERS = sorted((ROOT / "examples" / "offers").glob("*.yaml"))
CASE = ROOT / "examples" / "business-cases" / "crawley-warehouse.yaml"
AREAS = ["RH10, RH11", "RH", "national", "RH10, RH11, BN", "GU, RH", "RH10"]
PARSE = (
    "import sys, yaml, pathlib\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
    "    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)\n"
)
# Runs argv[2:] with a time limit of argv[1] seconds; prints its exit, wall, CPU of the tree, peak RSS (KiB).
METER = (
    "import json, os, resource, signal, subprocess, sys, time\n"
    "started = time.perf_counter()\n"
    "child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,\n"
    "                         start_new_session=True)\n"
    "try:\n"
    "    code = child.wait(timeout=float(sys.argv[1]))\n"
    "    finished = True\n"
    "except subprocess.TimeoutExpired:\n"
    "    os.killpg(child.pid, signal.SIGKILL)\n"
    "    code = child.wait()\n"
    "    finished = False\n"
    "wall = time.perf_counter() - started\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps([finished, code, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss]))\n"
)
WORDS = ["".join(random.Random(n).choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3 + n % 7)) for n in range(3000)]


@dataclass
class Options:
    work: Path
    repeat: int
    timeout: float
    scale: float

    def size(self, count: int) -> int:
        return max(10, int(count * self.scale))


@dataclass
class Figure:
    finished: bool
    wall: float
    cpu: float
    rss_mib: float

    def show(self) -> str:
        mark = "" if self.finished else ">"
        return f"{mark}{self.wall:7.2f}s wall {mark}{self.cpu:7.2f}s CPU {self.rss_mib:5.0f} MiB"


def generate(folder: Path, count: int, seed: int = 7, **variation: bool) -> Path:
    """``count`` valid offers, each a varied copy of one of the examples.

    ``one_supplier``: all from one supplier; ``distinct_prose``: each with 200
    random words of innovation; ``one_id``: all with the same id.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    templates = [p.read_text() for p in OFFERS]
    for i in range(count):
        text = _vary(rng.choice(templates), i, rng, **variation)
        (folder / f"offer-{i:06}.yaml").write_text(text)
    return folder


def _vary(
    text: str,
    i: int,
    rng: random.Random,
    one_supplier: bool = False,
    distinct_prose: bool = False,
    one_id: bool = False,
) -> str:
    original_id = text.split("\nid: ", 1)[1].split("\n", 1)[0]
    supplier = text.split("  name: ", 1)[1].split("\n", 1)[0]
    text = text.replace(f"id: {original_id}", f"id: OF-B{0 if one_id else i:06}", 1)
    name = "Bench Supplier Ltd" if one_supplier else f"{supplier} {i}"
    text = text.replace(f"  name: {supplier}", f"  name: {name}", 1)
    price = text.split("price_per_participant: ", 1)[1].split()[0]
    skills_alone = "category: 6\n" in text  # its contract value must stay over £50,000
    new_price = f"{float(price) * rng.uniform(1.0 if skills_alone else 0.8, 1.2):.2f}"
    text = text.replace(f"price_per_participant: {price}", f"price_per_participant: {new_price}", 1)
    if not skills_alone:
        areas = text.split("  areas: [", 1)[1].split("]", 1)[0]
        text = text.replace(f"  areas: [{areas}]", f"  areas: [{rng.choice(AREAS)}]", 1)
    if distinct_prose:
        text = "".join(line for line in text.splitlines(True) if not line.startswith("innovation:"))
        text += f"innovation: {' '.join(rng.choice(WORDS) for _ in range(200))}\n"
    return text


def measure(command: list[str], options: Options) -> Figure:
    """Best of ``options.repeat`` fresh runs: least wall, least CPU, least peak RSS."""
    runs = []
    for _ in range(options.repeat):
        meter = [sys.executable, "-c", METER, str(options.timeout), *command]
        out = subprocess.run(meter, capture_output=True, text=True, check=True).stdout
        finished, code, wall, cpu, rss_kib = json.loads(out)
        if finished and code not in (0, 1):
            sys.exit(f"{' '.join(command)} failed (exit {code}): is dps installed in this Python?")
        runs.append(Figure(finished, wall, cpu, rss_kib / 1024))
        if not finished:
            break
    return Figure(
        all(r.finished for r in runs),
        min(r.wall for r in runs),
        min(r.cpu for r in runs),
        min(r.rss_mib for r in runs),
    )


def dps(*args: str) -> list[str]:
    return [sys.executable, "-m", "dps_cli", *args]


def parse(folder: Path) -> list[str]:
    return [sys.executable, "-c", PARSE, str(folder)]


def report(label: str, ours: Figure, theirs: Figure, goal: str) -> None:
    mark = "" if ours.finished and theirs.finished else ">"
    print(f"{label}  ({goal})")
    print(f"    {ours.show()}   vs {theirs.show()}")
    print(f"    ratio: wall {mark}{ours.wall / theirs.wall:.2f}  CPU {mark}{ours.cpu / theirs.cpu:.2f}", flush=True)


def bench_validate(o: Options) -> None:
    n = o.size(2000)
    folder = generate(o.work / f"v{n}", n)
    ours = measure(dps("validate", str(folder), "--format", "json"), o)
    report(f"validate {n:,} files / C-loader parse", ours, measure(parse(folder), o), "goal: CPU <= 1.3")


def bench_startup(o: Options) -> None:
    ours = measure(dps("validate", str(OFFERS[0])), o)
    imports = measure([sys.executable, "-c", "import yaml, pydantic"], o)
    report("validate 1 file / python -c 'import yaml, pydantic'", ours, imports, "goal: <= 2.0")


def bench_jsonschema(o: Options) -> None:
    beside = Path(sys.executable).with_name("check-jsonschema")  # installed in this Python's environment
    tool = str(beside) if beside.is_file() else shutil.which("check-jsonschema")
    if tool is None:
        print("check-jsonschema not installed (pip install check-jsonschema): skipped")
        return
    n = o.size(2000)
    folder = generate(o.work / f"v{n}", n)
    schema = o.work / "offer.schema.json"
    schema.write_text(subprocess.run(dps("schema", "offer"), capture_output=True, text=True, check=True).stdout)
    files = sorted(str(p) for p in folder.glob("*.yaml"))
    theirs = measure([tool, "--schemafile", str(schema), *files], o)
    ours = measure(dps("validate", str(folder), "--format", "json"), o)
    report(f"validate {n:,} files / check-jsonschema", ours, theirs, "goal: <= 0.1")


def bench_match(o: Options) -> None:
    for count in (1000, 5000, 20000):
        n = o.size(count)
        folder = generate(o.work / f"m{n}", n)
        ours = measure(dps("match", str(CASE), str(folder), "--format", "json"), o)
        goal = "goal: CPU <= 1.3" if count == 5000 else "growth should be linear"
        report(f"match {n:,} offers / C-loader parse", ours, measure(parse(folder), o), goal)
        print(f"    {ours.cpu / n * 1e6:.0f} µs CPU per offer")


def bench_parallel(o: Options) -> None:
    n = o.size(20000)
    folder = generate(o.work / f"m{n}", n)
    default = measure(dps("validate", str(folder), "--format", "json"), o)
    serial = measure(dps("validate", str(folder), "--format", "json", "--jobs", "1"), o)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    report(f"validate {n:,} files on {cpus} CPUs: --jobs 1 / default", serial, default, "goal: wall >= 1.6")


def bench_supplier(o: Options) -> None:
    n = o.size(20000)
    one = generate(o.work / f"s1-{n}", n, one_supplier=True, distinct_prose=True)
    many = generate(o.work / f"sN-{n}", n, distinct_prose=True)
    ours = measure(dps("validate", str(one), "--format", "json"), o)
    theirs = measure(dps("validate", str(many), "--format", "json"), o)
    report(f"validate {n:,} offers (distinct prose): one supplier / {n:,} suppliers", ours, theirs, "goal: <= 2")


def bench_ids(o: Options) -> None:
    n = o.size(20000)
    shared = generate(o.work / f"i1-{n}", n, one_id=True)
    distinct = generate(o.work / f"m{n}", n)
    ours = measure(dps("validate", str(shared), "--format", "json"), o)
    theirs = measure(dps("validate", str(distinct), "--format", "json"), o)
    report(f"validate {n:,} files: one shared id / distinct ids", ours, theirs, "goal: <= 2")


def bench_memory(o: Options) -> None:
    n = o.size(50000)
    folder = generate(o.work / f"m{n}", n)
    ours = measure(dps("match", str(CASE), str(folder), "--format", "json"), o)
    print(f"match {n:,} offers: peak RSS {ours.rss_mib:.0f} MiB, {ours.show()}  (goal: <= 300 MB)", flush=True)


BENCHES = {
    "validate": bench_validate,
    "startup": bench_startup,
    "jsonschema": bench_jsonschema,
    "match": bench_match,
    "parallel": bench_parallel,
    "supplier": bench_supplier,
    "ids": bench_ids,
    "memory": bench_memory,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(BENCHES), action="append")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a command is stopped")
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes, one run each")
    args = parser.parse_args()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{cpus} CPUs usable; load average {os.getloadavg()[0]:.2f} at the start", flush=True)
    with tempfile.TemporaryDirectory(prefix="dps-bench-") as tmp:
        options = Options(Path(tmp), 1 if args.quick else args.repeat, args.timeout, 0.1 if args.quick else 1.0)
        for name in args.only or list(BENCHES):
            BENCHES[name](options)


if __name__ == "__main__":
    main()
