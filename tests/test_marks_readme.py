"""The README's `dps marks` session is real: each command run in a fresh folder shows exactly what is printed.

Its commands write files, so they run in a temporary folder holding a link to
`examples/`, not at the repository root as the other README sessions do; the
YAML shown is checked against the file the session wrote.
"""

from __future__ import annotations

from tests.conftest import EXAMPLES, ROOT, invoke

SECTION = "### `dps marks sheet` and `dps marks combine`"


def section() -> str:
    text = (ROOT / "README.md").read_text()
    start = text[text.index(SECTION) :]
    return start[: start.index("\n### ", 1)]


def marks_session() -> list[tuple[str, list[str]]]:
    """Each `$ dps ...` line of the section's shell-session blocks, with what is shown under it."""
    commands: list[tuple[str, list[str]]] = []
    inside = False
    for line in section().splitlines():
        if line.startswith("```"):
            inside = line == "```shell-session"
        elif inside and line.startswith("$ "):
            commands.append((line[2:], []))
        elif inside and commands:
            commands[-1][1].append(line)
    return commands


def test_the_section_has_a_session():
    assert [command.split()[:3] for command, _ in marks_session()][:2] == [
        ["dps", "marks", "sheet"],
        ["dps", "marks", "combine"],
    ]


def test_the_session_shows_what_dps_prints(runner, tmp_path, monkeypatch):
    (tmp_path / "examples").symlink_to(EXAMPLES)
    monkeypatch.chdir(tmp_path)
    for command, shown in marks_session():
        result = invoke(runner, *command.split()[1:])
        assert result.output.rstrip("\n").splitlines() == shown, command
        assert result.exit_code == (1 if "to moderate)" in result.output else 0), command


def test_the_moderation_file_shown_is_the_one_written(runner, tmp_path, monkeypatch):
    (tmp_path / "examples").symlink_to(EXAMPLES)
    monkeypatch.chdir(tmp_path)
    for command, _ in marks_session():
        invoke(runner, *command.split()[1:])
    shown = section().split("```yaml\n", 1)[1].split("```", 1)[0]
    written = (tmp_path / "panel.yaml").read_text()
    assert written.endswith(shown)
