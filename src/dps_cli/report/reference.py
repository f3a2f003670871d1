"""Views of the reference data: `dps categories` and `dps routeways`."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..reference import Category, Provision, Reference, Routeway
from .console import number


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
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("id", style="bold")
    table.add_column("name", overflow="fold")
    if routeways:
        table.add_column("categories")
    table.add_column("start %", justify="right")
    table.add_column("completion %", justify="right")
    table.add_column("job outcome %", justify="right")
    table.add_column("targets", overflow="fold")
    for item in items:
        cells = [str(item.id), item.name]
        if isinstance(item, Routeway):
            cells.append(", ".join(map(str, item.categories)))
        cells += [str(number(p)) for _, p in item.funding.shares()]
        cells.append(targets_text(item, ref))
        table.add_row(*cells)
    console.print(table)


def render_one(console: Console, item: Category | Routeway, ref: Reference) -> None:
    parts: list[Any] = []
    if isinstance(item, Category):
        parts += [Text(item.overview), Text(""), Text("Content", style="bold")]
        parts += [Text(f"  • {line}") for line in item.content]
    else:
        names = ", ".join(f"{ref.categories[c].name} ({c})" for c in item.categories if c in ref.categories)
        parts.append(Text(f"Categories: {names}"))
    parts += [Text(""), Text(f"Funding: {split_text(item)}"), Text(f"Targets: {targets_text(item, ref)}")]
    if isinstance(item, Category) and item.alone_contract_value_over is not None:
        parts.append(
            Text(f"Alone (not in a routeway) the contract value must be over £{item.alone_contract_value_over:,.2f}")
        )
    title = f"{'Category' if isinstance(item, Category) else 'Routeway'} {item.id}: {item.name}"
    console.print(Panel(Group(*parts), title=title, title_align="left", box=box.ROUNDED, expand=False))
