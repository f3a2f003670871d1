"""Shrink a failing case: drop what is not needed for the same failure."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from .cases import Case


def shrink(case: Case, still_fails: Callable[[Case], bool], rounds: int = 5) -> Case:
    """Greedy: try each simplification in turn and keep the ones that keep the failure."""
    for _ in range(rounds):
        changed = False
        for candidate in _simpler(case):
            if still_fails(candidate):
                case, changed = candidate, True
                break
        if not changed:
            return case
    return case


def _simpler(case: Case) -> Iterator[Case]:
    if case.columns is not None:
        yield _with(case, lambda c: setattr(c, "columns", None))
    for i, doc in enumerate(case.docs):
        if doc.edits or doc.bytes_ or doc.encoding != "utf-8":
            yield _with(case, lambda c, i=i: _plain(c.docs[i]))
        if doc.encoding != "utf-8":
            yield _with(case, lambda c, i=i: setattr(c.docs[i], "encoding", "utf-8"))
        if doc.bytes_:
            yield _with(case, lambda c, i=i: setattr(c.docs[i], "bytes_", []))
        for j in range(len(doc.edits)):
            yield _with(case, lambda c, i=i, j=j: c.docs[i].edits.pop(j))
        for j, edit in enumerate(doc.edits):
            for smaller in _smaller_specs(edit):
                yield _with(case, lambda c, i=i, j=j, s=smaller: c.docs[i].edits.__setitem__(j, s))


def _plain(doc: Any) -> None:
    doc.edits, doc.bytes_, doc.encoding = [], [], "utf-8"


def _with(case: Case, change: Callable[[Case], Any]) -> Case:
    new = copy.deepcopy(case)
    change(new)
    return new


def _smaller_specs(value: Any) -> Iterator[Any]:
    """The same structure with one repeat count halved."""
    if not isinstance(value, list):
        return
    if value and value[0] == "rep" and isinstance(value[2], int) and value[2] > 1:
        yield [value[0], value[1], value[2] // 2, value[3]]
    for k, part in enumerate(value):
        for smaller in _smaller_specs(part):
            yield [*value[:k], smaller, *value[k + 1 :]]
