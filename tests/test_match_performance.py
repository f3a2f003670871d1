"""`dps match --performance FILE` (SPEC §4): past-performance notes that never change the decision."""

from __future__ import annotations

import copy
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dps_cli.matching import match
from dps_cli.models import BusinessCase, Evaluations
from dps_cli.past import MAX_BYTES, NOTES_PER_SUPPLIER, Refused, Shortfall, annotate, note, parse, supplier_key
from dps_cli.report import match as report
from dps_cli.validate import check_file
from tests.conftest import EXAMPLES, ROOT, invoke

CASE = EXAMPLES / "business-cases" / "crawley-warehouse.yaml"
OFFERS = EXAMPLES / "offers"
MARKS = EXAMPLES / "evaluations.yaml"
MATCH = ("match", str(CASE), str(OFFERS), "--evaluations", str(MARKS))
SPEC_NOTE = "past performance: CO-BC-SE-0007 job_outcome inadequate (31.58% against 50% committed)"


def measure(name="job_outcome", rating="good", warning=None, rate=66.67, commitment=50.0, target=45.0, upper=84.21):
    return {"measure": name, "base": "starters", "base_count": 38, "target": target, "commitment": commitment,
            "achieved": 12, "open": 20, "missed": 6, "final": False, "rate": rate, "lower": 31.58,
            "upper": upper, "rating": rating, "below_target": False, "warning": warning}  # fmt: skip


def calloff(supplier="Brightpath Training Ltd", ident="CO-BC-SE-0007", measures=None):
    return {"calloff": ident, "supplier": supplier, "provision": "7", "participants": 40, "starters": 38,
            "measures": measures if measures is not None else [measure()],
            "cohorts": [{"month": "2026-11", "starters": 38, "completions": 30, "job_outcomes": 12,
                         "final": False}]}  # fmt: skip


def document(*calloffs):
    return {"as_of": "2027-03-31", "calloffs": list(calloffs), "findings": [],
            "summary": {"calloffs": len(calloffs), "inadequate": 0, "warnings": 0}}  # fmt: skip


