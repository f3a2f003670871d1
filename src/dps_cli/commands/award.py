"""`dps award BUSINESS_CASE OFFERS... --evaluations FILE [--offer ID --reason TEXT]`."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .batch import expand, load_model
from .common import ReferenceOption, fail_input, fail_usage, option_date, reference, refuse_existing, write_new
from .past import PerformanceOption, load_past

if TYPE_CHECKING:
    from ..matching import Candidate
    from ..past import PastPerformance
    from ..reference import Reference


def award_command(
    business_case: Annotated[Path, typer.Argument(metavar="BUSINESS_CASE", help="The business case file.")],
    offers: Annotated[list[str], typer.Argument(metavar="OFFERS...", help="Offer files or folders of them.")],
    evaluations: Annotated[
        Path, typer.Option("--evaluations", "-e", metavar="FILE", help="The buyers' marks for the offers.")
    ],
    offer: Annotated[
        str | None, typer.Option("--offer", metavar="ID", help="Award this offer, not the recommended one.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", metavar="TEXT", help="Why (required with --offer); recorded.")
    ] = None,
    award_date: Annotated[
        str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="The award date (default: today).")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", metavar="YYYY-MM-DD", help="The call-off's start (default: the case's start_by)."),
    ] = None,
    calloff_id: Annotated[
        str | None, typer.Option("--id", metavar="ID", help="The call-off's id (default: CO- + the case's id).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write here (never over an existing file).")
    ] = None,
    performance: PerformanceOption = None,
    reference_dir: ReferenceOption = None,
) -> None:
    """Award a call-off: the match's recommendation, or --offer with a --reason.

    Runs the match and records the decision as a `kind: call-off` file: the
    terms in force today (split, targets, measures, rating bands) frozen, the
    offer's commitments, and the basis (the whole ranking, the exclusions, the
    marks, the sha256 of every file read and of the reference files).
    --performance records past-performance notes (as `dps match` shows them)
    in the ranking; they never change which offer may be awarded.

    Exit code 1 and nothing written when no offer is suitable, when --offer is
    ineligible or not of a suitable standard, when --reason is missing, or when
    FILE exists; 2 for a usage error.

    Example: `dps award case.yaml offers/ --evaluations marks.yaml --date 2026-10-20 -o call-off.yaml`.
    """
    from .. import __version__
    from ..award import Choice, Provenance, Refusal, award
    from ..fields import ID_PATTERN
    from ..matching import match
    from ..models import BusinessCase, Evaluations
    from ..past import annotate
    from ..report.calloff import to_yaml

    refuse_existing(output)
    if calloff_id is not None and not re.fullmatch(ID_PATTERN, calloff_id):
        fail_usage(f"--id {calloff_id!r} is not an id", "use capital letters, digits and hyphens, e.g. CO-BC-SE-0007")
    choice = Choice(_date("--date", award_date) or date.today(), offer, reason, _date("--start", start), calloff_id)
    ref = reference(reference_dir)
    past = _past(performance)
    case = load_model(business_case, BusinessCase, ref, as_json=False)
    panel = load_model(evaluations, Evaluations, ref, as_json=False)
    candidates, read = _candidates(offers, [business_case, evaluations], ref)
    inputs = [(str(business_case), _sha256_of(business_case)), (str(evaluations), _sha256_of(evaluations)), *read]
    result = match(case, candidates, panel.marks, ref, panel)
    if past is not None:
        result = annotate(result, past[0])
        inputs.append((str(performance), _sha256(past[1])))
    provenance = Provenance(tuple(inputs), _reference_hashes(ref), __version__)
    record = award(result, ref, choice, provenance)
    if isinstance(record, Refusal):
        fail_input(record.message, record.hint)
    write_new(to_yaml(record), output, f": {record['id']} awards {record['offer']}")


def _past(path: str | None) -> tuple[PastPerformance, bytes] | None:
    from .. import inputs

    if path is None:
        return None
    if path == inputs.STDIN:
        fail_usage("dps award reads --performance from a file, not standard input", "save it to a file first")
    return load_past(path)


def _date(option: str, text: str | None) -> date | None:
    return option_date(option, text) if text is not None else None


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _sha256_of(path: Path) -> str:
    return _sha256(path.read_bytes())


def _reference_hashes(ref: Reference) -> dict[str, str]:
    from ..reference import FILES

    return {name: _sha256_of(Path(ref.directory) / name) for name in FILES}


def _candidates(paths: list[str], skip: list[Path], ref: Reference) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """The offers, each file read once: checked, and its sha256 taken from the same bytes."""
    from .. import inputs
    from ..validate import apply_cross_file, check_file
    from .match import _candidate

    if inputs.STDIN in paths:
        fail_usage("dps award reads offers from files, not standard input", "save the offer to a file first")
    skipped = {os.path.realpath(p) for p in skip}
    targets = [t for t in expand(paths) if os.path.realpath(t.path) not in skipped]
    results, read = [], []
    for target in targets:
        item = inputs.read(target.path)
        if target.problem or item.content is None:
            fail_usage(f"cannot read {target.shown}: {target.problem or item.problem}")
        read.append((item.path, _sha256(item.content)))
        results.append(check_file(item.content, item.path, ref))
    results = [r for r in results if r.kind not in ("business-case", "evaluations", "call-off")]
    apply_cross_file(results)
    return [_candidate(r) for r in results], read
