"""The validation pipeline: source -> kind -> schema -> rules -> cross-file rules.

Pure: it takes bytes already read and returns results; problems are findings.
"""

from __future__ import annotations

import types
import typing
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ValidationError

from . import crossfile, offerprose, rules, yamlsource
from .calloff import FILE_KINDS as KINDS
from .calloff import CallOff
from .findings import RULES, Finding
from .models import BusinessCase, Evaluations, Offer, describe, suggest
from .reference import Reference, provision_key
from .yamlscalars import Refused
from .yamlsource import Path, Scalar, Source, dotted

Model = Offer | BusinessCase | Evaluations | CallOff
MAX_PER_RULE = 100  # findings of one rule in one file; the rest are summed up in one more
_RANGE_TYPES = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}
_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false"}


@dataclass(slots=True)
class FileResult:
    """Everything known about one input file after validation."""

    path: str
    source: Source
    kind: str | None = None
    id: str | None = None
    model: Model | None = None
    findings: list[Finding] = field(default_factory=list)
    entry: crossfile.Entry | None = None  # what the cross-file rules read, once the source is let go (`compact`)
    passed_over: Any = None  # what a command found of the model where the file was checked (match: eligibility)

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def valid(self) -> bool:
        return self.errors == 0

    @property
    def supplier(self) -> str | None:
        """The supplier's name as written, even in an invalid file."""
        if self.entry is not None:
            return self.entry.supplier
        supplier = (self.source.data or {}).get("supplier")
        name = supplier.get("name") if isinstance(supplier, dict) else None
        return name if isinstance(name, str) else None


def check_file(content: bytes, path: str, ref: Reference) -> FileResult:
    """Validate one file on its own (cross-file rules need :func:`check_files`)."""
    source = yamlsource.load(content, path)
    result = FileResult(path, source, findings=list(source.findings))
    if source.data is None:
        return _sorted(result)
    data = source.data
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        result.findings.append(_unknown_kind(source, kind))
        return _sorted(result)
    result.kind = str(kind)
    identifier = data.get("id")
    result.id = identifier.strip() if isinstance(identifier, str) and identifier.strip() else None
    model_class = KINDS[result.kind]
    schema_findings, typo_for, model = _schema(model_class, data, source, ref)
    result.findings += schema_findings
    result.findings += rules.check(result.kind, rules.Doc(source, data, ref, typo_for))
    if not any(f.is_error for f in result.findings):
        result.model = model
    return _sorted(result)


def check_files(inputs: Sequence[tuple[str, bytes]], ref: Reference) -> list[FileResult]:
    """Validate a batch: each file, then the rules that look across files."""
    results = [check_file(content, path, ref) for path, content in inputs]
    apply_cross_file(results)
    return results


def apply_cross_file(results: Sequence[FileResult]) -> None:
    entries = [_entry(r) for r in results]
    for found in (crossfile.duplicate_ids(entries), crossfile.generic_offers(entries)):
        for index, findings in found.items():
            results[index].findings.extend(findings)
            _sorted(results[index])
            if not results[index].valid:
                results[index].model = None


LET_GO = Source("")  # the source of every compact result: nothing of the file but its findings is held


def compact(result: FileResult, *, keep_model: bool, keep_prose: bool = True) -> FileResult:
    """The result with its source let go: findings, kind, id, what the cross-file rules read (and the model).

    Without ``keep_prose`` the generic-offer rule sees no prose, so finds nothing: for a
    command that shows no warnings (match), whose prose would be most of what is held.
    """
    entry = _entry(result)
    result.entry = entry if keep_prose else replace(entry, text="")
    result.source = LET_GO
    if not keep_model:
        result.model = None
    return result


def _entry(result: FileResult) -> crossfile.Entry:
    if result.entry is not None:
        return result.entry
    data = result.source.data or {}
    provision = data.get("category") if data.get("category") is not None else data.get("routeway")
    at = result.source.position(("id",))
    return crossfile.Entry(
        name=result.path,
        kind=result.kind or "",
        id=result.id,
        at=(at.line, at.column),
        supplier=result.supplier,
        provision=provision_key(provision),
        text=offerprose.prose(data) if result.kind == "offer" else "",
    )


def _sorted(result: FileResult) -> FileResult:
    result.findings.sort(key=Finding.sort_key)
    result.findings = cap(result.findings)
    return result


