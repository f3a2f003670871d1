"""The `dps` command: a thin typer shell over the domain core."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import __version__
from .commands import authoring, award, match, reference, report, schedule, validate

app = typer.Typer(
    name="dps",
    help="Validate, match and schedule payments for DWP Dynamic Purchasing System offers and business cases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"dps {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Validate, match and schedule payments for DWP Dynamic Purchasing System offers and business cases."""


app.command()(reference.categories)
app.command()(reference.routeways)
app.command()(validate.validate)
app.command("match")(match.match_command)
app.command()(schedule.schedule)
app.command()(authoring.schema)
app.command()(authoring.new)
app.command("award")(award.award_command)
app.command("report")(report.report_command)


def run() -> None:
    """Entry point with a last-resort guard: a bug prints one line, never a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        print("dps: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # pragma: no cover - only reached through a bug
        print(f"dps: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("  please report this with the file that caused it", file=sys.stderr)
        sys.exit(1)
