"""A seed file + edits + an encoding -> the bytes of a mutated file.

Edits are lists (JSON-friendly) applied in order to the file's lines. Each
edit names a *slot* by index (taken modulo the number of slots): a line that
holds a key or a list item, found afresh after every edit.
"""

from __future__ import annotations

import random
import re
from typing import Any

from . import values

Edit = list[Any]
_SLOT = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?:(?P<key>[^\s:#][^:#]*):(?:\s+|$))?(?P<value>.*)$")
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252"]
PREFIXES = ["%YAML 1.1\n---\n", "%YAML 1.2\n---\n", "--- !custom\n", "\ufeff", "# comment\n", "---\n", "%TAG ! x\n"]
SUFFIXES = ["\n---\nkind: offer\n", "\n...\n", "\n: x\n", "\n\t\n", "\n?\n", "\n" + "# c\n" * 3, "\nkind: other\n"]


def slots(lines: list[str]) -> list[int]:
    """Line numbers of lines that hold a key or a list item."""
    return [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]


def _split(line: str) -> tuple[str, str, str]:
    match = _SLOT.match(line)
    assert match
    key = match["key"]
    head = match["indent"] + (f"{key}: " if key is not None else "")
    return head, match["value"], match["indent"]


def apply(text: str, edit: Edit) -> str:
    """One edit; an edit that does not fit this text leaves it as it is."""
    kind, args = edit[0], edit[1:]
    if kind == "trunc":
        return text[: int(len(text) * args[0])]
    if kind == "prefix":
        return values.expand(args[0]) + text
    if kind == "suffix":
        return text + values.expand(args[0])
    if kind == "raw":
        at = int(len(text) * args[0])
        return text[:at] + values.expand(args[1]) + text[at:]
    if kind == "crlf":
        return text.replace("\n", "\r\n")
    lines = text.split("\n")
    if kind == "key":
        return _set_key(lines, args[0], args[1])
    where = slots(lines)
    if not where:
        return text
    index = where[args[0] % len(where)]
    _LINE_EDITS[kind](lines, index, args[1:], where)
    return "\n".join(lines)


def _set_key(lines: list[str], key: str, spec: values.Spec) -> str:
    """Set the first value under this key (at any depth): how the known triggers are written."""
    for i, line in enumerate(lines):
        match = _SLOT.match(line)
        if match and match["key"] == key:
            _set(lines, i, [spec], [])
            break
    return "\n".join(lines)


def _set(lines: list[str], i: int, args: list[Any], _where: list[int]) -> None:
    """Replace a value; a block value (children, or a `>`/`|` scalar) goes with its lines."""
    head, value, _indent = _split(lines[i])
    lines[i] = head + values.expand(args[0])
    if value.strip() in ("", ">", ">-", "|", "|-"):
        depth = len(lines[i]) - len(lines[i].lstrip())
        while i + 1 < len(lines) and lines[i + 1].strip() and len(lines[i + 1]) - len(lines[i + 1].lstrip()) > depth:
            del lines[i + 1]


def _insert(lines: list[str], i: int, args: list[Any], _where: list[int]) -> None:
    _head, _value, indent = _split(lines[i])
    indent = indent.replace("-", " ")
    lines.insert(i, f"{indent}{args[0]}: {values.expand(args[1])}")


def _delete(lines: list[str], i: int, _args: list[Any], _where: list[int]) -> None:
    del lines[i]


def _duplicate(lines: list[str], i: int, _args: list[Any], _where: list[int]) -> None:
    lines.insert(i, lines[i])


def _indent(lines: list[str], i: int, args: list[Any], _where: list[int]) -> None:
    delta = int(args[0])
    lines[i] = " " * delta + lines[i] if delta > 0 else lines[i][-delta:] if lines[i][:-delta].isspace() else lines[i]


def _tab(lines: list[str], i: int, _args: list[Any], _where: list[int]) -> None:
    stripped = lines[i].lstrip(" ")
    if len(stripped) < len(lines[i]):
        lines[i] = "\t" + stripped


def _alias(lines: list[str], i: int, args: list[Any], where: list[int]) -> None:
    """Anchor the value at slot i and refer to it (alias or merge key) at slot j."""
    j = where[args[0] % len(where)]
    first, second = sorted((i, j))
    name = f"a{first}"
    head, value, _indent = _split(lines[first])
    lines[first] = f"{head}&{name} {value}".rstrip()
    head, value, indent = _split(lines[second])
    if args[1] == "merge" and second > first:
        lines.insert(second, f"{indent.replace('-', ' ')}<<: *{name}")
    elif second > first:
        lines[second] = f"{head}*{name}"


_LINE_EDITS = {
    "set": _set,
    "ins": _insert,
    "del": _delete,
    "dup": _duplicate,
    "indent": _indent,
    "tab": _tab,
    "alias": _alias,
}


def random_edit(rng: random.Random) -> Edit:
    slot = rng.randrange(1_000)
    roll = rng.random()
    if roll < 0.45:
        return ["set", slot, values.scalar(rng)]
    if roll < 0.55:
        return ["ins", slot, rng.choice(values.FIELDS), values.scalar(rng)]
    if roll < 0.70:
        return ["alias", slot, rng.randrange(1_000), rng.choice(["alias", "merge"])]
    if roll < 0.78:
        return [rng.choice(["del", "dup", "tab"]), slot]
    if roll < 0.82:
        return ["indent", slot, rng.choice([-4, -2, -1, 1, 2, 3])]
    if roll < 0.87:
        return ["raw", rng.random(), rng.choice(values.HOSTILE + values.TAGGED + ["\x00", "\x1b", ":", "- ", "&", "*"])]
    if roll < 0.92:
        return [rng.choice(["prefix", "suffix"]), rng.choice(PREFIXES if roll < 0.9 else SUFFIXES)]
    if roll < 0.96:
        return ["trunc", rng.random()]
    return ["crlf"]


def alias_bomb(first: int | str, then: int | str, size: int = 100_000, count: int = 10_000) -> list[Edit]:
    """One big string, aliased many times: small file, huge expansion. Slots by index or by key."""
    text = ["cat", '&s "', ["rep", "A ", size // 2, ""], '"']
    aliases = ["cat", "[", ["rep", "*s", count, ", "], "]"]
    if isinstance(first, str):
        return [["key", first, text], ["key", str(then), aliases]]
    return [["set", first, text], ["set", then, aliases]]


def render(text: str, edits: list[Edit], encoding: str = "utf-8", byte_edits: list[Edit] | None = None) -> bytes:
    for edit in edits:
        text = apply(text, edit)
    data = text.encode(encoding, errors="replace")
    for at, byte in byte_edits or []:
        pos = int(len(data) * at)
        data = data[:pos] + bytes([byte]) + data[pos:]
    return data
