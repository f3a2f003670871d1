"""Evaluation panels (SPEC §10): each evaluator's marks -> the consensus, its spread and its reasons.

Pure: :func:`check_panel` takes an :class:`~dps_cli.models.Evaluations` and
returns the panel's problems as :class:`Problem` values (rule, field path,
message, hint); :func:`panel_rules` turns them into findings for `dps validate`.
:func:`spread` and :func:`divergent` are what a tool building a panel file
needs to know which marks must be moderated.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .findings import Finding
from .models import QUESTIONS, SOCIAL_VALUE, Evaluations, Marks, suggest
from .yamlsource import Path, dotted

if TYPE_CHECKING:
    from .rules import Doc

Individual = Mapping[str, Mapping[str, Marks]]  # evaluator -> offer -> marks


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a panel, at ``path`` in the evaluations file."""

    rule: str
    path: Path
    message: str
    hint: str


def spread(individual: Individual, offer: str, question: str) -> dict[str, int]:
    """Each evaluator's mark for one offer and question, in the panel's order (evaluators who gave none left out)."""
    out = {}
    for evaluator, offers in individual.items():
        marks = offers.get(offer)
        mark = marks.given().get(question) if marks is not None else None
        if mark is not None:
            out[evaluator] = mark
    return out


def divergent(individual: Individual) -> list[tuple[str, str, dict[str, int]]]:
    """(offer, question, marks side by side) wherever the evaluators were not unanimous, in file order."""
    offers = list(dict.fromkeys(offer for marks in individual.values() for offer in marks))
    return [
        (offer, question, marks)
        for offer in offers
        for question in QUESTIONS
        if len(set((marks := spread(individual, offer, question)).values())) > 1
    ]


def side_by_side(marks: Mapping[str, int]) -> str:
    """``AB 3, CD 2, EF 3``."""
    return ", ".join(f"{evaluator} {mark}" for evaluator, mark in marks.items())


def check_panel(evaluations: Evaluations) -> list[Problem]:
    """Every panel rule of SPEC §10 (a marks-only file has none to break)."""
    if evaluations.evaluators is None and evaluations.individual is None:
        return []
    if evaluations.individual is None:
        return [
            Problem(
                "required",
                ("individual",),
                "the file names evaluators but not their marks: `individual` is required",
                "add `individual:` with each evaluator's own marks, or remove `evaluators:`",
            )
        ]
    individual = evaluations.individual
    return [
        *_unknown(evaluations.evaluators or [], individual),
        *_incomplete(evaluations, individual),
        *_consensus(evaluations, individual),
    ]


def _unknown(evaluators: list[str], individual: Individual) -> Iterator[Problem]:
    known = set(evaluators)
    for name in individual:
        if name not in known:
            hint = suggest(name, evaluators) or (
                f"correct the name to one of {', '.join(evaluators)}, or add {name} to `evaluators:`"
                if evaluators
                else f"list the panel: `evaluators: [{', '.join(individual)}]`"
            )
            message = f"{name} is not one of the evaluators ({', '.join(evaluators) or 'none are listed'})"
            yield Problem("unknown-evaluator", ("individual", name), message, hint)


def _incomplete(evaluations: Evaluations, individual: Individual) -> Iterator[Problem]:
    for index, name in enumerate(evaluations.evaluators or []):
        if name not in individual:
            yield Problem(
                "panel-incomplete",
                ("evaluators", index),
                f"{name} is on the panel and gave no marks",
                f"add {name}'s own marks under `individual:`, or take {name} off the panel",
            )
    for name, offers in individual.items():
        unmarked = [offer for offer in evaluations.marks if offer not in offers]
        if unmarked:
            yield Problem(
                "panel-incomplete",
                ("individual", name),
                f"{name} gave no marks for {_some(unmarked)}, which {'has' if len(unmarked) == 1 else 'have'} "
                "consensus marks",
                f"add {name}'s marks for {'it' if len(unmarked) == 1 else 'them'}; every evaluator marks every offer",
            )
        for offer, marks in offers.items():
            agreed = evaluations.marks.get(offer)
            if agreed is not None and agreed.social_value is not None and marks.social_value is None:
                yield _no_social_value(("individual", name, offer), f"{name} gave none for {offer}")
    yield from _no_consensus(evaluations, individual)


