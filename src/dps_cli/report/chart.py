"""The in-life chart of the decision record: one measure by start month, as inline SVG (no script, no fetch).

For each start-month cohort a bar spans the lower and upper bounds and a dot
marks the achieved rate; the commitment is a solid line and the target a
dashed one, across the plot.  Shape and line style carry the meaning, colour
only repeats it, so the chart reads printed in black and white; a legend names
each mark, and the ``<title>`` and ``<desc>`` (and the table the record puts
under it) say the same in words.  The drawing is 360 units wide, so it is
drawn at about its own size on a 360-pixel screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

WIDTH = 360
LEFT, RIGHT = 36, 8  # room for the axis labels; a little air on the right
TOP, PLOT = 46, 160  # the legend's two lines above the plot; the plot's height
HEIGHT = TOP + PLOT + 34  # two lines of month labels under it
MAX_LABELS = 12  # month labels along the axis; more months are labelled every few
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
INK, RANGE, COMMIT, TARGET, GRID = "#1b1b1b", "#c9d7ec", "#1d4f91", "#8a1c1c", "#c8c8c8"


@dataclass(frozen=True)
class Point:
    """One start-month cohort of one measure; percentages 0-100, None where there is none."""

    month: str  # YYYY-MM
    starters: int
    rate: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    final: bool


@dataclass(frozen=True)
class Chart:
    measure: str
    target: Decimal | None
    commitment: Decimal | None
    points: tuple[Point, ...]


def svg(chart: Chart, ident: str) -> str:
    """The chart as an ``<svg>`` element; ``ident`` makes its ids unique in the page."""
    title, desc = f"{ident}-title", f"{ident}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title} {desc}" class="chart" font-size="11">',
        f'<title id="{title}">{_e(chart.measure)} by start month</title>',
        f'<desc id="{desc}">{_e(description(chart))}</desc>',
        *_legend(chart),
        *_axis(),
        *_cohorts(chart.points),
        *_lines(chart),
        *_months(chart.points),
        "</svg>",
    ]
    return "\n".join(parts)


def description(chart: Chart) -> str:
    """The chart in words: what is drawn, against what, and where the numbers are."""
    against = []
    if chart.commitment is not None:
        against.append(f"the commitment of {percent(chart.commitment)} (solid line)")
    if chart.target is not None:
        against.append(f"the target of {percent(chart.target)} (dashed line)")
    lines = " and ".join(against) or "no commitment or target"
    months = len(chart.points)
    return (
        f"For each of {months} start-month cohort{'' if months == 1 else 's'}, a bar from the lower to the upper "
        f"bound of the final rate and a dot at the achieved rate so far, against {lines}. "
        "The table that follows gives the same numbers."
    )


def caption(chart: Chart) -> str:
    """What to look at, under the chart."""
    lines = []
    if chart.commitment is not None:
        lines.append(f"the solid line is the commitment ({percent(chart.commitment)})")
    if chart.target is not None:
        lines.append(f"the dashed line the target ({percent(chart.target)})")
    drawn = f"; {', '.join(lines)}" if lines else ""
    return (
        f"{chart.measure} for each start-month cohort: the bar runs from the lower to the upper bound, "
        f"the dot is the rate so far{drawn}."
    )


def percent(value: Decimal) -> str:
    text = f"{value:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _y(value: Decimal) -> float:
    return TOP + PLOT - float(max(Decimal(0), min(value, Decimal(100)))) * PLOT / 100


def _legend(chart: Chart) -> list[str]:
    out = [
        f'<rect x="{LEFT}" y="6" width="10" height="12" fill="{RANGE}" stroke="{COMMIT}"/>',
        f'<text x="{LEFT + 15}" y="16">lower to upper bound</text>',
        f'<circle cx="{LEFT + 160}" cy="12" r="4" fill="{INK}"/>',
        f'<text x="{LEFT + 169}" y="16">achieved rate</text>',
    ]
    if chart.commitment is not None:
        out += [
            f'<line x1="{LEFT}" y1="30" x2="{LEFT + 12}" y2="30" stroke="{COMMIT}" stroke-width="2"/>',
            f'<text x="{LEFT + 16}" y="34">commitment {_e(percent(chart.commitment))}</text>',
        ]
    if chart.target is not None:
        out += [
            f'<line x1="{LEFT + 160}" y1="30" x2="{LEFT + 172}" y2="30" stroke="{TARGET}" stroke-width="2" '
            'stroke-dasharray="4 3"/>',
            f'<text x="{LEFT + 176}" y="34">target {_e(percent(chart.target))}</text>',
        ]
    return out


def _axis() -> list[str]:
    out = []
    for tick in (0, 25, 50, 75, 100):
        y = _y(Decimal(tick))
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{tick}%</text>')
    return out


def _slot(index: int, count: int) -> tuple[float, float]:
    """The centre of the ``index``-th month's slot and the slot's width."""
    width = (WIDTH - LEFT - RIGHT) / max(count, 1)
    return LEFT + width * (index + 0.5), width


def _cohorts(points: tuple[Point, ...]) -> list[str]:
    out = []
    for index, point in enumerate(points):
        centre, width = _slot(index, len(points))
        bar = min(width * 0.5, 22)
        if point.lower is not None and point.upper is not None:
            top, bottom = _y(point.upper), _y(point.lower)
            out.append(
                f'<rect class="range" x="{centre - bar / 2:.1f}" y="{top:.1f}" width="{bar:.1f}" '
                f'height="{max(bottom - top, 1.5):.1f}" fill="{RANGE}" stroke="{COMMIT}"/>'
            )
        if point.rate is not None:
            radius = min(4.0, width * 0.3)
            out.append(
                f'<circle class="rate" cx="{centre:.1f}" cy="{_y(point.rate):.1f}" r="{radius:.1f}" fill="{INK}"/>'
            )
    return out


def _lines(chart: Chart) -> list[str]:
    out = []
    right = WIDTH - RIGHT
    if chart.commitment is not None:
        y = _y(chart.commitment)
        out.append(
            f'<line class="commitment" x1="{LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{COMMIT}" '
            'stroke-width="2"/>'
        )
    if chart.target is not None:
        y = _y(chart.target)
        out.append(
            f'<line class="target" x1="{LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{TARGET}" '
            'stroke-width="2" stroke-dasharray="4 3"/>'
        )
    return out


def _months(points: tuple[Point, ...]) -> list[str]:
    every = -(-len(points) // MAX_LABELS)
    out = []
    for index, point in enumerate(points):
        if index % every:
            continue
        centre, _ = _slot(index, len(points))
        year, month = point.month[:4], int(point.month[5:7])
        out.append(f'<text x="{centre:.1f}" y="{TOP + PLOT + 14}" text-anchor="middle">{MONTHS[month - 1]}</text>')
        if index == 0 or month <= every:  # the year under the first month and under each January
            out.append(f'<text x="{centre:.1f}" y="{TOP + PLOT + 28}" text-anchor="middle">{_e(year)}</text>')
    return out


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
