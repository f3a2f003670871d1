"""Untrusted input in the data layer: every trigger ends in a finding, at bounded cost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dps_cli.validate import MAX_PER_RULE, check_file, check_files
from tests.conftest import DATA, EXAMPLES, invoke

OFFER = (DATA / "valid" / "offer-category-7.yaml").read_text()
CASE = (EXAMPLES / "business-cases" / "crawley-warehouse.yaml").read_text()


def edit(old: str, new: str, base: str = OFFER) -> bytes:
    assert old in base, old
    return base.replace(old, new, 1).encode()


def merge_bomb(depth: int) -> bytes:
    return ("kind: offer\nid: " + "{<<: " * depth + "{a: 1}" + "}" * depth + "\n").encode()


def alias_bytes_bomb() -> bytes:
    big = "x" * 100_000
    return (f"kind: offer\nid: OF-1\nsocial_value: [&s {big}" + ", *s" * 10_000 + "]\n").encode()


TRIGGERS = {
    "int-tag": (edit("capacity: 40", "capacity: !!int abc"), "type", "capacity"),
    "float-tag": (edit(PRICE := "price_per_participant: 1250.00", "price_per_participant: !!float ''"), "type", ""),
    "bool-tag": (edit("capacity: 40", "capacity: !!bool maybe"), "type", "capacity"),
    "merge-bomb": (merge_bomb(400), "yaml-syntax", ""),
    "alias-bytes": (alias_bytes_bomb(), "yaml-aliases", ""),
    "empty-category": (edit("category: 7", "category:"), "required", "category"),
    "superscript-category": (edit("category: 7", 'category: "²"'), "unknown-provision", "category"),
    "arabic-digit-category": (edit("category: 7", 'category: "٧"'), "unknown-provision", "category"),
    "price-1e309": (edit(PRICE, "price_per_participant: 1e309"), "type", "price_per_participant"),
    "price-10^26": (edit(PRICE, "price_per_participant: 1" + "0" * 26), "range", "price_per_participant"),
    "huge-int": (edit("capacity: 40", "capacity: " + "9" * 100_000), "range", "capacity"),
    "year-999": (edit("from: 2026-09-01", "from: 0999-09-01"), "range", "available.from"),
    "long-hex": (edit("capacity: 40", "capacity: 0x" + "f" * 100_000), "type", "capacity"),
}


@pytest.mark.parametrize("name", TRIGGERS)
def test_each_trigger_is_a_finding(ref, name):
    content, rule, field = TRIGGERS[name]
    result = check_file(content, "x.yaml", ref)
    assert result.model is None
    assert any(f.rule == rule and (not field or f.field == field) for f in result.findings), result.findings


@pytest.mark.parametrize("name", TRIGGERS)
def test_each_trigger_through_the_cli(runner, tmp_path: Path, name):
    path = tmp_path / "offer.yaml"
    path.write_bytes(TRIGGERS[name][0])
    for output in ("text", "json", "github"):
        result = invoke(runner, "validate", "--format", output, str(path))
        assert result.exit_code == 1, (output, result.stdout, result.stderr)
        assert "internal error" not in result.stdout + result.stderr


def test_an_empty_category_never_reaches_schedule(runner, tmp_path: Path):
    path = tmp_path / "offer.yaml"
    path.write_bytes(edit("category: 7", "category:"))
    result = invoke(runner, "schedule", str(path), "--participants", "10")
    assert result.exit_code == 1
    assert "internal error" not in result.stdout + result.stderr


def test_an_alias_to_a_short_string_is_still_fine(ref):
    content = edit("journey: Diagnostic", "innovation: &i short text\nsocial_value: [*i, *i]\njourney: Diagnostic")
    assert check_file(content, "x.yaml", ref).findings == []


def test_findings_of_one_rule_are_capped_and_summed_up(ref):
    areas = ", ".join(f"Q{i}" for i in range(2_000))
    result = check_file(edit("areas: [RH10, BN]", f"areas: [{areas}]"), "x.yaml", ref)
    unknown = [f for f in result.findings if f.rule == "unknown-area"]
    assert len(unknown) == MAX_PER_RULE + 1
    assert unknown[-1].message == f"… and {2_000 - MAX_PER_RULE:,} more unknown-area findings in this file"
    assert unknown[-1].hint


def test_the_cap_is_the_same_in_every_format(runner, tmp_path: Path):
    areas = ", ".join(f"Q{i}" for i in range(500))
    path = tmp_path / "offer.yaml"
    path.write_bytes(edit("areas: [RH10, BN]", f"areas: [{areas}]"))
    text = invoke(runner, "validate", str(path)).stdout
    document = json.loads(invoke(runner, "validate", "--format", "json", str(path)).stdout)
    found = [f for f in document["files"][0]["findings"] if f["rule"] == "unknown-area"]
    assert len(found) == MAX_PER_RULE + 1
    assert found[-1]["message"] == "… and 400 more unknown-area findings in this file"
    assert "… and 400 more unknown-area findings in this file" in text


@pytest.mark.parametrize(("written", "hint"), [('"07"', "write 7"), ('"007"', "write 7"), ('" 7"', "write 7")])
def test_a_category_is_written_one_way(ref, written, hint):
    findings = check_file(edit("category: 7", f"category: {written}"), "x.yaml", ref).findings
    assert [(f.rule, f.hint) for f in findings if f.field == "category"] == [("unknown-provision", hint)]


def test_a_quoted_category_and_a_lowercase_routeway_are_one_key(ref):
    seven = check_file(edit("category: 7", 'category: "7"'), "x.yaml", ref)
    assert seven.model is not None and seven.model.category == "7"  # type: ignore[union-attr]
    case = check_file(edit("accepts: [7, R3]", 'accepts: ["7", r3]', CASE), "x.yaml", ref)
    assert case.model is not None and case.model.accepts == ["7", "R3"]  # type: ignore[union-attr]
    refused = check_file(edit("accepts: [7, R3]", 'accepts: ["07", R03]', CASE), "x.yaml", ref)
    assert [f.rule for f in refused.findings] == ["unknown-provision", "unknown-provision"]


def test_duplicate_ids_see_one_key_for_a_trailing_newline(ref):
    results = check_files([("a.yaml", edit("id: OF-9001", 'id: "OF-9001\\n"'))], ref)
    assert [f.rule for f in results[0].findings] == ["type"]
    assert results[0].findings[0].hint == "try `OF-9001`"


@pytest.mark.parametrize("written", ['"ſe"', '"\\u212aA"', '"RH10\\n"'])
def test_areas_fold_case_over_ascii_only(ref, written):
    findings = check_file(edit("areas: [RH10, BN]", f"areas: [{written}]"), "x.yaml", ref).findings
    assert [f.rule for f in findings] == ["unknown-area"]


def test_client_groups_fold_case_over_ascii_only(ref):
    kelvin = '"wor\\u212aless-households"'
    findings = check_file(edit("[entrenched-worklessness, esol]", f"[{kelvin}]"), "x.yaml", ref).findings
    assert [f.rule for f in findings] == ["unknown-client-group"]
    upper = check_file(edit("[entrenched-worklessness, esol]", "[ESOL]"), "x.yaml", ref)
    assert upper.findings == []


@pytest.mark.parametrize("written", ["of 1", "ſ-1", "é", "of_0042 x"])
def test_an_id_hint_only_suggests_a_valid_id(ref, written):
    from dps_cli.fields import _ID

    finding = check_file(edit("id: OF-9001", f'id: "{written}"'), "x.yaml", ref).findings[0]
    hint = finding.hint or ""
    if hint.startswith("try"):
        assert _ID.fullmatch(hint.split("`")[1])


def test_the_tab_error_names_the_tab(ref):
    finding = check_file(edit("  name: Example", "\tname: Example"), "x.yaml", ref).findings[0]
    assert finding.rule == "yaml-syntax"
    assert "tab" in finding.message and "spaces" in finding.message
    assert (finding.line, finding.column) == (4, 1)
