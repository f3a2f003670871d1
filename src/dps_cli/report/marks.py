"""What `dps marks combine` writes: the panel's evaluations file (or what to moderate) and a summary.

The file is YAML written by PyYAML's safe emitter, so any text a sheet or a
consensus file held (an evaluator's name, a reason) is quoted and escaped as
YAML needs; each offer's marks sit on one line, as people write them.

While questions remain to moderate, the file says so at its top, leaves each
such mark and reason `null` under `marks` and `reasons` for the panel to fill
in, and lists the evaluators' marks side by side under `moderate` — a key no
evaluations file has, so it cannot pass for one until the panel has finished.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..marksheets import SheetFinding
from ..panel_combine import Divergence, Panel
from .console import safe_text

MODERATE = "moderate"


class _Flow(dict[str, Any]):
    """A mapping written on one line: `{fit: 3, closer_to_work: 2}`."""


class _FlowList(list[str]):
    """A list written on one line: `[AB, CD, EF]`."""


class _Dumper(yaml.SafeDumper):
    pass


def _flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


def _flow_list(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(_Flow, _flow)
_Dumper.add_representer(_FlowList, _flow_list)


def document(panel: Panel) -> dict[str, Any]:
    """The file as data: the evaluations file when complete, else with blanks and `moderate`."""
    out: dict[str, Any] = {
        "kind": "evaluations",
        "evaluators": _FlowList(panel.evaluators),
        "individual": {
            name: {offer: _Flow(marks) for offer, marks in by_offer.items()}
            for name, by_offer in panel.individual.items()
        },
        "marks": {offer: _Flow(_marks(panel, offer)) for offer in panel.offers},
    }
    reasons: dict[str, dict[str, str | None]] = {o: dict(by) for o, by in panel.reasons.items()}
    for item in panel.pending:
        reasons.setdefault(item.offer, {})[item.question] = None
    if reasons:
        out["reasons"] = {offer: _ordered(panel, reasons[offer]) for offer in panel.offers if offer in reasons}
    if panel.pending:
        out[MODERATE] = _moderate(panel.pending)
    return out


def _marks(panel: Panel, offer: str) -> dict[str, int | None]:
    settled = panel.marks.get(offer, {})
    return {question: settled.get(question) for question in panel.asked}


def _ordered(panel: Panel, by_question: dict[str, Any]) -> dict[str, Any]:
    return {q: by_question[q] for q in panel.asked if q in by_question}


def _moderate(pending: tuple[Divergence, ...]) -> dict[str, Any]:
    out: dict[str, dict[str, Any]] = {}
    for item in pending:
        entry: dict[str, Any] = {"marks": _Flow(item.marks)}
        if item.comments:
            entry["comments"] = dict(item.comments)
        if item.note:
            entry["note"] = item.note
        out.setdefault(item.offer, {})[item.question] = entry
    return out


def to_yaml(panel: Panel) -> str:
    text = yaml.dump(
        document(panel), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    if panel.complete:
        return text
    return _HEADER + text


_HEADER = """\
# NOT YET AN EVALUATIONS FILE: the evaluators disagree on the questions under `moderate`.
# At the moderation meeting, agree each one: put the consensus mark in place of its `null`
# under `marks` and write why under `reasons`, then run combine again with --consensus THIS_FILE.
"""


def summary(panel: Panel) -> list[str]:
    """Lines for people: how many questions agreed, and each one to moderate with the marks side by side."""
    marks = len(panel.offers) * len(panel.asked)
    lines = [
        f"{len(panel.evaluators)} evaluators ({', '.join(safe_text(e) for e in panel.evaluators)}), "
        f"{len(panel.offers)} offers × {len(panel.asked)} questions = {marks} marks: {panel.unanimous} unanimous, "
        f"{panel.moderated} agreed with a reason, {len(panel.pending)} to moderate"
    ]
    if panel.pending:
        lines.append("to moderate:")
    for item in panel.pending:
        side = ", ".join(f"{safe_text(name)} {mark}" for name, mark in item.marks)
        note = f"  ({item.note})" if item.note else ""
        lines.append(f"  {item.offer} {item.question}: {side}{note}")
    return lines


def finding_text(item: SheetFinding) -> str:
    """`FILE:Marks!E7: error[type] message`, then an indented hint line; all of it escaped."""
    finding = item.finding
    field = f" {safe_text(finding.field)}:" if finding.field else ""
    line = f"{safe_text(item.location)}: {finding.severity}[{finding.rule}]{field} {safe_text(finding.message)}"
    return line + (f"\n    hint: {safe_text(finding.hint)}" if finding.hint else "")
