"""`dps report`: the decision record in Markdown and HTML (SPEC §11)."""

from __future__ import annotations

import re

import pytest
import yaml

from dps_cli.report.markdown import escape
from tests.conftest import EXAMPLES, ROOT, invoke

CALLOFF = EXAMPLES / "calloffs" / "crawley-warehouse-award.yaml"
GOLDEN = ROOT / "tests" / "golden" / "report-crawley.md"
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} | & \x1b[31m"


def report(runner, path=CALLOFF, *extra: str) -> str:
    result = invoke(runner, "report", str(path), *extra)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def hostile_calloff(tmp_path):
    text = CALLOFF.read_text()
    data = yaml.safe_load(text)
    for entry in data["basis"]["ranked"]:
        entry["supplier"] = HOSTILE
    data["supplier"]["name"] = HOSTILE
    data["need"] = "Need <img src=http://x.example/p.png> & more\nline two"
    data["basis"]["excluded"][0]["reasons"][0]["message"] = "<b>bold</b> | pipe"
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return path


def test_markdown_golden(runner):
    assert report(runner, CALLOFF, "--format", "markdown") == GOLDEN.read_text()


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_record_covers_every_section(runner, fmt):
    out = report(runner, CALLOFF, "--format", fmt)
    for text in ("Around forty long-term unemployed claimants", "quality 60" if fmt == "markdown" else "Quality",
                 "quality at least 50", "80.00", "76.60", "69.29", "not suitable", "OF-0051",
                 "location: does not cover RH10, RH11", "Marks", "£125.00", "£375.00", "£750.00", "45%", "85%",
                 "£33,500.00", "£32,750.00", "2026-12-13", "2027-03-14", "sha256"):  # fmt: skip
        assert text in out, text


def test_html_bars_are_inline_widths(runner):
    out = report(runner)
    assert 'style="width: 76.60%"' in out and 'style="width: 100.00%"' in out
    assert out.count('class="fill"') == 12  # four scores for each of three offers


def test_html_is_self_contained(runner, tmp_path):
    assert "http" not in report(runner).lower()  # no address of any kind in the example's page
    for path in (CALLOFF, hostile_calloff(tmp_path)):
        out = report(runner, path)
        assert "<script" not in out.lower()
        assert not re.search(r"<[^>]*\b(src|href|srcset|action)\s*=", out)  # no tag fetches anything
        assert "@import" not in out and "url(" not in out
        assert "<link" not in out and "<iframe" not in out and "<object" not in out


def test_html_escapes_hostile_text(runner, tmp_path):
    out = report(runner, hostile_calloff(tmp_path))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in out
    assert "<img" not in out and "&lt;img" in out
    assert "&lt;b&gt;bold&lt;/b&gt;" in out
    assert "\x1b" not in out and "\\x1b[31m" in out


def test_markdown_escapes_hostile_text(runner, tmp_path):
    out = report(runner, hostile_calloff(tmp_path), "--format", "markdown")
    assert "<script" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;script>alert(1)&lt;/script>" in out and "\\{\\{ 7\\*7 \\}\\}" in out
    assert "\x1b" not in out
    rows = [line for line in out.splitlines() if line.startswith("| ") and "&lt;script" in line]
    assert len(rows) == 3  # the ranking's rows, each still ten cells: escaped pipes add none
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 11 for row in rows)
    assert "line two" in out and "more line two" in out  # a newline never breaks a paragraph or row


def test_escape_function():
    assert escape("a|b") == "a\\|b"
    assert escape("<i>&") == "&lt;i&gt;&amp;".replace("&gt;", ">")
    assert escape("x\ny") == "x y"
    assert escape("[link](http://e)") == "\\[link\\](http://e)"


def test_terms_come_from_the_call_off_alone(runner, ref_copy):
    """A call-off read under edited reference data still follows its own frozen terms."""
    categories = ref_copy / "categories.yaml"
    text = categories.read_text()
    edited = text.replace(
        "funding: {start: 10, completion: 30, job_outcome: 60}\n    targets: {job_outcome: 45}",
        "funding: {start: 50, completion: 50, job_outcome: 0}\n    targets: {job_outcome: 70}",
    )
    edited = edited.replace("weeks_in_work: 4", "weeks_in_work: 8").replace("window_weeks: 13", "window_weeks: 26")
    assert edited != text
    categories.write_text(edited)
    for fmt in ("markdown", "html"):
        assert report(runner, CALLOFF, "--format", fmt, "--reference", str(ref_copy)) == report(
            runner, CALLOFF, "--format", fmt
        )
    assert invoke(runner, "validate", str(CALLOFF), "--reference", str(ref_copy)).exit_code == 0


def test_output_never_overwritten(runner, tmp_path):
    target = tmp_path / "record.html"
    assert invoke(runner, "report", str(CALLOFF), "-o", str(target)).exit_code == 0
    assert target.read_text().startswith("<!DOCTYPE html>")
    target.write_text("mine")
    assert invoke(runner, "report", str(CALLOFF), "-o", str(target)).exit_code == 1
    assert target.read_text() == "mine"


def test_not_a_call_off_exit_1(runner):
    result = invoke(runner, "report", str(EXAMPLES / "evaluations.yaml"))
    assert result.exit_code == 1 and "not a call-off" in result.stderr


def test_awarded_other_offer_shows_the_reason(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    target = tmp_path / "co.yaml"
    invoke(
        runner,
        "award",
        "examples/business-cases/crawley-warehouse.yaml",
        "examples/offers",
        "--evaluations",
        "examples/evaluations.yaml",
        "--offer",
        "OF-0107",
        "--reason",
        "covers barriers too",
        "-o",
        str(target),
    )
    out = report(runner, target, "--format", "markdown")
    assert "OF-0107 was awarded instead; the reason recorded: covers barriers too" in out
    assert "**OF-0042** (Brightpath Training Ltd): ranked 2, above OF-0107" in out
