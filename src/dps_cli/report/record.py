"""The decision record of one call-off (SPEC §11): its content, shared by HTML and Markdown.

Everything comes from the call-off alone (its frozen terms), so a record read
under edited reference data says what was decided then.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..calloff import CallOff, RankedEntry, RecordedMarks
from ..money import display_money
from ..schedule import SCENARIOS, Cohort, Terms, cohort
from .console import number

MILESTONE_LABELS = {"start": "Start", "completion": "Completion", "job_outcome": "Job outcome"}
QUESTIONS = {
    "fit": "Fit of provision",
    "closer_to_work": "Closer to work",
    "performance_rationale": "Performance rationale",
    "performance_management": "Performance management",
    "social_value": "Social value",
}
SCORES = ("total", "quality", "fit", "price")
SOCIAL_SCORES = (*SCORES, "social_value")


@dataclass(frozen=True)
class Bar:
    label: str
    value: str  # 2 dp, or "-" when there is none
    width: float  # 0-100


@dataclass(frozen=True)
class Row:
    entry: RankedEntry
    bars: tuple[Bar, ...]
    awarded: bool
    standard: str  # "suitable" or "not suitable: …" in words, never colour alone


@dataclass(frozen=True)
class MarksRow:
    offer: str
    values: list[int]  # the four quality questions
    total: int
    quality: str
    social: str  # the social value mark, "-" when none was given


@dataclass(frozen=True)
class PanelLine:
    """One question of one offer as the panel marked it."""

    question: str
    marks: tuple[str, ...]  # each evaluator's, in the panel's order ("-" when one gave none)
    consensus: int
    reason: str  # the panel's reason; empty when none was recorded


@dataclass(frozen=True)
class PanelTable:
    offer: str
    evaluators: tuple[str, ...]
    lines: tuple[PanelLine, ...]


@dataclass(frozen=True)
class PassedOver:
    offer: str
    supplier: str
    why: tuple[str, ...]


@dataclass(frozen=True)
class Record:
    calloff: CallOff
    rows: tuple[Row, ...]
    passed_over: tuple[PassedOver, ...]
    schedule: Cohort
    end: str  # when the last payment window closes

    @property
    def split(self) -> list[tuple[str, str, str]]:
        """(milestone, share, fee per participant)."""
        return [
            (MILESTONE_LABELS[m], f"{number(pct)}%", display_money(self.schedule.fees[m]))
            for m, pct in self.calloff.funding.shares()
        ]

    @property
    def measures(self) -> list[dict[str, Any]]:
        c = self.calloff
        names = [m for m in c.measures if m in c.targets or m in c.commitments]
        return [
            {
                "name": m,
                "meaning": c.measures[m].meaning,
                "base": c.measures[m].base,
                "target": f"{number(c.targets[m])}%" if m in c.targets else "none",
                "commitment": f"{number(c.commitments[m])}%" if m in c.commitments else "none",
            }
            for m in names
        ]

    @property
    def scenarios(self) -> list[tuple[str, list[str]]]:
        s = self.schedule.scenarios
        rows = [("Starts", "starts"), ("Completions", "completions"), ("Job outcomes", "job_outcomes")]
        out = [(label, [str(getattr(s[n], attr)) for n in SCENARIOS]) for label, attr in rows]
        return [*out, ("Total", [display_money(s[n].total) for n in SCENARIOS])]

    @property
    def timeline(self) -> list[tuple[str, str, str, int, str]]:
        return [
            (MILESTONE_LABELS[e.milestone], str(e.start), str(e.until), e.count, display_money(e.amount))
            for e in self.schedule.timeline
        ]

    @property
    def monthly(self) -> list[tuple[str, list[str]]]:
        return [(month, [display_money(cash[n]) for n in SCENARIOS]) for month, cash in self.schedule.monthly()]

    @property
    def weighted(self) -> bool:
        """Whether social value was weighted: then its weight, score and mark are shown."""
        return self.calloff.basis.weights.social_value > 0

    @property
    def marks(self) -> list[MarksRow]:
        """The four marks, their sum, quality (and the social value mark) of every offer marked."""
        out = []
        for offer, marks in sorted(self.calloff.basis.marks.items()):
            values = marks.values
            social = "-" if marks.social_value is None else str(marks.social_value)
            out.append(MarksRow(offer, values, sum(values), f"{Decimal(100 * sum(values)) / 16:.2f}", social))
        return out

    @property
    def panels(self) -> list[PanelTable]:
        """Question by question, each evaluator's mark, the consensus and its reason, for every offer a panel marked."""
        return [_panel(offer, m) for offer, m in sorted(self.calloff.basis.marks.items()) if m.individual]


