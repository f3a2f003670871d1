"""Match over a big batch: only the offers it will rank are held whole, and the result does not change."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from dps_cli import matching
from dps_cli.commands import match as command
from dps_cli.commands.batch import check_targets
from dps_cli.findings import RULES, Severity
from dps_cli.inputs import Target
from dps_cli.models import BusinessCase, Offer
from dps_cli.validate import check_file, check_files
from tests.conftest import DATA, EXAMPLES, invoke

CASES = sorted((EXAMPLES / "business-cases").glob("*.yaml"))


def batch_folder(tmp_path: Path, copies: int, *, same_ids: bool = False) -> Path:
    """Copies of the example offers and of invalid ones, each copy's ids its own unless ``same_ids``."""
    folder = tmp_path / "offers"
    folder.mkdir()
    sources = sorted((EXAMPLES / "offers").glob("*.yaml")) + sorted((DATA / "invalid").glob("offer*.yaml"))
    for i in range(copies):
        for source in sources:
            text = source.read_text()
            (folder / f"{i}-{source.name}").write_text(text if same_ids else text.replace("\nid: ", f"\nid: C{i}-"))
    return folder


def load_case(path: Path, ref) -> BusinessCase:  # type: ignore[no-untyped-def]
    case = check_file(path.read_bytes(), str(path), ref).model
    assert isinstance(case, BusinessCase)
    return case


def whole_models(case: BusinessCase, folder: Path, ref) -> matching.MatchResult:  # type: ignore[no-untyped-def]
    """The match as it is defined: every file checked whole, every valid offer's model given to matching."""
    paths = sorted(str(p) for p in folder.glob("*.yaml"))
    results = check_files([(p, Path(p).read_bytes()) for p in paths], ref)
    candidates = [
        matching.Candidate(r.path, r.model)
        if isinstance(r.model, Offer)
        else command._candidate(r)  # invalid: the same problems either way
        for r in results
    ]
    return matching.match(case, candidates, {}, ref)


@pytest.mark.parametrize("case_path", CASES, ids=[c.stem for c in CASES])
@pytest.mark.parametrize("jobs", [1, 2])
def test_holding_only_the_eligible_models_changes_no_result(tmp_path, ref, case_path, jobs):
    case = load_case(case_path, ref)
    folder = batch_folder(tmp_path, 1 if jobs == 1 else 20)
    candidates = command._candidates([str(folder)], [], (case, ref), jobs)
    assert matching.match(case, candidates, {}, ref) == whole_models(case, folder, ref)
    held = [c for c in candidates if c.offer is not None]
    assert held and all(not matching.eligibility(c.offer, case, ref) for c in held if c.offer)
    assert any(c.excluded for c in candidates)  # passed over where checked: no model held


def test_an_ineligible_offer_that_shares_an_id_is_reported_invalid_as_before(tmp_path, ref):
    case_path = EXAMPLES / "business-cases" / "crawley-warehouse.yaml"
    folder = batch_folder(tmp_path, 2, same_ids=True)  # every offer twice: each id shared
    case = load_case(case_path, ref)
    candidates = command._candidates([str(folder)], [], (case, ref), 1)
    assert all(c.offer is None and c.excluded is None for c in candidates)  # duplicate-id: all invalid
    assert matching.match(case, candidates, {}, ref) == whole_models(case, folder, ref)


def test_match_output_is_the_same_serial_and_parallel(runner, tmp_path):
    folder = batch_folder(tmp_path, 20)
    args = ["match", str(EXAMPLES / "business-cases" / "crawley-warehouse.yaml"), str(folder), "--format", "json"]
    sequential, parallel = invoke(runner, *args, "--jobs", "1"), invoke(runner, *args, "--jobs", "2")
    assert sequential.exit_code == parallel.exit_code == 0
    assert sequential.stdout == parallel.stdout


def test_match_keeps_no_prose_because_the_rule_that_reads_it_only_warns(tmp_path, ref):
    assert RULES["generic-offer"].severity is Severity.WARNING  # were it an error, match would need the prose
    case = load_case(EXAMPLES / "business-cases" / "crawley-warehouse.yaml", ref)
    folder = batch_folder(tmp_path, 1)
    kept = check_targets(
        [Target(str(p)) for p in sorted(folder.glob("*.yaml"))], ref, 1, partial(command._for_matching, case, ref)
    )
    assert kept.results and all(r.entry is not None and r.entry.text == "" for r in kept.results)
