"""`dps schema KIND` and `dps new KIND [-o FILE]`: help for writing files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..report.console import safe_text, write_json
from .common import ReferenceOption, reference, write_new


class Kind(StrEnum):
    offer = "offer"
    business_case = "business-case"
    evaluations = "evaluations"


class SchemaKind(StrEnum):
    """Every kind of file has a schema; a call-off has no template (dps award makes it)."""

    offer = "offer"
    business_case = "business-case"
    evaluations = "evaluations"
    call_off = "call-off"


KindArgument = Annotated[Kind, typer.Argument(help="offer, business-case or evaluations.")]
SchemaKindArgument = Annotated[SchemaKind, typer.Argument(help="offer, business-case, evaluations or call-off.")]


def schema(kind: SchemaKindArgument, reference_dir: ReferenceOption = None) -> None:
    """Print the JSON Schema of a file kind, for editors.

    Save it beside your files and name it in the first line of each file:
    `# yaml-language-server: $schema=offer.schema.json`.

    Example: `dps schema offer > offer.schema.json`.
    """
    from ..schema import json_schema

    write_json(json_schema(kind.value, reference(reference_dir)))


def new(
    kind: KindArgument,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write here (never over an existing file).")
    ] = None,
) -> None:
    """Print or write an annotated template to fill in.

    Examples: `dps new offer -o my-offer.yaml`, `dps new business-case`.
    """
    from importlib import resources

    template = (resources.files("dps_cli") / "templates" / f"{kind.value}.yaml").read_text(encoding="utf-8")
    write_new(template, output, f"; fill it in, then run: dps validate {safe_text(output)}")
