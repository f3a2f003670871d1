"""`dps validate` through the command line: inputs, formats, exit codes."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import DATA, EXAMPLES, invoke

VALID = DATA / "valid" / "offer-category-7.yaml"
BELOW = DATA / "invalid" / "below-target-under.yaml"
THIN = DATA / "invalid" / "thin-evidence.yaml"


def test_valid_file_exits_0(runner):
    result = invoke(runner, "validate", str(VALID))
    assert result.exit_code == 0
    assert result.stdout.strip() == "1 file checked: 1 valid, 0 errors, 0 warnings"


def test_text_lines_start_with_path_line_col(runner):
    result = invoke(runner, "validate", str(BELOW))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{BELOW}:20:16: error[below-target] performance.job_outcome: "
        "job_outcome 44.99% is under the category 7 target of 45% of starters"
    )
    assert "    hint: commit to at least 45%" in result.stdout


def test_json_shape(runner):
    other = EXAMPLES / "offers" / "brightpath-warehouse-ready.yaml"
    result = invoke(runner, "validate", str(BELOW), str(other), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["summary"] == {"files": 2, "valid": 1, "errors": 1, "warnings": 0, "skipped": 0}
    first = data["files"][0]
    assert {k: first[k] for k in ("path", "kind", "id", "valid")} == {
        "path": str(BELOW),
        "kind": "offer",
        "id": "OF-9001",
        "valid": False,
    }
    finding = first["findings"][0]
    assert {k: finding[k] for k in ("rule", "severity", "field", "line", "column")} == {
        "rule": "below-target",
        "severity": "error",
        "field": "performance.job_outcome",
        "line": 20,
        "column": 16,
    }


def test_warnings_pass_unless_strict(runner):
    assert invoke(runner, "validate", str(THIN)).exit_code == 0
    assert invoke(runner, "validate", str(THIN), "--strict").exit_code == 1


def test_stdin(runner):
    result = invoke(runner, "validate", "-", "--format", "json", input=BELOW.read_text())
    data = json.loads(result.stdout)
    assert data["files"][0]["path"] == "<stdin>"
    assert result.exit_code == 1


def test_folder_is_searched_recursively_in_path_order(runner, tmp_path):
    (tmp_path / "b").mkdir()
    shutil.copy(VALID, tmp_path / "b" / "z.yml")
    shutil.copy(BELOW, tmp_path / "a.yaml")
    (tmp_path / "notes.txt").write_text("not yaml")
    data = json.loads(invoke(runner, "validate", str(tmp_path), "--format", "json").stdout)
    assert [f["path"] for f in data["files"]] == [str(tmp_path / "a.yaml"), str(tmp_path / "b" / "z.yml")]


def test_one_bad_file_never_stops_the_batch(runner, tmp_path):
    (tmp_path / "a.yaml").write_bytes(b"\xff\xfe\x00")
    shutil.copy(VALID, tmp_path / "b.yaml")
    data = json.loads(invoke(runner, "validate", str(tmp_path), "--format", "json").stdout)
    assert [f["valid"] for f in data["files"]] == [False, True]


@pytest.mark.parametrize(
    "args", [["validate", "missing.yaml"], ["validate", str(VALID), "--format", "xml"], ["validate"]]
)
def test_usage_errors_exit_2(runner, args):
    result = invoke(runner, *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_empty_folder_is_a_usage_error(runner, tmp_path):
    assert invoke(runner, "validate", str(tmp_path)).exit_code == 2


def test_github_annotates_every_finding(runner, tmp_path):
    for i in range(12):
        (tmp_path / f"o{i:02}.yaml").write_text(BELOW.read_text().replace("OF-9001", f"OF-{i}"))
    result = invoke(runner, "validate", str(tmp_path), "--format", "github")
    lines = result.stdout.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 12  # SPEC §3: none is dropped, however many there are
    assert errors[0].startswith(f"::error file={tmp_path / 'o00.yaml'},line=20,col=16,title=dps below-target::")
    assert not any(line.startswith("::notice") for line in lines)
    assert result.exit_code == 1


def test_github_escapes_newlines_and_commas(runner, tmp_path):
    path = tmp_path / "a,b.yaml"
    path.write_text("kind: offer\nid: [\n")
    line = invoke(runner, "validate", str(path), "--format", "github").stdout.splitlines()[0]
    assert "file=" + str(tmp_path).replace(":", "%3A").replace(",", "%2C") + "/a%2Cb.yaml" in line
    assert "\n" not in line


def test_no_ansi_when_piped_even_under_github_actions(runner, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = invoke(runner, "validate", str(BELOW))
    assert "\x1b[" not in result.stdout


def test_every_example_validates_through_the_cli(runner):
    result = invoke(runner, "validate", str(EXAMPLES), "--strict")
    assert result.exit_code == 0, result.stdout


def test_parallel_batches_give_the_sequential_result(runner, tmp_path):
    """Big batches run across processes; the output must not change by a byte."""
    sources = sorted((DATA / "invalid").glob("*.yaml")) + sorted(EXAMPLES.rglob("*.yaml"))
    for i in range(3):  # duplicates across copies exercise the cross-file rules too
        for source in sources:
            (tmp_path / f"{i}-{source.name}").write_bytes(source.read_bytes())
    args = ["validate", str(tmp_path), "--format", "json"]
    sequential = invoke(runner, *args, "--jobs", "1")
    parallel = invoke(runner, *args, "--jobs", "2")
    assert parallel.exit_code == sequential.exit_code == 1
    assert parallel.stdout == sequential.stdout
    assert json.loads(parallel.stdout)["summary"]["files"] == 3 * len(sources)
