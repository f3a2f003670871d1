"""Reading and checking the files a command is given: one file, or a batch of them.

Shared by validate, match and schedule.  Every problem with a path ends as a
finding (the file cannot be read, the folder cannot be searched) or as a usage
error (exit 2: no such path); big batches run in forked workers.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from .. import inputs
from ..findings import ExitCode, Finding
from ..report.console import write_json
from . import workers as forked
from .common import at_least_one, fail_usage, no_collector

if TYPE_CHECKING:
    from ..calloff import CallOff
    from ..models import BusinessCase, Evaluations, Offer
    from ..reference import Reference
    from ..validate import FileResult

# The core is imported inside the functions: `dps --help` and start-up stay light.
_M = TypeVar("_M", "Offer", "BusinessCase", "Evaluations", "CallOff")
PROGRESS_FROM = 200  # files; fewer finish before a bar would be worth drawing
PARALLEL_FROM = 256  # files; fewer finish before extra processes pay for themselves
CHUNK = 64
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N",
        callback=at_least_one,
        help="Processes for big batches, 1 or more (default from 256 files: one per usable CPU, less one from 3 CPUs).",
    ),
]
Keep = Callable[["FileResult"], "FileResult"]  # what a command keeps of a file's result, where it was checked
_worker_ref: Reference | None = None  # the reference data, inherited by forked workers
_worker_keep: Keep | None = None  # and what to keep


@dataclass
class Batch:
    """The files checked (cross-file rules applied) and those skipped as not dps files."""

    results: list[FileResult]
    skipped: list[str] = field(default_factory=list)


def check_batch(
    paths: Sequence[str], ref: Reference, jobs: int | None, exclude: Sequence[str] = (), keep: Keep | None = None
) -> Batch:
    """Read and check every file PATHs name (cross-file rules included); bad paths exit 2."""
    from ..validate import apply_cross_file

    batch = check_targets(expand(paths, exclude), ref, jobs, keep)
    apply_cross_file(batch.results)
    return batch


def expand(paths: Sequence[str], exclude: Sequence[str] = ()) -> list[inputs.Target]:
    """The files PATHs name, or exit 2 when one does not exist or none is YAML."""
    try:
        targets = inputs.expand(paths, exclude)
    except inputs.MissingPath as missing:
        fail_usage(
            f"no such file or folder: {inputs.display_path(str(missing))}",
            "check the path; folders are searched for *.yaml and *.yml",
        )
    if not targets:
        shown = ", ".join(inputs.display_path(p) for p in paths)
        fail_usage(f"no *.yaml or *.yml files in {shown}", "hidden files and folders (.name) are not searched")
    return targets


def check_targets(targets: list[inputs.Target], ref: Reference, jobs: int | None, keep: Keep | None = None) -> Batch:
    """Each file checked on its own, in order; files found in a folder with no `kind` are skipped.

    Of each result only what ``keep`` keeps is held (by default the findings and what
    the cross-file rules read; never the source), in this process or sent from a worker.
    """
    outcomes = _check_all(targets, ref, _workers(targets, jobs), keep or findings_only)
    batch = Batch([])
    for target, outcome in zip(targets, outcomes, strict=True):
        if outcome is None:
            batch.skipped.append(target.shown)
        else:
            batch.results.append(outcome)
    return batch


def findings_only(result: FileResult) -> FileResult:
    """What validate keeps: findings, kind, id and what the cross-file rules read."""
    from ..validate import compact

    return compact(result, keep_model=False)


def with_model(result: FileResult) -> FileResult:
    """What a command that reads the offers keeps: the findings and the model, never the source or prose."""
    from ..validate import compact

    return compact(result, keep_model=True, keep_prose=False)


def _check_all(targets: list[inputs.Target], ref: Reference, count: int, keep: Keep) -> list[FileResult | None]:
    with no_collector():
        return _check_each(targets, ref, count, keep)


def _check_each(targets: list[inputs.Target], ref: Reference, count: int, keep: Keep) -> list[FileResult | None]:
    if count < 2:
        return list(_with_progress((_kept(target, ref, keep) for target in targets), len(targets)))
    global _worker_ref, _worker_keep
    _worker_ref, _worker_keep = ref, keep
    chunks = [targets[i : i + CHUNK] for i in range(0, len(targets), CHUNK)]
    try:
        with forked.Workers(count, _check_chunk) as pool:
            return list(_with_progress((r for chunk in pool.map(chunks) for r in chunk), len(targets)))
    except forked.WorkerLost as lost:
        fail_usage(str(lost), "run again; with --jobs 1 every file is checked in this one process")


def _workers(targets: list[inputs.Target], jobs: int | None) -> int:
    if jobs is not None:
        wanted = jobs
    elif len(targets) < PARALLEL_FROM:
        return 1
    else:
        wanted = _leaving_the_parent_room(usable_cpus())
    if any(t.path == inputs.STDIN for t in targets) or not forked.available():
        return 1
    return min(wanted, max(1, len(targets) // CHUNK))


def _leaving_the_parent_room(cpus: int) -> int:
    """Workers for ``cpus`` CPUs: one each on two, one fewer from three, where the parent's share
    (taking results from every worker, then the cross-file rules) would otherwise queue behind them.
    """
    return cpus if cpus <= 2 else cpus - 1


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _check_chunk(targets: list[inputs.Target]) -> list[FileResult | None]:
    """In a worker: check files and send back only what the command keeps."""
    assert _worker_ref is not None and _worker_keep is not None
    return [_kept(target, _worker_ref, _worker_keep) for target in targets]


def _kept(target: inputs.Target, ref: Reference, keep: Keep) -> FileResult | None:
    result = check_target(target, ref)
    return None if result is None else keep(result)


def check_target(target: inputs.Target, ref: Reference) -> FileResult | None:
    """One file's result, or None for a file found in a folder that is not a dps file (no `kind`)."""
    result = check_one(target, ref)
    data = result.source.data
    if not target.named and isinstance(data, dict) and "kind" not in data:
        return None
    return result


