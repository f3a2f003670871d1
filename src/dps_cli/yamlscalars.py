"""Plain YAML scalars -> values, read exactly as written or refused.

PyYAML resolves YAML 1.1: `1:25` is the base-60 number 85, `010` the octal 8,
`0x1F` 31, `1_000` 1000 and `1.0e+3` 1000.0.  dps never takes those readings:
such a scalar becomes :class:`Refused`, which every field refuses with a hint.
Nothing here converts long text into an ``int`` (Python refuses more than
4,300 digits, and the conversion is quadratic): an integer longer than
:data:`MAX_INT_DIGITS` digits becomes an exact :class:`~decimal.Decimal` with
exponent 0, which every bound in dps refuses as out of range.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

_T = "tag:yaml.org,2002:"
MAX_INT_DIGITS = 30
_SHORT = 24  # texts this short are safe to convert, to show what YAML 1.1 would read
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"[-+]?[0-9]+\.[0-9]+")
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}


@dataclass(frozen=True)
class Refused:
    """A scalar dps will not read as YAML 1.1 does: the text, what YAML makes of it, a hint."""

    text: str
    reading: str
    hint: str

    def __str__(self) -> str:
        return self.text


def clip(text: str, width: int = 40) -> str:
    """Show at most ``width`` characters of untrusted text in a message."""
    return text if len(text) <= width else f"{text[: width - 1]}… ({len(text):,} characters)"


def read(node: yaml.ScalarNode) -> Any:
    """The value of a scalar whose tag is null, bool, int or float."""
    tag, text = node.tag, node.value
    if tag == _T + "null":
        return None
    if tag == _T + "bool":
        value = _BOOLS.get(text.lower())
        return value if value is not None else _mistagged(text, "bool")
    if tag == _T + "int":
        return _integer(text)
    return _float(text)


def _integer(text: str) -> Any:
    if _DECIMAL_INT.fullmatch(text):
        digits = text.lstrip("+-")
        if len(digits) <= MAX_INT_DIGITS:
            return int(text)
        return Decimal(text)  # exact and cheap; every bound refuses it as out of range
    body = text.lstrip("+-")
    if ":" in body and re.fullmatch(r"[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+", text):
        return _refused(text, "the base-60 number", f'write "{clip(text)}" in quotes if you meant the text')
    if body[:2] in ("0x", "0X") and re.fullmatch(r"[-+]?0x[0-9a-fA-F_]+", text):
        return _refused(text, "the hexadecimal number", "write the number in decimal digits")
    if body[:2] == "0b" and re.fullmatch(r"[-+]?0b[01_]+", text):
        return _refused(text, "the binary number", "write the number in decimal digits")
    if re.fullmatch(r"[-+]?0[0-7_]+", text):
        plain = body.replace("_", "").lstrip("0") or "0"
        return _refused(text, "the octal number", f"write {clip(plain)} without the leading zero")
    if re.fullmatch(r"[-+]?[1-9][0-9_]*", text):
        plain = text.replace("_", "")
        return _refused(text, "the number", f"write {clip(plain)} without underscores")
    return _mistagged(text, "int")


def _float(text: str) -> Any:
    if _DECIMAL.fullmatch(text):
        return Decimal(text)  # exact, as written
    lowered = text.lower()
    if lowered.lstrip("+-") in (".inf", ".nan"):
        return _refused(text, "infinity" if "inf" in lowered else "“not a number”", "write a finite number")
    if re.fullmatch(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*", text):
        return _refused(text, "the base-60 number", f'write "{clip(text)}" in quotes if you meant the text')
    if re.fullmatch(r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?", text):
        if "e" in lowered:
            return _refused(text, "a number with an exponent", "write the number in full, without `e`")
        if "_" in text:
            return _refused(text, "the number", f"write {clip(text.replace('_', ''))} without underscores")
        return _refused(text, "the number", "write digits on both sides of the decimal point, e.g. 0.5 or 12.0")
    return _mistagged(text, "float")


def _refused(text: str, reading: str, hint: str) -> Refused:
    if len(text) <= _SHORT and reading.startswith("the ") and "number" in reading:
        node = yaml.ScalarNode(_T + ("float" if "." in text else "int"), text)
        with contextlib.suppress(ValueError, ArithmeticError):
            reading = f"{reading} {SafeConstructor().construct_object(node)}"
    return Refused(text, f"YAML 1.1 reads `{clip(text)}` as {reading}", hint)


def _mistagged(text: str, tag: str) -> Refused:
    return Refused(
        text,
        f"`{clip(text)}` is tagged `!!{tag}` but is not one",
        f"remove the `!!{tag}` tag and write the value plainly",
    )
