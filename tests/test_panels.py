"""Evaluation panels (SPEC §10): the pure panel check, its findings, and the template."""

from __future__ import annotations

import csv
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from dps_cli.models import QUESTIONS, Evaluations
from dps_cli.panels import check_panel, divergent, offer_panel, spread
from dps_cli.validate import check_file
from tests.conftest import EXAMPLES, invoke

FOUR = ("fit", "closer_to_work", "performance_rationale", "performance_management")


def marks(*values: int) -> dict[str, int]:
    return dict(zip(QUESTIONS, values, strict=False))


def panel(individual: dict[str, Any], consensus: dict[str, Any], **more: Any) -> Evaluations:
    data = {"kind": "evaluations", "evaluators": list(individual), "individual": individual, "marks": consensus}
    return Evaluations.model_validate({**data, **more})


def rules(evaluations: Evaluations) -> list[tuple[str, str]]:
    return [(p.rule, ".".join(map(str, p.path))) for p in check_panel(evaluations)]


def test_a_plain_marks_file_has_no_panel_to_check():
    plain = Evaluations.model_validate({"kind": "evaluations", "marks": {"OF-1": marks(0, 0, 0, 0)}})
    assert check_panel(plain) == []
    assert offer_panel(plain, "OF-1") == {}


def test_unanimous_panel_needs_no_reason():
    same = marks(3, 3, 2, 4)
    assert rules(panel({"AB": {"OF-1": same}, "CD": {"OF-1": same}}, {"OF-1": same})) == []


def test_one_mark_apart_needs_a_reason_and_a_reason_answers_it():
    individual = {"AB": {"OF-1": marks(3, 3, 2, 4)}, "CD": {"OF-1": marks(3, 2, 2, 4)}}
    consensus = {"OF-1": marks(3, 3, 2, 4)}
    assert rules(panel(individual, consensus)) == [("consensus-reason", "marks.OF-1.closer_to_work")]
    reasons = {"OF-1": {"closer_to_work": "Bus passes answer the travel concern."}}
    assert rules(panel(individual, consensus, reasons=reasons)) == []


def test_consensus_at_the_edge_of_the_range_is_not_a_warning_one_past_it_is():
    individual = {"AB": {"OF-1": marks(3, 3, 2, 4)}, "CD": {"OF-1": marks(3, 3, 2, 4)}}
    assert rules(panel(individual, {"OF-1": marks(3, 3, 2, 4)})) == []
    assert rules(panel(individual, {"OF-1": marks(4, 3, 2, 4)})) == [("consensus-range", "marks.OF-1.fit")]
    assert rules(panel(individual, {"OF-1": marks(2, 3, 2, 4)})) == [("consensus-range", "marks.OF-1.fit")]


def test_the_fifth_mark_is_checked_like_the_others():
    individual = {"AB": {"OF-1": marks(3, 3, 2, 4, 1)}, "CD": {"OF-1": marks(3, 3, 2, 4, 3)}}
    found = rules(panel(individual, {"OF-1": marks(3, 3, 2, 4, 4)}))
    assert found == [("consensus-reason", "marks.OF-1.social_value"), ("consensus-range", "marks.OF-1.social_value")]


def test_incomplete_panels():
    full = marks(2, 2, 2, 2)
    evaluations = Evaluations.model_validate(
        {
            "kind": "evaluations",
            "evaluators": ["AB", "CD", "EF"],
            "individual": {"AB": {"OF-1": full, "OF-2": full}, "CD": {"OF-1": full}},
            "marks": {"OF-1": full},
        }
    )
    assert rules(evaluations) == [
        ("panel-incomplete", "evaluators.2"),  # EF gave no marks at all
        ("panel-incomplete", "marks.OF-2"),  # AB marked OF-2, no consensus
    ]
    evaluations = Evaluations.model_validate({**evaluations.model_dump(), "marks": {"OF-1": full, "OF-2": full}})
    assert ("panel-incomplete", "individual.CD") in rules(evaluations)  # CD gave none for OF-2


