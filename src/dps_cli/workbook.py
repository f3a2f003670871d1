"""Marking workbooks (.xlsx) read as untrusted input: bounded, defused, never evaluated.

A workbook is a zip of XML parts.  Before openpyxl sees a byte, the file's
size and the zip's central directory are checked with :mod:`zipfile`: too
many entries or too many uncompressed bytes (a zip bomb) are refused at once,
and Python's zip reader never inflates an entry past the size the directory
declares.  openpyxl then reads with defusedxml (no entity declarations: no
XML bomb) in read-only mode with ``data_only=False``, so a formula is seen as
a formula and never evaluated, and only the first rows and columns are read.

openpyxl is imported here, inside functions: `dps validate` never pays for it.
"""

from __future__ import annotations

import io
import os
import stat
import warnings
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

MAX_BYTES = 10 * 1024 * 1024  # the file as stored; a workbook of 2,000 offers is well under 1 MiB
MAX_ENTRIES = 500  # parts in the zip; openpyxl writes about 10, Excel a few dozen
MAX_UNCOMPRESSED = 32 * 1024 * 1024  # all parts inflated, as the central directory declares them
# openpyxl parses each XML part whole (a worksheet without a <dimension> twice), building an object per
# cell or string: one part's size is what bounds its time and memory (a hostile 4 MiB part costs about
# 2 s of CPU and 200 MB at most).  A sheet of 2,000 offers is under 2 MiB.
MAX_PART = 4 * 1024 * 1024
MAX_ROWS = 2_001  # a header and 2,000 offers
GUIDE_ROWS = 100  # the Guide's rows before its list of the offers
MAX_COLUMNS = 64
SHEET_ROWS = 1_048_576  # the most rows a spreadsheet has
SCAN_ROWS = 10_000  # rows looked at past the last one kept, for one that holds something
MARKS = "Marks"
GUIDE = "Guide"


class WorkbookError(Exception):
    """The file as a whole cannot be read as a marking workbook."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Cell:
    """One cell as stored: its value, and whether it holds a formula (never evaluated)."""

    row: int
    column: int
    value: Any
    formula: bool = False

    @property
    def address(self) -> str:
        return f"{column_letter(self.column)}{self.row}"


@dataclass(frozen=True)
class Contents:
    """What combine needs from a workbook: the Marks sheet's cells and the Guide's records."""

    marks: list[list[Cell]]
    guide: list[list[Cell]]


def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA (as spreadsheets name columns)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def defused() -> bool:
    """Whether openpyxl parses with defusedxml (it does when defusedxml is installed and not switched off)."""
    from openpyxl.xml import DEFUSEDXML

    return bool(DEFUSEDXML)


def read(path: str) -> Contents:
    """The Marks and Guide sheets of the workbook at ``path``; :class:`WorkbookError` when it cannot be read."""
    stream = load_bytes(path)
    check_archive(stream)
    if not defused():
        raise WorkbookError(
            "cannot read workbooks safely: openpyxl is not using defusedxml",
            "install defusedxml and unset OPENPYXL_DEFUSEDXML",
        )
    import defusedxml

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _contents(stream)
    except WorkbookError:
        raise
    # openpyxl is a third-party parser fed hostile bytes: whatever it raises means "not a readable workbook".
    except Exception as error:
        if _caused_by(error, defusedxml.DefusedXmlException):
            raise WorkbookError(
                "the workbook's XML declares entities or a DTD (as an XML bomb does): refused",
                "save the sheet again from a spreadsheet program",
            ) from None
        raise WorkbookError(
            f"not a readable .xlsx workbook ({type(error).__name__})", "save it again as an Excel workbook (.xlsx)"
        ) from None


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``error`` is, or was raised from, a ``kind`` (openpyxl wraps what the XML parser raised)."""
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None or isinstance(seen, kind):
            return seen is not None
        seen = seen.__cause__ or seen.__context__
    return False


