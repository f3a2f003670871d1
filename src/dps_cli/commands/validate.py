"""`dps validate PATH...`."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from .. import inputs
from ..findings import ExitCode, Finding
from ..report.console import write_json
from .common import ReferenceOption, fail_usage, reference

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
    typer.Option("--jobs", "-j", min=1, help="Processes for big batches (default: one per CPU from 256 files)."),
]
NOUNS = {
    "Offer": "an offer",
    "BusinessCase": "a business case",
    "Evaluations": "an evaluations file",
    "CallOff": "a call-off",
}
_worker_ref: Reference | None = None  # the reference data, inherited by forked workers


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def validate(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH...", help="Files, folders (searched for *.yaml, *.yml) or - for stdin.")
    ],
    output: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="text, json or github (workflow annotations).")
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    jobs: JobsOption = None,
    reference_dir: ReferenceOption = None,
) -> None:
    """Check offers, business cases and evaluations against the DPS rules.

    Every finding names its rule, the field, and the line and column in the file.
    Exit code 0 when every file is valid (warnings allowed unless --strict),
    1 when any file has an error, 2 for a usage error.

    Examples: `dps validate offer.yaml`, `dps validate offers/ --format json`,
    `cat offer.yaml | dps validate -`, `dps validate . --format github --strict`.
    """
    from ..report.validation import render_github, render_text, to_json

    ref = reference(reference_dir)
    results = load_results(paths, ref, jobs)
    if output is ValidateFormat.json:
        write_json(to_json(results))
    elif output is ValidateFormat.github:
        render_github(sys.stdout, results)
    else:
        render_text(sys.stdout, results)
    failed = any(not r.valid for r in results) or (strict and any(r.warnings for r in results))
    raise typer.Exit(ExitCode.FINDINGS if failed else ExitCode.OK)


def load_results(paths: list[str], ref: Reference, jobs: int | None = None) -> list[FileResult]:
    """Read and check every file named (cross-file rules included); bad paths exit 2."""
    from ..validate import apply_cross_file

    results = check_all(expand(paths), ref, jobs)
    apply_cross_file(results)
    return results


def expand(paths: list[str]) -> list[str]:
    """The files PATHs name, or exit 2 when one does not exist or none is YAML."""
    try:
        names = inputs.expand(paths)
    except inputs.MissingPath as missing:
        fail_usage(f"no such file or folder: {missing}", "check the path; folders are searched for *.yaml and *.yml")
    if not names:
        fail_usage(f"no *.yaml or *.yml files in {', '.join(paths)}")
    return names


def check_all(names: list[str], ref: Reference, jobs: int | None = None) -> list[FileResult]:
    """Each file checked on its own, in order; big batches across processes."""
    workers = _workers(names, jobs)
    if workers < 2:
        return list(_with_progress((check_one(name, ref) for name in names), len(names)))
    global _worker_ref
    _worker_ref = ref
    chunks = [names[i : i + CHUNK] for i in range(0, len(names), CHUNK)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        results = (result for chunk in pool.imap(_check_chunk, chunks) for result in chunk)
        return list(_with_progress(results, len(names)))


def _workers(names: list[str], jobs: int | None) -> int:
    if jobs is not None:
        wanted = jobs
    elif len(names) < PARALLEL_FROM:
        return 1
    else:
        wanted = os.cpu_count() or 1
    if inputs.STDIN in names or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(wanted, max(1, len(names) // CHUNK))


def _check_chunk(names: list[str]) -> list[FileResult]:
    """In a worker: check files and keep only what the parent needs back."""
    assert _worker_ref is not None
    return [_slim(check_one(name, _worker_ref)) for name in names]


def _slim(result: FileResult) -> FileResult:
    """Drop the per-node positions (findings already carry theirs); keep the id's for cross-file rules."""
    from ..yamlsource import Path as DataPath
    from ..yamlsource import Source

    source = result.source
    kept: dict[DataPath, Any] = {path: mark for path, mark in source.positions.items() if path in ((), ("id",))}
    result.source = Source(source.name, source.data, kept)
    return result


def check_one(name: str, ref: Reference) -> FileResult:
    from ..validate import FileResult, check_file
    from ..yamlsource import Source

    item = inputs.read(name)
    if item.content is None:
        source = Source(item.path)
        problem = item.problem or "cannot read the file"
        hint = "check the file's permissions, or that it is a regular file"
        return FileResult(item.path, source, findings=[Finding("unreadable", problem, hint=hint)])
    return check_file(item.content, item.path, ref)


def _with_progress(results: Iterator[FileResult], total: int) -> Iterator[FileResult]:
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


def load_model(path: Path, kind: type[_M], ref: Reference, *, as_json: bool) -> _M:
    """The valid model in ``path``, or its findings and exit 1 (exit 2 if there is no such file)."""
    from ..report.validation import render_text, to_json

    if not path.is_file():
        fail_usage(f"no such file: {path}", "check the path; a single file is needed here, not a folder")
    result = check_one(str(path), ref)
    if isinstance(result.model, kind):
        return result.model
    if result.valid:  # a valid file of another kind
        wanted = NOUNS.get(kind.__name__, "another kind of file")
        print(f"dps: error: {path} is a {result.kind} file, not {wanted}", file=sys.stderr)
    else:
        print(f"dps: error: {path} is not valid:", file=sys.stderr)
    if as_json:
        write_json(to_json([result]))
    else:
        render_text(sys.stderr, [result])
    raise typer.Exit(ExitCode.FINDINGS)
