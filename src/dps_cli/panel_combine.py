"""The panel's marks from each evaluator's sheet (`dps marks combine`): pure, no I/O.

Where the evaluators were unanimous the mark is theirs.  Where they were not,
the mark comes from the consensus (the panel's moderation) only with a reason;
otherwise the question is left to moderate.  So combine never invents a mark:
every mark it gives lies between the evaluators' lowest and highest (it is
their common mark), or carries the panel's reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from . import questions
from .findings import Finding
from .marksheets import Sheet, SheetFinding, name_problem


@dataclass(frozen=True)
class Consensus:
    """The panel's agreed marks and reasons, as read from a `--consensus` file."""

    marks: dict[str, dict[str, int]] = field(default_factory=dict)
    reasons: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Divergence:
    """A question the evaluators marked differently, with their marks side by side (evaluators' order)."""

    offer: str
    question: str
    marks: tuple[tuple[str, int], ...]
    comments: tuple[tuple[str, str], ...] = ()
    note: str = ""  # why the consensus given does not settle it

    @property
    def low(self) -> int:
        return min(mark for _, mark in self.marks)

    @property
    def high(self) -> int:
        return max(mark for _, mark in self.marks)


@dataclass(frozen=True)
class Panel:
    evaluators: tuple[str, ...]
    asked: tuple[str, ...]
    individual: dict[str, dict[str, dict[str, int]]]
    marks: dict[str, dict[str, int]]  # only the settled questions
    reasons: dict[str, dict[str, str]]
    pending: tuple[Divergence, ...]
    offers: tuple[str, ...]
    unanimous: int

    @property
    def complete(self) -> bool:
        return not self.pending

    @property
    def moderated(self) -> int:
        return sum(len(by_question) for by_question in self.reasons.values())


def check(sheets: Sequence[Sheet]) -> list[SheetFinding]:
    """What keeps the sheets from being combined: their own findings, then disagreements between them."""
    found = [finding for sheet in sheets for finding in sheet.findings]
    seen: dict[str, str] = {}
    for sheet in sheets:
        problem = name_problem(sheet.evaluator)
        if problem:
            found.append(_finding(sheet, "type", problem, "name the evaluator with --evaluator, or rename the file"))
        elif sheet.evaluator in seen:
            message = f"evaluator {sheet.evaluator} also marked {seen[sheet.evaluator]}"
            found.append(_finding(sheet, "duplicate-id", message, "give each evaluator's sheet once"))
        seen.setdefault(sheet.evaluator, sheet.path)
    if not any(s.findings for s in sheets):
        found += _missing(sheets)
    return found


def _missing(sheets: Sequence[Sheet]) -> list[SheetFinding]:
    """Offers one evaluator marked and another did not; questions one asked and another did not."""
    offers = sorted({offer for sheet in sheets for offer in sheet.marks})
    asked = {q for sheet in sheets for q in sheet.asked}
    found: list[SheetFinding] = []
    for sheet in sheets:
        where = sheet.prefix.rstrip("!")
        for offer in offers:
            if offer not in sheet.marks:
                other = next(s.evaluator for s in sheets if offer in s.marks)
                found.append(_finding(sheet, "range", f"no row for {offer}, which {other} marked", "", where))
        for question in sorted(asked - set(sheet.asked)):
            found.append(_finding(sheet, "required", f"no `{question}` column; another sheet marks it", "", where))
    return found


def _finding(sheet: Sheet, rule: str, message: str, hint: str = "", where: str = "") -> SheetFinding:
    return SheetFinding(sheet.path, Finding(rule, message, hint=hint or None), where)


def combine(sheets: Sequence[Sheet], consensus: Consensus | None = None) -> Panel:
    """The panel from sheets that :func:`check` found nothing wrong with."""
    asked = tuple(q for q in questions.ALL if any(q in sheet.asked for sheet in sheets))
    offers = tuple(sorted({offer for sheet in sheets for offer in sheet.marks}))
    marks: dict[str, dict[str, int]] = {}
    reasons: dict[str, dict[str, str]] = {}
    pending: list[Divergence] = []
    for offer in offers:
        for question in asked:
            outcome = _question(sheets, offer, question, consensus or Consensus())
            if isinstance(outcome, Divergence):
                pending.append(outcome)
                continue
            mark, reason = outcome
            marks.setdefault(offer, {})[question] = mark
            if reason:
                reasons.setdefault(offer, {})[question] = reason
    individual = {s.evaluator: {offer: dict(s.marks[offer]) for offer in offers} for s in sheets}
    unanimous = len(offers) * len(asked) - len(pending) - sum(len(by) for by in reasons.values())
    evaluators = tuple(sheet.evaluator for sheet in sheets)
    return Panel(evaluators, asked, individual, marks, reasons, tuple(pending), offers, unanimous)


def _question(sheets: Sequence[Sheet], offer: str, question: str, agreed: Consensus) -> tuple[int, str] | Divergence:
    """One question's mark and reason ('' when the evaluators were unanimous), or what is still to moderate."""
    given = tuple((s.evaluator, s.marks[offer][question]) for s in sheets)
    if len({mark for _, mark in given}) == 1:
        return given[0][1], ""
    mark = agreed.marks.get(offer, {}).get(question)
    reason = agreed.reasons.get(offer, {}).get(question, "").strip()
    if mark is not None and reason:
        return mark, reason
    comments = tuple((s.evaluator, s.comments[(offer, question)]) for s in sheets if (offer, question) in s.comments)
    note = ""
    if mark is not None or reason:
        note = "the consensus mark has no reason" if mark is not None else "a reason but no consensus mark"
    return Divergence(offer, question, given, comments, note)
