"""The README's pre-commit snippets work verbatim in a fresh repository.

A fresh git repository gets each README snippet as `.pre-commit-config.yaml`,
with only the URL replaced: by a git repository made from this working tree.
pre-commit then installs the hook as a supplier's machine would (pip, in its
own environment), so this takes a few tens of seconds: it stays in the suite
because the snippet is the contract a supplier copies, and nothing cheaper
catches a hook that does not install or run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
GOOD = EXAMPLES / "offers" / "brightpath-warehouse-ready.yaml"
BAD = ROOT / "tests" / "data" / "invalid" / "below-target-under.yaml"


def readme_snippets() -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    return [block for block in blocks if "id: dps-validate" in block]


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """This working tree (tracked and new files, not ignored ones) as a git repository."""
    repo = tmp_path_factory.mktemp("dps-hooks") / "dps"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True
    )
    if listed.returncode == 0 and listed.stdout:
        for name in filter(None, listed.stdout.decode().split("\0")):
            if (ROOT / name).is_file():
                (repo / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, repo / name)
    else:  # a copy without .git (as .ci/run makes): everything but what git would ignore
        ignored = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*_cache", ".hypothesis", "out", "*.egg-info")
        shutil.copytree(ROOT, repo, ignore=ignored)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "dps")
    return repo


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def supplier_repo(tmp_path: Path, snippet: str, hook_repo: Path) -> Path:
    repo = tmp_path / "supplier"
    (repo / "offers").mkdir(parents=True)
    config = re.sub(r"(?m)^(\s*- repo:) .*$", rf"\1 {hook_repo.as_posix()}", snippet)
    (repo / ".pre-commit-config.yaml").write_text(config)
    shutil.copy(GOOD, repo / "offers" / "good.yaml")
    (repo / "notes.yaml").write_text("not: a dps file\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    return repo


def pre_commit(repo: Path, store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(store), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "pre_commit", *args]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True)


def test_the_readme_offers_both_hooks():
    hooks = {hook["id"] for snippet in readme_snippets() for hook in yaml.safe_load(snippet)["repos"][0]["hooks"]}
    manifest = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks == manifest == {"dps-validate", "dps-validate-all"}


@pytest.mark.parametrize("snippet", readme_snippets(), ids=lambda s: re.findall(r"id: (\S+)", s)[0])
def test_readme_snippet_passes_a_valid_offer_and_fails_an_invalid_one(tmp_path, hook_repo, store, snippet):
    repo = supplier_repo(tmp_path, snippet, hook_repo)
    first = pre_commit(repo, store, "run", "--all-files")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Passed" in first.stdout
    shutil.copy(BAD, repo / "offers" / "bad.yaml")
    git(repo, "add", "-A")
    second = pre_commit(repo, store, "run", "--all-files")
    assert second.returncode == 1
    assert "error[below-target] performance.job_outcome" in second.stdout


def test_only_the_whole_folder_hook_sees_a_duplicate_id_in_an_unchanged_file(tmp_path, hook_repo, store):
    hook = "      - id: dps-validate-all"
    both = readme_snippets()[0].replace(hook, "      - id: dps-validate\n" + hook)
    repo = supplier_repo(tmp_path, both, hook_repo)
    shutil.copy(GOOD, repo / "offers" / "copy.yaml")  # the same id as good.yaml
    git(repo, "add", "-A")
    result = pre_commit(repo, store, "run", "--files", "offers/copy.yaml")
    assert re.search(r"dps validate\.+Passed", result.stdout), result.stdout
    assert re.search(r"dps validate \(whole folder\)\.+Failed", result.stdout), result.stdout
    assert "error[duplicate-id]" in result.stdout


def test_autoupdate_pins_the_newest_release_tag(tmp_path, hook_repo, store):
    repo = supplier_repo(tmp_path, readme_snippets()[0], hook_repo)
    git(hook_repo, "tag", "v0.1.0")
    try:
        result = pre_commit(repo, store, "autoupdate")
    finally:
        git(hook_repo, "tag", "-d", "v0.1.0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())["repos"][0]["rev"] == "v0.1.0"


def test_the_whole_folder_hook_with_its_default_args_checks_a_whole_repository(tmp_path, hook_repo, store):
    kept = [line for line in readme_snippets()[0].splitlines(keepends=True) if not re.match(r"\s+(args|files):", line)]
    config = "".join(kept)
    assert "args" not in config and "files" not in config
    repo = supplier_repo(tmp_path, config, hook_repo)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")
    git(repo, "add", "-A")
    result = pre_commit(repo, store, "run", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
