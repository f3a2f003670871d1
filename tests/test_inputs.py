"""Reading input: files that are not regular, odd names, closed streams, and SPEC §3's folder rules."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from dps_cli import inputs, yamlsource
from tests.conftest import DATA, ROOT, invoke

VALID = DATA / "valid" / "offer-category-7.yaml"
BELOW = DATA / "invalid" / "below-target-under.yaml"
NO_KIND = "site_name: Docs\nnav:\n  - index.md\n"
WORKFLOW = "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"


def dps(*args: str, timeout: float = 30, **kwargs) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    """The real entry point in a child process: what a user's shell runs."""
    return subprocess.run(
        [sys.executable, "-m", "dps_cli", *args], capture_output=True, timeout=timeout, cwd=ROOT, **kwargs
    )


def shell(command: str, **kwargs) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    return subprocess.run(["sh", "-c", command], capture_output=True, timeout=30, cwd=ROOT, **kwargs)


def assert_clean(stderr: bytes | str) -> None:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    assert "internal error" not in text
    assert "Traceback" not in text


def unreadable(data: dict, path: str) -> str:  # type: ignore[type-arg]
    (entry,) = [f for f in data["files"] if f["path"] == path]
    (finding,) = entry["findings"]
    assert finding["rule"] == "unreadable"
    return str(finding["message"])


# -- files that are not regular files never block --------------------------


def test_a_fifo_named_directly_is_unreadable_not_a_hang(tmp_path):
    os.mkfifo(tmp_path / "x.yaml")
    done = dps("validate", str(tmp_path / "x.yaml"), "--format", "json", timeout=10)
    assert done.returncode == 1
    assert "not a regular file: it is a named pipe (FIFO)" in unreadable(
        json.loads(done.stdout), str(tmp_path / "x.yaml")
    )
    assert_clean(done.stderr)


def test_a_fifo_in_a_folder_is_reported_and_the_rest_checked(tmp_path):
    os.mkfifo(tmp_path / "x.yaml")
    shutil.copy(VALID, tmp_path / "y.yaml")
    done = dps("validate", str(tmp_path), "--format", "json", timeout=10)
    data = json.loads(done.stdout)
    assert done.returncode == 1
    assert "named pipe" in unreadable(data, str(tmp_path / "x.yaml"))
    assert data["summary"]["valid"] == 1


def test_a_socket_and_a_device_are_unreadable(runner, tmp_path):
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "s.yaml"))
        result = invoke(runner, "validate", str(tmp_path / "s.yaml"), os.devnull, "--format", "json")
    finally:
        server.close()
    data = json.loads(result.stdout)
    assert "it is a socket" in unreadable(data, str(tmp_path / "s.yaml"))
    assert "it is a character device" in unreadable(data, os.devnull)
    assert result.exit_code == 1


def test_read_refuses_what_is_not_a_regular_file_without_opening_it(tmp_path):
    os.mkfifo(tmp_path / "p.yaml")
    item = inputs.read(str(tmp_path / "p.yaml"))
    assert item.content is None and item.problem == "not a regular file: it is a named pipe (FIFO)"
    assert inputs.read(str(tmp_path)).problem == "not a regular file: it is a folder"


def test_read_stops_one_byte_past_the_size_limit(tmp_path):
    (tmp_path / "big.yaml").write_bytes(b"#" * (yamlsource.MAX_BYTES * 3))
    content = inputs.read(str(tmp_path / "big.yaml")).content
    assert content is not None and len(content) == yamlsource.MAX_BYTES + 1


def test_a_fifo_in_the_reference_folder_is_a_usage_error_naming_it(ref_copy):
    (ref_copy / "categories.yaml").unlink()
    os.mkfifo(ref_copy / "categories.yaml")
    done = dps("categories", "--reference", str(ref_copy), timeout=10)
    assert done.returncode == 2
    assert f"{ref_copy / 'categories.yaml'}: cannot read reference file (not a regular file" in done.stderr.decode()
    assert_clean(done.stderr)


# -- folders that cannot be searched --------------------------------------


