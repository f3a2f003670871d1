"""`dps schema KIND` and `dps validate` agree on every structural rule.

Every file in tests/data and examples goes through both: the file has a
structural finding per dps exactly when the JSON Schema (Draft 2020-12, formats
checked, `multipleOf` exact) rejects it.

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


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_schema_and_validate_agree(ref, path: Path):
    result = check_file(path.read_bytes(), str(path), ref)
    rules = {f.rule for f in result.findings}
    if rules & BEFORE_THE_SCHEMA or yaml11(path):
        pytest.skip("decided before the schema, or a YAML 1.1 reading")
    data = yaml.load(path.read_text(), Loader=EditorLoader)
    problems = errors(data, schema(result.kind or ""))
    structural = sorted(f"{f.rule} {f.field}" for f in result.findings if f.rule in STRUCTURAL)
    assert bool(structural) == bool(problems), (structural, [p.message[:200] for p in problems])


def test_the_corpus_covers_every_structural_rule():
    markers = re.compile(rb"#\s*<-\s*([a-z-]+)")
    covered = {m.decode() for p in FILES for line in p.read_bytes().splitlines() for m in markers.findall(line)}
    assert covered >= STRUCTURAL
