"""Terminal detection: rich output on a terminal, plain stable text otherwise."""

from __future__ import annotations

import json
import os
import sys
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

PLAIN_WIDTH = 100


def make_console(stream: IO[str] | None = None) -> Console:
    """A console that colours only a terminal and never under ``NO_COLOR``.

    Colour is decided here from the stream itself, so variables such as
    ``GITHUB_ACTIONS`` or ``FORCE_COLOR`` (which other tools read as "force a
    terminal") never put escape codes into piped or captured output.
    """
    from rich.console import Console

    stream = stream or sys.stdout
    tty = _isatty(stream)
    return Console(
        file=stream,
        force_terminal=tty,
        force_interactive=tty,
        no_color=not tty or "NO_COLOR" in os.environ,
        color_system="auto" if tty and "NO_COLOR" not in os.environ else None,
        width=None if tty else PLAIN_WIDTH,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        markup=True,
    )


def colour(stream: IO[str]) -> bool:
    """Whether to colour ``stream``: a terminal, and ``NO_COLOR`` not set."""
    return _isatty(stream) and "NO_COLOR" not in os.environ


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def number(value: Decimal) -> int | float:
    """A Decimal as a JSON number: ``30`` stays an int, ``12.5`` a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def write_json(document: Any, stream: IO[str] | None = None) -> None:
    stream = stream or sys.stdout
    stream.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
