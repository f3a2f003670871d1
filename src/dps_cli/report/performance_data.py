"""Performance as data: SPEC §9's json, and csv with one row per call-off and measure."""

from __future__ import annotations

from fractions import Fraction
from typing import IO, Any

from ..performance import COUNT_NAMES, CallOffPerformance, Cohort, MeasureResult, Performance, percent
from .claims import finding_json
from .console import write_csv

CSV_HEADER = (
    "calloff",
    "supplier",
    "provision",
    "as_of",
    "measure",
    "base",
    "base_count",
    "achieved",
    "open",
    "missed",
    "final",
    "rate",
    "lower",
    "upper",
    "target",
    "commitment",
    "rating",
    "below_target",
    "warning",
)


def pct(value: Fraction | None) -> float | None:
    """A percentage as a JSON number with 2 dp, rounded half-up (``null`` when undefined)."""
    shown = percent(value)
    return None if shown is None else float(shown)


def to_json(result: Performance) -> dict[str, Any]:
    return {
        "as_of": result.as_of.isoformat(),
        "calloffs": [calloff_json(c) for c in result.calloffs],
        "findings": [finding_json(f) for f in result.findings],
        "summary": {"calloffs": len(result.calloffs), "inadequate": result.inadequate, "warnings": result.warned},
    }


def calloff_json(c: CallOffPerformance) -> dict[str, Any]:
    return {
        "calloff": c.calloff.id,
        "supplier": c.calloff.supplier.name,
        "provision": c.calloff.provision,
        "participants": c.calloff.participants,
        "starters": c.starters,
        "measures": [measure_json(m) for m in c.measures],
        "cohorts": [cohort_json(k) for k in c.cohorts],
    }


def measure_json(m: MeasureResult) -> dict[str, Any]:
    return {
        "measure": m.measure,
        "base": m.base,
        "base_count": m.base_count,
        "target": pct(m.target),
        "commitment": pct(m.commitment),
        "achieved": m.achieved,
        "open": m.open,
        "missed": m.missed,
        "final": m.final,
        "rate": pct(m.rate),
        "lower": pct(m.lower),
        "upper": pct(m.upper),
        "rating": m.rating,
        "below_target": m.below_target,
        "warning": m.warning,
    }


def cohort_json(k: Cohort) -> dict[str, Any]:
    counts = {COUNT_NAMES[name]: t.achieved for name, t in k.measures.items() if name != "completion"}
    return {"month": k.month, "starters": k.starters, "completions": k.completions, **counts, "final": k.final}


def render_csv(stream: IO[str], result: Performance) -> None:
    rows: list[list[object]] = [list(CSV_HEADER)]
    for c in result.calloffs:
        head = [c.calloff.id, c.calloff.supplier.name, c.calloff.provision, result.as_of.isoformat()]
        rows += [head + _csv_measure(m) for m in c.measures]
    write_csv(stream, rows)


def _csv_measure(m: MeasureResult) -> list[object]:
    shown = [percent(v) for v in (m.rate, m.lower, m.upper, m.target, m.commitment)]
    below = "" if m.below_target is None else str(m.below_target).lower()
    counts: list[object] = [m.base_count, m.achieved, m.open, m.missed, str(m.final).lower()]
    return [
        m.measure,
        m.base,
        *counts,
        *("" if v is None else v for v in shown),
        m.rating or "",
        below,
        m.warning or "",
    ]
