"""Rendering performance as text: a table of measures per call-off, and a chart of its cohorts.

The chart draws one bar per start month for each measure with a target: ``█``
the participants who achieved it (the lower bound), ``░`` those who still
could (up to the upper bound), ``·`` those who no longer can, and ``│`` where
the target lies.  Each bar is followed by the rate and the bounds as numbers,
so the chart reads the same without colour (colour only adds emphasis).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from rich.text import Text

from ..performance import COUNT_NAMES, CallOffPerformance, MeasureResult, Performance, Tally, percent
from .claims import findings_section
from .console import data
from .layout import Col, emit, grid

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

LABELS = {
    "completion": "completion",
    "action_plan": "action plan",
    "sj_outcome": "SJ outcome",
    "job_outcome": "job outcome",
    "mentoring_agreement": "mentoring agreement",
    "in_work_13_weeks": "in work 13 weeks",
}
STYLES = {"good": "green", "approaching-target": "yellow", "requires-improvement": "yellow", "inadequate": "bold red"}
ACHIEVED, OPEN, MISSED, TARGET = "█", "░", "·", "│"
BAR_MIN, BAR_MAX = 10, 50
BAR_ROOM = 7 + 2 + 1 + 25  # month, gap, the target marker, and "  100.00%  100.00–100.00%"


def render_text(console: Console, result: Performance) -> None:
    parts: list[RenderableType] = []
    for calloff in result.calloffs:
        parts += calloff_section(console.width, calloff, result)
    parts += findings_section(console.width, result, "No findings in the events.")
    emit(console, *parts)


def calloff_section(width: int, c: CallOffPerformance, result: Performance) -> list[RenderableType]:
    co = c.calloff
    held = f", {c.withheld} withheld (counted in no measure)" if c.withheld else ""
    parts: list[RenderableType] = [
        data(f"Performance of {co.id} as of {result.as_of}", style="bold"),
        data(f"Supplier: {co.supplier.name}. {co.title} (provision {co.provision}), call-off start {co.start}."),
        Text(f"{c.starters} of {co.participants} contracted participants started{held}."),
        Text(""),
        *measures_table(width, c),
        Text(""),
    ]
    charted = [m for m in c.measures if m.target is not None] or list(c.measures[:1])
    for measure in charted:
        parts += cohort_chart(width, c, measure)
    parts += [cohort_table(width, c), Text("")] if c.cohorts else []
    return parts


def shown(value: Fraction | None) -> str:
    rounded = percent(value)
    return "—" if rounded is None else f"{rounded}%"


def bounds(tally: Tally) -> str:
    lower, upper = percent(tally.lower), percent(tally.upper)
    return "—" if lower is None or upper is None else f"{lower}–{upper}%"


def measures_table(width: int, c: CallOffPerformance) -> list[RenderableType]:
    """The rates against the bid, then who stands where; ``*`` marks a provisional rating."""
    columns = [
        Col("measure", wrap=True),
        Col("rate %", right=True),
        Col("bounds %", right=True),
        Col("bid %", right=True),
        Col("target %", right=True),
        Col("rating", wrap=True),
        Col("warning", wrap=True),
    ]
    counts = [
        Col("measure", wrap=True),
        Col("base"),
        Col("in base", right=True),
        Col("achieved", right=True),
        Col("open", right=True),
        Col("missed", right=True),
        Col("final"),
    ]
    rows = [_measure_row(m) for m in c.measures]
    tallies = [_count_row(m) for m in c.measures]
    note = "Bounds: the lowest and highest the rate can end at."
    if any(m.rating is not None and not m.final for m in c.measures):
        note = "* provisional: some participants are still open. " + note
    return [grid(width, columns, rows), Text(note, style="dim"), Text(""), grid(width, counts, tallies)]


def _count_row(m: MeasureResult) -> list[Text]:
    counts = (m.base_count, m.achieved, m.open, m.missed)
    return [Text(LABELS[m.measure]), Text(m.base), *(Text(str(n)) for n in counts), Text("yes" if m.final else "no")]


def _measure_row(m: MeasureResult) -> list[Text]:
    rating = (m.rating or "—").replace("-", " ") + ("" if m.final or m.rating is None else "*")
    warning = (m.warning or "").replace("-", " ")
    if m.below_target:
        warning = "below target; " + warning if warning else "below target"
    return [
        Text(LABELS[m.measure]),
        Text(number(m.rate)),
        Text(span(m.tally)),
        Text(number(m.commitment)),
        Text(number(m.target)),
        Text(rating, style=STYLES.get(m.rating or "", "")),
        Text(warning or "—", style="bold" if m.warning in ("cannot-meet-target", "cannot-meet-commitment") else ""),
    ]


def number(value: Fraction | None) -> str:
    rounded = percent(value)
    return "—" if rounded is None else str(rounded)


def span(tally: Tally) -> str:
    lower, upper = percent(tally.lower), percent(tally.upper)
    return "—" if lower is None or upper is None else f"{lower}–{upper}"


def cohort_chart(width: int, c: CallOffPerformance, m: MeasureResult) -> list[RenderableType]:
    """One bar per start month for measure ``m``, with the target marked and the figures beside it."""
    size = max(BAR_MIN, min(BAR_MAX, width - BAR_ROOM))
    level = m.target if m.target is not None else m.commitment
    mark = None if level is None else _cells(level, size)
    title = f"{LABELS[m.measure].capitalize()} by start month"
    goal = f"target {shown(m.target)}" if m.target is not None else f"commitment {shown(m.commitment)}"
    lines: list[RenderableType] = [Text(f"{title} ({goal})", style="bold")]
    if not c.cohorts:
        return [*lines, Text("No contracted participant has started yet."), Text("")]
    for cohort in c.cohorts:
        tally = cohort.measures[m.measure]
        line = Text(f"{cohort.month}  ")
        line.append_text(bar(tally, size, mark))
        line.append(f"  {shown(tally.rate):>7}  {bounds(tally)}")
        lines.append(line)
    legend = f"{ACHIEVED} achieved  {OPEN} could still  {MISSED} missed or none  {TARGET} {goal}; rate, then bounds"
    return [*lines, Text(legend, style="dim"), Text("")]


def _cells(value: Fraction, size: int) -> int:
    """How many of ``size`` cells ``value`` % fills, rounded half-up."""
    scaled = value * size / 100
    return int(scaled + Fraction(1, 2))


def bar(tally: Tally, size: int, mark: int | None) -> Text:
    """``size`` cells: achieved, then open, then the rest; ``mark`` puts the target marker before that cell."""
    lower, upper = tally.lower, tally.upper
    filled = 0 if lower is None else _cells(lower, size)
    could = 0 if upper is None else _cells(upper, size) - filled
    cells = [(ACHIEVED, "green")] * filled + [(OPEN, "yellow")] * could + [(MISSED, "")] * (size - filled - could)
    if mark is not None:
        cells.insert(min(mark, size), (TARGET, "bold"))
    out = Text()
    for char, style in cells:
        out.append(char, style=style)
    return out


def cohort_table(width: int, c: CallOffPerformance) -> RenderableType:
    names = [n for n in c.cohorts[0].measures if n != "completion"]
    columns = [Col("month"), Col("starters", right=True), Col("completions", right=True)]
    columns += [Col(COUNT_NAMES[n].replace("_", " "), right=True) for n in names] + [Col("final")]
    rows = [
        [
            Text(k.month),
            Text(str(k.starters)),
            Text(str(k.completions)),
            *(Text(str(k.measures[n].achieved)) for n in names),
            Text("yes" if k.final else "no"),
        ]
        for k in c.cohorts
    ]
    return grid(width, columns, rows)
