"""`dps schema` and `dps new`."""

from __future__ import annotations

import json

import jsonschema
import pytest

from dps_cli import yamlsource
from tests.conftest import DATA, EXAMPLES, invoke
from tests.exact_jsonschema import errors

KIND_OF_FOLDER = {"offers": "offer", "business-cases": "business-case"}


def schema_for(runner, kind: str) -> dict:
    result = invoke(runner, "schema", kind)
    assert result.exit_code == 0
    return json.loads(result.stdout)


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.yaml")), ids=lambda p: p.name)
def test_every_example_satisfies_its_json_schema(runner, path):
    data = yamlsource.load(path.read_bytes(), str(path)).data
    schema = schema_for(runner, data["kind"])
    jsonschema.Draft202012Validator.check_schema(schema)
    assert errors(data, schema) == []


@pytest.mark.parametrize(
    "name",
    [
        "unknown-field-extra.yaml",
        "unknown-client-group.yaml",
        "range-capacity-zero.yaml",
        "required-missing-title.yaml",
    ],
)
def test_schema_rejects_what_validate_rejects(runner, name):
    data = yamlsource.load((DATA / "invalid" / name).read_bytes(), name).data
    assert errors(data, schema_for(runner, "offer"))


def test_bad_kind_is_a_usage_error(runner):
    assert invoke(runner, "schema", "tender").exit_code == 2


FILL = "Participants work through a structured plan with a named coach, weekly reviews of progress, " * 3


@pytest.mark.parametrize("kind", ["offer", "business-case"])
def test_new_template_validates_once_filled(runner, tmp_path, kind):
    target = tmp_path / f"{kind}.yaml"
    result = invoke(runner, "new", kind, "-o", str(target))
    assert result.exit_code == 0
    text = target.read_text()
    assert text.startswith(f"# yaml-language-server: $schema={kind}.schema.json")
    assert invoke(runner, "validate", str(target)).exit_code == 1  # not filled yet
    target.write_text(text.replace('""', json.dumps(FILL)))
    result = invoke(runner, "validate", str(target))
    assert result.exit_code == 0, result.stdout


def test_new_evaluations_validates_once_filled(runner, tmp_path):
    target = tmp_path / "marks.yaml"
    invoke(runner, "new", "evaluations", "-o", str(target))
    assert invoke(runner, "validate", str(target)).exit_code == 1
    target.write_text(target.read_text().replace(": ,", ": 3,").replace(": }", ": 2}"))
    assert invoke(runner, "validate", str(target)).exit_code == 0


def test_new_refuses_to_overwrite(runner, tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("my work")
    result = invoke(runner, "new", "offer", "-o", str(target))
    assert result.exit_code == 1
    assert target.read_text() == "my work"
    assert "already exists" in result.stderr


def test_new_prints_to_stdout_without_output(runner):
    result = invoke(runner, "new", "business-case")
    assert result.stdout.startswith("# yaml-language-server")
