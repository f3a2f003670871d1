"""Combining evaluators' marks (pure), CSV sheets, the consensus file, and the never-invents-a-mark property."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dps_cli import consensus, marksheets
from dps_cli.marksheets import Sheet
from dps_cli.panel_combine import Consensus, check, combine
from dps_cli.report.marks import summary, to_yaml

FOUR = ("fit", "closer_to_work", "performance_rationale", "performance_management")
HEADER = "offer," + ",".join(FOUR)


def sheet(evaluator: str, marks: dict[str, tuple[int, ...]], asked: tuple[str, ...] = FOUR) -> Sheet:
    return Sheet(
        f"{evaluator}.csv",
        evaluator,
        asked,
        {offer: dict(zip(asked, values, strict=True)) for offer, values in marks.items()},
    )


AB = sheet("AB", {"OF-1": (3, 3, 2, 4), "OF-2": (2, 2, 2, 2)})
CD = sheet("CD", {"OF-1": (3, 2, 2, 4), "OF-2": (2, 2, 2, 2)})
EF = sheet("EF", {"OF-1": (3, 3, 1, 4), "OF-2": (2, 2, 2, 2)})


def test_unanimous_marks_are_filled_in_and_divergent_ones_listed_side_by_side():
    panel = combine([AB, CD, EF])
    assert panel.evaluators == ("AB", "CD", "EF")
    assert panel.marks["OF-1"] == {"fit": 3, "performance_management": 4}
    assert panel.marks["OF-2"] == dict.fromkeys(FOUR, 2)
    assert [(d.offer, d.question, d.marks) for d in panel.pending] == [
        ("OF-1", "closer_to_work", (("AB", 3), ("CD", 2), ("EF", 3))),
        ("OF-1", "performance_rationale", (("AB", 2), ("CD", 2), ("EF", 1))),
    ]
    assert (panel.unanimous, panel.moderated, panel.complete) == (6, 0, False)
    assert summary(panel) == [
        "3 evaluators (AB, CD, EF), 2 offers × 4 questions = 8 marks: "
        "6 unanimous, 0 agreed with a reason, 2 to moderate",
        "to moderate:",
        "  OF-1 closer_to_work: AB 3, CD 2, EF 3",
        "  OF-1 performance_rationale: AB 2, CD 2, EF 1",
    ]


def test_the_moderation_file_is_not_an_evaluations_file_and_shows_the_marks():
    text = to_yaml(combine([AB, CD, EF]))
    assert text.startswith("# NOT YET AN EVALUATIONS FILE")
    document = yaml.safe_load(text)
    assert document["marks"]["OF-1"] == {
        "fit": 3,
        "closer_to_work": None,
        "performance_rationale": None,
        "performance_management": 4,
    }
    assert document["reasons"] == {"OF-1": {"closer_to_work": None, "performance_rationale": None}}
    assert document["moderate"]["OF-1"]["performance_rationale"] == {"marks": {"AB": 2, "CD": 2, "EF": 1}}
    assert "    OF-1: {fit: 3, closer_to_work: 3, performance_rationale: 2, performance_management: 4}\n" in text


def test_the_consensus_completes_the_file_with_its_reasons():
    agreed = Consensus(
        {"OF-1": {"closer_to_work": 3, "performance_rationale": 2}},
        {
            "OF-1": {
                "closer_to_work": "Bus passes answer the travel concern.",
                "performance_rationale": "Local figures.",
            }
        },
    )
    panel = combine([AB, CD, EF], agreed)
    assert panel.complete and panel.moderated == 2
    document = yaml.safe_load(to_yaml(panel))
    assert list(document) == ["kind", "evaluators", "individual", "marks", "reasons"]
    assert document["marks"]["OF-1"] == {
        "fit": 3,
        "closer_to_work": 3,
        "performance_rationale": 2,
        "performance_management": 4,
    }
    assert document["individual"]["CD"]["OF-1"]["closer_to_work"] == 2


def test_a_consensus_mark_without_a_reason_settles_nothing():
    agreed = Consensus({"OF-1": {"closer_to_work": 3, "performance_rationale": 2}}, {"OF-1": {"closer_to_work": "  "}})
    panel = combine([AB, CD, EF], agreed)
    assert [(d.question, d.note) for d in panel.pending] == [
        ("closer_to_work", "the consensus mark has no reason"),
        ("performance_rationale", "the consensus mark has no reason"),
    ]


def test_a_unanimous_mark_is_kept_whatever_the_consensus_file_says():
    panel = combine([AB, CD], Consensus({"OF-2": {"fit": 4}}, {"OF-2": {"fit": "changed our minds"}}))
    assert panel.marks["OF-2"]["fit"] == 2 and "OF-2" not in panel.reasons


def test_a_plain_file_has_no_reasons_block():
    document = yaml.safe_load(to_yaml(combine([AB, AB])))
    assert "reasons" not in document and "moderate" not in document


def test_missing_rows_between_evaluators_are_findings_on_the_sheet_that_lacks_them():
    short = sheet("CD", {"OF-1": (3, 3, 2, 4)})
    found = [(f.path, f.finding.rule, f.finding.message) for f in check([AB, short])]
    assert found == [("CD.csv", "range", "no row for OF-2, which AB marked")]


def test_the_same_evaluator_twice_and_bad_names_are_findings():
    found = [(f.path, f.finding.rule) for f in check([AB, sheet("AB", {"OF-1": (3, 3, 2, 4)}), sheet("=X", {})])]
    assert ("AB.csv", "duplicate-id") in found and ("=X.csv", "type") in found


def test_a_question_one_sheet_marks_and_another_lacks_is_a_finding():
    five = (*FOUR, "social_value")
    with_sv = sheet("AB", {"OF-1": (3, 3, 2, 4, 2)}, five)
    without = sheet("CD", {"OF-1": (3, 3, 2, 4)})
    found = [(f.path, f.finding.rule, f.finding.message) for f in check([with_sv, without])]
    assert found == [("CD.csv", "required", "no `social_value` column; another sheet marks it")]
    assert combine([with_sv, with_sv]).asked == five


# -- CSV sheets ----------------------------------------------------------------


def csv_sheet(tmp_path: Path, text: str | bytes, name: str = "ab.csv") -> Sheet:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return marksheets.read_csv(str(path), name)


def where(found: Sheet) -> list[tuple[str, str, str]]:
    return [(f.location, f.finding.rule, f.finding.message) for f in found.findings]


def test_a_csv_sheet_is_read_by_its_header_with_the_evaluator_from_the_file_name(tmp_path):
    text = "\ufeffOffer,notes,performance_management,fit,closer_to_work,performance_rationale,fit comment\n"
    text += "OF-1,x,4,3,3,2,good fit\n\nOF-2,,0,0,1,2,\n"
    found = csv_sheet(tmp_path, text.encode(), "EF.csv")
    assert found.findings == [] and found.evaluator == "EF"
    assert found.marks == {
        "OF-1": {"fit": 3, "closer_to_work": 3, "performance_rationale": 2, "performance_management": 4},
        "OF-2": {"fit": 0, "closer_to_work": 1, "performance_rationale": 2, "performance_management": 0},
    }
    assert found.comments == {("OF-1", "fit"): "good fit"}


def test_csv_cells_are_reported_as_file_and_cell(tmp_path):
    text = f"{HEADER}\nOF-1,3,3,2,5\nOF-2,3,x,2,\n=cmd|' /C calc'!A0,1,1,1,1\nOF-1,1,1,1,1\nOF-3,1.0,1,1,+1\n"
    assert where(csv_sheet(tmp_path, text)) == [
        ("ab.csv:E2", "range", "performance_management: 5 is out of range: marks are 0 to 4"),
        ("ab.csv:C3", "type", "closer_to_work: `x` is not a whole number"),
        ("ab.csv:E3", "required", "performance_management: no mark"),
        ("ab.csv:A4", "type", "`=cmd|' /C calc'!A0` is not an offer id"),
        ("ab.csv:A5", "range", "a second row for OF-1"),
        ("ab.csv:B6", "type", "fit: `1.0` is not a whole number"),
        ("ab.csv:E6", "type", "performance_management: `+1` is not a whole number"),
    ]


def test_a_csv_file_missing_a_question_column_says_which(tmp_path):
    (finding,) = csv_sheet(tmp_path, "offer,fit,closer_to_work\nOF-1,3,3\n").findings
    assert finding.finding.rule == "required"
    assert finding.finding.message == "the header has no `performance_rationale`, `performance_management` column"


def test_a_csv_file_that_is_not_utf8_is_unreadable(tmp_path):
    (finding,) = csv_sheet(tmp_path, f"{HEADER}\nOF-1,3,3,2,4,caf\xe9\n".encode("latin-1")).findings
    assert (finding.finding.rule, finding.finding.message) == ("unreadable", "the file is not UTF-8 text")


def test_a_csv_file_over_the_bound_is_refused_unread(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.write(HEADER.encode())
        handle.truncate(marksheets.MAX_BYTES + 1)
    (finding,) = marksheets.read_csv(str(path), "big.csv").findings
    assert finding.finding.rule == "unreadable" and "larger than 10 MiB" in finding.finding.message


# -- the consensus file ----------------------------------------------------------


def test_the_consensus_file_takes_well_formed_marks_and_reasons_and_reports_the_rest():
    text = b"""kind: evaluations
