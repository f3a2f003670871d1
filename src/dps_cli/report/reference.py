"""Views of the reference data: `dps categories` and `dps routeways`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from ..reference import Category, Provision, Reference, Routeway
from .console import data, number
from .layout import Col, emit, grid

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


def provision_json(provision: Category | Routeway) -> dict[str, Any]:
    data: dict[str, Any] = {"id": provision.id, "name": provision.name}
    if isinstance(provision, Routeway):
        data["categories"] = list(provision.categories)
    data["funding"] = {m: number(p) for m, p in provision.funding.shares()}
    data["targets"] = {m: number(p) for m, p in provision.targets.items()}
    data["targets_rule"] = provision.targets_rule
    if isinstance(provision, Category):
        data["overview"] = provision.overview
        data["content"] = list(provision.content)
        if provision.alone_contract_value_over is not None:
            data["alone_contract_value_over"] = str(provision.alone_contract_value_over)
    return data


def split_text(provision: Provision) -> str:
    return " / ".join(f"{number(p)}% {m.replace('_', ' ')}" for m, p in provision.funding.shares() if p)


def targets_text(provision: Provision, ref: Reference) -> str:
    joiner = " and/or " if provision.targets_rule == "any" else "; "
    return joiner.join(
        f"{measure} {number(pct)}% of {ref.measures[measure].base}" for measure, pct in provision.targets.items()
    )


def render_list(console: Console, items: list[Category] | list[Routeway], ref: Reference) -> None:
    routeways = bool(items) and isinstance(items[0], Routeway)
    columns = [Col("id"), Col("name", wrap=True)]
    if routeways:
        columns.append(Col("categories", wrap=True))
    columns += [Col(f"{m} %", right=True) for m in ("start", "completion", "job outcome")]
    columns.append(Col("targets", wrap=True))
    rows = []
    for item in items:
        cells = [data(item.id, style="bold"), data(item.name)]
        if isinstance(item, Routeway):
            cells.append(Text(", ".join(map(str, item.categories))))
        cells += [Text(str(number(p))) for _, p in item.funding.shares()]
        cells.append(data(targets_text(item, ref)))
        rows.append(cells)
    emit(console, grid(console.width, columns, rows, heading=2))


def render_one(console: Console, item: Category | Routeway, ref: Reference) -> None:
    kind = "Category" if isinstance(item, Category) else "Routeway"
    parts: list[RenderableType] = [data(f"{kind} {item.id}: {item.name}", style="bold"), Text()]
    if isinstance(item, Category):
        parts += [data(item.overview), Text(), Text("Content", style="bold"), _bullets(item.content)]
    else:
        names = ", ".join(f"{ref.categories[c].name} ({c})" for c in item.categories if c in ref.categories)
        parts.append(data(f"Categories: {names}"))
    parts += [Text(), data(f"Funding: {split_text(item)}"), data(f"Targets: {targets_text(item, ref)}")]
    if isinstance(item, Category) and item.alone_contract_value_over is not None:
        value = item.alone_contract_value_over
        parts.append(Text(f"Alone (not in a routeway) the contract value must be over £{value:,.2f}"))
    emit(console, *parts)


def _bullets(lines: Sequence[str]) -> RenderableType:
    """One bullet per line, each wrapped under its own text."""
    table = Table.grid()
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for line in lines:
        table.add_row("  • ", data(line))
    return table
