"""The one way out to a reader: consoles, safe text, safe CSV cells, JSON.

Text from input files is data, never terminal control (SPEC §3): every value
read from a file reaches the console through :func:`safe_text` (or
:func:`data`, its :class:`~rich.text.Text` form), and consoles never read
rich markup, so a supplier's ``[link=…]`` or ``\\x1b]0;…`` is shown, not run.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

PLAIN_WIDTH = 100  # piped output when COLUMNS is not set
MIN_WIDTH = 40  # below this no layout is readable; a smaller COLUMNS is raised to it
MAX_WIDTH = 1000
TERMINAL_WIDTH = 80  # a terminal that cannot say its size

# C0 but tab, DEL, C1; bidi overrides and isolates (they reorder what a reader
# sees); line and paragraph separators; lone surrogates (bytes of a file name
# that is not UTF-8, which no stream could encode).
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: object) -> str:
    """``value`` as text that cannot act on a terminal: ``ESC`` becomes ``\\x1b``."""
    return _UNSAFE.sub(_escaped, str(value))


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def data(value: object, style: str = "") -> Text:
    """A value from an input file as rich Text: escaped, never read as markup; a tab is a space in a layout."""
    from rich.text import Text

    return Text(safe_text(value).replace("\t", " "), style=style, overflow="fold")


def csv_cell(value: object) -> str:
    """A text cell a spreadsheet never runs (``=HYPERLINK(…)`` becomes ``'=HYPERLINK(…)``), escaped like text."""
    text = safe_text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(stream: IO[str], rows: Iterable[Iterable[object]]) -> None:
    """Rows of text cells (each made safe) and numbers (``int`` or ``Decimal``, written as they are)."""
    writer = csv.writer(stream, lineterminator="\n")
    for row in rows:
        writer.writerow([cell if isinstance(cell, int | Decimal) else csv_cell(cell) for cell in row])


def make_console(stream: IO[str] | None = None) -> Console:
    """A console that colours only a terminal and never under ``NO_COLOR``.

    Colour is decided here from the stream itself, so variables such as
    ``GITHUB_ACTIONS`` or ``FORCE_COLOR`` (which other tools read as "force a
    terminal") never put escape codes into piped or captured output. Markup is
    off: strings are printed as they are.
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
        width=width(stream),
        highlight=False,
        emoji=False,
        soft_wrap=False,
        markup=False,
    )


def width(stream: IO[str]) -> int:
    """``COLUMNS`` when it is a usable number, else the terminal's width, else 100 for piped output."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(MIN_WIDTH, min(int(columns), MAX_WIDTH))
    if not _isatty(stream):
        return PLAIN_WIDTH
    try:
        size = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        size = 0
    return max(MIN_WIDTH, min(size, MAX_WIDTH)) if size else TERMINAL_WIDTH


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
    """``json.dumps(document, indent=2, ensure_ascii=False)`` and a newline, written as it is encoded.

    Joining the whole text first would hold every piece of it at once: for a big batch,
    more memory than the batch itself.
    """
    stream = stream or sys.stdout
    pieces: list[str] = []
    for piece in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(document):
        pieces.append(piece)
        if len(pieces) >= _PIECES:
            stream.write("".join(pieces))
            pieces.clear()
    pieces.append("\n")
    stream.write("".join(pieces))


_PIECES = 8192  # encoded pieces (a few bytes each) written at once
