"""Text output at real terminal widths: never cut, never padded, never wider than the terminal."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from dps_cli.money import display_money
from dps_cli.report.layout import Col, emit, grid
from tests.conftest import DATA, EXAMPLES, ROOT, invoke

WIDTHS = (60, 80, 120)
CASE = "examples/business-cases/crawley-warehouse.yaml"
MATCH = ["match", CASE, "examples/offers", "--evaluations", "examples/evaluations.yaml"]
SCHEDULE = [
    "schedule",
    "examples/offers/brightpath-warehouse-ready.yaml",
    "--participants",
    "40",
    "--start",
    "2026-11-02",
]


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def render(runner, monkeypatch, width: int | str | None, *args: str) -> str:
    if width is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", str(width))
    result = invoke(runner, *args)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def assert_fits(text: str, width: int, *, one_line_findings: bool = False) -> None:
    assert text.strip(), "no output"
    assert "…" not in text
    for line in text.splitlines():
        assert line == line.rstrip(), f"trailing spaces: {line!r}"
        if one_line_findings and (re.match(r"\S+:\d+:\d+: ", line) or line.startswith("    hint: ")):
            continue  # a finding and its hint are one line each, like a compiler's, for editors and grep
        assert cell_len(line) <= width, f"{cell_len(line)} > {width}: {line!r}"


def assert_present(text: str, values: list[str]) -> None:
    """Each value whole: a word of the text (punctuation around it aside), or for a value with spaces, a phrase."""
    words = {word.strip(",;:()“”") for word in text.split()}
    flat = " ".join(text.split())
    missing = [v for v in values if v not in words and not (" " in v and v in flat)]
    assert not missing, f"cut or missing: {missing}"


def score(value: float | None) -> str:
    return "-" if value is None else f"{Decimal(str(value)):.2f}"


def match_values(runner, args: list[str]) -> list[str]:
    data = json.loads(invoke(runner, *args, "--format", "json").stdout)
    values = []
    for r in data["ranked"]:
        values += [r["offer"], str(r["rank"]), display_money(Decimal(r["cost"]))]
        values += [score(r[k]) for k in ("total", "quality", "fit", "price")]
    return values + [e["offer"] for e in data["excluded"]]


def schedule_values(runner, args: list[str]) -> list[str]:
    data = json.loads(invoke(runner, *args, "--format", "json").stdout)
    money = [*data["fees"].values(), *(s["total"] for s in data["scenarios"].values())]
    money += [e["amount"] for e in data["timeline"]]
    money += [m[k] for m in data["monthly"] for k in ("maximum", "target", "offered")]
    dates = [d for e in data["timeline"] for d in (e["from"], e["until"])] + [m["month"] for m in data["monthly"]]
    return [display_money(Decimal(m)) for m in money] + dates + [data["offer"]]


@pytest.fixture
def huge(tmp_path: Path) -> Path:
    """An offer at the bounds: the longest amounts a schedule can show."""
    path = tmp_path / "huge.yaml"
    text = (EXAMPLES / "offers" / "brightpath-warehouse-ready.yaml").read_text()
    path.write_text(text.replace("price_per_participant: 1250.00", "price_per_participant: 999999999.99"))
    return path


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("top", [[], ["--top", "1"]])
def test_match(runner, monkeypatch, width, top):
    text = render(runner, monkeypatch, width, *MATCH, *top)
    assert_fits(text, width)
    assert_present(text, match_values(runner, [*MATCH, *top]))


@pytest.mark.parametrize("width", WIDTHS)
def test_match_with_invalid_offers(runner, monkeypatch, width):
    args = [*MATCH[:3], "tests/data/invalid", *MATCH[3:]]
    text = render(runner, monkeypatch, width, *args)
    assert_fits(text, width)
    assert_present(text, match_values(runner, args))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", [MATCH, SCHEDULE, ["routeways"], ["categories", "3"]], ids=lambda a: a[0])
def test_on_a_terminal_of_each_width(runner, monkeypatch, width, args):
    """As a buyer sees it: the console believes it is a terminal COLUMNS wide (colour off)."""
    monkeypatch.setattr("dps_cli.report.console._isatty", lambda stream: True)
    monkeypatch.setenv("NO_COLOR", "1")
    text = render(runner, monkeypatch, width, *args)
    assert "\x1b" not in text
    assert_fits(text, width)
    if args is MATCH:
        assert_present(text, match_values(runner, MATCH))
    elif args is SCHEDULE:
        assert_present(text, schedule_values(runner, SCHEDULE))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("which", ["example", "huge"])
def test_schedule(runner, monkeypatch, huge, width, which):
    args = (
        SCHEDULE
        if which == "example"
        else ["schedule", str(huge), "--participants", "1000000", "--start", "2026-11-02"]
    )
    text = render(runner, monkeypatch, width, *args)
    assert_fits(text, width)
    assert_present(text, schedule_values(runner, args))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "args",
    [
        ["categories"],
        ["routeways"],
        *(["categories", str(i)] for i in range(1, 9)),
        *(["routeways", f"R{i}"] for i in range(1, 6)),
    ],
    ids=" ".join,
)
def test_reference_views(runner, monkeypatch, width, args):
    text = render(runner, monkeypatch, width, *args)
    assert_fits(text, width)
    data = json.loads(invoke(runner, *args, "--format", "json").stdout)
    items = data if isinstance(data, list) else [data]
    assert_present(text, [str(item["id"]) for item in items])


@pytest.mark.parametrize("width", WIDTHS)
def test_validate(runner, monkeypatch, width):
    text = render(runner, monkeypatch, width, "validate", str(DATA / "invalid"))
    assert_fits(text, width, one_line_findings=True)
    data = json.loads(invoke(runner, "validate", str(DATA / "invalid"), "--format", "json").stdout)
    count = sum(len(f["findings"]) for f in data["files"])
    assert len([line for line in text.splitlines() if re.match(r"\S+:\d+:\d+: ", line)]) == count


def test_piped_output_is_100_columns_without_columns(runner, monkeypatch):
    text = render(runner, monkeypatch, None, *MATCH)
    assert max(cell_len(line) for line in text.splitlines()) == 100  # the ranked table's rule


@pytest.mark.parametrize("columns", ["0", "", "abc", "-5", "80x"])
def test_unusable_columns_is_ignored_never_silencing(runner, monkeypatch, columns):
    assert render(runner, monkeypatch, columns, *MATCH) == render(runner, monkeypatch, None, *MATCH)


def test_a_tiny_columns_is_raised_to_40(runner, monkeypatch):
    text = render(runner, monkeypatch, 10, *SCHEDULE)
    assert_fits(text, 40)
    assert_present(text, schedule_values(runner, SCHEDULE))


def test_goldens_have_no_trailing_spaces():
    for path in (ROOT / "tests" / "golden").glob("*.txt"):
        assert all(line == line.rstrip() for line in path.read_text().splitlines()), path.name


# -- the layout itself -----------------------------------------------------------

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz£-.,", min_size=1, max_size=14)
prose = st.lists(words, min_size=1, max_size=8).map(" ".join)
COLUMNS = [Col("rank", right=True), Col("offer"), Col("supplier", wrap=True), Col("total", right=True), Col("cost")]


@settings(max_examples=150, deadline=None)
@given(
    width=st.integers(min_value=40, max_value=160),
    rows=st.lists(
        st.tuples(st.integers(1, 999), st.from_regex(r"OF-[0-9A-Z]{1,12}", fullmatch=True), prose,
                  st.decimals(0, 100, places=2), st.decimals(0, 10**12, places=2)),
        min_size=1, max_size=6,
    ),
)  # fmt: skip
def test_grid_never_cuts_pads_or_overflows(width, rows):
    cells = [
        [Text(str(rank)), Text(offer), Text(name), Text(f"{total:.2f}"), Text(display_money(cost))]
        for rank, offer, name, total, cost in rows
    ]
    out = io.StringIO()
    emit(Console(file=out, width=width, color_system=None), grid(width, COLUMNS, cells, heading=3))
    text = out.getvalue()
    assert_fits(text, width)
    whole = set(text.split())
    for rank, offer, _, total, cost in rows:
        assert {str(rank), offer, f"{total:.2f}", display_money(cost)} <= whole
