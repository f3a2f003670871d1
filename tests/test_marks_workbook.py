"""Marking workbooks as untrusted input: crafted .xlsx files, each refused or reported at its cell."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dps_cli import markbook, marksheets, workbook
from dps_cli.markbook import Plan, Row

OFFERS = ("OF-0001", "OF-0002", "OF-0003")
FOUR = ("fit", "closer_to_work", "performance_rationale", "performance_management")
MARK_COLUMNS = {"fit": 5, "closer_to_work": 7, "performance_rationale": 9, "performance_management": 11}


def blank_workbook(path: Path, evaluator: str = "AB", offers: tuple[str, ...] = OFFERS) -> Path:
    rows = tuple(Row(offer, f"Supplier {offer}", f"Title {offer}", "7") for offer in offers)
    path.write_bytes(markbook.build(Plan(evaluator, "BC-1", FOUR, rows)))
    return path


def filled(path: Path, mark: object = 3, **cells: object) -> Path:
    """The workbook at ``path`` with every mark ``mark``, then ``cells`` (like E2=5) written over it."""
    book = openpyxl.load_workbook(path)
    sheet = book["Marks"]
    for row in range(2, sheet.max_row + 1):
        for column in MARK_COLUMNS.values():
            sheet.cell(row, column).value = mark
    for address, value in cells.items():
        sheet[address] = value
    book.save(path)
    return path


def findings(path: Path) -> list[tuple[str, str, str]]:
    sheet = marksheets.read_workbook(str(path), path.name)
    return [(f.where, f.finding.rule, f.finding.message) for f in sheet.findings]


def test_a_filled_workbook_reads_back_its_marks_and_evaluator(tmp_path):
    path = filled(blank_workbook(tmp_path / "x.xlsx", "CD"), 2, G3=4, F2="clear and local")
    sheet = marksheets.read_workbook(str(path), "x.xlsx")
    assert sheet.findings == []
    assert sheet.evaluator == "CD"
    assert sheet.listed == OFFERS
    assert sheet.marks["OF-0002"] == {
        "fit": 2,
        "closer_to_work": 4,
        "performance_rationale": 2,
        "performance_management": 2,
    }
    assert sheet.comments == {("OF-0001", "fit"): "clear and local"}


def test_the_written_workbook_restricts_marks_freezes_the_header_and_guides(tmp_path):
    book = openpyxl.load_workbook(blank_workbook(tmp_path / "x.xlsx"))
    marks, guide = book["Marks"], book["Guide"]
    assert [c.value for c in marks[1]][:6] == ["offer", "supplier", "title", "provision", "fit", "fit comment"]
    assert marks.freeze_panes == "B2"
    (rule,) = marks.data_validations.dataValidation
    assert (rule.type, rule.operator, rule.formula1, rule.formula2) == ("whole", "between", "0", "4")
    assert str(rule.sqref) == "E2:E4 G2:G4 I2:I4 K2:K4"
    assert marks["E2"].protection.locked is False and marks["A2"].protection.locked is True
    texts = [row[1] for row in guide.iter_rows(values_only=True)]
    assert "excellent" in texts and "Overall fit of provision content" in texts
    assert marks.column_dimensions["C"].width == 40


def test_offer_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    rows = (Row("OF-0001", '=HYPERLINK("http://x","y")', "+1 in\x1b[31m", "7"),)
    path = tmp_path / "x.xlsx"
    path.write_bytes(markbook.build(Plan("AB", "", FOUR, rows)))
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    sheet = openpyxl.load_workbook(path)["Marks"]
    assert sheet["B2"].data_type == "s" and sheet["B2"].value.startswith("=HYPERLINK")
    assert sheet["C2"].value == "+1 in\\x1b[31m"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"E3": "=2+2"}, ("Marks!E3", "type", "fit: a formula where a mark should be; dps never runs formulas")),
        ({"G2": "3"}, ("Marks!G2", "type", "closer_to_work: `3` is not a whole number")),
        ({"I4": 5}, ("Marks!I4", "range", "performance_rationale: 5 is out of range: marks are 0 to 4")),
        ({"K2": -1}, ("Marks!K2", "range", "performance_management: -1 is out of range: marks are 0 to 4")),
        ({"E2": 2.5}, ("Marks!E2", "type", "fit: `2.5` is not a whole number")),
        ({"E2": True}, ("Marks!E2", "type", "fit: `True` is not a whole number")),
        ({"E2": None}, ("Marks!E2", "required", "fit: no mark")),
        (
            {"A5": "OF-0009", "E5": 3},
            ("Marks!A5", "range", "OF-0009 is not among the offers this workbook was made for"),
        ),
        ({"A4": "OF-0001"}, ("Marks!A4", "range", "a second row for OF-0001")),
        ({"A4": "=A2"}, ("Marks!A4", "type", "a formula is not an offer id")),
        ({"A4": "-OF-3"}, ("Marks!A4", "type", "`-OF-3` is not an offer id")),
    ],
)
def test_each_bad_cell_is_a_finding_at_its_cell(tmp_path, cells, expected):
    path = filled(blank_workbook(tmp_path / "x.xlsx"), 3, **cells)
    assert expected in findings(path)


def test_marks_boundaries_0_and_4_are_accepted(tmp_path):
    path = filled(blank_workbook(tmp_path / "x.xlsx"), 0, E2=4, G2=4.0)
    assert findings(path) == []


def test_a_missing_offer_row_is_a_finding(tmp_path):
    path = filled(blank_workbook(tmp_path / "x.xlsx"))
    book = openpyxl.load_workbook(path)
    book["Marks"].delete_rows(3)
    book.save(path)
    assert findings(path) == [("Marks", "range", "no row for OF-0002, which this workbook was made for")]


def _rewrite(path: Path, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> Path:
    """A copy of the workbook's zip with some parts replaced and others added."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts.update(replace)
    out = path.with_name("crafted.xlsx")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in {**parts, **(add or {})}.items():
            target.writestr(name, data)
    return out


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE worksheet [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


def test_an_xml_bomb_in_a_sheet_is_refused_not_expanded(tmp_path):
    path = _rewrite(blank_workbook(tmp_path / "x.xlsx"), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS})
    ((where, rule, message),) = findings(path)
    assert (where, rule) == ("", "unreadable")
    assert "declares entities" in message