def cap(findings: list[Finding], limit: int = MAX_PER_RULE) -> list[Finding]:
    """At most ``limit`` findings of each rule, then one finding of the rule summing up the rest."""
    counts = Counter(f.rule for f in findings)
    if all(n <= limit for n in counts.values()):
        return findings
    kept: list[Finding] = []
    seen: Counter[str] = Counter()
    for finding in findings:
        seen[finding.rule] += 1
        if seen[finding.rule] <= limit:
            kept.append(finding)
        elif seen[finding.rule] == limit + 1:
            kept.append(_summary(finding, counts[finding.rule] - limit))
    return kept


def _summary(first: Finding, more: int) -> Finding:
    if first.message.startswith("… and ") and first.field == "":
        return first  # already a summary (a result capped twice)
    return Finding(
        first.rule,
        f"… and {more:,} more {first.rule} findings in this file",
        line=first.line,
        column=first.column,
        hint=f"only the first {MAX_PER_RULE} of each rule are shown; fix these and check again",
    )


def _unknown_kind(source: Source, kind: Any) -> Finding:
    kinds = ", ".join(KINDS)
    if kind is None:
        return Finding(
            "unknown-kind", "the file does not say what it is", "kind", hint=f"add `kind:` with one of {kinds}"
        )
    at = source.position(("kind",))
    hint = suggest(str(kind), list(KINDS)) or f"use one of {kinds}"
    return Finding("unknown-kind", f"`{kind}` is not a kind of file dps knows", "kind", at.line, at.column, hint)


# -- schema errors -> findings ------------------------------------------------


def _schema(
    model_class: type[Model], data: dict[str, Any], source: Source, ref: Reference
) -> tuple[list[Finding], set[Path], Model | None]:
    try:
        return [], set(), model_class.model_validate(data, context={"reference": ref, "hints": {}})
    except ValidationError as error:
        errors = error.errors(include_url=False)
    typos = _typos(model_class, errors)
    kept, excess = _first_of_each_rule(errors)
    findings = [_finding(model_class, e, source, typos) for e in kept]
    for rule, (first, more) in excess.items():
        at = source.position(_loc(first))
        findings.append(_summary(Finding(rule, "", line=at.line, column=at.column), more))
    return [f for f in findings if f is not None], set(typos.values()), None


def _first_of_each_rule(errors: list[Any]) -> tuple[list[Any], dict[str, tuple[Any, int]]]:
    """The first :data:`MAX_PER_RULE` errors of each rule, and for the rest: the first and how many."""
    seen: Counter[str] = Counter()
    kept, excess = [], {}
    for error in errors:
        rule = _rule_of(error["type"])
        seen[rule] += 1
        if seen[rule] <= MAX_PER_RULE:
            kept.append(error)
        elif rule not in excess:
            excess[rule] = error
    return kept, {rule: (first, seen[rule] - MAX_PER_RULE) for rule, first in excess.items()}


def _rule_of(kind: str) -> str:
    if kind in RULES:
        return kind
    if kind in _RANGE_TYPES:
        return "range"
    return {"missing": "required", "too_short": "required", "extra_forbidden": "unknown-field"}.get(kind, "type")


def _loc(error: Any) -> Path:
    return tuple(part for part in error["loc"] if part != "[key]")


def _typos(model_class: type[BaseModel], errors: list[Any]) -> dict[Path, Path]:
    """Unknown keys that look like a missing field: {unknown path: missing path}."""
    missing = {_loc(e) for e in errors if e["type"] == "missing"}
    typos: dict[Path, Path] = {}
    for error in errors:
        loc = _loc(error)
        if error["type"] != "extra_forbidden" or not isinstance(loc[-1], str):
            continue
        known = _fields_at(model_class, loc[:-1])
        hint = suggest(loc[-1], known)
        if hint:
            candidate = (*loc[:-1], hint.split("`")[1])
            optional_block = candidate not in missing and candidate in _optional_paths(model_class, loc[:-1])
            if candidate in missing or optional_block:
                typos[loc] = candidate
    return typos


