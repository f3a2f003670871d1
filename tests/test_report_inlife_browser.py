"""The decision record with its in-life part in a real browser: headless Chromium, network off.

Skipped, like tests/test_report_browser.py, only on a developer's machine without chromium (never under CI).
"""

from __future__ import annotations

import re

import pytest

from tests.chromium import needs_chromium
from tests.conftest import EXAMPLES, ROOT, invoke
from tests.test_report_browser import A4, png_size

CALLOFF = EXAMPLES / "calloffs" / "crawley-warehouse-award.yaml"
EVENTS = EXAMPLES / "events" / "crawley-warehouse.csv"
SHOT = ROOT / "docs" / "report-in-life.png"

pytestmark = needs_chromium


def _record(folder, events=EVENTS):
    from typer.testing import CliRunner

    target = folder / "decision.html"
    args = ("report", str(CALLOFF), "--events", str(events), "--as-of", "2027-01-31", "-o", str(target))
    result = invoke(CliRunner(), *args)
    assert result.exit_code == 1, result.stderr  # the example events hold one error finding, listed in the record
    return target


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    return _record(tmp_path_factory.mktemp("inlife"))


@pytest.mark.parametrize("width", [360, 1280])
def test_in_life_part_renders_with_no_fetch_no_error_and_nothing_cut_off(browser, page_file, width):
    page = browser.load(page_file, width, clip_to="section.inlife")
    assert page.requests == [page_file.resolve().as_uri()]
    assert page.failed == [] and page.console == []
    assert page.scroll_width <= width  # no sideways scrolling at 360 px: tables and charts fit
    shot_width, shot_height = png_size(page.screenshot)
    assert shot_width == width and shot_height > 800  # the section itself: measures, two charts, claims, findings


def test_prints_on_a4(browser, page_file):
    page = browser.load(page_file, 1280, pdf=True)
    boxes = re.findall(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", page.pdf)
    assert len(boxes) >= 3
    assert all((round(float(w)), round(float(h))) == A4 for w, h in boxes)
    assert page.failed == [] and page.console == []


def test_hostile_events_neither_run_nor_fetch(browser, tmp_path):
    hostile = tmp_path / "hostile.csv"
    extra = (
        'CO-BC-SE-0007,P-001,"<script>console.error(1)</script>",2026-11-03,\n'
        "CO-BC-SE-0007,<img src=http://example.invalid/p.png>,job_end,2026-11-03,\n"
    )
    hostile.write_text(EVENTS.read_text() + extra)
    page = browser.load(_record(tmp_path, hostile), 360)
    assert page.requests == [(tmp_path / "decision.html").resolve().as_uri()]
    assert page.console == [] and page.failed == []


def test_committed_screenshot_is_the_in_life_part_at_1280_pixels():
    width, height = png_size(SHOT.read_bytes())
    assert width == 1280 and height > 800
    assert SHOT.stat().st_size < 300_000
