"""No input crashes the validator: arbitrary bytes and arbitrary YAML."""

from __future__ import annotations

import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dps_cli.validate import check_file
from tests.conftest import DATA, invoke

BASE = (DATA / "valid" / "offer-category-7.yaml").read_text()
FIELDS = [
    "kind",
    "id",
    "category",
    "routeway",
    "capacity",
    "price_per_participant",
    "performance",
    "course",
    "available",
    "delivery",
    "client_groups",
    "evidence",
    "marks",
    "accepts",
    "budget",
    "participants",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["NO", "12:30", "0042", "2026-02-30", "1250.005", "R3", "7", "~", ".inf", "national"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(FIELDS), st.text(string.ascii_lowercase, max_size=8)), inner, max_size=5
        ),
    ),
    max_leaves=20,
)
documents = st.dictionaries(st.sampled_from(FIELDS), values, max_size=10).map(
    lambda d: {"kind": "offer", **d} if "kind" not in d else d
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(ref, content):
    result = check_file(content, "fuzz.yaml", ref)
    assert all(f.line >= 1 and f.column >= 1 for f in result.findings)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_arbitrary_yaml_documents_never_raise(ref, document):
    content = yaml.safe_dump(document, allow_unicode=True).encode()
    result = check_file(content, "fuzz.yaml", ref)
    assert result.valid == (result.errors == 0)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, BASE.count("\n")), st.text(max_size=12)), max_size=4))
def test_mutated_offers_never_raise(ref, edits):
    lines = BASE.splitlines()
    for index, text in edits:
        if index < len(lines):
            lines[index] = lines[index][: len(lines[index]) // 2] + text
    check_file("\n".join(lines).encode(), "fuzz.yaml", ref)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200))
def test_cli_exit_codes_are_0_1_or_2(runner, content):
    result = invoke(runner, "validate", "-", "--format", "json", input=content.decode("latin-1"))
    assert result.exit_code in (0, 1, 2)
    assert result.exception is None or isinstance(result.exception, SystemExit)
