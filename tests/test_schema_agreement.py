"""`dps schema KIND` and `dps validate` agree on every structural rule.

Every file in tests/data and examples goes through both: the file has a
structural finding per dps exactly when the JSON Schema (Draft 2020-12, formats
checked) rejects it, except a number with more than 2 decimal places, which
the schema leaves to dps (see BEYOND_THE_SCHEMA).

The YAML is loaded as an editor sees it: YAML 1.2 core, so dates stay text and
decimals stay exact.  Files whose verdict dps decides before any schema are left
out, and so are files built on YAML 1.1 readings (`NO`, `12:30`, `010`), which a
YAML 1.2 editor reads differently by design: dps refuses them either way.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dps_cli.reference import load_reference
from dps_cli.schema import json_schema
from dps_cli.validate import check_file
from tests.conftest import DATA, EXAMPLES
from tests.exact_jsonschema import errors

STRUCTURAL = {
    "required",
    "type",
    "unknown-field",
    "range",
    "provision-choice",
    "unknown-provision",
    "unknown-area",
    "unknown-client-group",
    "several-courses",
}
BEFORE_THE_SCHEMA = {"unreadable", "yaml-syntax", "yaml-aliases", "duplicate-key", "unknown-kind"}
FILES = sorted(DATA.rglob("*.yaml")) + sorted(EXAMPLES.rglob("*.yaml"))
LINE = re.compile(r"^(\s*(?:- )?[A-Za-z_]+:)[ ](.+)$", re.MULTILINE)


class EditorLoader(yaml.SafeLoader):
    """YAML as a YAML 1.2 editor reads these files: no timestamps, exact decimals."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if not tag.endswith(":timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
EditorLoader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node)))


@cache
def schema(kind: str) -> dict[str, Any]:
    return json.loads(json.dumps(json_schema(kind, load_reference())))


def yaml11(path: Path) -> bool:
    return "yaml11" in path.name


MARKERS = re.compile(rb"#\s*<-\s*([a-z-]+)")


def decided_before_the_schema(path: Path) -> bool:
    """Files whose verdict comes before the schema applies (by their `# <- rule` markers), or YAML 1.1 readings."""
    marked = {m.decode() for m in MARKERS.findall(path.read_bytes())}
    return bool(marked & BEFORE_THE_SCHEMA) or yaml11(path)


# A number with more than 2 decimal places: the schema has no `multipleOf: 0.01`, because editors check it
# in floating point and would flag valid amounts (1234.57 / 0.01 is not a whole number in floats); dps refuses them.
BEYOND_THE_SCHEMA = {"type-money-3dp.yaml"}
SCHEMA_FILES = [p for p in FILES if not decided_before_the_schema(p) and p.name not in BEYOND_THE_SCHEMA]


@pytest.mark.parametrize("name", sorted(BEYOND_THE_SCHEMA))
def test_what_the_schema_leaves_to_dps_is_refused_by_dps(ref, name: str):
    path = next(p for p in FILES if p.name == name)
    result = check_file(path.read_bytes(), str(path), ref)
    assert {f.rule for f in result.findings} == {"type"}
    assert not errors(yaml.load(path.read_text(), Loader=EditorLoader), schema(result.kind or ""))


def test_the_schema_takes_every_amount_and_percentage_dps_takes_as_editors_check_them():
    """Editors' validators divide in floating point: no amount with 2 decimal places may fail there."""
    from jsonschema import Draft202012Validator

    offer = schema("offer")
    money = offer["properties"]["price_per_participant"]
    percent = offer["$defs"]["Performance"]["properties"]["completion"]
    for pence in range(1, 100_001, 7):
        assert Draft202012Validator(money).is_valid(pence / 100)
    for hundredths in range(10_001):
        assert Draft202012Validator(percent).is_valid(hundredths / 100)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_schema_and_validate_agree(ref, path: Path):
    result = check_file(path.read_bytes(), str(path), ref)
    assert not {f.rule for f in result.findings} & BEFORE_THE_SCHEMA, "mark the file with its `# <- rule`"
    data = yaml.load(path.read_text(), Loader=EditorLoader)
    problems = errors(data, schema(result.kind or ""))
    structural = sorted(f"{f.rule} {f.field}" for f in result.findings if f.rule in STRUCTURAL)
    assert bool(structural) == bool(problems), (structural, [p.message[:200] for p in problems])


def test_the_corpus_covers_every_structural_rule():
    covered = {m.decode() for p in FILES for line in p.read_bytes().splitlines() for m in MARKERS.findall(line)}
    assert covered >= STRUCTURAL


SAFE_VALUES = st.sampled_from(
    [
        "~",
        "[]",
        "{}",
        "[1, 2]",
        "{a: 1}",
        "true",
        "0",
        "-1",
        "1",
        "4",
        "5",
        "7",
        "8",
        "9",
        '"7"',
        '"07"',
        "R3",
        "r3",
        "R9",
        "1000000",
        "1000001",
        "520",
        "521",
        "100",
        "100.5",
        "0.01",
        '"12,50"',
        '"1,250.00"',
        '"1,000,000,000.01"',
        "1000000000",
        "1000000000.01",
        '"-0"',
        "-0",
        '"0012.50"',
        '"12.500"',
        "12.500",
        "2026-09-01",
        "1999-12-31",
        "2100-01-01",
        "2026-02-30",
        '"OF-1"',
        "OF-1",
        '"of-1"',
        "RH10",
        "rh10",
        '"ſe"',
        "national",
        "esol",
        "ESOL",
        "nope",
        '""',
        '" "',
        "text",
        "[{title: a, duration_weeks: 1}]",
        "[{title: a, duration_weeks: 1}, {title: b, duration_weeks: 2}]",
        "[RH10, BN]",
        "[esol]",
        "[7, R3]",
        "{quality: 0, fit: 0, price: 0}",
        "{quality: 0, fit: '0', price: 0.00}",
        "sme",
        "online",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([p for p in FILES if p.parent.name != "invalid"]), st.integers(min_value=0), SAFE_VALUES)
def test_schema_and_validate_agree_on_mutated_files(ref, path: Path, where: int, value: str):
    text = path.read_text()
    lines = list(LINE.finditer(text))
    match = lines[where % len(lines)]
    text = text[: match.start(2)] + value + text[match.end(2) :]
    result = check_file(text.encode(), str(path), ref)
    if {f.rule for f in result.findings} & BEFORE_THE_SCHEMA:
        return
    data = yaml.load(text, Loader=EditorLoader)
    problems = errors(data, schema(result.kind or ""))
    structural = sorted(f"{f.rule} {f.field}" for f in result.findings if f.rule in STRUCTURAL)
    assert bool(structural) == bool(problems), (value, structural, [p.message[:200] for p in problems])
