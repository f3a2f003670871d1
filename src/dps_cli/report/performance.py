"""Rendering performance as text: a table of measures per call-off and a cohort chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from .layout import emit

if TYPE_CHECKING:
    from rich.console import Console

    from ..performance import Performance


def render_text(console: Console, result: Performance) -> None:
    emit(console, Text(f"Performance as of {result.as_of}"))