def build(calloff: CallOff) -> Record:
    rows = tuple(_row(calloff, e) for e in calloff.basis.ranked)
    planned = cohort(terms(calloff), calloff.participants, calloff.start)
    end = max((e.until for e in planned.timeline), default=calloff.start)
    return Record(calloff, rows, _passed_over(calloff), planned, str(end))


def terms(calloff: CallOff) -> Terms:
    """The call-off's frozen terms, as the schedule takes them."""
    return Terms(
        price=calloff.price_per_participant,
        shares=tuple(calloff.funding.shares()),
        targets={str(m): t for m, t in calloff.targets.items()},
        commitments={str(m): c for m, c in calloff.commitments.items()},
        course_weeks=calloff.course_weeks,
        outcome_window=calloff.outcome_window,
    )


def _panel(offer: str, marks: RecordedMarks) -> PanelTable:
    evaluators = tuple(marks.individual or {})
    reasons = marks.reasons.given() if marks.reasons else {}
    lines = []
    for question, consensus in marks.given().items():
        own = [(marks.individual or {})[name].given().get(question) for name in evaluators]
        shown = tuple("-" if mark is None else str(mark) for mark in own)
        lines.append(PanelLine(QUESTIONS[question], shown, consensus, reasons.get(question, "")))
    return PanelTable(offer, evaluators, tuple(lines))


def _row(calloff: CallOff, entry: RankedEntry) -> Row:
    names = SOCIAL_SCORES if calloff.basis.weights.social_value > 0 else SCORES
    bars = tuple(_bar(name, getattr(entry, name)) for name in names)
    standard = "suitable" if entry.suitable else "not suitable: " + "; ".join(entry.notes)
    return Row(entry, bars, entry.offer == calloff.offer, standard)


def _bar(name: str, value: Decimal | None) -> Bar:
    if value is None:
        return Bar(_label(name), "-", 0.0)
    return Bar(_label(name), f"{value:.2f}", float(max(Decimal(0), min(value, Decimal(100)))))


def _label(score: str) -> str:
    """A bar's label: one short word, so the bars keep their layout on a narrow screen."""
    return "Social" if score == "social_value" else score.capitalize()


def _passed_over(calloff: CallOff) -> tuple[PassedOver, ...]:
    basis, chosen = calloff.basis, calloff.offer
    won = next((e for e in basis.ranked if e.offer == chosen), None)
    out = []
    for entry in basis.ranked:
        if entry.offer == chosen:
            continue
        if not entry.suitable:
            why = tuple(f"not of a suitable standard: {note}" for note in entry.notes)
        elif entry.offer == basis.recommended or (won is not None and entry.rank < won.rank):
            why = (f"ranked {entry.rank}, above {chosen}; {chosen} was awarded because: {basis.reason or 'no reason'}",)
        else:
            rank = won.rank if won else "-"
            why = (f"ranked {entry.rank} (total {entry.total:.2f}), below {chosen} at rank {rank}",)
        out.append(PassedOver(entry.offer, entry.supplier, why))
    for excluded in basis.excluded:
        reasons = tuple(f"{r.rule}: {r.message}" for r in excluded.reasons)
        out.append(PassedOver(excluded.offer, excluded.supplier or "", reasons))
    return tuple(out)
