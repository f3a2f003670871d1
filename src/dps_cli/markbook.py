"""The marking workbook written for one evaluator (`dps marks sheet`), as .xlsx bytes.

Sheet `Marks`: a header row (frozen), one row per offer (id, supplier, title,
provision: locked), then per question a mark cell (whole numbers 0-4 only, by
data validation) and a comment cell, both left unlocked for the evaluator.
Sheet `Guide`: the evaluator, the business case, the scale, the questions and
the list of offers the workbook was made for (combine checks rows against it).
Both sheets are protected without a password: a guard against slips, not a lock.

Text from offer files is written as text, never as a formula, and escaped as
the console escapes it.  openpyxl is imported here, inside functions.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import questions
from .report.console import safe_text
from .workbook import GUIDE, MARKS, column_letter

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

EVALUATOR_LABEL = "Evaluator"
OFFERS_LABEL = "Offers in this workbook"
COMMENT = " comment"  # a question's comment column is headed `<question> comment`
FIXED = (("offer", 14), ("supplier", 28), ("title", 40), ("provision", 10))
_COMMENT_WIDTH = 40


@dataclass(frozen=True)
class Row:
    offer: str
    supplier: str
    title: str
    provision: str


@dataclass(frozen=True)
class Plan:
    """What one evaluator's workbook holds."""

    evaluator: str
    business_case: str
    questions: tuple[str, ...]
    rows: tuple[Row, ...]


def headers(asked: tuple[str, ...]) -> list[str]:
    """The Marks sheet's header row: the offer's columns, then each question and its comment."""
    return [name for name, _ in FIXED] + [h for q in asked for h in (q, q + COMMENT)]


def build(plan: Plan) -> bytes:
    """The workbook as .xlsx bytes."""
    from openpyxl import Workbook

    book = Workbook()
    marks = book.active
    assert marks is not None
    marks.title = MARKS
    _marks(marks, plan)
    _guide(book.create_sheet(GUIDE), plan)
    book.properties.creator = "dps"
    book.properties.title = f"Marks of {safe_text(plan.evaluator)}" if plan.evaluator else "Marks"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def text(sheet: Worksheet, row: int, column: int, value: str) -> Any:
    """Put ``value`` in a cell as text: escaped, and never a formula whatever it starts with."""
    cell = sheet.cell(row=row, column=column)
    cell.value = safe_text(value)
    cell.data_type = "s"
    return cell


def _marks(sheet: Worksheet, plan: Plan) -> None:
    from openpyxl.styles import Alignment, Font, Protection

    for column, name in enumerate(headers(plan.questions), start=1):
        text(sheet, 1, column, name).font = Font(bold=True)
    for number, row in enumerate(plan.rows, start=2):
        for column, value in enumerate((row.offer, row.supplier, row.title, row.provision), start=1):
            text(sheet, number, column, value)
        for column in range(len(FIXED) + 1, len(FIXED) + 2 * len(plan.questions) + 1):
            cell = sheet.cell(row=number, column=column)
            cell.protection = Protection(locked=False)
            if (column - len(FIXED)) % 2 == 0:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    _validation(sheet, plan)
    _widths(sheet, plan.questions)
    sheet.freeze_panes = "B2"
    _protect(sheet)


def _validation(sheet: Worksheet, plan: Plan) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    rule = DataValidation(
        type="whole",
        operator="between",
        formula1=str(questions.LOWEST),
        formula2=str(questions.HIGHEST),
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="Marks are 0 to 4",
        error="Give a whole number: 0 unacceptable, 1 poor, 2 satisfactory, 3 good, 4 excellent.",
        promptTitle="Mark",
        prompt="0 unacceptable, 1 poor, 2 satisfactory, 3 good, 4 excellent",
    )
    last = len(plan.rows) + 1
    for index in range(len(plan.questions)):
        letter = column_letter(len(FIXED) + 1 + 2 * index)
        rule.add(f"{letter}2:{letter}{max(last, 2)}")
    sheet.add_data_validation(rule)


def _widths(sheet: Worksheet, asked: tuple[str, ...]) -> None:
    for column, (_, width) in enumerate(FIXED, start=1):
        sheet.column_dimensions[column_letter(column)].width = width
    for index, question in enumerate(asked):
        mark = len(FIXED) + 1 + 2 * index
        sheet.column_dimensions[column_letter(mark)].width = len(question) + 3
        sheet.column_dimensions[column_letter(mark + 1)].width = _COMMENT_WIDTH


def _protect(sheet: Worksheet) -> None:
    """Locked cells stay as written; columns and rows may still be resized, and text searched."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.formatCells = False


def _guide(sheet: Worksheet, plan: Plan) -> None:
    from openpyxl.styles import Alignment, Font

    lines: list[tuple[str, str]] = [
        ("Marking workbook", "made by dps marks sheet; combine the panel's workbooks with dps marks combine"),
        (EVALUATOR_LABEL, plan.evaluator),
        ("Business case", plan.business_case),
        ("", ""),
        ("Scale", "mark each question with a whole number from 0 to 4"),
        *((str(mark), meaning) for mark, meaning in questions.SCALE),
        ("", ""),
        ("Questions", ""),
        *((question, questions.TEXT[question]) for question in plan.questions),
        ("", ""),
        (OFFERS_LABEL, ""),
        *((row.offer, row.title) for row in plan.rows),
    ]
    headings = {"Marking workbook", EVALUATOR_LABEL, "Business case", "Scale", "Questions", OFFERS_LABEL}
    for number, (label, value) in enumerate(lines, start=1):
        if label:
            text(sheet, number, 1, label).font = Font(bold=label in headings)
        if value:
            text(sheet, number, 2, value).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 90
    _protect(sheet)
