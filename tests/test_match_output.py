"""What match shows: --top never hides the recommendation; passed-over invalid offers name their file."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import ROOT, invoke

MATCH = ["match", "examples/business-cases/crawley-warehouse.yaml", "examples/offers"]
MARKS = ["--evaluations", "examples/evaluations.yaml"]
INVALID = "tests/data/invalid/below-target-under.yaml"


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def ranked_lines(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index("Ranked offers") + 3  # heading, header, rule
    return [line for line in lines[start:] if line[:4].strip().isdigit()]


def test_top_lists_the_recommendation_after_the_best_with_its_true_rank(runner):
    # Crawley: OF-0310 ranks 1 but is unsuitable; OF-0042, rank 2, is recommended.
    data = json.loads(invoke(runner, *MATCH, *MARKS, "--top", "1", "--format", "json").stdout)
    assert [(r["rank"], r["offer"]) for r in data["ranked"]] == [(1, "OF-0310"), (2, "OF-0042")]
    text = invoke(runner, *MATCH, *MARKS, "--top", "1").stdout
    assert [line.split()[:2] for line in ranked_lines(text)] == [["1", "OF-0310"], ["2", "OF-0042"]]
    assert "1 more ranked offer not shown (--top 1)" in text
    rows = list(csv.DictReader(io.StringIO(invoke(runner, *MATCH, *MARKS, "--top", "1", "--format", "csv").stdout)))
    assert [(r["rank"], r["offer"]) for r in rows if r["rank"]] == [("1", "OF-0310"), ("2", "OF-0042")]


def test_top_does_not_repeat_a_recommendation_it_already_shows(runner):
    data = json.loads(invoke(runner, *MATCH, *MARKS, "--top", "2", "--format", "json").stdout)
    assert [r["offer"] for r in data["ranked"]] == ["OF-0310", "OF-0042"]
    assert "not shown (--top 2)" in invoke(runner, *MATCH, *MARKS, "--top", "2").stdout


def test_top_without_a_recommendation_just_shortens(runner):
    data = json.loads(invoke(runner, *MATCH, "--top", "1", "--format", "json").stdout)
    assert data["recommended"] is None
    assert [r["rank"] for r in data["ranked"]] == [1]


def test_top_larger_than_the_ranking_hides_nothing(runner):
    text = invoke(runner, *MATCH, *MARKS, "--top", "9").stdout
    assert [line.split()[1] for line in ranked_lines(text)] == ["OF-0310", "OF-0042", "OF-0107"]
    assert "not shown" not in text


def test_a_passed_over_invalid_offer_names_its_file(runner):
    args = [*MATCH, INVALID, *MARKS]
    lines = invoke(runner, *args).stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  OF-9001"))
    assert lines[at + 1] == f"    file: {INVALID}"
    assert lines[at + 2].startswith("    invalid: below-target at line 20")
    eligible = next(i for i, line in enumerate(lines) if line.startswith("  OF-0051"))
    assert not lines[eligible + 1].startswith("    file:")  # a valid offer is named by its id
    data = json.loads(invoke(runner, *args, "--format", "json").stdout)
    assert next(e for e in data["excluded"] if e["offer"] == "OF-9001")["path"] == INVALID
    rows = list(csv.DictReader(io.StringIO(invoke(runner, *args, "--format", "csv").stdout)))
    assert next(r for r in rows if r["offer"] == "OF-9001")["path"] == INVALID
