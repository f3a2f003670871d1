"""Console entry point: answers ``--version`` before importing anything heavy."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from . import __version__, process

        process.install()
        try:
            print(f"dps {__version__}")
        except process.OutputClosed as closed:
            sys.exit(process.output_closed(closed))
        return
    from .cli import run

    run()
