"""The panel's consensus (`dps marks combine --consensus FILE`): marks and reasons read from an evaluations file.

Usually the previous combine output, edited at the moderation meeting: read
with the same safe YAML loader as every dps file.  Only ``marks`` and
``reasons`` are taken (the rest is combine's own output, made again from the
sheets), and only what is well formed: a mark is a whole number 0-4, a reason
non-blank text.  A blank left for later (`null`) is simply not settled yet,
so moderation can be recorded a few questions at a time.
"""

from __future__ import annotations

from typing import Any

from . import questions
from .findings import Finding
from .marksheets import SheetFinding
from .panel_combine import Consensus
from .yamlsource import Source, load

MAX_REASON = 4_000  # characters in one reason


def read(content: bytes, shown: str) -> tuple[Consensus, list[SheetFinding]]:
    source = load(content, shown)
    found = [_at(source, finding) for finding in source.findings]
    data = source.data
    if data is None:
        return Consensus(), found
    if data.get("kind") != "evaluations":
        finding = Finding("unknown-kind", "not an evaluations file", "kind", hint="give the edited combine output")
        return Consensus(), [*found, _at(source, finding)]
    marks = _nested(source, data, "marks", found)
    reasons = _nested(source, data, "reasons", found)
    return Consensus(
        {offer: {q: v for q, v in by.items() if isinstance(v, int)} for offer, by in marks.items()},
        {offer: {q: v for q, v in by.items() if isinstance(v, str)} for offer, by in reasons.items()},
    ), found


def _nested(source: Source, data: dict[Any, Any], block: str, found: list[SheetFinding]) -> dict[str, dict[str, Any]]:
    """``block``'s values by offer and question; each ill-formed one a finding."""
    out: dict[str, dict[str, Any]] = {}
    offers = data.get(block)
    if offers is None:
        return out
    if not isinstance(offers, dict):
        found.append(_problem(source, "type", (block,), f"`{block}` is not a mapping of offers"))
        return out
    for offer, by_question in offers.items():
        if by_question is None:
            continue
        if not isinstance(by_question, dict):
            found.append(_problem(source, "type", (block, offer), "not a mapping of questions"))
            continue
        for question, value in by_question.items():
            path = (block, offer, question)
            if question not in questions.ALL:
                found.append(_problem(source, "unknown-field", path, f"`{question}` is not an evaluation question"))
            elif value is not None:
                checked = _mark(value) if block == "marks" else _reason(value)
                if isinstance(checked, Finding):
                    found.append(_at(source, checked, path))
                else:
                    out.setdefault(str(offer), {})[question] = checked
    return out


def _mark(value: Any) -> int | Finding:
    hint = "give a whole number: 0 unacceptable, 1 poor, 2 satisfactory, 3 good, 4 excellent"
    if isinstance(value, bool) or not isinstance(value, int):
        return Finding("type", "a mark is a whole number", hint=hint)
    if not questions.LOWEST <= value <= questions.HIGHEST:
        return Finding("range", f"{value} is out of range: marks are 0 to 4", hint=hint)
    return value


def _reason(value: Any) -> str | Finding:
    if not isinstance(value, str):
        return Finding("type", "a reason is text", hint="write why the panel agreed this mark, in words")
    if len(value) > MAX_REASON:
        return Finding("range", f"the reason is longer than {MAX_REASON:,} characters")
    return value


def _problem(source: Source, rule: str, path: tuple[Any, ...], message: str) -> SheetFinding:
    return _at(source, Finding(rule, message), path, key=rule == "unknown-field")


def _at(source: Source, finding: Finding, path: tuple[Any, ...] | None = None, *, key: bool = False) -> SheetFinding:
    if path is not None:
        where = source.key_position(path) if key else source.position(path)
        field = ".".join(str(part) for part in path)
        finding = Finding(finding.rule, finding.message, field, where.line, where.column, finding.hint)
    return SheetFinding(source.name, finding, f"{finding.line}:{finding.column}")