def test_unknown_evaluator_is_named_with_the_nearest_name():
    evaluations = Evaluations.model_validate(
        {
            "kind": "evaluations",
            "evaluators": ["AB", "CD"],
            "individual": {"AB": {"OF-1": marks(2, 2, 2, 2)}, "CE": {"OF-1": marks(2, 2, 2, 2)}},
            "marks": {"OF-1": marks(2, 2, 2, 2)},
        }
    )
    problems = check_panel(evaluations)
    unknown = [p for p in problems if p.rule == "unknown-evaluator"]
    assert [p.path for p in unknown] == [("individual", "CE")]
    assert "CD" in unknown[0].hint


def test_spread_and_divergent_list_what_must_be_moderated():
    individual = {"AB": {"OF-1": marks(3, 3, 2, 4)}, "CD": {"OF-1": marks(3, 2, 2, 4)}, "EF": {}}
    evaluations = panel(individual, {"OF-1": marks(3, 3, 2, 4)})
    assert spread(evaluations.individual or {}, "OF-1", "closer_to_work") == {"AB": 3, "CD": 2}
    assert divergent(evaluations.individual or {}) == [("OF-1", "closer_to_work", {"AB": 3, "CD": 2})]


@given(
    st.lists(st.tuples(*[st.integers(0, 4)] * 5), min_size=1, max_size=5),
    st.tuples(*[st.integers(0, 4)] * 5),
    st.sets(st.sampled_from(QUESTIONS)),
)
def test_property_reasons_and_ranges_follow_the_marks(individual_marks, agreed, reasoned):
    names = [f"E{i}" for i in range(len(individual_marks))]
    individual = {n: {"OF-1": marks(*m)} for n, m in zip(names, individual_marks, strict=True)}
    reasons = {"OF-1": dict.fromkeys(reasoned, "Agreed at moderation.")} if reasoned else None
    found = set(rules(panel(individual, {"OF-1": marks(*agreed)}, reasons=reasons)))
    for index, question in enumerate(QUESTIONS):
        given_marks = [m[index] for m in individual_marks]
        at = f"marks.OF-1.{question}"
        unreasoned = len(set(given_marks)) > 1 and question not in reasoned
        assert (("consensus-reason", at) in found) == unreasoned
        outside = not min(given_marks) <= agreed[index] <= max(given_marks)
        assert (("consensus-range", at) in found) == outside
        # a consensus mark never passes unremarked unless it lies in the range or carries a reason
        assert found & {("consensus-reason", at), ("consensus-range", at)} or not outside or question in reasoned


def test_panel_findings_point_at_the_key_in_block_style(ref):
    text = b"""kind: evaluations
evaluators: [AB]
individual:
  AB:
    OF-1: {fit: 3, closer_to_work: 3, performance_rationale: 2, performance_management: 4}
  XY:
    OF-1: {fit: 3, closer_to_work: 3, performance_rationale: 2, performance_management: 4}
marks:
  OF-1:
    fit: 3
    closer_to_work: 3
    performance_rationale: 2
    performance_management: 4
"""
    result = check_file(text, "panel.yaml", ref)
    assert [(f.rule, f.line, f.column, f.field) for f in result.findings] == [
        ("unknown-evaluator", 6, 3, "individual.XY")
    ]


def test_new_evaluations_panel_validates_once_uncommented_and_filled(runner, tmp_path):
    target = tmp_path / "marks.yaml"
    invoke(runner, "new", "evaluations", "-o", str(target))
    lines = target.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# evaluators:"))
    panel_lines = [line.removeprefix("# ").split("#")[0].rstrip() for line in lines[start : start + 7]]
    filled = (
        "\n".join([*panel_lines, *lines[start + 7 :]])
        .replace(": ,", ": 3,")
        .replace(": }", ": 3}")
        .replace('""', "Agreed at moderation.")
    )
    target.write_text(filled)
    result = invoke(runner, "validate", str(target))
    assert result.exit_code == 0, result.stdout
    assert "consensus" not in result.stdout


