"""The example-file corpus: valid files pass; each invalid file gives exactly the
findings its `# <- rule` markers name (rule, severity and line)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dps_cli.findings import EVENT_RULES, RULES
from dps_cli.validate import check_file, check_files
from tests.conftest import DATA, EXAMPLES

INVALID = sorted((DATA / "invalid").glob("*.yaml"))
VALID = sorted((DATA / "valid").glob("*.yaml")) + sorted(EXAMPLES.rglob("*.yaml"))
MARKER = re.compile(rb"#\s*<-\s*([a-z-]+)")


def expected(path: Path) -> list[tuple[str, int]]:
    return sorted(
        (match.decode(), number)
        for number, line in enumerate(path.read_bytes().splitlines(), 1)
        for match in MARKER.findall(line)
    )


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_file_gives_exactly_its_marked_findings(path, ref):
    result = check_file(path.read_bytes(), str(path), ref)
    assert sorted((f.rule, f.line) for f in result.findings) == expected(path)
    for finding in result.findings:
        assert finding.severity is RULES[finding.rule].severity
        assert finding.message
        assert finding.column >= 1


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_file_has_no_findings(path, ref):
    result = check_file(path.read_bytes(), str(path), ref)
    assert result.findings == []
    assert result.model is not None


def test_every_single_file_rule_has_an_invalid_example():
    cross_file = {"duplicate-id", "generic-offer", "budget-too-small"}  # covered in test_validate_rules
    covered = {rule for path in INVALID for rule, _ in expected(path)}
    assert set(RULES) - cross_file - EVENT_RULES <= covered  # event rules: tests/test_events.py


def test_examples_validate_together(ref):
    paths = sorted(EXAMPLES.rglob("*.yaml"))
    assert len([p for p in paths if "offers" in p.parts]) >= 8
    results = check_files([(str(p), p.read_bytes()) for p in paths], ref)
    assert all(r.findings == [] for r in results)
