"""Console entry point: answers ``--version`` before importing anything heavy."""

from __future__ import annotations

import sys


def main() -> None:
    from . import process

    process.install()  # first, so that Ctrl-C even during start-up is one line, not a traceback
    try:
        _main()
    except SystemExit as done:
        process.finish(done.code)
    process.finish(0)


def _main() -> None:
    from . import process

    with process.handled():
        if sys.argv[1:] in (["--version"], ["-V"]):
            from . import __version__

            print(f"dps {__version__}")
            return
        from .cli import run

        run()
