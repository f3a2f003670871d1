"""`dps categories [ID]` and `dps routeways [ID]`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..report.console import make_console, write_json
from .common import ReferenceOption, TableFormat, fail_usage, reference

if TYPE_CHECKING:
    from ..reference import Category, Reference, Routeway

FormatOption = Annotated[TableFormat, typer.Option("--format", "-f", help="text (a table) or json.")]


def categories(
    category_id: Annotated[int | None, typer.Argument(metavar="[ID]", help="One category, 1-8.")] = None,
    output: FormatOption = TableFormat.text,
    reference_dir: ReferenceOption = None,
) -> None:
    """List the employability categories: funding split and targets.

    Give an ID to see one category in full, with its overview and content.

    Examples: `dps categories`, `dps categories 4`, `dps categories --format json`.
    """
    ref = reference(reference_dir)
    items = list(ref.categories.values())
    if category_id is not None:
        if category_id not in ref.categories:
            fail_usage(f"no category {category_id}", f"categories are {', '.join(map(str, ref.categories))}")
        items = [ref.categories[category_id]]
    _show(items, ref, output, one=category_id is not None)


def routeways(
    routeway_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="One routeway, e.g. R3.")] = None,
    output: FormatOption = TableFormat.text,
    reference_dir: ReferenceOption = None,
) -> None:
    """List the routeways: their categories, funding split and targets.

    Examples: `dps routeways`, `dps routeways R2 --format json`.
    """
    ref = reference(reference_dir)
    items = list(ref.routeways.values())
    if routeway_id is not None:
        key = routeway_id.strip().upper()
        if key not in ref.routeways:
            fail_usage(f"no routeway {routeway_id}", f"routeways are {', '.join(ref.routeways)}")
        items = [ref.routeways[key]]
    _show(items, ref, output, one=routeway_id is not None)


def _show(items: list[Category] | list[Routeway], ref: Reference, output: TableFormat, *, one: bool) -> None:
    from ..report.reference import provision_json, render_list, render_one

    if output is TableFormat.json:
        documents = [provision_json(item) for item in items]
        write_json(documents[0] if one else documents)
    elif one:
        render_one(make_console(), items[0], ref)
    else:
        render_list(make_console(), items, ref)