def _some(offers: list[str], shown: int = 5) -> str:
    """``OF-1``, ``OF-1, OF-2`` … or ``OF-1, OF-2, OF-3, OF-4, OF-5 and 7 more``."""
    more = len(offers) - shown
    return ", ".join(offers[:shown]) + (f" and {more:,} more" if more > 0 else "")


def _no_consensus(evaluations: Evaluations, individual: Individual) -> Iterator[Problem]:
    consensus = evaluations.marks
    offers = dict.fromkeys(offer for marks in individual.values() for offer in marks)
    for offer in offers:
        marked_by = [name for name, marks in individual.items() if offer in marks]
        if offer not in consensus:
            yield Problem(
                "panel-incomplete",
                ("marks", offer),
                f"no consensus marks for {offer}, which {', '.join(marked_by)} marked",
                f"add the marks the panel agreed for {offer} under `marks:`",
            )
        elif consensus[offer].social_value is None and spread(individual, offer, SOCIAL_VALUE):
            yield _no_social_value(("marks", offer), f"the consensus for {offer} has none")


def _no_social_value(path: Path, who: str) -> Problem:
    return Problem(
        "panel-incomplete",
        path,
        f"a social_value mark is missing: {who}, and the panel marked social value",
        "give social_value in every evaluator's marks and in the consensus, or in none",
    )


def _consensus(evaluations: Evaluations, individual: Individual) -> Iterator[Problem]:
    reasons = evaluations.reasons or {}
    for offer, marks in evaluations.marks.items():
        given = reasons[offer].given() if offer in reasons else {}
        for question, agreed in marks.given().items():
            by = spread(individual, offer, question)
            if not by:
                continue
            low, high = min(by.values()), max(by.values())
            if low != high and question not in given:
                yield Problem(
                    "consensus-reason",
                    ("marks", offer, question),
                    f"{offer} {question}: the evaluators differ ({side_by_side(by)}) and the consensus "
                    f"{agreed} has no reason",
                    f"record why under `reasons:`, as `{offer}: {{{question}: the panel's reason}}`",
                )
            if not low <= agreed <= high:
                yield Problem(
                    "consensus-range",
                    ("marks", offer, question),
                    f"{offer} {question}: the consensus {agreed} is outside the evaluators' marks ({side_by_side(by)})",
                    "a consensus outside every evaluator's own mark needs a strong recorded reason; check it",
                )


def panel_rules(doc: Doc) -> list[Finding]:
    """The panel rules as findings of `dps validate` (nothing while the file's structure is wrong)."""
    try:
        evaluations = Evaluations.model_validate(doc.data, context={"reference": doc.ref, "hints": {}})
    except ValidationError:
        return []  # the schema check reports it
    return [_finding(doc, problem) for problem in check_panel(evaluations)]


def _finding(doc: Doc, problem: Problem) -> Finding:
    """At the key the problem names (an evaluator, an offer, a question), so block and flow style agree."""
    at = doc.source.key_position(problem.path)
    return Finding(problem.rule, problem.message, dotted(problem.path), at.line, at.column, problem.hint)


def offer_panel(evaluations: Evaluations | None, offer: str, reasons_key: str = "reasons") -> dict[str, Any]:
    """What the panel recorded for one offer: its reasons (as ``reasons_key``) and ``individual``, when any.

    A ranked entry names them ``consensus_reasons``: its ``reasons`` would read as an excluded entry's."""
    if evaluations is None:
        return {}
    out: dict[str, Any] = {}
    reasons = (evaluations.reasons or {}).get(offer)
    if reasons is not None and reasons.given():
        out[reasons_key] = reasons.given()
    individual = {
        name: offers[offer].given() for name, offers in (evaluations.individual or {}).items() if offer in offers
    }
    if individual:
        out["individual"] = individual
    return out
