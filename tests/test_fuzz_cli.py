"""Fuzz the real command line: every command and output format, over mutated example files.

The cases come from tests/fuzzing (shared with benchmarks/fuzz.py, the long run).
``KNOWN`` lists the inputs that are known to have broken dps, each as an explicit
case; the Hypothesis test draws a fixed, derandomized set of random ones.

A case fails on any exception escaping a command (the console entry point's
``dps: internal error``), a traceback, an exit code other than 0/1/2, a run
over 5 seconds, or output that breaks SPEC §3 (see tests/fuzzing/oracle.py).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import mutate
from tests.fuzzing.cases import Case, Doc
from tests.fuzzing.oracle import Outcome, judge, run

OFFER = "examples/offers/brightpath-warehouse-ready.yaml"
CASE = "examples/business-cases/crawley-warehouse.yaml"
OFFERS = [
    "bridges-routeway-r5",
    "brightpath-warehouse-ready",
    "coastal-skills-logistics",
    "jobclub-online",
    "kindred-care-routeway",
    "open-doors-engagement",
    "pathways-complex-barriers",
    "steady-work-mentoring",
    "weald-routeway-barriers-jobs",
]


def validate(*edits: list, fmt: str = "text", name: str = "offer.yaml") -> Case:
    return Case(["validate", f"@/{name}", "--format", fmt], [Doc(OFFER, name, list(edits))])


def schedule(*edits: list, options: tuple[str, ...] = ("--participants", "40")) -> Case:
    return Case(["schedule", "@/offer.yaml", *options], [Doc(OFFER, "offer.yaml", list(edits))])


def match(*edits: list, fmt: str = "text") -> Case:
    docs = [Doc(f"examples/offers/{name}.yaml", f"offers/{name}.yaml") for name in OFFERS]
    docs[1].edits = list(edits)
    docs += [Doc(CASE, "case.yaml"), Doc("examples/evaluations.yaml", "marks.yaml")]
    argv = ["match", "@/case.yaml", "@/offers", "--evaluations", "@/marks.yaml", "--format", fmt]
    return Case(argv, docs)


def digits(n: int) -> list:
    return ["cat", "1", ["rep", "0", n, ""]]


KNOWN = {
    "tag-int-abc": validate(["key", "capacity", "!!int abc"]),
    "tag-float-empty": validate(["key", "price_per_participant", "!!float ''"]),
    "tag-bool-maybe": validate(["key", "capacity", "!!bool maybe"]),
    "integer-5000-digits": validate(["key", "capacity", digits(5000)]),
    "hex-5000-digits": validate(["key", "completion", ["cat", "0x", ["rep", "F", 5000, ""]]]),
    "base-60-long": validate(["key", "completion", ["cat", "1", ["rep", ":59", 3000, ""]]]),
    "merge-keys-400-deep": validate(
        ["key", "title", ["cat", ["rep", "{<<: ", 400, ""], "{a: 1}", ["rep", "}", 400, ""]]]
    ),
    "empty-category-schedule": schedule(["key", "category", ""]),
    "category-superscript-two": validate(["key", "category", '"²"']),
    "price-1e309": schedule(["key", "price_per_participant", "1e309"]),
    "price-10-to-26": schedule(["key", "price_per_participant", digits(26)]),
    "start-9999-12-31": schedule(options=("--participants", "40", "--start", "9999-12-31")),
    "duration-1000000-weeks": schedule(["key", "duration_weeks", "1000000"]),
    "start-year-999": schedule(options=("--participants", "40", "--start", "0999-01-01")),
    "alias-bomb-100kb-x-10000": validate(*mutate.alias_bomb("title", "expected_outcomes")),
    "markup-link-in-name-match": match(["key", "name", '"[link=https://evil.example]FUZZMARK[/link]"']),
    "markup-close-in-name-match": match(["key", "name", '"Brightpath [/]"']),
    "escape-in-name-validate": validate(["key", "kind", '"\\e]0;pwned\\a"']),
    "escape-in-name-match": match(["key", "name", '"\\e[2J\\e[HBrightpath"']),
    "formula-in-csv": match(["key", "name", '"=HYPERLINK(\\"http://evil.example\\",\\"y\\")"'], fmt="csv"),
    "file-name-not-utf8-json": validate(["key", "kind", "offerx"], fmt="json", name="\udcff.yaml"),
    "file-name-not-utf8-text": validate(["key", "kind", "offerx"], name="\udcff.yaml"),
    "file-name-newline-text": validate(["key", "kind", "offerx"], name="a\nb.yaml"),
}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_known_trigger_ends_in_a_finding_or_usage_error(name, tmp_path):
    outcome = run(KNOWN[name], workdir=tmp_path)
    assert outcome.failures == [], outcome.detail or outcome.stdout[-2000:] + outcome.stderr[-2000:]


@settings(
    max_examples=300,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.integers(0, 2**32 - 1))
def test_mutated_examples_never_crash_any_command(tmp_path, seed):
    from tests.fuzzing.cases import random_case

    case = random_case(random.Random(seed))
    outcome = run(case, workdir=tmp_path)
    assert outcome.failures == [], f"replay: python benchmarks/fuzz.py --seed {seed}\n{outcome.detail}"


# The harness itself: each rule catches what it should, and passes what it should.


def test_unmutated_examples_pass_every_rule(tmp_path):
    outcome = run(match(fmt="json"), workdir=tmp_path)
    assert (outcome.exit_code, outcome.failures) == (0, [])
    assert '"recommended": "OF-0042"' in outcome.stdout


def test_an_escaping_exception_is_a_failure_named_by_where_it_happened(tmp_path, monkeypatch):
    from dps_cli.commands import schedule as command

    def boom(*_args: object) -> None:
        raise ZeroDivisionError

    monkeypatch.setattr(command, "reference", boom)
    outcome = run(schedule(), workdir=tmp_path)
    assert outcome.failures == ["exception:ZeroDivisionError@dps_cli.commands.schedule.schedule"]


def test_a_slow_case_is_a_timeout(tmp_path, monkeypatch):
    import time

    from dps_cli.commands import schedule as command

    monkeypatch.setattr(command, "reference", lambda *_args: time.sleep(3))
    outcome = run(schedule(), timeout=0.2, workdir=tmp_path)
    assert outcome.failures == ["timeout:schedule"]
    assert outcome.seconds < 1


@pytest.mark.parametrize(
    ("argv", "out", "err", "failure"),
    [
        (["validate", "x"], "a \x1b[2J b\n", "", "control-chars:stdout:validate:text"),
        (
            ["validate", "x", "--format", "github"],
            "::error file=a\x9b::m\n",
            "",
            "control-chars:stdout:validate:github",
        ),
        (["match", "x"], "", "dps: error: \x07\n", "control-chars:stderr:match"),
        (["match", "x"], "Brightpath FUZZMARK\n", "", "markup-interpreted:match:text"),
        (["match", "x"], "[red]FUZZMARK[/red] and FUZZMARK\n", "", "markup-interpreted:match:text"),
        (["match", "x", "--format", "csv"], "offer,supplier\nOF-1,=HYPERLINK(1)\n", "", "csv-formula:match"),
        (["match", "x", "--format", "csv"], "offer,supplier\nOF-1,-1+2\n", "", "csv-formula:match"),
        (["match", "x", "--format", "json"], '{"a": 1} trailing', "", "json-invalid:match"),
        (["match", "x", "--format", "csv"], "offer,supplier\nOF-1,a\rb\n", "", "csv-invalid:match"),
        (["validate", "x", "--format", "github"], "::error file=a\nb.yaml::m\n", "", "github-line-broken"),
        (["match", "x"], "rank offer \n", "", "trailing-space:match"),
        (["match", "x"], "", "Traceback (most recent call last):\n", "traceback-or-internal-error-text"),
    ],
)
def test_output_rules_catch_what_spec_forbids(argv, out, err, failure):
    assert judge(argv, Outcome(1, out, err)) == [failure]


@pytest.mark.parametrize(
    ("argv", "out"),
    [
        (["match", "x"], "Brightpath [red]FUZZMARK[/red]\n"),
        (["validate", "x"], "    hint: try `RED-FUZZMARK-RED`\n"),
        (["match", "x"], "│ [link=https://evil.example]     │\n│ FUZZMARK[/link] │\n"),
        (["match", "x", "--format", "csv"], "offer,price,supplier\nOF-1,-12.50,'=HYPERLINK(1)\n"),
        (["validate", "x", "--format", "github"], "::error file=a%0Ab.yaml::m\n1 file checked: 0 valid\n"),
        (["validate", "x", "--format", "json"], '{"files": ["\\u001b"]}\n'),
        (["validate", "x"], "a.yaml:1:1: error[x] \\x1b[2J\n"),
    ],
)
def test_output_rules_pass_what_spec_allows(argv, out):
    assert judge(argv, Outcome(0, out, "")) == []


def test_exit_codes_other_than_0_1_2_are_failures():
    assert judge(["schema", "offer"], Outcome(3, "", "")) == ["exit-code:3"]
