"""One evaluator's marks from a workbook or a CSV file: marks + findings. Untrusted input.

A workbook is read by :mod:`.workbook` (bounded, defused, formulas never
evaluated); a CSV file by the events file's bounded CSV reader.  Both become a
grid of :class:`~.workbook.Cell`, read here by the header row's names
(`offer`, each question, optionally `<question> comment`; other columns are
ignored).  A bad cell is a finding at `FILE:Marks!E7` (a CSV cell: `FILE:E7`).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import questions
from .fields import EVALUATOR_TEXT
from .findings import Finding
from .markbook import COMMENT, EVALUATOR_LABEL, OFFERS_LABEL
from .workbook import GUIDE, MARKS, Cell, WorkbookError, column_letter

MAX_BYTES = 10 * 1024 * 1024  # a CSV marks file, like a workbook: far smaller in use
MAX_OFFERS = 2_000  # offers in one sheet; a business case draws far fewer
MAX_COMMENT = 2_000  # characters kept of a comment
_OFFER_ID = re.compile(r"[A-Z0-9][A-Z0-9-]*")  # an offer id that no spreadsheet reads as a formula
_EVALUATOR = re.compile(EVALUATOR_TEXT)  # as the evaluations file names evaluators
_CSV_MARK = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class SheetFinding:
    """A finding in a marks file: ``where`` is a cell (`Marks!E7`), a YAML `line:col`, or empty."""

    path: str
    finding: Finding
    where: str = ""

    @property
    def location(self) -> str:
        return f"{self.path}:{self.where}" if self.where else self.path


@dataclass
class Sheet:
    """One evaluator's marks, by offer and question, with comments and what was wrong."""

    path: str
    evaluator: str
    asked: tuple[str, ...] = ()
    marks: dict[str, dict[str, int]] = field(default_factory=dict)
    comments: dict[tuple[str, str], str] = field(default_factory=dict)
    listed: tuple[str, ...] | None = None  # the offers a workbook was made for
    findings: list[SheetFinding] = field(default_factory=list)
    prefix: str = ""  # `Marks!` for a workbook's cells

    def problem(self, rule: str, message: str, where: str = "", hint: str | None = None) -> None:
        self.findings.append(SheetFinding(self.path, Finding(rule, message, hint=hint), where))