@pytest.mark.parametrize("part", ["xl/styles.xml", "docProps/core.xml", "xl/workbook.xml"])
def test_an_xml_bomb_in_any_part_openpyxl_reads_is_refused(tmp_path, part):
    path = _rewrite(blank_workbook(tmp_path / "x.xlsx"), {part: BILLION_LAUGHS})
    ((_, rule, message),) = findings(path)
    assert rule == "unreadable" and "declares entities" in message


def test_the_reader_refuses_to_run_without_defusedxml(tmp_path, monkeypatch):
    import openpyxl.xml

    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    path = filled(blank_workbook(tmp_path / "x.xlsx"))
    ((_, rule, message),) = findings(path)
    assert rule == "unreadable" and "not using defusedxml" in message


def test_openpyxl_parses_with_defusedxml_here():
    assert workbook.defused()


def _zip_bomb(path: Path, megabytes: int, parts: int = 1) -> Path:
    """The workbook with ``parts`` extra parts of ``megabytes`` MiB of zeros each (they compress a thousandfold)."""
    out = _rewrite(path, {})
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        for number in range(parts):
            with archive.open(f"xl/media/pad{number}.bin", "w") as part:
                for _ in range(megabytes):
                    part.write(chunk)
    return out


def test_a_zip_bomb_is_refused_from_the_central_directory_before_openpyxl_opens_it(tmp_path, monkeypatch):
    path = _zip_bomb(blank_workbook(tmp_path / "x.xlsx"), 40)
    assert path.stat().st_size < 1024 * 1024  # small on disk, 40 MiB inflated

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to open a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    ((_, rule, message),) = findings(path)
    assert rule == "unreadable" and "zip bomb" in message


