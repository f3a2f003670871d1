"""`dps match BUSINESS_CASE OFFERS... [--evaluations FILE]`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .. import inputs
from .batch import JobsOption, check_targets, expand, load_model
from .common import ReferenceOption, ReportFormat, at_least_one, fail_usage, reference

if TYPE_CHECKING:
    from ..matching import Candidate
    from ..reference import Reference
    from ..validate import FileResult


def match_command(
    business_case: Annotated[Path, typer.Argument(metavar="BUSINESS_CASE", help="The business case file.")],
    offers: Annotated[list[str], typer.Argument(metavar="OFFERS...", help="Offer files or folders of them.")],
    evaluations: Annotated[
        Path | None, typer.Option("--evaluations", "-e", metavar="FILE", help="The buyers' marks for the offers.")
    ] = None,
    top: Annotated[
        int | None,
        typer.Option("--top", metavar="N", callback=at_least_one, help="Show only the N best-ranked offers."),
    ] = None,
    jobs: JobsOption = None,
    output: Annotated[ReportFormat, typer.Option("--format", "-f", help="text, json or csv.")] = ReportFormat.text,
    reference_dir: ReferenceOption = None,
) -> None:
    """Rank the offers for a business case and recommend the one to invite.

    Offers that are invalid or fail an eligibility check (provision, location,
    capacity, availability, budget, the category 6 contract value) are passed
    over with the reason. The rest are scored on quality (the buyers' marks),
    fit (client groups) and price, weighted as the business case says; the
    recommendation is the best-ranked offer of a suitable standard. Folders of
    offers may also hold the business case and evaluations: other kinds of file
    are skipped.

    Exit code 0 whether or not an offer is suitable; 1 when the business case
    or evaluations file is invalid; 2 for a usage error.

    Example: `dps match case.yaml offers/ --evaluations marks.yaml --format json`.
    """
    from ..matching import match
    from ..models import BusinessCase, Evaluations
    from ..report import match as report
    from ..report.console import make_console, write_json

    ref = reference(reference_dir)
    as_json = output is ReportFormat.json
    case = load_model(business_case, BusinessCase, ref, as_json=as_json)
    panel = load_model(evaluations, Evaluations, ref, as_json=as_json) if evaluations else None
    candidates = _candidates(offers, [business_case, *([evaluations] if evaluations else [])], ref, jobs)
    result = match(case, candidates, panel.marks if panel else {}, ref, panel)
    if output is ReportFormat.json:
        write_json(report.to_json(result, top))
    elif output is ReportFormat.csv:
        report.render_csv(sys.stdout, result, top)
    else:
        report.render_text(make_console(), result, top)


def _candidates(paths: list[str], skip: list[Path], ref: Reference, jobs: int | None) -> list[Candidate]:
    from ..validate import apply_cross_file

    given = {os.path.realpath(p) for p in skip}
    targets = [t for t in expand(paths) if t.path == inputs.STDIN or os.path.realpath(t.path) not in given]
    batch = check_targets(targets, ref, jobs)
    results = [r for r in batch.results if r.kind not in ("business-case", "evaluations", "call-off")]
    if not results:
        shown = ", ".join(inputs.display_path(p) for p in paths)
        fail_usage(
            f"no offer files in {shown}: nothing to match",
            "give the offers' files or folders after the business case",
        )
    apply_cross_file(results)
    return [_candidate(r) for r in results]


def _candidate(result: FileResult) -> Candidate:
    from ..matching import Candidate
    from ..models import Offer

    if isinstance(result.model, Offer):
        return Candidate(result.path, result.model)
    problems = tuple(
        f"{f.rule} at line {f.line}{f' ({f.field})' if f.field else ''}: {f.message}"
        for f in result.findings
        if f.is_error
    )
    return Candidate(result.path, None, result.id, result.supplier, problems)