marks:
  OF-1: {fit: 3, closer_to_work: 5, performance_rationale: null, social_value: 2, bogus: 1}
reasons:
  OF-1:
    fit: agreed
    closer_to_work: 7
moderate: {OF-1: {}}
"""
    agreed, found = consensus.read(text, "panel.yaml")
    assert agreed.marks == {"OF-1": {"fit": 3, "social_value": 2}}
    assert agreed.reasons == {"OF-1": {"fit": "agreed"}}
    assert [(f.location, f.finding.rule) for f in found] == [
        ("panel.yaml:3:34", "range"),
        ("panel.yaml:3:83", "unknown-field"),
        ("panel.yaml:7:21", "type"),
    ]


def test_a_consensus_file_of_another_kind_is_refused():
    _, found = consensus.read(b"kind: offer\n", "x.yaml")
    assert [f.finding.rule for f in found] == ["unknown-kind"]


def test_a_consensus_file_with_duplicate_keys_is_refused_as_yaml():
    _, found = consensus.read(b"kind: evaluations\nmarks: {}\nmarks: {}\n", "x.yaml")
    assert [f.finding.rule for f in found] == ["duplicate-key"]


# -- the property ----------------------------------------------------------------

MARK = st.integers(0, 4)


@st.composite
def panels(draw: st.DrawFn) -> tuple[list[Sheet], Consensus]:
    offers = [f"OF-{n}" for n in range(draw(st.integers(1, 3)))]
    names = [f"E{n}" for n in range(draw(st.integers(1, 4)))]
    sheets = [sheet(name, {offer: tuple(draw(MARK) for _ in FOUR) for offer in offers}) for name in names]
    marks: dict[str, dict[str, int]] = {}
    reasons: dict[str, dict[str, str]] = {}
    for offer in offers:
        for question in FOUR:
            if draw(st.booleans()):
                marks.setdefault(offer, {})[question] = draw(MARK)
            if draw(st.booleans()):
                reasons.setdefault(offer, {})[question] = draw(st.sampled_from(["", " ", "agreed at moderation"]))
    return sheets, Consensus(marks, reasons)


@given(panels())
def test_combine_never_invents_a_mark(drawn):
    sheets, agreed = drawn
    panel = combine(sheets, agreed)
    for offer, by_question in panel.marks.items():
        for question, mark in by_question.items():
            given_marks = [s.marks[offer][question] for s in sheets]
            reason = panel.reasons.get(offer, {}).get(question, "").strip()
            assert min(given_marks) <= mark <= max(given_marks) or reason
            assert len(set(given_marks)) == 1 or reason  # every moderated mark carries its reason
    settled = {(o, q) for o, by in panel.marks.items() for q in by}
    pending = {(d.offer, d.question) for d in panel.pending}
    assert not settled & pending
    assert settled | pending == {(o, q) for o in panel.offers for q in FOUR}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | st.text(alphabet=st.sampled_from('OF-1,3\n\r"= x\x00é'), max_size=200))
def test_no_csv_content_raises(tmp_path, content):
    text = content if isinstance(content, bytes) else (HEADER + "\n" + content).encode()
    found = csv_sheet(tmp_path, text)
    assert all(f.finding.rule in ("unreadable", "type", "range", "required") for f in found.findings)
    assert all(0 <= mark <= 4 for marks in found.marks.values() for mark in marks.values())


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(lambda t: ("kind: evaluations\n" + t).encode()))
def test_no_consensus_content_raises(content):
    agreed, found = consensus.read(content, "c.yaml")
    assert all(0 <= mark <= 4 for marks in agreed.marks.values() for mark in marks.values())
    assert all(re.fullmatch(r"c\.yaml:[0-9]+:[0-9]+", f.location) for f in found)
    assert all(isinstance(reason, str) for by in agreed.reasons.values() for reason in by.values())