def test_a_workbook_just_under_the_inflated_bounds_is_read(tmp_path):
    path = _zip_bomb(filled(blank_workbook(tmp_path / "x.xlsx")), 4, parts=7)  # 28 MiB in parts of 4 MiB
    assert findings(path) == []


def test_one_part_over_its_bound_is_refused(tmp_path):
    path = _zip_bomb(filled(blank_workbook(tmp_path / "x.xlsx")), 5)
    ((_, rule, message),) = findings(path)
    assert rule == "unreadable"
    assert message == "the part 'xl/media/pad0.bin' would inflate to 5,242,880 bytes; at most 4 MiB are read"


def test_the_sheet_of_the_most_offers_read_is_within_the_part_bound(tmp_path):
    rows = tuple(Row(f"OF-{n:04d}", "A supplier name of some length", "A title " * 6, "R5") for n in range(2_000))
    path = tmp_path / "big.xlsx"
    path.write_bytes(markbook.build(Plan("AB", "BC-1", (*FOUR, "social_value"), rows)))
    with zipfile.ZipFile(path) as archive:
        assert max(info.file_size for info in archive.infolist()) < workbook.MAX_PART / 2


def test_a_part_that_inflates_past_its_declared_size_is_not_read_past_it(tmp_path):
    """The central directory is trusted for the bound only because Python's zip reader stops at the declared size."""
    path = tmp_path / "lying.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big", bytes(1_000_000))
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")  # the directory now says 1,000 bytes
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive, archive.open("big") as part, pytest.raises(zipfile.BadZipFile):
        part.read()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"offer,fit\nOF-1,3\n", "not an .xlsx workbook (not a zip archive)"),
        (b"PK\x03\x04 truncated", "not an .xlsx workbook (not a zip archive)"),
        (b"", "not an .xlsx workbook (not a zip archive)"),
    ],
)
def test_what_is_not_a_zip_is_refused_clearly(tmp_path, content, message):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    assert findings(path) == [("", "unreadable", message)]


def test_a_zip_that_is_not_a_workbook_is_refused_clearly(tmp_path):
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    ((_, rule, message),) = findings(path)
    assert rule == "unreadable" and message.startswith("not a readable .xlsx workbook")


def test_a_workbook_without_a_marks_sheet_is_named(tmp_path):
    path = tmp_path / "x.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"  # type: ignore[union-attr]
    book.save(path)
    assert findings(path) == [("", "unreadable", "the workbook has no `Marks` sheet")]


def test_too_many_parts_are_refused(tmp_path):
    path = blank_workbook(tmp_path / "x.xlsx")
    extra = {f"xl/media/{n}.bin": b"" for n in range(workbook.MAX_ENTRIES)}
    ((_, rule, message),) = findings(_rewrite(path, {}, extra))
    assert rule == "unreadable" and "parts" in message


def test_a_file_over_the_size_bound_is_refused_unread(tmp_path):
    path = tmp_path / "x.xlsx"
    with path.open("wb") as handle:
        handle.truncate(workbook.MAX_BYTES + 1)
    ((_, rule, message),) = findings(path)
    assert rule == "unreadable" and "larger than 10 MiB" in message


