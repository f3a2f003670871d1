"""The decision record as one self-contained HTML page (Jinja2, autoescaping on)."""

from __future__ import annotations

import re
from typing import Any

from ..calloff import CallOff
from ..money import display_money
from . import record
from .console import number

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def visible(value: Any) -> str:
    """Control characters from a file shown as ``\\xNN``, never passed to the page."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))


def render(calloff: CallOff) -> str:
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
    return env.get_template("record.html.j2").render(r=record.build(calloff))


def _finalize(value: Any) -> Any:
    if hasattr(value, "__html__"):
        return value
    return visible(value)