def write(tmp_path, doc, name="performance.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return path


def run(runner, path, *extra):
    return invoke(runner, *MATCH, "--performance", str(path), *extra)


INADEQUATE = document(calloff(measures=[measure(rating="inadequate", rate=31.58)]))


# -- the notes -------------------------------------------------------------------


def test_the_spec_example_note():
    shortfall = Shortfall("CO-BC-SE-0007", "x", "job_outcome", "inadequate", None, Decimal("31.58"),
                          Decimal("50.0"), Decimal("45.0"), Decimal("84.21"))  # fmt: skip
    assert note(shortfall) == SPEC_NOTE


def test_warning_note_and_both():
    warned = parse(json.dumps(document(calloff(measures=[measure(warning="cannot-meet-target", upper=40.0)]))).encode())
    assert warned.notes_for("Brightpath Training Ltd") == (
        "past performance: CO-BC-SE-0007 job_outcome cannot meet its target (at most 40.00% against the 45% target)",
    )
    both = measure(rating="inadequate", rate=31.58, warning="cannot-meet-target", upper=44.99, target=45.5)
    noted = parse(json.dumps(document(calloff(measures=[both]))).encode()).notes_for("brightpath training ltd")
    assert noted == (SPEC_NOTE + " and cannot meet its target (at most 44.99% against the 45.5% target)",)


@pytest.mark.parametrize(
    ("rating", "warning"),
    [("good", None), ("approaching-target", None), ("requires-improvement", "cannot-meet-commitment"),
     (None, None), ("good", "secured")],
)  # fmt: skip
def test_no_note_short_of_inadequate_or_cannot_meet_target(rating, warning):
    past = parse(json.dumps(document(calloff(measures=[measure(rating=rating, warning=warning)]))).encode())
    assert past.notes_for("Brightpath Training Ltd") == ()


@pytest.mark.parametrize("name", ["brightpath training ltd", "BRIGHTPATH  TRAINING\tLTD", " Brightpath Training Ltd "])
def test_supplier_compared_ignoring_case_and_spacing(name):
    past = parse(json.dumps(INADEQUATE).encode())
    assert supplier_key(name) == supplier_key("Brightpath Training Ltd")
    assert past.notes_for(name) == (SPEC_NOTE,)


@pytest.mark.parametrize("name", ["Brightpath Training", "Brightpath Training Ltd.", "Brightpath-Training Ltd", None])
def test_other_suppliers_get_no_note(name):
    assert parse(json.dumps(INADEQUATE).encode()).notes_for(name) == ()


def test_notes_per_supplier_are_capped_with_a_count():
    measures = [measure(rating="inadequate", rate=10.0)]
    calloffs = [calloff(ident=f"CO-{i:03d}", measures=measures) for i in range(NOTES_PER_SUPPLIER + 5)]
    notes = parse(json.dumps(document(*calloffs)).encode()).notes_for("Brightpath Training Ltd")
    assert len(notes) == NOTES_PER_SUPPLIER + 1
    assert notes[0].startswith("past performance: CO-000 job_outcome inadequate")
    assert notes[-1] == "past performance: 5 more call-off measures rated inadequate or warned cannot-meet-target"


# -- the command -------------------------------------------------------------------


def test_json_ranked_and_excluded_entries_carry_notes(runner, tmp_path):
    doc = document(INADEQUATE["calloffs"][0], calloff("open doors   community OUTREACH", "CO-X-1",
                   [measure("completion", warning="cannot-meet-target", target=None, upper=70.0)]))  # fmt: skip
    result = run(runner, write(tmp_path, doc), "--format", "json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    ranked = {e["offer"]: e for e in out["ranked"]}
    assert ranked["OF-0042"]["notes"] == [SPEC_NOTE] and ranked["OF-0042"]["suitable"] is True
    assert ranked["OF-0310"]["notes"] == ["a mark below 2 (performance_rationale 1)"]
    excluded = {e["offer"]: e for e in out["excluded"]}
    assert excluded["OF-0051"]["notes"] == ["past performance: CO-X-1 completion cannot meet its target"]
    assert all(e["notes"] == [] for k, e in excluded.items() if k != "OF-0051")
    assert out["recommended"] == "OF-0042"


def test_text_lists_the_notes_and_says_they_change_nothing(runner, tmp_path):
    result = run(runner, write(tmp_path, INADEQUATE))
    assert result.exit_code == 0
    text = result.stdout
    assert "its supplier has past-performance notes: see below" in text
    tail = text.split("Past performance (1 call-off, as of 2027-03-31)\n", 1)[1]
    assert tail.splitlines() == [
        "Notes only: they change no score, rank, suitability or recommendation.",
        "  OF-0042 (Brightpath Training Ltd)",
        f"    {SPEC_NOTE}",
    ]


def test_text_with_no_shortfall_says_so(runner, tmp_path):
    result = run(runner, write(tmp_path, document(calloff())))
    assert "no supplier here has a call-off rated inadequate or warned cannot-meet-target" in result.stdout


def test_csv_notes_column(runner, tmp_path):
    result = run(runner, write(tmp_path, INADEQUATE), "--format", "csv")
    rows = result.stdout.splitlines()
    assert rows[0].split(",")[11] == "notes"
    assert any(row.startswith("2,OF-0042,") and SPEC_NOTE in row for row in rows)


def test_without_the_option_text_is_unchanged(runner, tmp_path):
    plain = invoke(runner, *MATCH).stdout
    noted = run(runner, write(tmp_path, document(calloff()))).stdout
    assert noted.startswith(plain) and "Past performance" not in plain


def test_standard_input(runner):
    result = invoke(runner, *MATCH, "--performance", "-", "--format", "json", input=json.dumps(INADEQUATE))
    assert result.exit_code == 0, result.stderr
    assert SPEC_NOTE in result.stdout


def test_award_records_the_notes_and_the_file(runner, tmp_path):
    path = write(tmp_path, INADEQUATE)
    out = tmp_path / "call-off.yaml"
    args = ("award", str(CASE), str(OFFERS), "--evaluations", str(MARKS), "--date", "2026-10-20")
    result = invoke(runner, *args, "--performance", str(path), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    record = yaml.safe_load(out.read_text())
    assert record["offer"] == "OF-0042"
    ranked = {e["offer"]: e for e in record["basis"]["ranked"]}
    assert ranked["OF-0042"]["notes"] == [SPEC_NOTE] and ranked["OF-0042"]["suitable"] is True
    assert str(path) in [i["path"] for i in record["basis"]["inputs"]]
    assert invoke(runner, "validate", str(out)).exit_code == 0
    markdown = invoke(runner, "report", str(out), "--format", "markdown").stdout
    row = next(line for line in markdown.splitlines() if line.startswith("| 2 | OF-0042 |"))
    assert (
        "| suitable; past performance: CO-BC-SE-0007 job\\_outcome inadequate (31.58% against 50% committed) |" in row
    )
    html = invoke(runner, "report", str(out)).stdout
    assert "suitable<br>past performance: CO-BC-SE-0007 job_outcome inadequate" in html


def test_award_of_an_unsuitable_offer_still_refused(runner, tmp_path):
    """A note on the recommended offer does not free the award of another, nor block the recommended one."""
    args = (
        "award",
        str(CASE),
        str(OFFERS),
        "--evaluations",
        str(MARKS),
        "--performance",
        str(write(tmp_path, INADEQUATE)),
    )
    result = invoke(runner, *args, "--offer", "OF-0310", "--reason", "past performance of OF-0042")
    assert result.exit_code == 1 and "not of a suitable standard" in result.stderr


# -- never changes the decision ------------------------------------------------------


def _stripped(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    for entry in doc["ranked"]:
        entry["notes"] = [n for n in entry["notes"] if not n.startswith("past performance: ")]
    for entry in doc["excluded"]:
        entry["notes"] = []
    return doc


SUPPLIERS = ["Brightpath Training Ltd", "JobClub Online Ltd", "Weald Employment Trust", "Open Doors Community Outreach",
             "Kindred Care Academy", "Someone Else Ltd"]  # fmt: skip
percent = st.one_of(st.none(), st.integers(0, 100), st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)))
measures = st.fixed_dictionaries({
    "measure": st.sampled_from(["completion", "job_outcome", "action_plan"]),
    "rate": percent, "commitment": percent, "target": percent, "upper": percent, "lower": percent,
    "rating": st.sampled_from([None, "good", "approaching-target", "requires-improvement", "inadequate"]),
    "warning": st.sampled_from([None, "cannot-meet-target", "cannot-meet-commitment", "secured"]),
})  # fmt: skip
spelled = st.tuples(
    st.sampled_from(SUPPLIERS), st.sampled_from([str, str.upper, str.lower]), st.sampled_from([" ", "  ", "\t"])
)
calloffs = st.lists(
    st.fixed_dictionaries({
        "calloff": st.from_regex(r"CO-[A-Z0-9]{1,6}", fullmatch=True),
        "supplier": spelled.map(lambda t: t[1](t[0]).replace(" ", t[2])),
        "measures": st.lists(measures, max_size=4),
    }),
    max_size=6,
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(calloffs=calloffs)
def test_property_notes_never_change_scores_ranks_suitability_or_recommendation(case_inputs, calloffs):
    case, candidates, marks, ref = case_inputs
    plain = match(case, candidates, marks, ref)
    past = parse(json.dumps({"as_of": "2027-03-31", "calloffs": calloffs}).encode())
    noted = annotate(plain, past)
    assert noted.recommended is not None and plain.recommended is not None
    assert noted.recommended.offer.id == plain.recommended.offer.id
    assert [(s.rank, s.offer.id, s.total, s.quality, s.fit, s.price, s.suitable, s.notes) for s in noted.ranked] == [
        (s.rank, s.offer.id, s.total, s.quality, s.fit, s.price, s.suitable, s.notes) for s in plain.ranked
    ]
    assert [(e.offer, e.reasons) for e in noted.excluded] == [(e.offer, e.reasons) for e in plain.excluded]
    assert _stripped(report.to_json(noted)) == report.to_json(plain)
    shortfall = ("inadequate", "cannot-meet-target")
    bad = {supplier_key(c["supplier"]) for c in calloffs
           if any(m["rating"] in shortfall or m["warning"] in shortfall for m in c["measures"])}  # fmt: skip
    for s in noted.ranked:
        assert bool(s.past) == (supplier_key(s.offer.supplier.name) in bad)
    for e in noted.excluded:
        assert bool(e.past) == (e.supplier is not None and supplier_key(e.supplier) in bad)


@pytest.fixture
def case_inputs(ref):
    from dps_cli.commands.match import _candidates

    case = check_file(CASE.read_bytes(), str(CASE), ref).model
    marks = check_file(MARKS.read_bytes(), str(MARKS), ref).model
    assert isinstance(case, BusinessCase) and isinstance(marks, Evaluations)
    return case, _candidates([str(OFFERS)], [], (case, ref), 1), marks.marks, ref


def test_property_holds_through_the_command(runner, tmp_path):
    """The same check end to end: the JSON with the notes taken out is the JSON without --performance."""
    plain = json.loads(invoke(runner, *MATCH, "--format", "json").stdout)
    everyone = [calloff(s, f"CO-{i}", [measure(rating="inadequate", rate=1.0)]) for i, s in enumerate(SUPPLIERS)]
    noted = json.loads(run(runner, write(tmp_path, document(*everyone)), "--format", "json").stdout)
    assert noted != plain and _stripped(noted) == plain


# -- hostile files ----------------------------------------------------------------------


def refused(runner, tmp_path, content, *, binary=False):
    path = tmp_path / "performance.json"
    if binary:
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = run(runner, path)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"dps: error: {path} is not a performance file: ")
    assert lines[1].startswith("  hint: ")
    return lines[0].split("is not a performance file: ", 1)[1]


def one(fragment: str) -> str:
    """A file whose only call-off has one measure: ``fragment`` (raw JSON) after the name and null rating, warning."""
    fields = '"measure": "x", "rating": null, "warning": null' + (", " + fragment if fragment else "")
    return '{"calloffs": [{"calloff": "CO-1", "supplier": "S", "measures": [{' + fields + "}]}]}"


M0 = "calloffs[0].measures[0]"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "not JSON: Expecting value at line 1 column 1"),
        ('{"calloffs": [}', "not JSON: Expecting value at line 1 column 15"),
        ("[]", "the file holds a list, not the object with `calloffs`"),
        ("{}", "`calloffs` is missing or null, not a list"),
        ('{"calloffs": {}}', "`calloffs` is an object, not a list"),
        ('{"calloffs": [1]}', "calloffs[0] is the number 1, not a call-off object"),
        ('{"calloffs": [{"calloff": "co-1", "supplier": "S", "measures": []}]}',
         "calloffs[0].calloff `co-1` is not a call-off id (capital letters, digits, hyphens)"),
        ('{"calloffs": [{"calloff": "CO-1", "supplier": "  ", "measures": []}]}',
         "calloffs[0].supplier is the text `  `, not text"),
        ('{"calloffs": [{"calloff": "CO-1", "supplier": "S"}]}', "calloffs[0].measures is missing or null, not a list"),
        ('{"calloffs": [{"calloff": "CO-1", "supplier": "S", "measures": [{"measure": "x", "warning": null}]}]}',
         "calloffs[0].measures[0].rating is missing"),
        (one('"rating": "poor"').replace('"rating": null, ', ""),
         f"{M0}.rating is `poor`, not one of good, approaching-target, requires-improvement, inadequate or null"),
        (one('"warning": 1').replace('"warning": null, ', ""),
         f"{M0}.warning is the number 1, not one of cannot-meet-target, cannot-meet-commitment, secured or null"),
        (one('"rate": "31.58"'),
         f"{M0}.rate is the text `31.58`, not a percentage or null"),
        (one('"rate": true'),
         f"{M0}.rate is the boolean true, not a percentage or null"),
        (one('"upper": 100.01'),
         f"{M0}.upper is 100.01, not a percentage from 0 to 100"),
        (one('"rate": 1e400'),
         f"{M0}.rate is the number inf, not a percentage or null"),
        (one('"rate": NaN'),
         "not a performance file: `NaN` is not a number JSON allows"),
        ('{"calloffs": [], "calloffs": []}', "not a performance file: the key `calloffs` is repeated in one object"),
        ('{"as_of": "tomorrow", "calloffs": []}', "`as_of` is the text `tomorrow`, not a date YYYY-MM-DD"),
        (one("").replace('"x"', '"<b>"'),
         "calloffs[0].measures[0].measure `<b>` is not a measure name"),
    ],
)  # fmt: skip
def test_wrong_shapes_are_refused_with_where_and_a_hint(runner, tmp_path, content, message):
    assert refused(runner, tmp_path, content) == message


