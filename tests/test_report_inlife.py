"""`dps report CALLOFF --events FILE... [--as-of DATE]`: the decision record's in-life part (SPEC §11)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import EXAMPLES, ROOT, invoke

CALLOFF = EXAMPLES / "calloffs" / "crawley-warehouse-award.yaml"
EVENTS = EXAMPLES / "events" / "crawley-warehouse.csv"
GOLDEN = ROOT / "tests" / "golden" / "report-crawley-inlife.md"
PLAIN = ROOT / "tests" / "golden" / "report-crawley.md"
AS_OF = "2027-01-31"


def record(runner, *extra, events=EVENTS, as_of=AS_OF, code=1):
    """The record with the example events, which hold one error (P-018 both completes and leaves): exit 1."""
    result = invoke(runner, "report", str(CALLOFF), "--events", str(events), "--as-of", as_of, *extra)
    assert result.exit_code == code, result.stderr
    return result.stdout


def clean_events(tmp_path):
    """The example events without the rows that make an error finding."""
    lines = EVENTS.read_text().splitlines(keepends=True)
    path = tmp_path / "clean.csv"
    path.write_text("".join(line for line in lines if ",P-018," not in line))
    return path


def test_markdown_golden(runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    events = EVENTS.relative_to(ROOT)
    assert record(runner, "--format", "markdown", events=events) == GOLDEN.read_text()


def test_without_events_the_record_is_unchanged(runner):
    with_events = record(runner, "--format", "markdown")
    plain = invoke(runner, "report", str(CALLOFF), "--format", "markdown").stdout
    assert plain == PLAIN.read_text()
    before, after = plain.split("## Basis\n")
    assert with_events.startswith(before + "## In life: performance and claims to 2027-01-31\n")
    assert with_events.endswith("## Basis\n" + after)


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (("--as-of", AS_OF), "--as-of needs --events"),
        (("--events", str(EVENTS), "--as-of", "2027-02-30"), "--as-of '2027-02-30' is not a date"),
        (("--events", str(EVENTS), "--as-of", "2100-01-01"), "--as-of 2100-01-01 is out of range"),
        (("--events", "no-such.csv"), "no-such.csv"),
    ],
)
def test_usage_errors(runner, args, wanted):
    result = invoke(runner, "report", str(CALLOFF), *args)
    assert result.exit_code == 2 and wanted in result.stderr and result.stdout == ""


def test_exit_0_when_the_events_hold_no_error(runner, tmp_path):
    out = record(runner, "--format", "markdown", events=clean_events(tmp_path), code=0)
    assert "None: every event holds together." in out and "### Withheld participants" not in out


def test_claims_to_date_are_what_dps_claims_gives(runner, tmp_path):
    for events in (EVENTS, clean_events(tmp_path)):
        claimed = invoke(runner, "claims", str(CALLOFF), "--events", str(events), "--period", "2027-01", "-f", "json")
        statement = json.loads(claimed.stdout)["calloffs"][0]
        out = record(runner, "--format", "markdown", events=events, code=claimed.exit_code)
        for milestone, label in (("start", "Start"), ("completion", "Completion"), ("job_outcome", "Job outcome")):
            due = [d for d in statement["due"] if d["milestone"] == milestone]
            amount = sum(float(d["fee"]) for d in due)
            assert re.search(rf"^\| {label} \| {len(due)} \| £[0-9.,]+ \| £{amount:,.2f} \|$", out, re.M), label
        assert f"| Total to date | | | £{float(statement['totals']['to_date']):,.2f} |" in out
        assert f"| Remaining | | | £{float(statement['totals']['remaining']):,.2f} |" in out


def test_measures_move_with_the_as_of_date(runner):
    early = record(runner, "--format", "markdown", as_of="2026-11-30", code=0)
    late = record(runner, "--format", "markdown", as_of="2027-06-30")
    row = re.compile(r"^\| job\\_outcome \| (\S+) \| (\S+) \| (\S+) \| 50% \| 45% \| ([^|]+) \|", re.M)
    rate, lower, upper, rating = row.search(early).groups()
    assert rating.strip() == "inadequate (provisional)"  # one leaver, no job yet
    assert (rate, lower) == ("0.00%", "0.00%") and upper != lower
    rate, lower, upper, rating = row.search(late).groups()
    assert lower == upper == rate  # every window has closed: final
    assert "provisional" not in rating


def test_html_section_with_inline_svg_and_no_script(runner):
    out = record(runner)
    section = out.split('<section class="inlife">', 1)[1].split("</section>", 1)[0]
    assert "<script" not in out.lower() and "http" not in section.replace("http://www.w3.org/2000/svg", "")
    charts = re.findall(r"<svg .*?</svg>", section, re.S)
    assert len(charts) == 2  # completion and job_outcome
    for chart in charts:
        root = ET.fromstring(chart)
        assert root.get("role") == "img" and root.find("{http://www.w3.org/2000/svg}title") is not None
    ids = re.findall(r'id="([^"]+)"', out)
    assert len(ids) == len(set(ids))  # each chart's title and desc ids are its own
    assert '<th scope="col" class="num">job_<wbr>outcome</th>' in section
    assert "⚠ </span>cannot meet the commitment" in section  # said in words; the sign is decoration


def test_hostile_event_text_is_escaped(runner, tmp_path):
    hostile = tmp_path / "hostile.csv"
    text = EVENTS.read_text()
    text += 'CO-BC-SE-0007,P-001,"<script>alert(1)</script>",2026-11-03,\n'
    text += "CO-BC-SE-0007,<img src=x>,job_end,2026-11-03,\n"
    text += "CO-BC-SE-0007,P-002,sj_outcome,2026-11-03,[red]\x1b[31m|x|\n"
    hostile.write_text(text)
    html = record(runner, events=hostile)
    assert "<script>" not in html and "<img" not in html and "\x1b" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x&gt;" in html
    markdown = record(runner, "--format", "markdown", events=hostile)
    assert "<script>" not in markdown and "<img" not in markdown and "\x1b" not in markdown
    assert "&lt;script>" in markdown and "&lt;img src=x>" in markdown


def test_findings_shown_are_bounded(runner, tmp_path):
    many = tmp_path / "many.csv"
    rows = "".join(f"CO-BC-SE-0007,P-{i:05d},dance,2026-11-03,\n" for i in range(1_500))
    many.write_text(EVENTS.read_text() + rows)
    out = record(runner, "--format", "markdown", events=many)
    # each rule's findings are capped at 100 per file, then one summary finding (as `dps claims`)
    assert "102 error(s), 1 warning(s)." in out
    assert out.count("error unknown-event") == 101
    assert "… and 1,400 more unknown-event findings in this file" in out
    # every one of them is still withheld; the list of the withheld is bounded at 1,000
    assert "… and 501 more withheld participants; `dps claims --format json` lists every one." in out


WORDS = {
    "good": "good", "approaching-target": "approaching target", "requires-improvement": "requires improvement",
    "inadequate": "inadequate", "cannot-meet-target": "⚠ cannot meet the target",
    "cannot-meet-commitment": "⚠ cannot meet the commitment", "secured": "commitment secured", None: "none",
}  # fmt: skip


def _pct(value):
    return "none" if value is None else f"{value:.2f}%"


@pytest.mark.parametrize("as_of", ["2026-11-01", "2026-11-30", "2027-01-31", "2027-03-31", "2027-06-30"])
def test_measures_are_what_dps_performance_gives(runner, as_of):
    measured = invoke(runner, "performance", str(CALLOFF), "--events", str(EVENTS), "--as-of", as_of, "-f", "json")
    out = record(runner, "--format", "markdown", as_of=as_of, code=measured.exit_code)
    for m in json.loads(measured.stdout)["calloffs"][0]["measures"]:
        rating = "none yet: no one settled" if m["rating"] is None else WORDS[m["rating"]]
        rating += "" if m["final"] or m["rating"] is None else " (provisional)"
        cells = [m["measure"].replace("_", "\\_"), _pct(m["rate"]), _pct(m["lower"]), _pct(m["upper"])]
        cells += [f"{m['commitment']:g}%", "none" if m["target"] is None else f"{m['target']:g}%", rating]
        cells += [WORDS[m["warning"]], f"{m['achieved']} / {m['open']} / {m['missed']} of {m['base_count']} starters"]
        assert "| " + " | ".join(cells) + " |" in out.splitlines()


def test_readme_excerpt_is_the_golden_record():
    readme = (ROOT / "README.md").read_text()
    excerpt = readme.split("With `--format markdown` the same part begins:\n\n```markdown\n", 1)[1].split("```", 1)[0]
    assert excerpt.count("\n") > 8 and excerpt in GOLDEN.read_text()


def test_withheld_shown_are_bounded(runner, tmp_path):
    """Each of 1,200 participants both completes and leaves: all withheld, 1,000 of them listed."""
    many = tmp_path / "withheld.csv"
    rows = ["calloff,participant,event,date"]
    for i in range(1_200):
        days = (("start", 2), ("completion", 20), ("leaver", 21))
        rows += [f"CO-BC-SE-0007,W-{i:05d},{event},2026-11-{day:02d}" for event, day in days]
    many.write_text("\n".join(rows) + "\n")
    out = record(runner, "--format", "markdown", events=many)
    withheld = out.split("### Withheld participants", 1)[1].split("### Findings", 1)[0]
    assert withheld.count("\n- **W-") == 1_000
    assert "… and 200 more withheld participants; `dps claims --format json` lists every one." in withheld
