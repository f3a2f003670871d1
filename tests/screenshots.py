"""Capture docs/report-in-life.png: the example record's in-life part at 1280 pixels, in headless Chromium.

Run from the repository root after a deliberate change to the record: `python -m tests.screenshots`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from dps_cli.cli import app
from tests.chromium import Browser

ROOT = Path(__file__).resolve().parents[1]
CALLOFF = "examples/calloffs/crawley-warehouse-award.yaml"
EVENTS = "examples/events/crawley-warehouse.csv"  # as the README names it: the record shows the path
SHOT = ROOT / "docs" / "report-in-life.png"


def main() -> None:
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "decision.html"
        args = ["report", CALLOFF, "--events", EVENTS, "--as-of", "2027-01-31", "-o", str(page)]
        CliRunner().invoke(app, args)  # exit 1: the example events hold one error finding, listed in the record
        browser = Browser()
        try:
            SHOT.write_bytes(browser.load(page, 1280, clip_to="section.inlife").screenshot)
        finally:
            browser.close()
    print(f"wrote {SHOT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
