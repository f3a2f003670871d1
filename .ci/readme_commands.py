"""Print the commands of the README's Quick start, one a line, exactly as written there.

.ci/run runs them in a fresh copy of the repository; tests/test_quickstart.py
checks their shape. A command is a `$ ` line of a ```console block between
"## Quick start" and the next "## " heading.
"""

import re
import sys
from pathlib import Path

readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
section = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
for block in re.findall(r"```console\n(.*?)```", section, re.S):
    for line in block.splitlines():
        if line.startswith("$ "):
            sys.stdout.write(line[2:] + "\n")
