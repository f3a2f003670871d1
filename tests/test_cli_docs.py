"""Every command is documented in the README and has help text."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from dps_cli import __version__
from dps_cli.cli import app
from tests.conftest import ROOT, invoke

COMMANDS = sorted(info.name or "" for info in typer.main.get_group(app).commands.values())


def test_there_are_commands():
    assert {"categories", "routeways"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    assert f"dps {command}" in (ROOT / "README.md").read_text()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner, command):
    result = invoke(runner, command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_version_fast_path_imports_nothing_heavy():
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "dps_cli", "--version"], capture_output=True, text=True, check=True
    )
    imported = {line.rpartition("|")[2].strip() for line in done.stderr.splitlines()}
    assert done.stdout == f"dps {__version__}\n"
    assert "dps_cli.main" in imported
    assert not imported & {"typer", "pydantic", "rich", "yaml"}


def test_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dps_cli", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and __version__ in result.stdout


def readme_sessions() -> list[tuple[str, list[str]]]:
    """Each `$ dps ...` line of the README's console blocks, with the output shown under it."""
    sessions: list[tuple[str, list[str]]] = []
    inside = False
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("```"):
            inside = line == "```console"
            continue
        if inside and line.startswith("$ dps "):
            sessions.append((line[2:], []))
        elif inside and line.startswith("$ "):
            inside = False  # an install command: not run here
        elif inside and sessions:
            sessions[-1][1].append(line)
    return sessions


@pytest.mark.parametrize(("command", "shown"), readme_sessions(), ids=lambda v: v if isinstance(v, str) else "")
def test_readme_sessions_show_real_output(runner, monkeypatch, command, shown):
    monkeypatch.chdir(ROOT)
    result = invoke(runner, *command.split()[1:])
    lines = result.stdout.rstrip("\n").splitlines()
    if shown and shown[-1] == "…":  # an excerpt: the first lines
        shown = shown[:-1]
        lines = lines[: len(shown)]
    assert [line.rstrip() for line in lines] == [line.rstrip() for line in shown]
