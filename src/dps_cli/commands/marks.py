"""`dps marks sheet` and `dps marks combine`: one workbook per evaluator, then the panel's marks.

openpyxl is imported only when a workbook is written or read, never at start-up.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..findings import ExitCode
from ..inputs import display_path
from .batch import JobsOption, check_batch, load_model, with_model
from .common import ReferenceOption, fail_input, fail_usage, reference, refuse_existing

if TYPE_CHECKING:
    from ..markbook import Row
    from ..marksheets import Sheet, SheetFinding
    from ..models import BusinessCase
    from ..panel_combine import Consensus
    from ..reference import Reference

HELP = """Evaluation panels: a marking workbook per evaluator, then the panel's marks.

Each evaluator marks alone in a workbook from `dps marks sheet`; `dps marks
combine` then reads the panel's workbooks (or CSV files) and writes the
evaluations file, listing what the panel must moderate.

Example: `dps marks sheet offers/ --evaluator AB -o marks-AB.xlsx`.
"""

OutputOption = Annotated[
    Path, typer.Option("--output", "-o", metavar="FILE", help="The file to write (never overwritten).")
]


def sheet_command(
    offers: Annotated[list[str], typer.Argument(metavar="OFFERS...", help="Offer files or folders of them.")],
    output: OutputOption,
    business_case: Annotated[
        Path | None,
        typer.Option("--business-case", "-b", metavar="FILE", help="Adds social value when the case weights it."),
    ] = None,
    evaluator: Annotated[
        str | None, typer.Option("--evaluator", metavar="NAME", help="Who marks (default: the file name).")
    ] = None,
    jobs: JobsOption = None,
    reference_dir: ReferenceOption = None,
) -> None:
    """Write a marking workbook (.xlsx) for one evaluator.

    Sheet `Marks` has one row per valid offer and, per question, a mark cell
    (whole numbers 0 to 4 only) and a comment cell; social value is a fifth
    question when the business case weights it. Sheet `Guide` gives the scale
    and the questions. Invalid offers are left out and named.

    Exit code 0 when written; 1 when the file exists (never overwritten) or the
    business case is invalid; 2 for a usage error.

    Example: `dps marks sheet offers/ --business-case case.yaml --evaluator AB -o marks-AB.xlsx`.
    """
    from ..markbook import Plan, build
    from ..marksheets import name_problem
    from ..models import BusinessCase
    from ..questions import asked

    if output.suffix.lower() != ".xlsx":
        fail_usage(f"{display_path(str(output))} does not end in .xlsx", "name the workbook like marks-AB.xlsx")
    if evaluator is not None and (problem := name_problem(evaluator)):
        fail_usage(f"--evaluator: {problem}", "give initials or a name, e.g. --evaluator AB")
    refuse_existing(output)
    ref = reference(reference_dir)
    case = load_model(business_case, BusinessCase, ref, as_json=False) if business_case else None
    rows = _offer_rows(offers, [business_case] if business_case else [], ref, jobs, case)
    plan = Plan(evaluator or "", case.id if case else "", asked(_weights_social_value(case)), tuple(rows))
    write_new_bytes(build(plan), output, f" ({len(rows)} offers, {len(plan.questions)} questions)")


def _weights_social_value(case: BusinessCase | None) -> bool:
    """Whether the business case weights social value (above 0): then it is the fifth question."""
    return case is not None and case.evaluation.weights.social_value > 0


def _offer_rows(
    paths: list[str], skip: list[Path], ref: Reference, jobs: int | None, case: BusinessCase | None
) -> list[Row]:
    """One row per valid offer (with a business case: per offer eligible for it); the rest named on stderr."""
    from ..markbook import Row
    from ..marksheets import MAX_OFFERS
    from ..matching import eligibility
    from ..models import Offer

    given = {os.path.realpath(p) for p in skip}
    checked = check_batch(paths, ref, jobs, keep=with_model).results
    results = [r for r in checked if os.path.realpath(r.path) not in given]
    results = [r for r in results if r.kind not in ("business-case", "evaluations", "call-off")]
    rows: list[Row] = []
    for result in results:
        model = result.model
        shown = f"{result.id} ({display_path(result.path)})" if result.id else display_path(result.path)
        if not (isinstance(model, Offer) and result.valid):
            errors = sum(f.is_error for f in result.findings)
            print(f"left out {shown}: invalid ({errors} errors); see `dps validate`", file=sys.stderr)
        elif case is not None and (failed := eligibility(model, case, ref)):
            gates = ", ".join(reason.rule for reason in failed)
            print(f"left out {shown}: not eligible ({gates})", file=sys.stderr)
        else:
            rows.append(Row(model.id, model.supplier.name, model.title, model.provision))
    if not results:
        fail_usage("no offer files to mark", "give the offers' files or folders")
    if not rows:
        wanted = f"valid offers eligible for {case.id}" if case else "valid offers"
        fail_input(f"no {wanted} to mark", "check the offers with `dps validate` and `dps match`")
    if len(rows) > MAX_OFFERS:
        fail_usage(f"{len(rows):,} offers: a workbook holds at most {MAX_OFFERS:,}", "mark them in several workbooks")
    return sorted(rows, key=lambda row: row.offer)


def write_new_bytes(content: bytes, output: Path, done: str = "") -> None:
    """``content`` to a new file, whole or not at all (a temporary file, then linked): never overwritten, exit 1."""
    from ..report.console import safe_text

    folder = output.parent if str(output.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".dps-", dir=folder)
    except OSError as error:
        fail_usage(f"cannot write {display_path(str(output))}: {error.strerror}", "check the folder exists")
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(handle, 0o666 & ~mask)  # as a file opened for writing would be, not the temporary's 0600
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        _link(Path(temporary), output, content)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    print(f"wrote {safe_text(output)}{done}", file=sys.stderr)


def _link(temporary: Path, output: Path, content: bytes) -> None:
    """Give the written file its name unless the name is taken (a folder without hard links: written in place)."""
    try:
        try:
            os.link(temporary, output)
        except FileExistsError:
            raise
        except OSError:
            with output.open("xb") as stream:
                stream.write(content)
    except FileExistsError:
        refuse_existing(output)
    except OSError as error:
        fail_usage(f"cannot write {display_path(str(output))}: {error.strerror}", "check you may write there")


def combine_command(
    sheets: Annotated[
        list[Path], typer.Argument(metavar="SHEET...", help="Evaluators' workbooks (.xlsx) or CSV files.")
    ],
    output: OutputOption,
    consensus: Annotated[
        Path | None,
        typer.Option("--consensus", "-c", metavar="FILE", help="The panel's agreed marks and reasons (evaluations)."),
    ] = None,
    reference_dir: ReferenceOption = None,
) -> None:
    """Combine the evaluators' marks into the panel's evaluations file.

    Where the evaluators were unanimous the mark is theirs. Where they were
    not, the mark and its reason come from --consensus (usually this command's
    earlier output, completed at the moderation meeting); without them the
    output lists what to moderate, with the evaluators' marks side by side,
    and is not yet a valid evaluations file. A bad cell is reported as
    FILE:Marks!E7.

    Exit code 0 when the file is complete; 1 when questions remain to
    moderate, a sheet has a bad cell, or the file exists; 2 for a usage error.

    Example: `dps marks combine marks-AB.xlsx marks-CD.xlsx --consensus panel.yaml -o evaluations.yaml`.
    """
    from ..models import MAX_PANEL
    from ..panel_combine import check, combine
    from ..report import marks as report

    if len(sheets) > MAX_PANEL:
        fail_usage(
            f"{len(sheets):,} sheets: a panel has at most {MAX_PANEL} evaluators", "give one sheet per evaluator"
        )
    if reference_dir is not None:
        reference(reference_dir)  # checked as every command checks it; marks are 0 to 4 whatever it says
    refuse_existing(output)
    read = [_sheet(path) for path in sheets]
    agreed, found = _consensus(consensus) if consensus else (None, [])
    problems = [*check(read), *found]
    if problems:
        _fail(problems)
    panel = combine(read, agreed)
    for line in report.summary(panel):
        print(line)
    state = " (complete)" if panel.complete else f" (not yet an evaluations file: {len(panel.pending)} to moderate)"
    write_new_bytes(report.to_yaml(panel).encode(), output, state)
    if not panel.complete:
        raise typer.Exit(ExitCode.FINDINGS)


def _sheet(path: Path) -> Sheet:
    from ..marksheets import read_csv, read_workbook

    shown = display_path(str(path))
    if path.is_dir():
        fail_usage(f"{shown} is a folder; give the evaluators' sheets", "e.g. marks-AB.xlsx marks-CD.csv")
    if not path.exists():
        fail_usage(f"no such file: {shown}", "check the path to the evaluator's sheet")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_workbook(str(path), shown)
    if suffix == ".csv":
        return read_csv(str(path), shown)
    fail_usage(f"{shown} is neither a workbook (.xlsx) nor a CSV file (.csv)", "save the sheet as .xlsx or .csv")


def _consensus(path: Path) -> tuple[Consensus, list[SheetFinding]]:
    from .. import inputs
    from ..consensus import read

    shown = display_path(str(path))
    if not path.exists():
        fail_usage(f"no such file: {shown}", "check the path to the consensus file")
    item = inputs.read(str(path))
    if item.content is None:
        fail_usage(f"{shown}: {item.problem}", "give the evaluations file the panel completed")
    return read(item.content, shown)


def _fail(problems: list[SheetFinding]) -> None:
    from ..report.marks import finding_text

    for item in problems:
        print(finding_text(item))
    errors = sum(item.finding.is_error for item in problems)
    print(f"{errors} problems: nothing written; fix the sheets and run combine again", file=sys.stderr)
    raise typer.Exit(ExitCode.FINDINGS)
