"""Benchmarks for dps validate and dps match, measured in one run.

    python benchmarks/bench.py                 # all measurements
    python benchmarks/bench.py --only validate # or: startup, jsonschema, match

Generates realistic offers (variations of the shipped examples: ids, suppliers,
prices, areas, capacities, prose) in a temporary folder and compares, each as a
fresh process, best of --repeat runs:

- validate: `dps validate` on 2,000 files vs loading them with PyYAML's C loader;
- startup: `dps validate` on one file vs `python -c "import yaml, pydantic"`;
- jsonschema: `dps validate` vs check-jsonschema (given `dps schema offer`) on
  500 files (needs `pip install check-jsonschema`; skipped otherwise);
- match: `dps match` over 1,000 / 5,000 / 20,000 offers vs loading them.

Figures vary with the machine and its load; the ratios are the point.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
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


def generate(folder: Path, count: int, seed: int = 7) -> Path:
    """``count`` valid offers, each a varied copy of one of the examples."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    templates = [p.read_text() for p in OFFERS]
    for i in range(count):
        text = rng.choice(templates)
        original_id = text.split("\nid: ", 1)[1].split("\n", 1)[0]
        supplier = text.split("  name: ", 1)[1].split("\n", 1)[0]
        text = text.replace(f"id: {original_id}", f"id: OF-B{i:06}", 1)
        text = text.replace(f"  name: {supplier}", f"  name: {supplier} {i}", 1)
        price = text.split("price_per_participant: ", 1)[1].split()[0]
        skills_alone = "category: 6\n" in text  # its contract value must stay over £50,000
        new_price = f"{float(price) * rng.uniform(1.0 if skills_alone else 0.8, 1.2):.2f}"
        text = text.replace(f"price_per_participant: {price}", f"price_per_participant: {new_price}", 1)
        if not skills_alone:
            areas = text.split("  areas: [", 1)[1].split("]", 1)[0]
            text = text.replace(f"  areas: [{areas}]", f"  areas: [{rng.choice(AREAS)}]", 1)
        (folder / f"offer-{i:06}.yaml").write_text(text)
    return folder


def best(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return min(times)


def dps(*args: str) -> list[str]:
    return [sys.executable, "-m", "dps_cli", *args]


def report(label: str, ours: float, theirs: float, goal: str) -> None:
    print(f"{label:<58} {ours:8.3f}s vs {theirs:8.3f}s  ratio {ours / theirs:5.2f}  ({goal})")


def bench_validate(work: Path, repeat: int) -> None:
    folder = generate(work / "v2000", 2000)
    ours = best(dps("validate", str(folder), "--format", "json"), repeat)
    parse = best([sys.executable, "-c", PARSE, str(folder)], repeat)
    report("validate 2,000 files / C-loader parse", ours, parse, "goal <= 1.5")


def bench_startup(work: Path, repeat: int) -> None:
    one = OFFERS[0]
    ours = best(dps("validate", str(one)), repeat)
    imports = best([sys.executable, "-c", "import yaml, pydantic"], repeat)
    report("validate 1 file / python -c 'import yaml, pydantic'", ours, imports, "goal <= 2")


def bench_jsonschema(work: Path, repeat: int) -> None:
    tool = shutil.which("check-jsonschema")
    if tool is None:
        print("check-jsonschema not installed (pip install check-jsonschema): skipped")
        return
    folder = generate(work / "v500", 500)
    schema = work / "offer.schema.json"
    schema.write_text(subprocess.run(dps("schema", "offer"), capture_output=True, text=True, check=True).stdout)
    files = sorted(str(p) for p in folder.glob("*.yaml"))
    ours = best(dps("validate", str(folder)), repeat)
    theirs = best([tool, "--schemafile", str(schema), *files], max(1, repeat // 2))
    report("validate 500 files / check-jsonschema", ours, theirs, "goal <= 0.1")


def bench_match(work: Path, repeat: int) -> None:
    for count in (1000, 5000, 20000):
        folder = generate(work / f"m{count}", count)
        ours = best(dps("match", str(CASE), str(folder), "--format", "json"), repeat)
        parse = best([sys.executable, "-c", PARSE, str(folder)], repeat)
        goal = "goal <= 1.5" if count == 5000 else "growth should be linear"
        report(f"match {count:,} offers / C-loader parse", ours, parse, goal)
        print(f"{'':<58} {ours / count * 1e6:8.0f} µs per offer")


BENCHES = {"validate": bench_validate, "startup": bench_startup, "jsonschema": bench_jsonschema, "match": bench_match}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(BENCHES), action="append")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dps-bench-") as tmp:
        for name in args.only or list(BENCHES):
            BENCHES[name](Path(tmp), args.repeat)


if __name__ == "__main__":
    main()
