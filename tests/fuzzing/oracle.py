"""Run a case through the real typer app, in-process, and name every way it went wrong.

A failure is a short class name, so that thousands of failing inputs fall into
a handful of kinds: an exception escaping a command (what the console entry
point would report as ``dps: internal error``), a traceback or that guard's
text in the output, an exit code other than 0, 1 or 2, a timeout, and output
that breaks SPEC §3 ("text from input files is data"): control characters in
text output, rich markup read as markup, a CSV cell a spreadsheet would run,
JSON that does not parse, a github annotation broken over two lines, a file
name's newline breaking a line, and lines ending in spaces.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import signal
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from typer.testing import CliRunner

from dps_cli.cli import app

from .cases import Case, materialize

TIMEOUT = 5.0
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# The fuzzer's markup wraps FUZZMARK in tags: shown as data, a tag stays on at least one side of it
# (a hint that rewrites it, such as the id `RED-FUZZMARK-RED`, is not markup read either).
_MARKUP_READ = re.compile(r"(?<![\]\w-])FUZZMARK(?![\[\w-])")
_GITHUB = re.compile(r"^(::|\d[\d,]* files? )")


class CaseTimeout(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` in dps swallows it."""


@dataclass
class Outcome:
    exit_code: int | None
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    detail: str = ""


def run(case: Case, timeout: float = TIMEOUT, workdir: Path | None = None) -> Outcome:
    """Run one case in a fresh folder and judge it."""
    folder = Path(tempfile.mkdtemp(prefix="case-", dir=workdir))
    try:
        argv, stdin = materialize(case, folder)
        outcome = _invoke(argv, stdin, case.columns, timeout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if not outcome.failures:
        outcome.failures = judge(case.argv, outcome, [doc.path for doc in case.docs])
    return outcome


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise CaseTimeout


def _invoke(argv: list[str], stdin: bytes | None, columns: int | None, timeout: float) -> Outcome:
    env = {"COLUMNS": None if columns is None else str(columns), "NO_COLOR": None, "TERM": None}
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    started = time.perf_counter()
    try:
        result = CliRunner().invoke(app, argv, input=stdin, env=env, catch_exceptions=True)
    except CaseTimeout:
        return Outcome(None, seconds=time.perf_counter() - started, failures=[f"timeout:{argv[0]}"])
    except RecursionError as error:  # escaped click's own handler: still a crash
        return Outcome(None, failures=[f"exception:{type(error).__name__}"], detail=traceback.format_exc())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    outcome = Outcome(result.exit_code, result.stdout, result.stderr, time.perf_counter() - started)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        outcome.failures.append(_exception_class(result.exception, result.exc_info[2]))
        outcome.detail = "".join(traceback.format_exception(result.exception))
    return outcome


def _exception_class(error: BaseException, tb: TracebackType | None) -> str:
    """The exception's type and the innermost dps function it passed through."""
    where = ""
    for frame, _line in traceback.walk_tb(tb):
        module = str(frame.f_globals.get("__name__", ""))
        if module.startswith("dps_cli"):
            where = f"{module}.{frame.f_code.co_name}"
    return f"exception:{type(error).__name__}@{where or 'outside dps'}"


def output_format(argv: list[str]) -> str:
    if argv and argv[0] == "schema":
        return "json"
    for flag in ("--format", "-f"):
        if flag in argv[:-1]:
            return argv[argv.index(flag) + 1]
    return "text"


def judge(argv: list[str], outcome: Outcome, paths: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    """Every rule the outcome breaks, as failure classes (paths: the files the case wrote)."""
    fmt, command = output_format(argv), argv[0] if argv else ""
    out, err = outcome.stdout, outcome.stderr
    failures: list[str] = []
    if outcome.exit_code not in (0, 1, 2):
        failures.append(f"exit-code:{outcome.exit_code}")
    if "Traceback (most recent call last)" in out + err or "internal error" in out + err:
        failures.append("traceback-or-internal-error-text")
    if _CONTROL.search(err):
        failures.append(f"control-chars:stderr:{command}")
    if fmt in ("text", "github") and _CONTROL.search(out):
        failures.append(f"control-chars:stdout:{command}:{fmt}")
    if _MARKUP_READ.search(out + err):
        failures.append(f"markup-interpreted:{command}:{fmt}")
    if fmt == "text" and any(line.endswith(" ") for line in out.splitlines()):
        failures.append(f"trailing-space:{command}")
    if _broken_by_a_name(paths, out + "\n" + err):
        failures.append(f"newline-in-path-breaks-line:{command}:{fmt}")
    failures += _format_rules(fmt, command, out)
    return failures


def _broken_by_a_name(paths: list[str], output: str) -> bool:
    """A file name's newline printed as is: what follows it starts a line of its own."""
    tails = [re.split("[\r\n]", path)[-1] for path in paths if re.search("[\r\n]", path)]
    return any(line.startswith(tail) for tail in tails for line in re.split("[\r\n]", output))


def _format_rules(fmt: str, command: str, out: str) -> list[str]:
    if fmt == "json" and out.strip():
        try:
            json.loads(out)
        except ValueError:
            return [f"json-invalid:{command}"]
    if fmt == "csv":
        try:
            return [f"csv-formula:{command}"] if _formula_cells(out) else []
        except csv.Error:  # e.g. a carriage return left unquoted
            return [f"csv-invalid:{command}"]
    if fmt == "github" and any(line and not _GITHUB.match(line) for line in out.splitlines()):
        return ["github-line-broken"]
    return []


def _formula_cells(out: str) -> list[Any]:
    csv.field_size_limit(2**31 - 1)
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
    return [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.match(cell)]
