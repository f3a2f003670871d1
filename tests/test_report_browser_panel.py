"""The decision record of a panel-marked, social-value-weighted call-off in headless Chromium.

The panel tables (one column per evaluator, a reason column) and the fifth
score bar must fit a 360-pixel screen and print on A4 like the rest of the page.
"""

from __future__ import annotations

import re

import pytest

from tests.chromium import needs_chromium
from tests.conftest import EXAMPLES, invoke

CALLOFF = EXAMPLES / "calloffs" / "crawley-social-value-award.yaml"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    from typer.testing import CliRunner

    target = tmp_path_factory.mktemp("record") / "panel.html"
    result = invoke(CliRunner(), "report", str(CALLOFF), "-o", str(target))
    assert result.exit_code == 0
    assert "The panel's marks for OF-0042" in target.read_text()
    return target


@pytest.mark.parametrize("width", [360, 1280])
def test_panel_record_fits_without_sideways_scrolling(browser, page_file, width):
    page = browser.load(page_file, width)
    assert page.requests == [page_file.resolve().as_uri()]
    assert page.failed == [] and page.console == []
    assert page.scroll_width <= width


def test_panel_record_prints_on_a4(browser, page_file):
    page = browser.load(page_file, 1280, pdf=True)
    boxes = re.findall(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", page.pdf)
    assert boxes and all((round(float(w)), round(float(h))) == (595, 842) for w, h in boxes)
