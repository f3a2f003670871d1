"""The `dps` command: a thin typer shell over the domain core."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from . import __version__, process
from .commands import authoring, award, claims, marks, match, performance, reference, report, schedule, validate


class _Command(TyperCommand):
    """Help as users read it: argument names without Python types (`<list[str]>`, `<path>`)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [_name(p) for p in self.get_params(ctx) if p.param_type_name == "argument"]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((_name(param), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _name(argument: Any) -> str:
    return str(argument.metavar or (argument.name or "").upper())


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


app.command(cls=_Command)(reference.categories)
app.command(cls=_Command)(reference.routeways)
app.command(cls=_Command)(validate.validate)
app.command("match", cls=_Command)(match.match_command)
app.command(cls=_Command)(schedule.schedule)
app.command(cls=_Command)(authoring.schema)
app.command(cls=_Command)(authoring.new)
app.command("award", cls=_Command)(award.award_command)
app.command("report", cls=_Command)(report.report_command)
app.command("claims", cls=_Command)(claims.claims_command)
app.command("performance", cls=_Command)(performance.performance_command)

marks_app = typer.Typer(
    name="marks", help=marks.HELP, no_args_is_help=True, add_completion=False, rich_markup_mode=None
)
marks_app.command("sheet", cls=_Command)(marks.sheet_command)
marks_app.command("combine", cls=_Command)(marks.combine_command)
app.add_typer(marks_app, name="marks")


def run() -> None:
    """Entry point: signals and closed streams end the run cleanly (see :mod:`.process`).

    The last-resort guard prints one line, never a traceback, for a bug; every
    known trigger (bad input, signals, closed streams, lost workers) is
    handled before it.
    """
    process.install()
    with process.handled():
        try:
            app()
        except Exception as error:  # pragma: no cover - only reached through a bug
            print(f"dps: internal error: {type(error).__name__}: {error}", file=sys.stderr)
            print("  please report this with the file that caused it", file=sys.stderr)
            sys.exit(1)
