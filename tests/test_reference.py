"""The reference data is the seed's, and broken copies are refused clearly."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from dps_cli.reference import ReferenceDataError, area_covers, load_reference
from tests.conftest import invoke

# SPEC §1, as read from the 2017 slides: (start, completion, job outcome), targets.
CATEGORIES = {
    1: ((30, 70, 0), {"action_plan": 100}, "all"),
    2: ((30, 70, 0), {"action_plan": 100}, "all"),
    3: ((30, 70, 0), {"action_plan": 100, "sj_outcome": 100}, "any"),
    4: ((20, 50, 30), {"job_outcome": 30}, "all"),
    5: ((10, 30, 60), {"job_outcome": 45}, "all"),
    6: ((10, 30, 60), {"job_outcome": 60}, "all"),
    7: ((10, 30, 60), {"job_outcome": 45}, "all"),
    8: ((25, 75, 0), {"mentoring_agreement": 100, "in_work_13_weeks": 75}, "all"),
}
ROUTEWAYS = {
    "R1": ([1, 2, 3], (30, 70, 0), {"action_plan": 100}),
    "R2": ([4, 6], (20, 30, 50), {"job_outcome": 40}),
    "R3": ([5, 7], (10, 30, 60), {"job_outcome": 45}),
    "R4": ([6, 7], (10, 30, 60), {"job_outcome": 60}),
    "R5": ([1, 2, 3, 4], (20, 50, 30), {"action_plan": 100, "job_outcome": 30}),
}


@pytest.mark.parametrize("number", CATEGORIES)
def test_category_split_and_targets_are_the_seeds(ref, number):
    split, targets, rule = CATEGORIES[number]
    category = ref.categories[number]
    assert tuple(p for _, p in category.funding.shares()) == tuple(map(Decimal, split))
    assert category.targets == {m: Decimal(v) for m, v in targets.items()}
    assert category.targets_rule == rule


@pytest.mark.parametrize("key", ROUTEWAYS)
def test_routeway_split_and_targets_are_the_seeds(ref, key):
    categories, split, targets = ROUTEWAYS[key]
    routeway = ref.routeways[key]
    assert routeway.categories == categories
    assert tuple(p for _, p in routeway.funding.shares()) == tuple(map(Decimal, split))
    assert routeway.targets == {m: Decimal(v) for m, v in targets.items()}


def test_category_4_content_lists_the_slides_barriers(ref):
    content = " ".join(ref.categories[4].content)
    for barrier in ("Literacy/ Numeracy/ ESOL", "Mental Health", "substance abuse", "Homelessness", "Offending"):
        assert barrier in content


def test_measures_job_outcome_window_and_skills_rule_are_data(ref):
    assert ref.job_outcome_window == (4, 13)
    assert ref.measures["job_outcome"].window_opens == "completion"
    assert ref.measures["in_work_13_weeks"].base == "signers"
    assert ref.categories[6].alone_contract_value_over == Decimal("50000.00")


def test_vocabularies(ref):
    assert len(ref.postcode_areas) == 121
    assert len(ref.client_groups) == 22
    assert ref.area_known("RH10") and ref.area_known("SW1A") and ref.area_known("national")
    assert not ref.area_known("XX") and not ref.area_known("QQ1")


@pytest.mark.parametrize(
    ("offered", "wanted", "covers"),
    [
        ("national", "RH10", True),
        ("RH", "RH10", True),
        ("RH10", "RH10", True),
        ("RH10", "RH", False),
        ("RH10", "RH11", False),
        ("BN", "RH10", False),
        ("RH", "national", False),
    ],
)
def test_area_covers(offered, wanted, covers):
    assert area_covers(offered, wanted) is covers


def test_flattened_slide_reading_is_recorded(ref):
    text = (Path(ref.directory) / "categories.yaml").read_text()
    assert "merged cells" in text and "R5 = 1-4 -> 20/50/30" in text


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


BROKEN = [
    (
        "categories.yaml",
        "funding: {start: 30, completion: 70, job_outcome: 0}",
        "funding: {start: 30, completion: 60, job_outcome: 0}",
        "sums to 90, not 100",
        "categories[0].funding",
    ),
    (
        "categories.yaml",
        "funding: {start: 20, completion: 50, job_outcome: 30}",
        "funding: {start: 120, completion: -50, job_outcome: 30}",
        "outside 0-100",
        "categories[3].funding.start",
    ),
    ("routeways.yaml", "categories: [4, 6]", "categories: [4, 9]", "unknown category 9", "routeways[1].categories[1]"),
    (
        "categories.yaml",
        "targets: {job_outcome: 45}",
        "targets: {job_outcomes: 45}",
        "unknown measure",
        "categories[4].targets.job_outcomes",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "message", "field"), BROKEN)
def test_broken_reference_is_refused_with_file_line_and_field(runner, ref_copy, name, old, new, message, field):
    _edit(ref_copy, name, old, new)
    with pytest.raises(ReferenceDataError) as caught:
        load_reference(str(ref_copy))
    problem = next(p for p in caught.value.problems if message in p)
    line = next(i for i, text in enumerate((ref_copy / name).read_text().splitlines(), 1) if new in text)
    assert problem.startswith(f"{ref_copy / name}:{line}:")
    assert field in problem

    result = invoke(runner, "categories", "--reference", str(ref_copy))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_reference_dir_is_used(runner, ref_copy):
    _edit(ref_copy, "categories.yaml", "name: Engagement", "name: Outreach and engagement")
    result = invoke(runner, "categories", "1", "--format", "json", "--reference", str(ref_copy))
    assert json.loads(result.stdout)["name"] == "Outreach and engagement"


def test_missing_reference_dir_is_a_usage_error(runner, tmp_path):
    result = invoke(runner, "categories", "--reference", str(tmp_path / "nope"))
    assert result.exit_code == 2


def test_categories_json_matches_spec(runner):
    result = invoke(runner, "categories", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [c["id"] for c in data] == list(range(1, 9))
    for item in data:
        split, targets, rule = CATEGORIES[item["id"]]
        assert tuple(item["funding"][m] for m in ("start", "completion", "job_outcome")) == split
        assert item["targets"] == targets
        assert item["targets_rule"] == rule
        assert item["name"] and item["overview"] and item["content"]


def test_one_routeway_json_is_one_object(runner):
    data = json.loads(invoke(runner, "routeways", "r4", "--format", "json").stdout)
    assert data == {
        "id": "R4",
        "name": "Skills for work and Getting jobs",
        "categories": [6, 7],
        "funding": {"start": 10, "completion": 30, "job_outcome": 60},
        "targets": {"job_outcome": 60},
        "targets_rule": "all",
    }


def test_piped_text_has_no_ansi_even_when_ci_forces_colour(runner, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("FORCE_COLOR", "1")
    for args in (["categories"], ["categories", "6"], ["routeways"], ["routeways", "R5"]):
        result = invoke(runner, *args)
        assert result.exit_code == 0
        assert "\x1b[" not in result.stdout


def test_one_category_text_shows_overview_content_split_and_targets(runner):
    out = invoke(runner, "categories", "6").stdout
    assert "Skills for work" in out and "Short certificated courses" in out
    assert "10% start / 30% completion / 60% job outcome" in out
    assert "over £50,000.00" in out


@pytest.mark.parametrize(
    ("args", "code"), [(["categories", "9"], 2), (["routeways", "R9"], 2), (["categories", "x"], 2)]
)
def test_unknown_ids_are_usage_errors(runner, args, code):
    assert invoke(runner, *args).exit_code == code
