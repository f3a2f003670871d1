"""The example decision record in a real browser: headless Chromium, network off.

Under CI (the `CI` variable set, as .ci/run's environment has it) these tests
never skip: without chromium they fail, and .ci/run installs it first. On a
developer's machine without chromium they are skipped with the command that
installs it, so the README's test command passes on a machine with only python3.
"""

from __future__ import annotations

import re
import struct

import pytest

from tests.chromium import needs_chromium
from tests.conftest import EXAMPLES, ROOT, invoke

CALLOFF = EXAMPLES / "calloffs" / "crawley-warehouse-award.yaml"
A4 = (595, 842)  # points


pytestmark = needs_chromium


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    from typer.testing import CliRunner

    target = tmp_path_factory.mktemp("record") / "decision.html"
    result = invoke(CliRunner(), "report", str(CALLOFF), "-o", str(target))
    assert result.exit_code == 0
    return target


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("width", [360, 1280])
def test_renders_with_no_fetch_no_error_and_nothing_cut_off(browser, page_file, width):
    page = browser.load(page_file, width)
    assert page.requests == [page_file.resolve().as_uri()]  # the file itself and nothing else
    assert page.failed == []
    assert page.console == []
    assert page.viewport_width == width
    assert page.scroll_width <= width  # no sideways scrolling: tables wrap, nothing is cut off
    shot_width, shot_height = png_size(page.screenshot)
    assert shot_width == width and shot_height > 1000


def test_prints_on_a4(browser, page_file):
    page = browser.load(page_file, 1280, pdf=True)
    assert page.pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", page.pdf)
    assert len(boxes) >= 2  # several pages
    for width, height in boxes:
        assert (round(float(width)), round(float(height))) == A4
    assert page.failed == [] and page.console == []


def test_the_harness_sees_fetches_and_console_errors(browser, tmp_path):
    """A page that breaks the rules is caught, so the passes above mean something."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><img src="http://example.invalid/x.png"><script>console.error("boom")</script>')
    page = browser.load(bad, 360)
    assert "http://example.invalid/x.png" in page.requests
    assert page.failed
    assert any("boom" in message for message in page.console)


def test_committed_screenshot_is_a_1280_pixel_capture():
    shot = ROOT / "docs" / "decision-record.png"
    assert png_size(shot.read_bytes())[0] == 1280
    assert shot.stat().st_size < 300_000