def check_one(target: inputs.Target, ref: Reference) -> FileResult:
    from ..validate import FileResult, check_file
    from ..yamlsource import Source

    item = inputs.read(target.path) if target.problem is None else inputs.Input(target.shown, None, target.problem)
    if item.content is None:
        problem = item.problem or "cannot read the file"
        return FileResult(
            item.path, Source(item.path), findings=[Finding("unreadable", problem, hint=_unreadable_hint(target))]
        )
    return check_file(item.content, item.path, ref)


def _unreadable_hint(target: inputs.Target) -> str:
    if target.path == inputs.STDIN:
        return "give the file on standard input, e.g. `dps validate - < offer.yaml`, or name it instead of -"
    if target.problem:
        return "check the folder's permissions, or leave it out with --exclude"
    return "check the file's permissions, or that it is a regular file"


def _with_progress(results: Iterator[Any], total: int) -> Iterator[Any]:
    """Pass results through, with a progress bar on stderr for big batches on a terminal."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield from results
        return
    from rich.progress import Progress

    from ..report.console import make_console

    with Progress(console=make_console(sys.stderr), transient=True) as progress:
        task = progress.add_task("validating", total=total)
        for result in results:
            yield result
            progress.advance(task)


def _missing(path: Path) -> bool:
    """No such path (a path that cannot be looked at is read, to say why as a finding)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except (OSError, ValueError):
        return False
    return False


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in ('a', 'e', 'i', 'o', 'u') else 'a'} {noun}"


_WANTED = {"Offer": "offer", "BusinessCase": "business case", "Evaluations": "evaluations", "CallOff": "call-off"}


def load_model(path: Path, kind: type[_M], ref: Reference, *, as_json: bool) -> _M:
    """The valid model in ``path``, or its findings and exit 1 (exit 2 if there is no such file)."""
    from ..report.validation import render_text, to_json

    wanted = _WANTED[kind.__name__]
    shown = inputs.display_path(str(path))
    if path.is_dir():
        fail_usage(f"{shown} is a folder; give the {wanted} file", f"e.g. {shown}/<name>.yaml")
    if _missing(path):
        fail_usage(f"no such file: {shown}", f"check the path to the {wanted} file")
    result = check_one(inputs.Target(str(path)), ref)
    if isinstance(result.model, kind):
        return result.model
    if result.valid:  # a valid file of another kind
        found = (result.kind or "").replace("-", " ")
        print(f"dps: error: {shown} is {_a(found)} file, not {_a(wanted)} file", file=sys.stderr)
    else:
        print(f"dps: error: {shown} is not valid:", file=sys.stderr)
    if as_json:
        write_json(to_json([result]))
    else:
        render_text(sys.stderr, [result])
    raise typer.Exit(ExitCode.FINDINGS)
