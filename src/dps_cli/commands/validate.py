"""`dps validate PATH...`."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from ..findings import ExitCode
from ..report.console import write_json
from .batch import JobsOption, check_batch
from .common import ReferenceOption, reference


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def validate(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH...", help="Files, folders (searched for *.yaml, *.yml) or - for stdin.")
    ],
    output: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="text, json or github (workflow annotations).")
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            metavar="GLOB",
            help="Leave out what a folder search finds that matches, e.g. 'drafts' or '*.tmpl.yaml' (repeatable).",
        ),
    ] = None,
    jobs: JobsOption = None,
    reference_dir: ReferenceOption = None,
) -> None:
    """Check offers, business cases and evaluations against the DPS rules.

    Every finding names its rule, the field, and the line and column in the file.
    In a folder, hidden files and folders are not searched, and YAML files with
    no `kind:` are skipped as not dps files (and counted); a file named
    explicitly is always checked. Exit code 0 when every file is valid (warnings
    allowed unless --strict), 1 when any file has an error, 2 for a usage error.

    Examples: `dps validate offer.yaml`, `dps validate offers/ --format json`,
    `cat offer.yaml | dps validate -`, `dps validate . --format github --strict`.
    """
    from ..report.validation import render_github, render_text, to_json

    ref = reference(reference_dir)
    batch = check_batch(paths, ref, jobs, exclude or ())
    results = batch.results
    if output is ValidateFormat.json:
        write_json(to_json(results, skipped=batch.skipped))
    elif output is ValidateFormat.github:
        render_github(sys.stdout, results, skipped=batch.skipped)
    else:
        render_text(sys.stdout, results, skipped=batch.skipped)
    failed = any(not r.valid for r in results) or (strict and any(r.warnings for r in results))
    raise typer.Exit(ExitCode.FINDINGS if failed else ExitCode.OK)
