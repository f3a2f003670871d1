"""The panel carried into the record (SPEC §7, §10, §11): match JSON, the call-off's basis.marks, the report."""

from __future__ import annotations

import json

import pytest
import yaml

from dps_cli.validate import check_file
from tests.conftest import EXAMPLES, ROOT, invoke

GOLDEN = ROOT / "tests" / "golden" / "report-crawley-panel.md"
SOCIAL_CASE = "examples/business-cases/crawley-warehouse-social-value.yaml"
OFFERS = "examples/offers"
PANEL = "examples/panel/consensus.yaml"
AWARD = ["award", SOCIAL_CASE, OFFERS, "--evaluations", PANEL, "--date", "2026-10-20"]
CALLOFF = EXAMPLES / "calloffs" / "crawley-social-value-award.yaml"
REASON = "CD marked 2 for want of a measure of progress"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(runner, *args: str) -> str:
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_match_json_carries_the_consensus_its_reasons_and_each_evaluators_marks(runner):
    document = json.loads(run(runner, "match", SOCIAL_CASE, OFFERS, "-e", PANEL, "-f", "json"))
    entry = next(e for e in document["ranked"] if e["offer"] == "OF-0042")
    assert entry["marks"]["closer_to_work"] == 3
    assert entry["consensus_reasons"]["closer_to_work"].startswith(REASON)
    assert list(entry["individual"]) == ["AB", "CD", "EF"]
    assert entry["individual"]["CD"]["closer_to_work"] == 2
    unanimous = next(e for e in document["ranked"] if e["offer"] == "OF-0107")
    assert "reasons" not in unanimous and list(unanimous["individual"]) == ["AB", "CD", "EF"]


def test_plain_marks_carry_no_panel_keys(runner):
    case, marks = "examples/business-cases/crawley-warehouse.yaml", "examples/evaluations.yaml"
    document = json.loads(run(runner, "match", case, OFFERS, "-e", marks, "-f", "json"))
    assert all("reasons" not in e and "individual" not in e for e in document["ranked"])


def test_award_keeps_the_panel_in_basis_marks(runner, ref):
    text = run(runner, *AWARD)
    record = yaml.safe_load(text)
    marks = record["basis"]["marks"]["OF-0042"]
    assert {k: marks[k] for k in ("fit", "closer_to_work", "social_value")} == {
        "fit": 3,
        "closer_to_work": 3,
        "social_value": 3,
    }
    assert marks["reasons"]["closer_to_work"].startswith(REASON)
    assert marks["individual"]["CD"] == {
        "fit": 3,
        "closer_to_work": 2,
        "performance_rationale": 2,
        "performance_management": 4,
        "social_value": 3,
    }
    assert record["basis"]["weights"] == {"quality": 50, "fit": 10, "price": 25, "social_value": 15}
    checked = check_file(text.encode(), "co.yaml", ref)
    assert checked.findings == [] and checked.kind == "call-off"


def test_example_panel_call_off_is_what_award_makes_today(runner):
    """Regenerate with the commands in README.md's panel section when its inputs change."""
    assert run(runner, *AWARD) == CALLOFF.read_text()


def test_markdown_golden_shows_the_panel_question_by_question(runner):
    text = run(runner, "report", str(CALLOFF), "--format", "markdown")
    assert text == GOLDEN.read_text()
    assert "| Closer to work | 3 | 2 | 3 | 3 | CD marked 2 for want of a measure of progress;" in text
    assert "Weights: quality 50, fit 10, price 25, social value 15." in text


def test_old_call_offs_stay_valid_and_show_no_panel(runner, ref):
    old = EXAMPLES / "calloffs" / "crawley-warehouse-award.yaml"
    assert check_file(old.read_bytes(), str(old), ref).findings == []
    text = run(runner, "report", str(old), "--format", "markdown")
    assert "Panel for" not in text and "Social value" not in text


def hostile_calloff(tmp_path):
    record = yaml.safe_load(CALLOFF.read_text())
    reason = "<script>alert(1)</script> **bold** | cell \x1b[31m =SUM(A1)"
    record["basis"]["marks"]["OF-0042"]["reasons"]["closer_to_work"] = reason
    target = tmp_path / "co.yaml"
    target.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
    return target


def test_reasons_are_escaped_in_markdown_and_html(runner, tmp_path):
    target = hostile_calloff(tmp_path)
    markdown = run(runner, "report", str(target), "--format", "markdown")
    line = next(line for line in markdown.splitlines() if line.startswith("| Closer to work | 3 | 2"))
    assert "&lt;script>alert(1)&lt;/script> \\*\\*bold\\*\\* \\| cell \\\\x1b\\[31m =SUM(A1) |" in line
    assert line.count(" | ") == 5  # six cells: the reason never adds one
    page = tmp_path / "co.html"
    run(runner, "report", str(target), "-o", str(page))
    html = page.read_text()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\x1b" not in html and "\\x1b[31m" in html


def test_html_shows_the_panel_table_with_headers(runner, tmp_path):
    page = tmp_path / "co.html"
    run(runner, "report", str(CALLOFF), "-o", str(page))
    html = page.read_text()
    assert "<caption>The panel's marks for OF-0042" in html
    assert '<th scope="col" class="num">CD</th>' in html
    assert '<tr><th scope="row">Social value</th><td class="num">15</td></tr>' in html