def test_rows_past_the_bound_are_not_kept_but_the_first_marked_one_is_seen(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    path = filled(blank_workbook(tmp_path / "x.xlsx"), 3, A7="OF-0009", E7=9, A9="OF-0010")
    contents = workbook.read(str(path))
    assert [row[0].row for row in contents.marks if row] == [1, 2, 3, 4]


def test_more_offer_rows_than_a_sheet_holds_is_a_finding(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    monkeypatch.setattr(marksheets, "MAX_OFFERS", 2)
    path = filled(blank_workbook(tmp_path / "x.xlsx"))
    assert findings(path) == [("Marks!A4", "range", "more than 2 offer rows: a sheet holds at most 2")]


def test_a_sheet_that_goes_on_far_past_the_bound_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    monkeypatch.setattr(workbook, "SCAN_ROWS", 10)
    far = filled(blank_workbook(tmp_path / "far.xlsx", offers=OFFERS[:2]), 3, A14="OF-0009")
    assert findings(far) == [("", "unreadable", "the `Marks` sheet goes on past row 13; no marking sheet is that long")]
    near = filled(blank_workbook(tmp_path / "near.xlsx", offers=OFFERS[:2]), 3, A13="OF-0009")
    assert workbook.read(str(near)).marks[-1][0].address == "A13"


def test_rows_past_the_size_the_sheet_declares_are_read(tmp_path):
    path = filled(blank_workbook(tmp_path / "x.xlsx"), 3, A5="OF-0001")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:L5" />' in xml
    crafted = _rewrite(path, {"xl/worksheets/sheet1.xml": xml.replace(b"A1:L5", b"A1:L2")})
    assert ("Marks!A5", "range", "a second row for OF-0001") in findings(crafted)


def test_column_letters():
    assert [workbook.column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_the_workbook_bytes_are_a_zip_openpyxl_reads(tmp_path):
    data = markbook.build(Plan("", "", FOUR, (Row("OF-1", "s", "t", "R1"),)))
    assert openpyxl.load_workbook(io.BytesIO(data))["Guide"]["B2"].value is None


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return filled(blank_workbook(tmp_path_factory.mktemp("valid") / "valid.xlsx")).read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8))
def test_no_corruption_of_a_workbook_raises(tmp_path, valid, flips):
    """Bytes changed anywhere (headers, directory, compressed XML) end as findings, never as an exception."""
    data = bytearray(valid)
    for at, value in flips:
        data[at % len(data)] = value
    path = tmp_path / "x.xlsx"
    path.write_bytes(bytes(data))
    sheet = marksheets.read_workbook(str(path), "x.xlsx")
    assert all(f.finding.rule in ("unreadable", "type", "range", "required") for f in sheet.findings)


PARTS = (
    "xl/worksheets/sheet1.xml",
    "xl/worksheets/sheet2.xml",
    "xl/workbook.xml",
    "xl/styles.xml",
    "[Content_Types].xml",
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(PARTS), st.lists(st.tuples(st.integers(0, 10**6), st.binary(max_size=3)), min_size=1, max_size=4)
)
def test_no_change_inside_a_part_raises(tmp_path, valid, part, edits):
    """Each part's XML changed (then zipped again with good checksums) ends as findings, never an exception."""
    source = tmp_path / "valid.xlsx"
    source.write_bytes(valid)
    with zipfile.ZipFile(source) as archive:
        data = archive.read(part)
    for at, replacement in edits:
        at %= len(data)
        data = data[:at] + replacement + data[at + 1 :]
    sheet = marksheets.read_workbook(str(_rewrite(source, {part: data})), "x.xlsx")
    assert all(f.finding.rule in ("unreadable", "type", "range", "required") for f in sheet.findings)


@pytest.mark.parametrize(
    ("value", "evaluator", "found"),
    [
        ("EF", "EF", []),
        (7, "7", []),
        (None, "x", []),  # no name recorded: the file name
        ("=A1", "x", [("Guide!B2", "type", "the Guide's evaluator is not a name")]),
        (2.5, "x", [("Guide!B2", "type", "the Guide's evaluator is not a name")]),
    ],
)
def test_the_evaluator_comes_from_the_guide_else_the_file_name(tmp_path, value, evaluator, found):
    path = filled(blank_workbook(tmp_path / "x.xlsx", "AB"))
    book = openpyxl.load_workbook(path)
    book["Guide"]["B2"] = value
    book.save(path)
    sheet = marksheets.read_workbook(str(path), "x.xlsx")
    assert sheet.evaluator == evaluator
    assert [(f.where, f.finding.rule, f.finding.message) for f in sheet.findings] == found
