"""Bytes -> one YAML mapping, with a line/column for every node.

Plain YAML loaders silently keep the last of two equal keys, expand aliases
without bound and turn ``1250.10`` into a float.  This layer composes the node
tree (libyaml's C composer when present) and builds the values itself:

- duplicate keys, alias bombs, recursive aliases and excessive nesting become
  findings rather than surprises;
- decimal scalars become :class:`~decimal.Decimal` from the text as written;
- dates stay as the text written, for the models to parse;
- every value's position and every plain scalar's original text are recorded,
  so findings can point at the exact place and explain YAML 1.1 surprises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from . import yamlscalars
from .findings import Finding

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it

MAX_BYTES = 1024 * 1024
MAX_ALIAS_NODES = 10_000
MAX_ALIAS_BYTES = 1024 * 1024  # text reached through aliases, in UTF-8 bytes
MAX_DEPTH = 100
# Nesting depth cannot exceed the number of these characters; below this many
# the composer is safe without measuring depth first.
_NESTING_CHARS = "[{-:?"
_SAFE_NESTING_BOUND = 2_000

Path = tuple[str | int, ...]
_T = "tag:yaml.org,2002:"
_MERGE = _T + "merge"
_KEEP = object()


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass(frozen=True)
class Scalar:
    """How a scalar was written: its text, resolved tag, and whether it was plain."""

    text: str
    tag: str
    plain: bool


@dataclass
class Source:
    """A parsed file: its mapping (or ``None``), where each value is, and load findings.

    ``positions`` and ``key_positions`` hold the parser's marks (0-based);
    :meth:`position` turns them into 1-based :class:`Position` on demand.
    ``scalars`` records how non-text plain scalars were written, for hints.
    """

    name: str
    data: dict[Any, Any] | None = None
    positions: dict[Path, Any] = field(default_factory=dict)
    key_positions: dict[Path, Any] = field(default_factory=dict)
    scalars: dict[Path, Scalar] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def position(self, path: Path) -> Position:
        """Where ``path``'s value is; for a missing field, where its parent is named.

        A missing ``performance.completion`` points at the ``performance:`` key,
        a missing top-level field at the start of the document.
        """
        if path in self.positions:
            return _position(self.positions[path])
        while path:
            path = path[:-1]
            if path in self.key_positions:
                return _position(self.key_positions[path])
            if path in self.positions:
                return _position(self.positions[path])
        return Position(1, 1)

    def key_position(self, path: Path) -> Position:
        mark = self.key_positions.get(path)
        return _position(mark) if mark is not None else self.position(path)


def _position(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


class _Stop(Exception):
    """Abandon conversion: the finding carried has been recorded."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding


def _at(node: yaml.Node) -> Position:
    return _position(node.start_mark)


def _mark_position(error: yaml.YAMLError) -> Position:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is None:
        return Position(1, 1)
    return Position(mark.line + 1, mark.column + 1)


def load(content: bytes, name: str) -> Source:
    """Read ``content`` as one YAML mapping; problems become findings."""
    source = Source(name)
    text = _decode(content, source)
    if text is None:
        return source
    try:
        root = _compose_one(text, source)
        if root is None:
            return source
        source.positions[()] = root.start_mark
        data = _Builder(source).build(root)
    except _Stop as stop:
        source.findings.append(stop.finding)
        return source
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else "a single value"
        source.findings.append(
            Finding(
                "yaml-syntax",
                f"the file holds {found}, not a mapping of fields",
                hint="start with `kind: offer` (or business-case / evaluations) and one field per line",
            )
        )
        return source
    source.data = data
    return source