def test_a_folder_that_cannot_be_searched_is_a_finding_and_the_rest_is_checked(runner, tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    shutil.copy(VALID, tmp_path / "locked" / "a.yaml")
    shutil.copy(VALID, tmp_path / "b.yaml")
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = invoke(runner, "validate", str(tmp_path), "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert unreadable(data, str(tmp_path / "locked")) == "cannot search this folder: Permission denied"
    assert [f["path"] for f in data["files"]] == [str(tmp_path / "b.yaml"), str(tmp_path / "locked")]
    assert data["files"][1]["findings"][0]["hint"].startswith("check the folder's permissions")


@pytest.mark.skipif(os.geteuid() == 0, reason="permissions do not bind root")
def test_permissions_really_denied(tmp_path):
    (tmp_path / "locked").mkdir()
    shutil.copy(VALID, tmp_path / "locked" / "a.yaml")
    (tmp_path / "locked").chmod(0)
    try:
        folder = dps("validate", str(tmp_path), "--format", "json")
        inside = dps("validate", str(tmp_path / "locked" / "a.yaml"), "--format", "json")
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert folder.returncode == 1 and b"cannot search this folder" in folder.stdout
    assert inside.returncode == 1 and b"cannot read the file: Permission denied" in inside.stdout


# -- closed and broken standard streams -----------------------------------


def test_closed_stdin_is_unreadable(tmp_path):
    done = shell(f"exec {sys.executable} -m dps_cli validate - --format json <&-")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert unreadable(data, "<stdin>") == "standard input is closed"
    assert data["files"][0]["findings"][0]["hint"].startswith("give the file on standard input")
    assert_clean(done.stderr)


@pytest.mark.parametrize("args", [[str(VALID)], [str(BELOW), "--format", "json"], ["--help"]])
def test_closed_stdout_is_one_error_line_and_exit_2(args):
    done = shell(f"exec {sys.executable} -m dps_cli validate {' '.join(args)} >&-")
    assert done.returncode == 2
    assert done.stderr.decode().splitlines()[0] == (
        "dps: error: standard output is closed, so there is nowhere to write the report"
    )
    assert_clean(done.stderr)


def test_a_reader_that_stops_ends_the_run_quietly_with_141(tmp_path):
    for i in range(40):
        shutil.copy(BELOW, tmp_path / f"{i}.yaml")
    child = subprocess.Popen(
        [sys.executable, "-m", "dps_cli", "validate", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # like `| head -0`: the reader is gone before anything is written
    stderr = child.stderr.read()
    assert child.wait(timeout=30) == 141
    assert stderr == b""


# -- names that are not UTF-8 ----------------------------------------------


@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path, output):
    name = os.fsdecode(bytes(tmp_path) + b"/bad\xff\x1b.yaml")
    shutil.copy(BELOW, name)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}  # strict: an unescaped name would not encode
    done = dps("validate", name, "--format", output, env=env)
    assert done.returncode == 1
    shown = f"{tmp_path}/bad\\xff\\x1b.yaml"
    text = done.stdout.decode("utf-8")  # the output is valid UTF-8
    if output == "json":
        assert json.loads(text)["files"][0]["path"] == shown
    else:
        assert shown in text
    assert_clean(done.stderr)


def test_display_path():
    assert inputs.display_path("offers/a.yaml") == "offers/a.yaml"
    assert inputs.display_path(os.fsdecode(b"caf\xe9.yaml")) == "caf\\xe9.yaml"
    assert inputs.display_path("a\nb\x1b\x9b.yaml") == "a\\x0ab\\x1b\\x9b.yaml"
    assert inputs.display_path("café\t.yaml") == "café\t.yaml"
    assert inputs.display_path("-") == "<stdin>"


# -- SPEC §3: folder rules --------------------------------------------------


def make_repository(root: Path) -> None:
    """A supplier's repository: offers beside the usual tooling files."""
    (root / "offers" / "drafts").mkdir(parents=True)
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW)
    (root / ".pre-commit-config.yaml").write_text("repos: []\n")
    (root / "mkdocs.yml").write_text(NO_KIND)
    shutil.copy(VALID, root / "offers" / "a.yaml")
    shutil.copy(BELOW, root / "offers" / "drafts" / "b.yaml")


def test_validate_dot_in_a_real_repository_just_works(runner, tmp_path, monkeypatch):
    make_repository(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "validate", ".", "--exclude", "drafts", "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [f["path"] for f in data["files"]] == ["offers/a.yaml"]
    assert data["skipped"] == ["mkdocs.yml"]
    assert data["summary"] == {"files": 1, "valid": 1, "errors": 0, "warnings": 0, "skipped": 1}


def test_text_summary_counts_the_skipped(runner, tmp_path, monkeypatch):
    make_repository(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "validate", "offers/a.yaml", "mkdocs.yml", ".", "--exclude", "offers/drafts")
    assert result.exit_code == 1  # mkdocs.yml was named, so it is checked: unknown-kind
    assert "mkdocs.yml:1:1: error[unknown-kind]" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 files checked: 1 valid, 1 error, 0 warnings"
    other = invoke(runner, "validate", ".", "--exclude", "drafts")
    assert other.stdout.splitlines()[-1] == (
        "1 file checked: 1 valid, 0 errors, 0 warnings; 1 YAML file without `kind:` skipped"
    )


def test_hidden_entries_are_not_searched_but_a_named_hidden_file_is_checked(runner, tmp_path):
    make_repository(tmp_path)
    found = inputs.expand([str(tmp_path)])
    assert all("/." not in target.path for target in found)
    named = json.loads(invoke(runner, "validate", str(tmp_path / ".pre-commit-config.yaml"), "-f", "json").stdout)
    assert named["files"][0]["findings"][0]["rule"] == "unknown-kind"


def test_a_yaml_list_in_a_folder_is_still_reported(runner, tmp_path):
    (tmp_path / "playbook.yaml").write_text("- hosts: all\n")
    data = json.loads(invoke(runner, "validate", str(tmp_path), "-f", "json").stdout)
    assert data["files"][0]["findings"][0]["rule"] == "yaml-syntax"
    assert data["skipped"] == []


@pytest.mark.parametrize(
    ("pattern", "left"),
    [
        ("drafts", ["offers/a.yaml", "offers/x.tmpl.yaml"]),
        ("*.tmpl.yaml", ["offers/a.yaml", "offers/drafts/b.yaml"]),
        ("offers/drafts/*", ["offers/a.yaml", "offers/x.tmpl.yaml"]),
        ("./offers/drafts", ["offers/a.yaml", "offers/x.tmpl.yaml"]),
        ("offers", []),
        ("Drafts", ["offers/a.yaml", "offers/drafts/b.yaml", "offers/x.tmpl.yaml"]),
    ],
)
def test_exclude_globs(tmp_path, monkeypatch, pattern, left):
    make_repository(tmp_path)
    shutil.copy(VALID, tmp_path / "offers" / "x.tmpl.yaml")
    monkeypatch.chdir(tmp_path)
    found = [t.path for t in inputs.expand(["."], [pattern]) if t.path != "mkdocs.yml"]
    assert found == left


def test_exclude_never_leaves_out_a_named_file(runner, tmp_path):
    shutil.copy(BELOW, tmp_path / "a.tmpl.yaml")
    result = invoke(runner, "validate", str(tmp_path / "a.tmpl.yaml"), "--exclude", "*.tmpl.yaml")
    assert result.exit_code == 1


def test_each_file_is_checked_once(runner, tmp_path):
    shutil.copy(VALID, tmp_path / "a.yaml")
    (tmp_path / "mkdocs.yml").write_text(NO_KIND)
    a, mkdocs = str(tmp_path / "a.yaml"), str(tmp_path / "mkdocs.yml")
    args = [a, str(tmp_path), a, f"{tmp_path}/./a.yaml", mkdocs, "--format", "json"]
    data = json.loads(invoke(runner, "validate", *args).stdout)
    # checked once each, where first reached; mkdocs.yml is named as well as found, so it is checked
    assert [f["path"] for f in data["files"]] == [a, mkdocs]
    assert data["skipped"] == []
    assert data["files"][0]["findings"] == []  # no duplicate-id against itself


def test_the_kind_test_reuses_the_validation_parse(runner, tmp_path, monkeypatch):
    shutil.copy(VALID, tmp_path / "a.yaml")
    (tmp_path / "mkdocs.yml").write_text(NO_KIND)
    calls: list[str] = []
    real_load = yamlsource.load

    def counting_load(content: bytes, name: str) -> yamlsource.Source:
        calls.append(name)
        return real_load(content, name)

    monkeypatch.setattr(yamlsource, "load", counting_load)
    result = invoke(runner, "validate", str(tmp_path), "--format", "json")
    assert json.loads(result.stdout)["summary"]["skipped"] == 1
    assert sorted(calls) == [str(tmp_path / "a.yaml"), str(tmp_path / "mkdocs.yml")]


def test_a_deep_folder_tree_does_not_exhaust_recursion(tmp_path):
    folder = tmp_path
    for _ in range(300):
        folder = folder / "d"
    folder.mkdir(parents=True)
    shutil.copy(VALID, folder / "a.yaml")
    (found,) = inputs.expand([str(tmp_path)])
    assert found.path == str(folder / "a.yaml") and not found.named


def test_a_linked_folder_is_not_followed(tmp_path):
    (tmp_path / "real").mkdir()
    shutil.copy(VALID, tmp_path / "real" / "a.yaml")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real")
    assert [t.path for t in inputs.expand([str(tmp_path / "real")])] == [str(tmp_path / "real" / "a.yaml")]
