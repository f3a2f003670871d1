"""Rendering a match: the buyer's decision note (text), json and csv."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import IO, TYPE_CHECKING, Any

from rich.padding import Padding
from rich.text import Text

from ..matching import Excluded, MatchResult, Scored
from ..money import display_money, format_money, round_money, round_score
from ..panels import offer_panel
from ..past import PastPerformance, all_notes
from .console import data, number, write_csv
from .layout import Col, emit, grid

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

NO_SUITABLE = "no offer is of a suitable standard: none is recommended"


def score(value: Fraction | None) -> float | None:
    """An exact score as a JSON number rounded half-up to 2 dp."""
    return None if value is None else float(round_score(value))


def shown(value: Fraction | None) -> str:
    return "-" if value is None else f"{round_score(value):.2f}"


def _ranked_json(result: MatchResult, s: Scored) -> dict[str, Any]:
    """§4's entry; ``social_value`` only when weighted, the panel's ``reasons``/``individual`` only when recorded."""
    social = {"social_value": score(s.social_value)} if result.weighs_social_value else {}
    return {
        "rank": s.rank,
        "offer": s.offer.id,
        "supplier": s.offer.supplier.name,
        "provision": s.offer.provision,
        "total": score(s.total),
        "quality": score(s.quality),
        "fit": score(s.fit),
        "price": score(s.price),
        **social,
        "suitable": s.suitable,
        "notes": all_notes(s),
        "price_per_participant": format_money(s.offer.price_per_participant),
        "cost": format_money(s.cost),
        "marks": s.marks.given() if s.marks else None,
        **offer_panel(result.evaluations, s.offer.id, "consensus_reasons"),
        "path": s.path,
    }


def weights_json(result: MatchResult) -> dict[str, int | float]:
    w = result.business_case.evaluation.weights
    shown = {"quality": number(w.quality), "fit": number(w.fit), "price": number(w.price)}
    return {**shown, "social_value": number(w.social_value)} if result.weighs_social_value else shown


def _excluded_json(e: Excluded) -> dict[str, Any]:
    return {
        "offer": e.offer,
        "supplier": e.supplier,
        "reasons": [{"rule": r.rule, "message": r.message} for r in e.reasons],
        "notes": all_notes(e),
        "path": e.path,
    }


def to_json(result: MatchResult, top: int | None = None) -> dict[str, Any]:
    case, best = result.business_case, result.recommended
    return {
        "business_case": case.id,
        "recommended": best.offer.id if best else None,
        "message": _headline(result),
        "weights": weights_json(result),
        "minimum_quality": number(case.evaluation.minimum_quality),
        "ranked": [_ranked_json(result, s) for s in listed(result, top)],
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
    "suitable", "price_per_participant", "cost", "notes", "reasons", "path",
]  # fmt: skip


def render_csv(stream: IO[str], result: MatchResult, top: int | None = None) -> None:
    """One row per offer, ranked then passed over; a score that does not exist is an empty cell.

    A ``social_value`` column follows ``price`` only when the business case weights social value."""
    social = result.weighs_social_value
    header: list[object] = [*CSV_COLUMNS[:8], *["social_value"] * social, *CSV_COLUMNS[8:]]
    rows: list[list[object]] = [header]
    for s in listed(result, top):
        rows.append(
            [s.rank, s.offer.id, s.offer.supplier.name, s.offer.provision, _cell(s.total), _cell(s.quality),
             _cell(s.fit), _cell(s.price), *[_cell(s.social_value)] * social, "yes" if s.suitable else "no",
             round_money(s.offer.price_per_participant), round_money(s.cost), "; ".join(all_notes(s)), "", s.path]
        )  # fmt: skip
    for e in result.excluded:
        reasons = "; ".join(f"{r.rule}: {r.message}" for r in e.reasons)
        notes = "; ".join(all_notes(e))
        rows.append(
            ["", e.offer, e.supplier or "", "", "", "", "", "", *[""] * social, "", "", "", notes, reasons, e.path]
        )
    write_csv(stream, rows)


def _cell(value: Fraction | None) -> Decimal | str:
    return "" if value is None else round_score(value)


def listed(result: MatchResult, top: int | None) -> tuple[Scored, ...]:
    """The ``top`` best-ranked offers, then the recommendation if it ranks below them (SPEC §4 ``--top``)."""
    shown = result.ranked[:top]
    best = result.recommended
    if best is not None and all(s is not best for s in shown):
        shown += (best,)
    return shown


def render_text(
    console: Console, result: MatchResult, top: int | None = None, past: PastPerformance | None = None
) -> None:
    """The buyer's decision note: the case, the recommendation, the ranking, what was passed over.

    With ``past`` (``--performance``), a last part lists each offer's past-performance notes.
    """
    parts: list[RenderableType] = [*_case_text(result), Text(), *_recommendation(result)]
    if result.ranked:
        parts += [Text(), Text("Ranked offers", style="bold"), *_ranking(console.width, result, top)]
    if result.excluded:
        parts += [Text(), Text("Passed over", style="bold"), *_passed_over(result.excluded)]
    if past is not None:
        parts += [Text(), *_past_performance(result, top, past)]
    if result.unmatched_marks:
        parts += [Text(), data(f"Marks given for offers not in this match: {', '.join(result.unmatched_marks)}")]
    emit(console, *parts)


def _case_text(result: MatchResult) -> list[Text]:
    case = result.business_case
    w, minimum = case.evaluation.weights, number(case.evaluation.minimum_quality)
    social = f", social value {number(w.social_value)}" if result.weighs_social_value else ""
    return [
        data(f"Business case {case.id}: {case.title} ({case.district})", style="bold"),
        data(
            f"{case.participants} participants in {', '.join(case.areas)}, starting by {case.start_by}; "
            f"budget {display_money(case.budget)}; accepts {', '.join(case.accepts)}"
        ),
        Text(f"Weights: quality {number(w.quality)}, fit {number(w.fit)}, price {number(w.price)}{social}."),
        Text(f"Suitable standard: evaluated, no mark below 2, quality at least {minimum}."),
    ]


def _recommendation(result: MatchResult) -> list[RenderableType]:
    best = result.recommended
    if best is None:
        why = "see the notes below" if result.ranked else "see why below"
        first = (
            "Every eligible offer falls short of the suitable standard"
            if result.ranked
            else ("No offer passed the eligibility checks")
        )
        return [Text(f"No recommendation: {NO_SUITABLE}.", style="bold red"), Text(f"{first}; {why}.")]
    offer, case = best.offer, result.business_case
    lines: list[RenderableType] = [
        data(f"Recommended: {offer.id}, {offer.supplier.name}: “{offer.title}”", style="bold green"),
        _indented(
            f"rank {best.rank} of {len(result.ranked)}; total {shown(best.total)} (quality {shown(best.quality)}, "
            f"fit {shown(best.fit)}, price {shown(best.price)}"
            + (f", social value {shown(best.social_value)})" if result.weighs_social_value else ")")
        ),
        _indented(
            f"{case.participants} × {display_money(offer.price_per_participant)} = {display_money(best.cost)} "
            f"of the {display_money(case.budget)} budget"
        ),
    ]
    if best.rank > 1:
        higher = [s.offer.id for s in result.ranked if s.rank < best.rank]
        verb = "which is" if len(higher) == 1 else "which are"
        lines.append(_indented(f"ranked below {', '.join(higher)}, {verb} not of a suitable standard"))
    if best.past:
        lines.append(_indented("its supplier has past-performance notes: see below"))
    return lines


def _indented(text: str, depth: int = 2) -> Padding:
    """A line of text from the files, wrapped under its own indent."""
    return Padding(data(text), (0, 0, 0, depth))


RANKED_COLUMNS = (
    Col("rank", right=True), Col("offer"), Col("supplier", wrap=True), Col("provision"), Col("total", right=True),
    Col("quality", right=True), Col("fit", right=True), Col("price", right=True), Col("cost", right=True),
    Col("suitable"),
)  # fmt: skip


SOCIAL_COLUMN = Col("social", right=True)


def _ranking(width: int, result: MatchResult, top: int | None) -> list[RenderableType]:
    offers, social = listed(result, top), result.weighs_social_value
    rows = [
        [Text(str(s.rank)), data(s.offer.id), data(s.offer.supplier.name), data(s.offer.provision),
         Text(shown(s.total)), Text(shown(s.quality)), Text(shown(s.fit)), Text(shown(s.price)),
         *[Text(shown(s.social_value))] * social, Text(display_money(s.cost)), Text("yes" if s.suitable else "no")]
        for s in offers
    ]  # fmt: skip
    columns = (*RANKED_COLUMNS[:8], SOCIAL_COLUMN, *RANKED_COLUMNS[8:]) if social else RANKED_COLUMNS
    parts: list[RenderableType] = [grid(width, columns, rows, heading=3)]
    hidden = len(result.ranked) - len(offers)
    if hidden:
        parts.append(Text(f"{hidden} more ranked {'offer' if hidden == 1 else 'offers'} not shown (--top {top})"))
    parts += [_indented(f"{s.offer.id} is not of a suitable standard: {'; '.join(s.notes)}") for s in offers if s.notes]
    return parts


def _passed_over(excluded: Sequence[Excluded]) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for e in excluded:
        parts.append(_indented(f"{e.offer}" + (f" ({e.supplier})" if e.supplier else "")))
        if any(r.rule == "invalid" for r in e.reasons) and e.path != e.offer:
            parts.append(_indented(f"file: {e.path}", 4))
        parts += [_indented(f"{r.rule}: {r.message}", 4) for r in e.reasons]
    return parts


def _past_performance(result: MatchResult, top: int | None, past: PastPerformance) -> list[RenderableType]:
    """Each offer's past-performance notes: for the buyer to weigh; no score, rank or recommendation moves."""
    as_of = f", as of {past.as_of}" if past.as_of else ""
    calloffs = f"{past.calloffs} call-off{'' if past.calloffs == 1 else 's'}{as_of}"
    parts: list[RenderableType] = [
        data(f"Past performance ({calloffs})", style="bold"),
        Text("Notes only: they change no score, rank, suitability or recommendation."),
    ]
    entries: list[tuple[str, str | None, tuple[str, ...]]]
    entries = [(s.offer.id, s.offer.supplier.name, s.past) for s in listed(result, top)]
    entries += [(e.offer, e.supplier, e.past) for e in result.excluded]
    for offer, supplier, notes in entries:
        if notes:
            parts.append(_indented(f"{offer}" + (f" ({supplier})" if supplier else "")))
            parts += [_indented(n, 4) for n in notes]
    if not any(notes for _, _, notes in entries):
        parts.append(_indented("no supplier here has a call-off rated inadequate or warned cannot-meet-target"))
    return parts
