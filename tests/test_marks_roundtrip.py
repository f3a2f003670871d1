"""The whole panel round trip: sheet, marked in a spreadsheet, combine, moderate, validate, match."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import yaml

from tests.conftest import EXAMPLES, invoke

OFFERS = str(EXAMPLES / "offers")
CASE = str(EXAMPLES / "business-cases" / "crawley-warehouse.yaml")
QUESTIONS = ("fit", "closer_to_work", "performance_rationale", "performance_management")
# Each evaluator's marks for OF-0042 (the example's recommendation); every other offer 2 on every question.
MARKS = {
    "AB": (3, 3, 2, 4),
    "CD": (3, 2, 2, 4),
    "EF": (3, 3, 1, 4),
}


def marked_workbook(runner, folder: Path, evaluator: str) -> Path:
    path = folder / f"marks-{evaluator}.xlsx"
    result = invoke(
        runner, "marks", "sheet", OFFERS, "--business-case", CASE, "--evaluator", evaluator, "-o", str(path)
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    sheet = book["Marks"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for question, mark in zip(QUESTIONS, MARKS[evaluator], strict=True):
            row[header.index(question)].value = mark if row[0].value == "OF-0042" else 2
    sheet.cell(2, header.index("closer_to_work comment") + 1).value = f"{evaluator}'s note"
    book.save(path)
    return path


def test_sheet_combine_moderate_validate_match(runner, tmp_path):
    sheets = [str(marked_workbook(runner, tmp_path, name)) for name in MARKS]
    moderation = tmp_path / "panel.yaml"
    first = invoke(runner, "marks", "combine", *sheets, "-o", str(moderation))
    assert first.exit_code == 1
    assert "  OF-0042 closer_to_work: AB 3, CD 2, EF 3" in first.stdout
    assert invoke(runner, "validate", str(moderation)).exit_code == 1  # not yet an evaluations file

    document = yaml.safe_load(moderation.read_text())
    assert document["moderate"]["OF-0042"]["closer_to_work"]["comments"] == {
        "AB": "AB's note",
        "CD": "CD's note",
        "EF": "EF's note",
    }
    document["marks"]["OF-0042"].update(closer_to_work=3, performance_rationale=2)
    document["reasons"]["OF-0042"] = {
        "closer_to_work": "CD's concern on travel costs is answered by the bus passes in the journey.",
        "performance_rationale": "Cohort figures are local and recent; EF accepted this at moderation.",
    }
    del document["moderate"]
    agreed = tmp_path / "agreed.yaml"
    agreed.write_text(yaml.safe_dump(document, sort_keys=False))

    final = tmp_path / "evaluations.yaml"
    second = invoke(runner, "marks", "combine", *sheets, "--consensus", str(agreed), "-o", str(final))
    assert second.exit_code == 0, second.output
    validated = invoke(runner, "validate", str(final))
    assert validated.exit_code == 0, validated.output

    matched = invoke(runner, "match", CASE, OFFERS, "--evaluations", str(final), "--format", "json")
    assert matched.exit_code == 0, matched.output
    ranked = {entry["offer"]: entry for entry in json.loads(matched.stdout)["ranked"]}
    assert ranked["OF-0042"]["quality"] == 75.0  # (3 + 3 + 2 + 4) / 16
    assert json.loads(matched.stdout)["recommended"] == "OF-0042"


PANEL = EXAMPLES / "panel"


def test_the_example_panel_combines_into_the_example_consensus_file(runner, tmp_path):
    sheets = [str(PANEL / f"{name}.csv") for name in ("AB", "CD", "EF")]
    out = tmp_path / "evaluations.yaml"
    result = invoke(runner, "marks", "combine", *sheets, "--consensus", str(PANEL / "consensus.yaml"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(out.read_text()) == yaml.safe_load((PANEL / "consensus.yaml").read_text())


def test_the_example_panel_without_its_consensus_lists_the_one_disagreement(runner, tmp_path):
    sheets = [str(PANEL / f"{name}.csv") for name in ("AB", "CD", "EF")]
    out = tmp_path / "panel.yaml"
    result = invoke(runner, "marks", "combine", *sheets, "-o", str(out))
    assert result.exit_code == 1
    document = yaml.safe_load(out.read_text())
    assert document["moderate"] == {"OF-0042": {"closer_to_work": {"marks": {"AB": 3, "CD": 2, "EF": 3}}}}
    assert invoke(runner, "validate", str(out)).exit_code == 1
