"""The decision record as one self-contained HTML page (Jinja2, autoescaping on)."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

from ..calloff import CallOff
from ..money import display_money
from . import record
from .chart import Chart, caption, svg
from .console import number
from .inlife import InLife

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def visible(value: Any) -> str:
    """Control characters from a file shown as ``\\xNN``, never passed to the page."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))


def render(calloff: CallOff, inlife: InLife | None = None) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("dps_cli", "templates/report"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = display_money
    env.filters["num"] = number
    env.filters["svg"] = _chart
    env.filters["caption"] = caption
    env.filters["breakable"] = _breakable
    return env.get_template("record.html.j2").render(r=record.build(calloff, inlife))


def _breakable(name: str) -> Markup:
    """A measure name that may wrap after each underscore on a narrow screen (`job_<wbr>outcome`)."""
    return Markup("_<wbr>").join(str(escape(visible(part))) for part in name.split("_"))


def _chart(chart: Chart, ident: str) -> Markup:
    """The chart's SVG, made here from checked names and numbers (its text escaped as it is built)."""
    return Markup(svg(chart, ident))


def _finalize(value: Any) -> Any:
    if hasattr(value, "__html__"):
        return value
    return visible(value)
