"""Rendering a match: the buyer's decision note (text), json and csv."""

from __future__ import annotations

import csv
from fractions import Fraction
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..matching import Excluded, MatchResult, Scored
from ..money import display_money, format_money, round_score
from .console import number

NO_SUITABLE = "no offer is of a suitable standard: none is recommended"


def score(value: Fraction | None) -> float | None:
    """An exact score as a JSON number rounded half-up to 2 dp."""
    return None if value is None else float(round_score(value))


def shown(value: Fraction | None) -> str:
    return "-" if value is None else f"{round_score(value):.2f}"


def _ranked_json(s: Scored) -> dict[str, Any]:
    return {
        "rank": s.rank,
        "offer": s.offer.id,
        "supplier": s.offer.supplier.name,
        "provision": s.offer.provision,
        "total": score(s.total),
        "quality": score(s.quality),
        "fit": score(s.fit),
        "price": score(s.price),
        "suitable": s.suitable,
        "notes": list(s.notes),
        "price_per_participant": format_money(s.offer.price_per_participant),
        "cost": format_money(s.cost),
        "marks": s.marks.model_dump() if s.marks else None,
        "path": s.path,
    }


def _excluded_json(e: Excluded) -> dict[str, Any]:
    return {
        "offer": e.offer,
        "supplier": e.supplier,
        "reasons": [{"rule": r.rule, "message": r.message} for r in e.reasons],
        "path": e.path,
    }


def to_json(result: MatchResult, top: int | None = None) -> dict[str, Any]:
    case, best = result.business_case, result.recommended
    weights = case.evaluation.weights
    return {
        "business_case": case.id,
        "recommended": best.offer.id if best else None,
        "message": _headline(result),
        "weights": {"quality": number(weights.quality), "fit": number(weights.fit), "price": number(weights.price)},
        "minimum_quality": number(case.evaluation.minimum_quality),
        "ranked": [_ranked_json(s) for s in result.ranked[:top]],
        "excluded": [_excluded_json(e) for e in result.excluded],
        "unmatched_marks": list(result.unmatched_marks),
    }


def _headline(result: MatchResult) -> str:
    best = result.recommended
    if best is None:
        return NO_SUITABLE
    return f"invite {best.offer.id} ({best.offer.supplier.name}): rank {best.rank} of {len(result.ranked)}"


CSV_COLUMNS = [
    "rank", "offer", "supplier", "provision", "total", "quality", "fit", "price",
    "suitable", "price_per_participant", "cost", "notes", "reasons",
]  # fmt: skip


def render_csv(stream: IO[str], result: MatchResult, top: int | None = None) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in result.ranked[:top]:
        writer.writerow(
            [s.rank, s.offer.id, s.offer.supplier.name, s.offer.provision, shown(s.total),
             "" if s.quality is None else shown(s.quality), shown(s.fit), shown(s.price),
             "yes" if s.suitable else "no", format_money(s.offer.price_per_participant), format_money(s.cost),
             "; ".join(s.notes), ""]
        )  # fmt: skip
    for e in result.excluded:
        reasons = "; ".join(f"{r.rule}: {r.message}" for r in e.reasons)
        writer.writerow(["", e.offer, e.supplier or "", "", "", "", "", "", "", "", "", "", reasons])


def render_text(console: Console, result: MatchResult, top: int | None = None) -> None:
    case = result.business_case
    w = case.evaluation.weights
    console.print(Text(f"Business case {case.id}: {case.title} ({case.district})", style="bold"), soft_wrap=True)
    console.print(
        f"{case.participants} participants in {', '.join(case.areas)}, starting by {case.start_by}; "
        f"budget {display_money(case.budget)}; accepts {', '.join(case.accepts)}",
        soft_wrap=True,
    )
    console.print(
        f"Weights: quality {number(w.quality)}, fit {number(w.fit)}, price {number(w.price)}. "
        f"Suitable standard: evaluated, no mark below 2, quality at least {number(case.evaluation.minimum_quality)}.",
        soft_wrap=True,
    )
    console.print()
    _recommendation(console, result)
    if result.ranked:
        console.print()
        console.print(Text("Ranked offers", style="bold"))
        console.print(_ranked_table(result, top))
        for s in result.ranked[:top]:
            if s.notes:
                console.print(f"  {s.offer.id} is not of a suitable standard: {'; '.join(s.notes)}", soft_wrap=True)
    if result.excluded:
        console.print()
        console.print(Text("Passed over", style="bold"))
        for e in result.excluded:
            console.print(Text(f"  {e.offer}" + (f" ({e.supplier})" if e.supplier else "")), soft_wrap=True)
            for reason in e.reasons:
                console.print(Text(f"    {reason.rule}: {reason.message}"), soft_wrap=True)
    if result.unmatched_marks:
        console.print()
        console.print(f"Marks given for offers not in this match: {', '.join(result.unmatched_marks)}")


def _recommendation(console: Console, result: MatchResult) -> None:
    best = result.recommended
    if best is None:
        console.print(Text(f"No recommendation: {NO_SUITABLE}.", style="bold red"))
        if result.ranked:
            console.print("Every eligible offer falls short of the suitable standard; see the notes below.")
        else:
            console.print("No offer passed the eligibility checks; see why below.")
        return
    offer, case = best.offer, result.business_case
    console.print(
        Text(f"Recommended: {offer.id}, {offer.supplier.name}: “{offer.title}”", style="bold green"), soft_wrap=True
    )
    console.print(
        f"  rank {best.rank} of {len(result.ranked)}; total {shown(best.total)} (quality {shown(best.quality)}, "
        f"fit {shown(best.fit)}, price {shown(best.price)})",
        soft_wrap=True,
    )
    console.print(
        f"  {case.participants} × {display_money(offer.price_per_participant)} = {display_money(best.cost)} "
        f"of the {display_money(case.budget)} budget",
        soft_wrap=True,
    )
    if best.rank > 1:
        higher = [s.offer.id for s in result.ranked if s.rank < best.rank]
        verb = "which is" if len(higher) == 1 else "which are"
        console.print(f"  ranked below {', '.join(higher)}, {verb} not of a suitable standard", soft_wrap=True)


def _ranked_table(result: MatchResult, top: int | None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name, justify in [("rank", "right"), ("offer", "left"), ("supplier", "left"), ("provision", "left"),
                          ("total", "right"), ("quality", "right"), ("fit", "right"), ("price", "right"),
                          ("cost", "right"), ("suitable", "left")]:  # fmt: skip
        table.add_column(name, justify=justify, no_wrap=name != "supplier")  # type: ignore[arg-type]
    for s in result.ranked[:top]:
        table.add_row(
            str(s.rank), s.offer.id, s.offer.supplier.name, s.offer.provision, shown(s.total), shown(s.quality),
            shown(s.fit), shown(s.price), display_money(s.cost), "yes" if s.suitable else "no",
        )  # fmt: skip
    return table
