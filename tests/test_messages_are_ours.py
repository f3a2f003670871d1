"""No validator wording ever reaches a user: every message and hint is dps's own."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dps_cli.validate import check_file
from tests.conftest import DATA, EXAMPLES

BASES = [p.read_text() for p in sorted((DATA / "valid").glob("*.yaml")) + sorted(EXAMPLES.rglob("*.yaml"))]
PHRASES = re.compile(
    r"Value error|Input should|Field required|Extra inputs|should be a valid|validation error|"
    r"String should|List should|Dictionary should|Assertion failed|Unable to|pydantic|Traceback",
    re.IGNORECASE,
)
VALUES = st.one_of(
    st.sampled_from(
        [
            "~",
            "",
            "[]",
            "{}",
            "[1, 2]",
            "{a: 1}",
            "true",
            "NO",
            "1:25",
            "010",
            "0x1F",
            "0b11",
            "1_000",
            ".inf",
            ".nan",
            "1e3",
            "1.0e+3",
            "12,50",
            "1,000",
            "£5",
            "5%",
            "!!int abc",
            "!!float ''",
            "!!bool maybe",
            "!!null x",
            "!!str 7",
            "'07'",
            '"²"',
            '"ſe"',
            "-1",
            "0",
            "1" * 400,
            "9" * 40,
            "2026-02-30",
            "0999-01-01",
            "R9",
            "r3",
            "national",
            "OF-1",
            '"OF-1\\n"',
            "1.",
            ".5",
            "1250.005",
            "-0",
            "!!timestamp x",
            "[{title: a, duration_weeks: 1}]",
            "[{a: 1}, {b: 2}]",
            "&x [1]",
            "!!binary aGk=",
        ]
    ),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
    .map(lambda t: repr(t)[1:-1])
    .map(lambda t: '"' + t.replace('"', "") + '"'),
)
LINE = re.compile(r"^(\s*(?:- )?[A-Za-z_]+:)[ ](.+)$", re.MULTILINE)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(BASES), st.lists(st.tuples(st.integers(min_value=0), VALUES), min_size=1, max_size=4))
def test_no_validator_wording_in_any_message(ref, base, edits):
    text = base
    for where, value in edits:
        lines = list(LINE.finditer(text))
        if not lines:
            break
        match = lines[where % len(lines)]
        text = text[: match.start(2)] + value + text[match.end(2) :]
    result = check_file(text.encode(), "x.yaml", ref)
    for finding in result.findings:
        assert not PHRASES.search(finding.message), finding
        assert not PHRASES.search(finding.hint or ""), finding
        assert len(finding.message) < 1_000, finding