def test_individual_without_evaluators_names_every_evaluator_unknown():
    same = marks(2, 2, 2, 2)
    evaluations = Evaluations.model_validate(
        {"kind": "evaluations", "individual": {"AB": {"OF-1": same}, "CD": {"OF-1": same}}, "marks": {"OF-1": same}}
    )
    problems = check_panel(evaluations)
    assert [(p.rule, p.path) for p in problems] == [
        ("unknown-evaluator", ("individual", "AB")),
        ("unknown-evaluator", ("individual", "CD")),
    ]
    assert problems[0].hint == "list the panel: `evaluators: [AB, CD]`"


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 6), st.text(max_size=4), st.sampled_from(["3", "2.0", "=1", "\x1b"])
)
_MARKS = st.dictionaries(st.sampled_from([*QUESTIONS, "fitt"]), _SCALARS, max_size=6)
_BY_OFFER = st.dictionaries(st.sampled_from(["OF-1", "OF-2", "of-3", "1"]), st.one_of(_MARKS, _SCALARS), max_size=3)
_NAMES = st.sampled_from(["AB", "CD", "EF", " AB", "=X", "", "A" * 41])


@given(
    st.one_of(st.none(), st.lists(_NAMES, max_size=4), _SCALARS),
    st.one_of(st.none(), st.dictionaries(_NAMES, st.one_of(_BY_OFFER, _SCALARS), max_size=4)),
    _BY_OFFER,
    st.one_of(st.none(), st.dictionaries(st.sampled_from(["OF-1", "OF-2"]), _MARKS, max_size=2)),
)
def test_property_no_panel_file_crashes_validation(ref, evaluators, individual, consensus, reasons):
    data: dict[str, Any] = {"kind": "evaluations", "marks": consensus}
    for key, value in (("evaluators", evaluators), ("individual", individual), ("reasons", reasons)):
        if value is not None:
            data[key] = value
    result = check_file(yaml.safe_dump(data).encode(), "panel.yaml", ref)
    assert all(f.message and f.line >= 1 for f in result.findings)
    assert (result.model is not None) == result.valid


def test_example_sheets_are_the_panel_files_individual_marks():
    """examples/panel: each evaluator's CSV (SPEC §10's columns) is exactly their marks in consensus.yaml."""
    folder = EXAMPLES / "panel"
    panel_file = Evaluations.model_validate(yaml.safe_load((folder / "consensus.yaml").read_text()))
    sheets = sorted(folder.glob("*.csv"))
    assert [s.stem for s in sheets] == panel_file.evaluators == ["AB", "CD", "EF"]
    for sheet in sheets:
        with sheet.open(newline="", encoding="utf-8") as stream:
            rows = list(csv.reader(stream))
        assert rows[0] == ["offer", *QUESTIONS]
        read = {row[0]: dict(zip(QUESTIONS, map(int, row[1:]), strict=True)) for row in rows[1:]}
        assert read == {offer: m.given() for offer, m in (panel_file.individual or {})[sheet.stem].items()}
    assert divergent(panel_file.individual or {}) == [("OF-0042", "closer_to_work", {"AB": 3, "CD": 2, "EF": 3})]
    assert check_panel(panel_file) == []


def test_an_evaluator_missing_many_offers_is_one_finding_naming_a_few():
    full = marks(2, 2, 2, 2)
    consensus = {f"OF-{i}": full for i in range(12)}
    evaluations = panel({"AB": dict(consensus), "CD": {"OF-0": full}}, consensus)
    problems = check_panel(evaluations)
    assert [(p.rule, p.path) for p in problems] == [("panel-incomplete", ("individual", "CD"))]
    assert problems[0].message == (
        "CD gave no marks for OF-1, OF-2, OF-3, OF-4, OF-5 and 6 more, which have consensus marks"
    )
