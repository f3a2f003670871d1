"""The long fuzz run: many inputs over every command and format, in parallel processes.

    python benchmarks/fuzz.py --inputs 100000          # seeds 0..99999, one process per CPU
    python benchmarks/fuzz.py --seed 1234              # replay one seed, with its output
    python benchmarks/fuzz.py --replay FILE --shrink   # replay a saved case.json, and shrink it

Each seed gives one case (tests/fuzzing/cases.py: a command line and its mutated
files), run in-process through the real typer app with a per-input alarm
(--timeout) and a memory bound per process (--memory). A process that stops
answering is killed and its input counted as a hang. Every failure class is
counted; the first --keep inputs of each are saved under --out (case.json, the
files, what was printed and the traceback). Exit code 1 when any input failed.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing as mp
import os
import queue
import random
import re
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzzing.cases import Case, materialize, random_case  # noqa: E402
from tests.fuzzing.oracle import run  # noqa: E402
from tests.fuzzing.shrink import shrink  # noqa: E402

CHUNK = 100


def _worker(tasks: mp.Queue, results: mp.Queue, timeout: float, memory_mib: int) -> None:
    if memory_mib:
        limit = memory_mib * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    workdir = Path(tempfile.mkdtemp(prefix="dps-fuzz-"))
    while (chunk := _next(tasks)) is not None:
        for seed in range(*chunk):
            results.put(("begin", os.getpid(), seed))
            try:
                outcome = run(random_case(random.Random(seed)), timeout, workdir)
                failures, detail = outcome.failures, outcome.detail
                report = _report(outcome) if failures else ""
            except MemoryError:
                failures, detail, report = ["memory"], "", ""
            except Exception as error:  # a bug in the fuzzer itself: counted, never silent
                failures, detail, report = [f"harness-error:{type(error).__name__}"], traceback.format_exc(), ""
            results.put(("done", os.getpid(), seed, failures, detail + report))
    results.put(("exit", os.getpid()))


def _next(tasks: mp.Queue) -> tuple[int, int] | None:
    try:
        return tasks.get(timeout=2)  # type: ignore[no-any-return]
    except queue.Empty:
        return None


def _report(outcome: object) -> str:
    out, err = getattr(outcome, "stdout", ""), getattr(outcome, "stderr", "")
    code = getattr(outcome, "exit_code", None)
    return f"\nexit code: {code}\n--- stdout (end)\n{out[-3000:]}\n--- stderr\n{err[-3000:]}"


class Run:
    """Counts, saved examples and the progress line."""

    def __init__(self, out: Path, keep: int) -> None:
        self.out, self.keep = out, keep
        self.done = 0
        self.failing = 0
        self.classes: collections.Counter[str] = collections.Counter()
        self.started = time.time()

    def record(self, seed: int, failures: list[str], detail: str) -> None:
        self.done += 1
        if not failures:
            return
        self.failing += 1
        for failure in failures:
            self.classes[failure] += 1
            if self.classes[failure] <= self.keep:
                save(self.out / _slug(failure) / str(seed), random_case(random.Random(seed)), failure, detail)

    def line(self, total: int) -> str:
        rate = self.done / max(time.time() - self.started, 1e-9)
        return f"{self.done:,}/{total:,} inputs, {self.failing:,} failing, {len(self.classes)} classes, {rate:,.0f}/s"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.@-]+", "_", text)[:120]


def save(folder: Path, case: Case, failure: str, detail: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.json").write_text(case.to_json())
    (folder / "failure.txt").write_text(f"{failure}\nargv: {case.argv!r}\n\n{detail}", errors="backslashreplace")
    materialize(case, folder / "files")


def supervise(args: argparse.Namespace) -> Run:
    tasks: mp.Queue = mp.Queue()
    results: mp.Queue = mp.Queue()
    end = args.start + args.inputs
    for low in range(args.start, end, CHUNK):
        tasks.put((low, min(low + CHUNK, end)))
    procs = {}
    for _ in range(args.jobs):
        proc = _start(tasks, results, args)
        procs[proc.pid] = proc
    state = Run(args.out, args.keep)
    current: dict[int, tuple[int, float]] = {}
    last_line = time.time()
    while procs:
        try:
            message = results.get(timeout=1)
        except queue.Empty:
            message = None
        if message and message[0] == "begin":
            current[message[1]] = (message[2], time.time())
        elif message and message[0] == "done":
            current.pop(message[1], None)
            state.record(message[2], message[3], message[4])
        elif message and message[0] == "exit":
            procs.pop(message[1]).join()
        _reap(procs, current, state, tasks, results, args)
        if time.time() - last_line > 10:
            print(state.line(args.inputs), flush=True)
            last_line = time.time()
    return state


def _start(tasks: mp.Queue, results: mp.Queue, args: argparse.Namespace) -> mp.Process:
    proc = mp.Process(target=_worker, args=(tasks, results, args.timeout, args.memory), daemon=True)
    proc.start()
    return proc


def _reap(procs: dict, current: dict, state: Run, tasks: mp.Queue, results: mp.Queue, args) -> None:  # type: ignore[type-arg,no-untyped-def]
    """Kill a process stuck past the alarm, or notice one that died; its input is a failure."""
    for pid, proc in list(procs.items()):
        seed, since = current.get(pid, (None, time.time()))
        stuck = seed is not None and time.time() - since > args.timeout * 3 + 5
        if stuck or not proc.is_alive():
            if proc.is_alive():
                proc.kill()
            proc.join()
            del procs[pid]
            current.pop(pid, None)
            if seed is not None:
                kind = "hang" if stuck else f"process-died:{proc.exitcode}"
                state.record(seed, [kind], "")
                rest = (
                    seed + 1,
                    min((seed - args.start) // CHUNK * CHUNK + args.start + CHUNK, args.start + args.inputs),
                )
                if rest[0] < rest[1]:
                    tasks.put(rest)  # the rest of its chunk
                new = _start(tasks, results, args)
                procs[new.pid] = new


def replay(case: Case, args: argparse.Namespace) -> int:
    outcome = run(case, args.timeout)
    print(f"argv: {case.argv!r}\nexit code: {outcome.exit_code} in {outcome.seconds:.2f}s")
    print(f"--- stdout\n{outcome.stdout}--- stderr\n{outcome.stderr}{outcome.detail}")
    print("failures:", outcome.failures or "none")
    if outcome.failures and args.shrink:
        wanted = outcome.failures[0]
        small = shrink(case, lambda c: wanted in run(c, args.timeout).failures)
        print(f"--- shrunk case for {wanted}:\n{small.to_json()}")
    return 1 if outcome.failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--start", type=int, default=0, help="first seed")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per input")
    parser.add_argument("--memory", type=int, default=2048, help="MiB per process (0: no bound)")
    parser.add_argument("--keep", type=int, default=5, help="inputs saved per failure class")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "fuzz")
    parser.add_argument("--seed", type=int, help="replay this seed only")
    parser.add_argument("--replay", type=Path, help="replay a saved case.json")
    parser.add_argument("--shrink", action="store_true", help="with --seed or --replay: shrink a failing case")
    args = parser.parse_args()
    if args.seed is not None:
        return replay(random_case(random.Random(args.seed)), args)
    if args.replay:
        return replay(Case.from_json(args.replay.read_text()), args)
    state = supervise(args)
    print(state.line(args.inputs))
    print(f"{state.done:,} inputs in {time.time() - state.started:,.0f}s; failures by class:")
    for name, count in sorted(state.classes.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {count:8,}  {name}")
    print(f"examples saved under {args.out}" if state.classes else "no failures")
    (args.out).mkdir(parents=True, exist_ok=True)
    (args.out / "summary.json").write_text(json.dumps({"inputs": state.done, "classes": state.classes}, indent=1))
    return 1 if state.failing else 0


if __name__ == "__main__":
    sys.exit(main())