def load_bytes(path: str) -> io.BytesIO:
    """The file's bytes, read once (openpyxl reads the bytes that were checked): a regular file, at most 10 MiB."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise WorkbookError("not a regular file", "save the workbook to a file first")
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise WorkbookError(f"cannot read the file: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise WorkbookError("the file is larger than 10 MiB; a marking workbook is far smaller")
    return io.BytesIO(data)


def check_archive(stream: io.BytesIO) -> None:
    """Refuse what is not a zip, or a zip whose directory says it would inflate past the bounds."""
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    # zipfile fed hostile bytes raises more than BadZipFile (NotImplementedError for a made-up version, ...)
    except Exception:
        raise WorkbookError(
            "not an .xlsx workbook (not a zip archive)", "save it as an Excel workbook (.xlsx)"
        ) from None
    if len(entries) > MAX_ENTRIES:
        raise WorkbookError(f"the workbook holds {len(entries):,} parts; at most {MAX_ENTRIES} are read")
    inflated = sum(entry.file_size for entry in entries)
    if inflated > MAX_UNCOMPRESSED:
        raise WorkbookError(
            f"the workbook would inflate to {inflated:,} bytes (a zip bomb?); at most 32 MiB are read", _REMAKE
        )
    for entry in entries:  # every part: openpyxl reads a part by whatever name the workbook gives it
        if entry.file_size > MAX_PART:
            raise WorkbookError(
                f"the part {entry.filename[:80]!r} would inflate to {entry.file_size:,} bytes; "
                f"at most {MAX_PART // (1024 * 1024)} MiB are read",
                _REMAKE,
            )


_REMAKE = "a marking workbook is far smaller: make it again with `dps marks sheet`"


def _contents(stream: io.BytesIO) -> Contents:
    from openpyxl import load_workbook

    stream.seek(0)
    book = load_workbook(stream, read_only=True, data_only=False, keep_links=False, keep_vba=False)
    try:
        if MARKS not in book.sheetnames:
            raise WorkbookError(f"the workbook has no `{MARKS}` sheet", "make the workbook with `dps marks sheet`")
        guide = _grid(book, GUIDE, MAX_ROWS + GUIDE_ROWS) if GUIDE in book.sheetnames else []
        return Contents(_grid(book, MARKS, MAX_ROWS), guide)
    finally:
        book.close()


def _grid(book: Workbook, name: str, limit: int) -> list[list[Cell]]:
    """The first ``limit`` rows, then the first non-empty row after them, if any (so no offer goes unseen).

    Rows are read to the spreadsheet's last row, not to the size the sheet declares (a declared size
    can be wrong), but a sheet that goes on for ``SCAN_ROWS`` rows past the limit, empty or not, is
    refused: each row costs time even when empty, and no marking sheet is that long.
    """
    rows: list[list[Cell]] = []
    every = book[name].iter_rows(min_row=1, max_row=SHEET_ROWS, max_col=MAX_COLUMNS)
    for number, row in enumerate(every, start=1):
        if number > limit + SCAN_ROWS:
            raise WorkbookError(
                f"the `{name}` sheet goes on past row {limit + SCAN_ROWS:,}; no marking sheet is that long",
                "delete the rows below the offers",
            )
        cells = _cells(number, row)
        if number <= limit or cells:
            rows.append(cells)
        if number > limit and cells:
            break
    return rows


def _cells(number: int, row: tuple[Any, ...]) -> list[Cell]:
    """The cells of one row that hold something; most rows of a hostile sheet are empty, found so at C speed."""
    from openpyxl.cell.read_only import EMPTY_CELL

    if not row or set(map(id, row)) == {id(EMPTY_CELL)}:  # by identity: openpyxl's cells compare in Python
        return []
    return [
        Cell(number, column, cell.value, cell.data_type == "f")
        for column, cell in enumerate(row[:MAX_COLUMNS], start=1)
        if cell is not EMPTY_CELL and cell.value is not None
    ]