def _finding(model_class: type[BaseModel], error: Any, source: Source, typos: dict[Path, Path]) -> Finding | None:
    loc, kind = _loc(error), error["type"]
    if kind == "missing":
        if loc in typos.values():
            return None
        at = source.position(loc)
        return Finding("required", f"`{loc[-1]}` is required", dotted(loc), at.line, at.column, _required_hint(loc))
    if kind == "extra_forbidden":
        at = source.key_position(loc)
        known = _fields_at(model_class, loc[:-1])
        hint = suggest(str(loc[-1]), known) or (f"known fields here: {', '.join(known)}" if known else None)
        return Finding(
            "unknown-field", f"`{loc[-1]}` is not a field dps knows here", dotted(loc), at.line, at.column, hint
        )
    at = source.key_position(loc) if "[key]" in error["loc"] else source.position(loc)  # a bad key: where it is
    context = error.get("ctx") or {}
    if kind in RULES:
        hint = context.get("hint") or _yaml11_hint(source.scalars.get(loc), error.get("input"))
        return Finding(kind, error["msg"], dotted(loc), at.line, at.column, hint or None)
    if kind in _RANGE_TYPES:
        return Finding("range", _range_message(error), dotted(loc), at.line, at.column)
    if kind == "too_short":
        return Finding("required", "needs at least one entry", dotted(loc), at.line, at.column)
    message = _type_message(error)
    scalar = source.scalars.get(loc)
    hint = _yaml11_hint(scalar, error.get("input")) or _quote_hint(scalar)
    return Finding("type", message, dotted(loc), at.line, at.column, hint)


def _required_hint(loc: Path) -> str:
    return f"add `{loc[-1]}:`" + (f" under `{dotted(loc[:-1])}:`" if len(loc) > 1 else "")


def _range_message(error: Any) -> str:
    context = error.get("ctx") or {}
    bound = next(iter(context.values()), "?")
    words = {
        "greater_than": "more than",
        "greater_than_equal": "at least",
        "less_than": "less than",
        "less_than_equal": "at most",
    }
    return f"{error.get('input')} is out of range: it must be {words[error['type']]} {bound}"


_WANTED = {
    "int_type": "a whole number",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "dict_type": "a mapping",
    "list_type": "a list",
    "string_type": "text",
    "bool_type": "true or false",
}


def _type_message(error: Any) -> str:
    """Our words for a type error; the validator's own wording never reaches a user."""
    shown = describe(error.get("input"))
    if error["type"] == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        return f"{shown} is not one of {expected}"
    wanted = _WANTED.get(error["type"])
    if wanted:
        return f"expected {wanted}, found {shown}"
    return f"{shown} is not a value dps takes here"


def _yaml11_hint(scalar: Scalar | None, value: Any) -> str:
    """Explain values YAML changed behind the user's back, and suggest quoting."""
    if isinstance(value, Refused):
        return value.hint
    if scalar is None or not scalar.plain or scalar.tag.endswith(":str"):
        return ""
    text = scalar.text
    if scalar.tag.endswith(":bool") and text.lower() in _BOOL_WORDS - {"true", "false"}:
        return f'YAML reads the bare `{text}` as {str(value).lower()}; write "{text}" in quotes if you meant the text'
    if scalar.tag.endswith(":int") and ":" in text:
        return f'YAML 1.1 reads `{text}` as the base-60 number {value}; write "{text}" in quotes'
    if scalar.tag.endswith(":int") and text.lstrip("+-").startswith("0") and text.strip("+-0"):
        return f'YAML reads `{text}` as the octal number {value}; write "{text}" in quotes'
    if scalar.tag.endswith(":null") and text:
        return f'YAML reads the bare `{text}` as nothing (null); write "{text}" in quotes'
    return ""


def _quote_hint(scalar: Scalar | None) -> str | None:
    if scalar is None or not scalar.plain or scalar.tag.endswith((":str", ":timestamp", ":null")):
        return None
    return f'if you meant the text, write "{scalar.text}" in quotes'


# -- schema introspection for "did you mean" --------------------------------


def _model_at(model_class: type[BaseModel], loc: Path) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model_class
    free_key = False  # the next part is a key of a dict field (evaluations' marks by offer id)
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int) or free_key:
            free_key = False
            continue
        fields = {f.alias or name: f for name, f in current.model_fields.items()}
        if part not in fields:
            return None
        free_key = _is_dict(fields[part].annotation)
        current = _inner_model(fields[part].annotation)
    return current


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _is_dict(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    return origin is dict or (
        origin in (typing.Union, types.UnionType) and any(map(_is_dict, typing.get_args(annotation)))
    )


def _fields_at(model_class: type[BaseModel], loc: Path) -> list[str]:
    model = _model_at(model_class, loc)
    return [f.alias or name for name, f in model.model_fields.items()] if model else []


def _optional_paths(model_class: type[BaseModel], loc: Path) -> set[Path]:
    model = _model_at(model_class, loc)
    if model is None:
        return set()
    return {(*loc, f.alias or name) for name, f in model.model_fields.items() if not f.is_required()}