def test_deep_nesting_long_numbers_and_bytes(runner, tmp_path):
    assert refused(runner, tmp_path, "[" * 100_000 + "]" * 100_000) == "not a performance file: nested too deeply"
    long = refused(runner, tmp_path, '{"calloffs": [' + "9" * 10_000 + "]}")
    assert long.startswith("not a performance file: ")
    assert refused(runner, tmp_path, b'{"calloffs": ["\xff"]}', binary=True) == "not UTF-8 (byte 16)"


def test_too_large_is_refused_without_reading_it_all(runner, tmp_path):
    path = tmp_path / "performance.json"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 10)
    result = run(runner, path)
    assert result.exit_code == 1 and "larger than 16 MiB" in result.stderr


def test_control_characters_and_markup_in_the_file_are_shown_escaped(runner, tmp_path):
    message = refused(
        runner, tmp_path, '{"calloffs": [{"calloff": "CO-\\u001b[31m[red]x", "supplier": "S", "measures": []}]}'
    )
    assert "\x1b" not in message and "\\x1b[31m[red]x" in message


def test_a_hostile_supplier_name_never_reaches_a_note(runner, tmp_path):
    """Notes are built from the call-off id, the measure name and numbers: all checked shapes."""
    hostile = '=HYPERLINK("x") \x1b]0;t\x07 Brightpath Training Ltd'
    result = run(runner, write(tmp_path, document(calloff(hostile, measures=[measure(rating="inadequate", rate=1.0)]))))
    assert result.exit_code == 0 and "\x1b" not in result.stdout and "HYPERLINK" not in result.stdout


@pytest.mark.parametrize("kind", ["missing", "folder", "fifo"])
def test_paths_that_are_not_files_are_usage_errors(runner, tmp_path, kind):
    path = tmp_path / "performance.json"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    result = run(runner, path)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("dps: error: ") and "hint:" in result.stderr


def test_refused_keeps_message_and_hint():
    with pytest.raises(Refused) as caught:
        parse(b"[]")
    assert "dps performance" in caught.value.hint


def test_example_performance_file_is_what_dps_performance_writes(runner, monkeypatch):
    """Catches drift: regenerate with the command in the README when the events or the JSON change."""
    monkeypatch.chdir(ROOT)
    example = Path("examples/performance/crawley-2027-01-15.json")
    args = ("performance", "examples/calloffs/crawley-warehouse-award.yaml", "--events")
    result = invoke(runner, *args, "examples/events/crawley-warehouse.csv", "--as-of", "2027-01-15", "-f", "json")
    assert result.stdout == example.read_text()
    assert parse(example.read_bytes()).notes_for("Brightpath Training Ltd") == (
        "past performance: CO-BC-SE-0007 job_outcome inadequate (20.00% against 50% committed)",
    )