def _decode(content: bytes, source: Source) -> str | None:
    if len(content) > MAX_BYTES:
        source.findings.append(
            Finding(
                "unreadable",
                f"the file is {len(content):,} bytes; the limit is {MAX_BYTES:,} (1 MiB)",
                hint="an offer or business case is a short text file; check this is the right file",
            )
        )
        return None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = content[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        source.findings.append(
            Finding(
                "unreadable",
                f"the file is not UTF-8 text (byte 0x{content[error.start]:02x} at offset {error.start})",
                line=line,
                column=column,
                hint="save the file as UTF-8 in your editor",
            )
        )
        return None
    if not any(ln.strip() and not ln.lstrip().startswith("#") for ln in text.splitlines()):
        source.findings.append(
            Finding(
                "unreadable",
                "the file is empty (nothing but whitespace and comments)",
                hint="run `dps new offer` for a template to fill in",
            )
        )
        return None
    return text


def _compose_one(text: str, source: Source) -> yaml.Node | None:
    try:
        _check_depth(text)
        documents = yaml.compose_all(text, Loader=_Loader)
        first = next(documents, None)
        second = next(documents, None)
    except yaml.YAMLError as error:
        raise _Stop(_syntax_finding(error, text)) from None
    if second is not None:
        at = _separator_before(text, _at(second))
        raise _Stop(
            Finding(
                "yaml-syntax",
                "the file holds more than one YAML document",
                line=at.line,
                column=at.column,
                hint="put each offer or business case in a file of its own; remove the `---` separator",
            )
        )
    if first is None or (first.tag == _T + "null" and first.value in ("", "~", "null")):
        raise _Stop(Finding("yaml-syntax", "the file holds no fields", hint="start with `kind: offer`"))
    return first


def _separator_before(text: str, at: Position) -> Position:
    """The `---` line that opens the document starting at ``at``, if there is one."""
    lines = text.splitlines()
    for number in range(min(at.line, len(lines)), 0, -1):
        if lines[number - 1].startswith("---"):
            return Position(number, 1)
    return at


def _check_depth(text: str) -> None:
    """Refuse deep nesting before the recursive composer sees it."""
    if sum(text.count(c) for c in _NESTING_CHARS) <= _SAFE_NESTING_BOUND:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Stop(_too_deep(event.start_mark))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _too_deep(mark: Any) -> Finding:
    return Finding(
        "yaml-syntax",
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
        line=mark.line + 1,
        column=mark.column + 1,
        hint="offers and business cases are only a few levels deep; check the brackets and indentation",
    )


def _syntax_finding(error: yaml.YAMLError, text: str) -> Finding:
    at = _mark_position(error)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    message = f"{context}, {problem}" if context else str(problem)
    hint = "check the indentation and quoting around this line"
    if "\t" in message or "tab" in message or _char_at(text, at) == "\t":
        where = f"line {at.line}, column {at.column}"
        message = f"a tab character at {where}; YAML indents with spaces, never tabs"
        return Finding("yaml-syntax", message, line=at.line, column=at.column, hint="replace the tab with spaces")
    elif "found character '@'" in message or "found character '`'" in message:
        hint = "values starting with @ or ` must be quoted"
    return Finding("yaml-syntax", f"invalid YAML: {message}", line=at.line, column=at.column, hint=hint)


def _char_at(text: str, at: Position) -> str:
    lines = text.split("\n")
    line = lines[at.line - 1] if 0 < at.line <= len(lines) else ""
    return line[at.column - 1 : at.column]


class _Builder:
    """Turns a node tree into Python values, recording positions as it goes."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.seen: set[int] = set()
        self.active: set[int] = set()
        self.alias_nodes = 0
        self.alias_bytes = 0
        self.expanding = 0  # > 0 while building a structure reached through an alias
        self.depth = 0  # nesting as built: merge keys nest without lengthening the path

    def build(self, node: yaml.Node, path: Path = ()) -> Any:
        self.source.positions.setdefault(path, node.start_mark)
        key = id(node)
        if isinstance(node, yaml.ScalarNode):
            if self.expanding or key in self.seen:  # reached through an alias
                self._count_alias_node(node, path)
            self.seen.add(key)
            return self._scalar(node, path)
        if self.expanding:  # every node reached through an alias counts towards the bound
            self._count_alias_node(node, path)
        if len(path) > MAX_DEPTH or self.depth >= MAX_DEPTH:
            raise _Stop(_too_deep(node.start_mark))
        if key in self.active:
            at = _at(node)
            raise _Stop(
                Finding(
                    "yaml-aliases",
                    "an alias refers to the structure that contains it (a recursive alias)",
                    field=dotted(path),
                    line=at.line,
                    column=at.column,
                    hint="remove the `*alias` that points back at its own anchor",
                )
            )
        revisit = key in self.seen  # reached again: through an alias
        if revisit and not self.expanding:
            self._count_alias_node(node, path)
        self.seen.add(key)
        self.active.add(key)
        self.expanding += revisit
        self.depth += 1
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)
            return self._mapping(node, path)
        finally:
            self.active.discard(key)
            self.expanding -= revisit
            self.depth -= 1

    def _count_alias_node(self, node: yaml.Node, path: Path) -> None:
        self.alias_nodes += 1
        if isinstance(node, yaml.ScalarNode):
            self.alias_bytes += len(node.value.encode("utf-8", "surrogatepass"))
        too_many = self.alias_nodes > MAX_ALIAS_NODES
        if too_many or self.alias_bytes > MAX_ALIAS_BYTES:
            at = _at(node)
            amount = f"{MAX_ALIAS_NODES:,} nodes" if too_many else f"{MAX_ALIAS_BYTES:,} bytes of text (1 MiB)"
            raise _Stop(
                Finding(
                    "yaml-aliases",
                    f"aliases expand to more than {amount} (an alias bomb?)",
                    field=dotted(path),
                    line=at.line,
                    column=at.column,
                    hint="write the values out instead of repeating `*alias` references",
                )
            )

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_marks: dict[str, Any] = {}
        merged: dict[Any, Any] = {}
        key_positions = self.source.key_positions
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.update(self._merge(value_node, path))
                continue
            if type(key_node) is not yaml.ScalarNode:
                raise _Stop(_complex_key(key_node, path))
            key = key_node.value  # keys stay as written: `NO:` is the key "NO", not false
            if key in first_marks:
                first = _position(first_marks[key])
                self.source.findings.append(self._duplicate(key, _at(key_node), first, path))
                continue
            first_marks[key] = key_node.start_mark
            child = (*path, key)
            key_positions[child] = key_node.start_mark
            result[key] = self.build(value_node, child)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _merge(self, node: yaml.Node, path: Path) -> dict[Any, Any]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[Any, Any] = {}
        for item in reversed(sources):
            value = self.build(item, path)
            if not isinstance(value, dict):
                at = _at(item)
                raise _Stop(
                    Finding(
                        "yaml-syntax",
                        "`<<` must merge a mapping",
                        field=dotted(path),
                        line=at.line,
                        column=at.column,
                    )
                )
            merged.update(value)
        return merged

    def _duplicate(self, key: Any, at: Position, first: Position, path: Path) -> Finding:
        return Finding(
            "duplicate-key",
            f"`{key}` is given twice in this mapping (first on line {first.line}); "
            "YAML would silently keep only the last",
            field=dotted((*path, key)),
            line=at.line,
            column=at.column,
            hint="remove or merge one of the two entries",
        )

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        tag = node.tag
        if tag == _T + "str":
            return node.value
        self.source.scalars[path] = Scalar(node.value, tag, node.style in (None, ""))
        if tag in (_T + "null", _T + "int", _T + "bool", _T + "float"):
            return yamlscalars.read(node)
        if tag == _T + "timestamp":
            return node.value  # the models parse dates from the text as written
        at = _at(node)
        raise _Stop(
            Finding(
                "yaml-syntax",
                f"the YAML tag `{tag}` is not supported",
                field=dotted(path),
                line=at.line,
                column=at.column,
                hint="remove the `!tag` and write the value as plain text",
            )
        )


def _complex_key(node: yaml.Node, path: Path) -> Finding:
    at = _at(node)
    return Finding(
        "yaml-syntax",
        "a mapping key must be a plain name, not a list or mapping",
        field=dotted(path),
        line=at.line,
        column=at.column,
        hint="write each field as `name: value`; remove the `? ` complex key",
    )


def dotted(path: Path) -> str:
    """``("performance", "job_outcome")`` -> ``performance.job_outcome``; indexes as ``[0]``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
