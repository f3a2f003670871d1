"""The call-off kind: its schema, the calloff-terms rule's `any` case, and a light `dps validate`."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
import yaml

from dps_cli.calloff import CallOff
from dps_cli.report import record
from dps_cli.validate import check_file
from tests.conftest import EXAMPLES, invoke
from tests.exact_jsonschema import errors

CALLOFF = EXAMPLES / "calloffs" / "crawley-warehouse-award.yaml"


def edited(**changes) -> dict:
    data = yaml.safe_load(CALLOFF.read_text())
    data.update(changes)
    return data


def check(data: dict, ref):
    return check_file(yaml.safe_dump(data, sort_keys=False).encode(), "co.yaml", ref)


def test_schema_of_a_call_off_accepts_the_example_and_refuses_a_stray_field(runner):
    result = invoke(runner, "schema", "call-off")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(CALLOFF.read_text())
    data["awarded"], data["start"] = str(data["awarded"]), str(data["start"])
    assert errors(data, schema) == []
    data["terms"] = "extra"
    assert errors(data, schema)


def test_no_template_for_a_call_off(runner):
    assert invoke(runner, "new", "call-off").exit_code == 2


def test_any_rule_needs_one_commitment_at_its_target(ref):
    base = {"targets": {"action_plan": 100, "sj_outcome": 100}, "targets_rule": "any"}
    measures = {"completion": {"meaning": "m", "base": "starters"},
                "action_plan": {"meaning": "m", "base": "completers"},
                "sj_outcome": {"meaning": "m", "base": "completers"}}  # fmt: skip
    one = edited(**base, measures=measures, commitments={"completion": 80, "action_plan": 100, "sj_outcome": 60})
    assert check(one, ref).findings == []
    none = edited(**base, measures=measures, commitments={"completion": 80, "action_plan": 90, "sj_outcome": 60})
    assert [(f.rule, f.field) for f in check(none, ref).findings] == [("calloff-terms", "commitments")]
    same = edited(**{**base, "targets_rule": "all"}, measures=measures, commitments=none["commitments"])
    assert [f.field for f in check(same, ref).findings] == ["commitments.action_plan", "commitments.sj_outcome"]


def test_a_reason_makes_another_offer_valid(ref):
    data = edited(offer="OF-0107")
    assert [f.rule for f in check(data, ref).findings] == ["calloff-terms"]
    data["basis"]["reason"] = "covers barriers too"
    assert check(data, ref).findings == []


def test_schedule_without_outcome_fees_has_no_outcome_entry(ref):
    model = check(edited(funding={"start": 25, "completion": 75, "job_outcome": 0}), ref).model
    assert isinstance(model, CallOff)
    made = record.build(model)
    assert [e.milestone for e in made.schedule.timeline] == ["start", "completion"]
    assert made.schedule.scenarios["maximum"].job_outcomes == 0
    assert made.schedule.scenarios["maximum"].total == 40 * 1250


def test_validate_never_imports_jinja2():
    code = (
        "import sys; sys.argv=['dps','validate','" + str(CALLOFF) + "']\n"
        "from dps_cli.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print('jinja2' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "False"


def test_rating_bands_are_checked_reference_data(ref, ref_copy):
    from dps_cli.reference import ReferenceDataError, load_reference

    assert (ref.ratings.approaching_target, ref.ratings.requires_improvement) == (90, 75)
    categories = ref_copy / "categories.yaml"
    categories.write_text(categories.read_text().replace("requires_improvement: 75", "requires_improvement: 175"))
    with pytest.raises(ReferenceDataError, match=r"ratings\.requires_improvement"):
        load_reference(str(ref_copy))


def test_every_suitable_offer_awarded_makes_a_valid_call_off(runner, ref, monkeypatch):
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)
    base = ["award", "examples/business-cases/crawley-warehouse.yaml", "examples/offers"]
    for offer in ("OF-0042", "OF-0107"):
        result = invoke(runner, *base, "--evaluations", "examples/evaluations.yaml", "--offer", offer, "--reason", "r")
        assert result.exit_code == 0
        checked = check_file(result.stdout.encode(), f"{offer}.yaml", ref)
        assert checked.findings == [] and isinstance(checked.model, CallOff)
