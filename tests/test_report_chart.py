"""The in-life chart (SPEC §11): inline SVG, well-formed, no script, marks where the numbers say."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from dps_cli.report.chart import LEFT, MONTHS, PLOT, RIGHT, TOP, WIDTH, Chart, Point, description, svg
from dps_cli.report.markdown import strip

NS = "{http://www.w3.org/2000/svg}"
EXAMPLE = Chart(
    "job_outcome",
    D("45"),
    D("50"),
    (
        Point("2026-11", 20, D("66.67"), D("31.58"), D("84.21"), False),
        Point("2026-12", 12, None, D("0"), D("100"), False),
        Point("2027-01", 6, D("100"), D("100"), D("100"), True),
        Point("2027-02", 0, None, None, None, False),
    ),
)


def tree(chart: Chart = EXAMPLE, ident: str = "c1") -> ET.Element:
    return ET.fromstring(svg(chart, ident))


def y(percent: str) -> float:
    return TOP + PLOT - float(percent) * PLOT / 100


def test_well_formed_accessible_and_inert():
    root = tree()
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}" == "c1-title c1-desc"
    assert title.text == "job_outcome by start month"
    assert desc.text == description(EXAMPLE)
    for element in root.iter():
        assert element.tag.removeprefix(NS) not in ("script", "foreignObject", "a", "image", "use", "style")
        assert not any(name.startswith("on") or "href" in name for name in element.attrib)


def test_bars_and_dots_where_the_numbers_say():
    root = tree()
    bars = root.findall(f"{NS}rect[@class='range']")
    assert len(bars) == 3  # the cohort with no base has no bar
    assert float(bars[0].get("y")) == round(y("84.21"), 1)
    assert float(bars[0].get("height")) == round(y("31.58") - y("84.21"), 1)
    assert float(bars[1].get("y")) == y("100") and float(bars[1].get("height")) == PLOT
    assert float(bars[2].get("height")) == 1.5  # final: lower = upper, still visible
    dots = root.findall(f"{NS}circle[@class='rate']")
    assert [float(d.get("cy")) for d in dots] == [round(y("66.67"), 1), y("100")]  # no dot where no rate
    slot = (WIDTH - LEFT - RIGHT) / 4
    assert float(dots[0].get("cx")) == round(LEFT + slot / 2, 1)
    assert float(dots[1].get("cx")) == round(LEFT + slot * 2.5, 1)


def test_target_dashed_commitment_solid():
    root = tree()
    target = root.find(f"{NS}line[@class='target']")
    commitment = root.find(f"{NS}line[@class='commitment']")
    assert target is not None and commitment is not None
    assert float(target.get("y1")) == y("45") and target.get("stroke-dasharray")
    assert float(commitment.get("y1")) == y("50") and commitment.get("stroke-dasharray") is None
    legend = [t.text for t in root.iter(f"{NS}text")]
    assert "commitment 50%" in legend and "target 45%" in legend
    assert "lower to upper bound" in legend and "achieved rate" in legend


def test_no_target_no_line():
    root = tree(Chart("completion", None, D("85.5"), EXAMPLE.points))
    assert root.find(f"{NS}line[@class='target']") is None
    assert "commitment 85.5%" in [t.text for t in root.iter(f"{NS}text")]
    assert "no commitment" not in description(Chart("completion", None, D("85.5"), ()))
    assert "against no commitment or target" in description(Chart("completion", None, None, ()))


def test_month_labels_thin_out_and_years_show():
    months = [f"{2026 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(36)]
    chart = Chart("job_outcome", None, None, tuple(Point(m, 1, None, None, None, False) for m in months))
    texts = [t.text for t in tree(chart).iter(f"{NS}text")]
    names = [t for t in texts if t in MONTHS]
    assert len(names) == 12  # every third month of 36
    assert "2026" in texts and "2027" in texts and "2028" in texts


percents = st.decimals(0, 100, places=2)


@st.composite
def points(draw: st.DrawFn) -> Point:
    a, b = sorted((draw(percents), draw(percents)))
    rate = draw(st.one_of(st.none(), st.decimals(a, b, places=2)))
    month = f"{draw(st.integers(2000, 2099))}-{draw(st.integers(1, 12)):02d}"
    return Point(month, draw(st.integers(0, 1000)), rate, a, b, a == b)


@given(st.lists(points(), min_size=1, max_size=60), st.one_of(st.none(), percents), st.one_of(st.none(), percents))
def test_property_every_mark_inside_the_plot_and_the_dot_on_its_bar(cohorts, target, commitment):
    root = tree(Chart("job_outcome", target, commitment, tuple(cohorts)))
    bars = root.findall(f"{NS}rect[@class='range']")
    assert len(bars) == len(cohorts)
    dots = iter(root.findall(f"{NS}circle[@class='rate']"))
    for point, bar in zip(cohorts, bars, strict=True):
        top, height = float(bar.get("y")), float(bar.get("height"))
        assert top >= TOP - 0.1 and top + height <= TOP + PLOT + 1.6
        assert float(bar.get("x")) >= LEFT and float(bar.get("x")) + float(bar.get("width")) <= WIDTH - RIGHT + 0.1
        if point.rate is not None:
            dot = next(dots)
            assert top - 0.2 <= float(dot.get("cy")) <= top + height + 0.2  # each drawn to 0.1
    assert next(dots, None) is None


def test_markdown_strip():
    assert (
        strip(Point("2026-11", 1, D("66.67"), D("31.58"), D("84.21"), False))
        == "░" * 6 + "█" * 7 + "●" + "█" * 3 + "░" * 3
    )
    assert strip(Point("2026-11", 1, None, D("0"), D("100"), False)) == "█" * 20
    assert strip(Point("2026-11", 1, D("100"), D("100"), D("100"), True)) == "░" * 19 + "●"
    assert strip(Point("2026-11", 1, D("0"), D("0"), D("0"), True)) == "●" + "░" * 19
    assert strip(Point("2026-11", 1, D("50"), D("50"), D("50"), True)) == "░" * 10 + "●" + "░" * 9
    assert strip(Point("2026-11", 0, None, None, None, False)) == "·" * 20
