"""The decision record as Markdown: every text from the files escaped, tables kept whole."""

from __future__ import annotations

import re
from typing import Any

from ..calloff import CallOff
from ..money import display_money
from . import record
from .chart import Point, percent
from .console import number
from .inlife import InLife

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")  # values never start a line, so # > - + need nothing


def escape(value: Any) -> str:
    """Text safe inside a Markdown paragraph or table cell.

    Control characters are shown as ``\\xNN``, newlines become spaces (a cell
    is one line), ``&`` and ``<`` become entities so HTML in a file never
    renders as HTML, and Markdown's punctuation is backslash-escaped.
    """
    text = str(value)
    text = _CONTROL.sub(lambda m: "" if m.group() in "\r\n" else f"\\x{ord(m.group()):02x}", text.replace("\r\n", " "))
    text = " ".join(text.replace("\r", " ").split("\n"))
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;")


def bar(width: float, cells: int = 20) -> str:
    filled = round(width * cells / 100)
    return "█" * filled + "░" * (cells - filled)


def strip(point: Point, cells: int = 20) -> str:
    """One cohort on a 0-100% strip: `░` outside the bounds, `█` between them, `●` at the rate (5% a cell)."""
    if point.lower is None or point.upper is None:
        return "·" * cells
    low, high = float(point.lower) * cells / 100, float(point.upper) * cells / 100
    out = ["█" if (i + 1 > low and i < high) or (low == high and i == min(int(low), cells - 1)) else "░"
           for i in range(cells)]  # fmt: skip
    if point.rate is not None:
        out[min(int(float(point.rate) * cells / 100), cells - 1)] = "●"
    return "".join(out)


def render(calloff: CallOff, inlife: InLife | None = None) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("dps_cli", "templates/report"),
        autoescape=False,
        finalize=_finalize,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["bar"] = lambda width: Raw(bar(width))
    env.filters["raw"] = Raw
    env.filters["money"] = display_money
    env.filters["num"] = number
    env.filters["strip"] = lambda point: Raw(strip(point))
    env.filters["pct"] = lambda value: "none" if value is None else percent(value)
    return env.get_template("record.md.j2").render(r=record.build(calloff, inlife))


class Raw(str):
    """Text the template itself made (bars, fixed labels): not escaped again."""


def _finalize(value: Any) -> str:
    return value if isinstance(value, Raw) else escape(value)
