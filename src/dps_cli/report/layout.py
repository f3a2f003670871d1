"""Tables for any terminal width, and output with no trailing spaces.

A table is drawn when it fits the console; prose columns (names, targets) wrap
between words to make it fit. Ids, amounts, scores and dates never wrap and are
never cut: when even the narrowest table would be too wide, each row becomes a
block instead, its first cells on one line and the rest as ``name value``
pairs under it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Group
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

GAP = 3  # between columns: padding, rule, padding
INDENT = 4  # the pairs under a block's first line
PAIR_GAP = "   "


@dataclass(frozen=True)
class Col:
    """A column: prose may wrap between words; anything else is kept whole."""

    name: str
    right: bool = False
    wrap: bool = False


def grid(width: int, columns: Sequence[Col], rows: Sequence[Sequence[Text]], *, heading: int = 1) -> RenderableType:
    """``rows`` as a table ``width`` columns wide at most, or as blocks when no table fits."""
    widths = fitted_widths(width, columns, rows)
    if widths is None:
        return _blocks(width, columns, rows, heading)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column, size in zip(columns, widths, strict=True):
        table.add_column(column.name, justify="right" if column.right else "left", width=size, overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def natural_width(columns: Sequence[Col], rows: Sequence[Sequence[Text]]) -> int:
    """How wide the table is when nothing wraps."""
    return sum(_natural(i, c, rows) for i, c in enumerate(columns)) + GAP * (len(columns) - 1)


def fitted_widths(width: int, columns: Sequence[Col], rows: Sequence[Sequence[Text]]) -> list[int] | None:
    """Each column's width in a table at most ``width`` wide, or None when none can be."""
    natural = [_natural(i, c, rows) for i, c in enumerate(columns)]
    least = [_least(i, c, rows) if c.wrap else natural[i] for i, c in enumerate(columns)]
    room = width - GAP * (len(columns) - 1)
    if sum(natural) <= room:
        return natural
    if sum(least) > room:
        return None
    return _share(room - sum(least), least, natural)


def _share(spare: int, least: list[int], natural: list[int]) -> list[int]:
    """Give ``spare`` cells to the columns that would wrap, the smallest wants first (so short headers stay whole)."""
    widths = list(least)
    wanting = sorted((i for i in range(len(least)) if natural[i] > least[i]), key=lambda i: natural[i] - least[i])
    for done, i in enumerate(wanting):
        give = min(natural[i] - least[i], spare // (len(wanting) - done))
        widths[i] += give
        spare -= give
    return widths


def _cells(index: int, column: Col, rows: Sequence[Sequence[Text]]) -> Iterator[str]:
    yield column.name
    for row in rows:
        yield row[index].plain


def _natural(index: int, column: Col, rows: Sequence[Sequence[Text]]) -> int:
    return max(cell_len(line) for cell in _cells(index, column, rows) for line in cell.splitlines() or [""])


def _least(index: int, column: Col, rows: Sequence[Sequence[Text]]) -> int:
    return max((cell_len(word) for cell in _cells(index, column, rows) for word in cell.split()), default=0)


def _blocks(width: int, columns: Sequence[Col], rows: Sequence[Sequence[Text]], heading: int) -> Group:
    parts: list[RenderableType] = []
    for row in rows:
        parts.append(_heading(width, columns[:heading], row[:heading]))
        named = zip(columns[heading:], row[heading:], strict=True)
        pairs = [_pair(column.name, cell) for column, cell in named if cell.plain]
        parts += [Padding(line, (0, 0, 0, INDENT)) for line in pack(pairs, width - INDENT)]
    return Group(*parts)


def _heading(width: int, columns: Sequence[Col], cells: Sequence[Text]) -> RenderableType:
    """A block's first line: its ids, then its prose wrapped under itself."""
    key = Text("  ").join(c for col, c in zip(columns, cells, strict=True) if c.plain and not col.wrap)
    prose = Text(" ").join(c for col, c in zip(columns, cells, strict=True) if c.plain and col.wrap)
    if not key.plain or not prose.plain or cell_len(key.plain) + 2 > width // 2:
        return Text("  ").join(c for c in (key, prose) if c.plain)
    line = Table.grid(padding=(0, 2, 0, 0))
    line.add_column(no_wrap=True)
    line.add_column(overflow="fold")
    line.add_row(key, prose)
    return line


def _pair(name: str, value: Text) -> Text:
    return Text.assemble((name, "dim"), " ", value) if name else value


def pack(items: Iterable[Text], width: int) -> list[Text]:
    """Items on lines at most ``width`` wide, never splitting one (a long one gets a line of its own)."""
    lines: list[Text] = []
    for item in items:
        if lines and cell_len(lines[-1].plain) + len(PAIR_GAP) + cell_len(item.plain) <= width:
            lines[-1].append(PAIR_GAP)
            lines[-1].append_text(item)
        else:
            lines.append(item.copy())
    return lines


class Trimmed:
    """Renders its content with no spaces at the ends of lines (tables pad every cell)."""

    def __init__(self, *parts: RenderableType) -> None:
        self.content = Group(*parts)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in console.render_lines(self.content, options, pad=False):
            yield from _rstrip(line)
            yield Segment.line()


def _rstrip(line: list[Segment]) -> list[Segment]:
    while line and not line[-1].control and not line[-1].text.rstrip(" "):
        line = line[:-1]
    if line and not line[-1].control:
        last = line[-1]
        line = [*line[:-1], Segment(last.text.rstrip(" "), last.style)]
    return line


def emit(console: Console, *parts: RenderableType) -> None:
    """Print ``parts`` one under the other, wrapped to the console, no line ending in spaces."""
    console.print(Trimmed(*parts))
