"""The README's Quick start: two commands that need nothing but python3 and install only into .venv.

.ci/run runs these same commands (printed by .ci/readme_commands.py) in a fresh
copy of the repository, twice for the install, and once more with an
externally-managed system Python where there is one; this checks their shape.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

from tests.conftest import ROOT

VENV = "python3 -m venv .venv && "


def commands() -> list[str]:
    run = subprocess.run([sys.executable, ".ci/readme_commands.py"], cwd=ROOT, capture_output=True, text=True)
    return run.stdout.splitlines()


def test_there_are_two_commands_each_making_its_own_virtual_environment():
    found = commands()
    assert len(found) == 2
    assert all(command.startswith(VENV) for command in found)


def test_nothing_is_installed_or_run_outside_the_virtual_environment():
    for command in commands():
        steps = [shlex.split(step) for step in command.split(" && ")]
        assert steps[0] == ["python3", "-m", "venv", ".venv"]
        for step in steps[1:]:
            assert step[0].startswith(".venv/bin/"), step
        assert not re.search(r"(?<!\.venv/bin/)\bpip\b", command.replace(".venv/bin/pip", ""))
        assert "--break-system-packages" not in command and "sudo" not in command


def test_one_command_matches_the_examples_and_the_other_runs_the_tests():
    install, tests = commands()
    assert install.endswith(
        ".venv/bin/dps match examples/business-cases/crawley-warehouse.yaml examples/offers"
        " --evaluations examples/evaluations.yaml"
    )
    assert tests.endswith(".venv/bin/pip install '.[test]' && .venv/bin/python -m pytest")


def test_ci_runs_the_readme_commands():
    script = (ROOT / ".ci" / "run").read_text()
    assert "python3 .ci/readme_commands.py" in script
    assert '"${commands[1]}"' in script and '"${commands[0]}"' in script