def evaluator_from_name(path: str) -> str:
    """A sheet's evaluator when it does not record one: the file name without its suffix."""
    return Path(path).stem


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name an evaluator in an evaluations file, or None."""
    if not name.strip():
        return "the evaluator's name is blank"
    if not _EVALUATOR.fullmatch(name):
        return (
            f"the evaluator's name `{_clip(name)}` is not 1 to 40 letters, digits, spaces, dots, "
            "apostrophes and hyphens, starting with a letter or digit"
        )
    return None


# -- workbooks ---------------------------------------------------------------


def read_workbook(path: str, shown: str) -> Sheet:
    from . import workbook

    try:
        contents = workbook.read(path)
    except WorkbookError as error:
        sheet = Sheet(shown, evaluator_from_name(path))
        sheet.problem("unreadable", str(error), hint=error.hint)
        return sheet
    evaluator, listed, where = _guide(contents.guide)
    sheet = Sheet(shown, evaluator or evaluator_from_name(path), listed=listed, prefix=f"{MARKS}!")
    if evaluator is None:
        sheet.problem("type", "the Guide's evaluator is not a name", where, "type the evaluator's name or initials")
    read_grid(sheet, contents.marks)
    return sheet


def _guide(rows: list[list[Cell]]) -> tuple[str | None, tuple[str, ...] | None, str]:
    """The evaluator named on the Guide ('' when none is, None when not text), where, and the offers listed."""
    evaluator: str | None = ""
    where = f"{GUIDE}!B2"
    listed: list[str] | None = None
    for row in rows:
        first = row[0].value if row and row[0].column == 1 else None
        second = next((c for c in row if c.column == 2), None)
        if listed is not None:
            if first is None:
                break
            listed.append(str(first).strip())
        elif first == EVALUATOR_LABEL and second is not None:
            value = second.value
            evaluator = None if second.formula or not isinstance(value, str | int) else str(value).strip()
            where = f"{GUIDE}!{second.address}"
        elif first == OFFERS_LABEL:
            listed = []
    return evaluator, tuple(listed) if listed is not None else None, where


# -- CSV files ----------------------------------------------------------------


def read_csv(path: str, shown: str) -> Sheet:
    from .events import FormatError, rows

    sheet = Sheet(shown, evaluator_from_name(path))
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a pipe or a device could block or never end
            raise FormatError("not a regular file", hint="save the marks to a file first")
        with open(path, "rb") as raw:
            if os.fstat(raw.fileno()).st_size > MAX_BYTES:
                raise FormatError("the file is larger than 10 MiB; a marks file is far smaller")
            grid: list[list[Cell]] = []
            for line, cells in rows(raw):
                if len(grid) > MAX_OFFERS:
                    raise FormatError(f"more than {MAX_OFFERS:,} rows", line)
                grid.append([Cell(line, at, value) for at, value in enumerate(cells, start=1) if value.strip()])
    except FormatError as error:
        sheet.problem("unreadable", str(error), str(error.line) if error.line > 1 else "", error.hint)
        return sheet
    except OSError as error:
        sheet.problem("unreadable", f"cannot read the file: {error.strerror or error}")
        return sheet
    read_grid(sheet, grid)
    return sheet


# -- the grid -----------------------------------------------------------------


def read_grid(sheet: Sheet, grid: Sequence[list[Cell]]) -> None:
    """The marks in ``grid`` (header row first) into ``sheet``; each bad cell a finding."""
    if not grid or not grid[0]:
        sheet.problem("required", "there is no header row", sheet.prefix + "A1", _header_hint())
        return
    columns = _header(sheet, grid[0])
    if columns is None:
        return
    for row in grid[1:]:
        if not row:
            continue
        if len(sheet.marks) >= MAX_OFFERS or row[0].row > MAX_OFFERS + 1:
            message = f"more than {MAX_OFFERS:,} offer rows: a sheet holds at most {MAX_OFFERS:,}"
            sheet.problem("range", message, _at(sheet, row[0]), "split the offers over two sheets")
            return
        _row(sheet, row, columns)
    _check_listed(sheet)


def _header_hint() -> str:
    return "the first row names the columns: offer," + ",".join(questions.FOUR) + "[,social_value]"


def _header(sheet: Sheet, cells: list[Cell]) -> dict[str, int] | None:
    names: dict[str, int] = {}
    for cell in cells:
        name = str(cell.value).strip().lower() if not cell.formula else ""
        if name in names:
            sheet.problem("type", f"the header names column `{name}` twice", _at(sheet, cell), "keep one of each")
            return None
        if name:
            names[name] = cell.column
    missing = [name for name in ("offer", *questions.FOUR) if name not in names]
    if missing:
        shown = ", ".join(f"`{m}`" for m in missing)
        sheet.problem("required", f"the header has no {shown} column", sheet.prefix + "A1", _header_hint())
        return None
    sheet.asked = tuple(q for q in questions.ALL if q in names)
    return names


def _row(sheet: Sheet, row: list[Cell], columns: dict[str, int]) -> None:
    by_column = {cell.column: cell for cell in row}
    offer_cell = by_column.get(columns["offer"])
    if offer_cell is None:
        if any(by_column.get(columns[q]) for q in sheet.asked):
            sheet.problem("required", "marks with no offer id", _at(sheet, row[0]), "give the offer's id in column A")
        return
    offer = _offer(sheet, offer_cell)
    if offer is None:
        return
    marks: dict[str, int] = {}
    for question in sheet.asked:
        cell = by_column.get(columns[question])
        mark = _mark(sheet, cell, offer_cell.row, columns[question], question)
        if mark is not None:
            marks[question] = mark
        note = by_column.get(columns.get(question + COMMENT, 0))
        if note is not None and str(note.value).strip():
            sheet.comments[(offer, question)] = str(note.value).strip()[:MAX_COMMENT]
    sheet.marks[offer] = marks


def _offer(sheet: Sheet, cell: Cell) -> str | None:
    value = cell.value.strip() if isinstance(cell.value, str) else None
    if cell.formula or value is None or not _OFFER_ID.fullmatch(value):
        shown = "a formula" if cell.formula else f"`{_clip(cell.value)}`"
        sheet.problem("type", f"{shown} is not an offer id", _at(sheet, cell), "offer ids are like OF-0042")
        return None
    if value in sheet.marks:
        sheet.problem("range", f"a second row for {value}", _at(sheet, cell), "keep one row per offer")
        return None
    if sheet.listed is not None and value not in sheet.listed:
        sheet.problem("range", f"{value} is not among the offers this workbook was made for", _at(sheet, cell))
        return None
    return value


def _mark(sheet: Sheet, cell: Cell | None, row: int, column: int, question: str) -> int | None:
    """The whole number 0-4 in ``cell``, or a finding (a formula is never evaluated: it is a `type` finding)."""
    where = f"{sheet.prefix}{column_letter(column)}{row}"
    value = None if cell is None else cell.value
    hint = "give a whole number: 0 unacceptable, 1 poor, 2 satisfactory, 3 good, 4 excellent"
    if cell is not None and cell.formula:
        sheet.problem("type", f"{question}: a formula where a mark should be; dps never runs formulas", where, hint)
        return None
    if value is None or (isinstance(value, str) and not value.strip()):
        sheet.problem("required", f"{question}: no mark", where, hint)
        return None
    number = _whole(value, csv=not sheet.prefix)
    if number is None:
        sheet.problem("type", f"{question}: `{_clip(value)}` is not a whole number", where, hint)
        return None
    if not questions.LOWEST <= number <= questions.HIGHEST:
        sheet.problem("range", f"{question}: {number} is out of range: marks are 0 to 4", where, hint)
        return None
    return number


def _whole(value: object, *, csv: bool) -> int | None:
    """A whole number as written: in CSV plain digits; in a workbook a number cell (3 or 3.0), never text."""
    if csv:
        text = str(value).strip()
        return int(text) if _CSV_MARK.fullmatch(text) and len(text) <= 6 else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e6:
        return int(value)
    return None


def _check_listed(sheet: Sheet) -> None:
    for offer in sheet.listed or ():
        if offer not in sheet.marks and _OFFER_ID.fullmatch(offer):
            sheet.problem("range", f"no row for {offer}, which this workbook was made for", sheet.prefix.rstrip("!"))


def _at(sheet: Sheet, cell: Cell) -> str:
    return sheet.prefix + cell.address


def _clip(value: object, width: int = 40) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"
