"""Matching a Business Case with Offers: eligibility, scores, ranking (SPEC §4).

Pure and exact: scores are :class:`~fractions.Fraction`; rounding happens only
for display.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from .models import SOCIAL_VALUE, BusinessCase, Evaluations, Marks, Offer
from .money import display_money
from .reference import Category, Reference, area_covers

SUITABLE_MARK = 2  # no mark below "satisfactory"
MARKS_MAX = 16  # four questions, 0-4 each
MARK_MAX = 4


@dataclass(frozen=True)
class Reason:
    """Why an offer was passed over: a rule id and the facts."""

    rule: str
    message: str


@dataclass(frozen=True)
class Excluded:
    offer: str
    supplier: str | None
    path: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Scored:
    """An eligible offer with its exact scores."""

    offer: Offer
    path: str
    marks: Marks | None
    quality: Fraction | None
    fit: Fraction
    price: Fraction
    total: Fraction
    cost: Decimal  # the most the business case would pay: price × participants
    notes: tuple[str, ...]  # why it is not of a suitable standard; empty when it is
    rank: int = 0
    social_value: Fraction | None = None  # S, when the business case weights social value and it was marked

    @property
    def suitable(self) -> bool:
        return not self.notes


@dataclass(frozen=True)
class MatchResult:
    business_case: BusinessCase
    ranked: tuple[Scored, ...]
    excluded: tuple[Excluded, ...]
    unmatched_marks: tuple[str, ...] = field(default=())
    evaluations: Evaluations | None = None  # the panel's file, when the marks came with one (SPEC §10)

    @property
    def weighs_social_value(self) -> bool:
        return weighs_social_value(self.business_case)

    @property
    def recommended(self) -> Scored | None:
        return next((s for s in self.ranked if s.suitable), None)


@dataclass(frozen=True)
class Candidate:
    """An offer as matching receives it: valid (with its model) or not."""

    path: str
    offer: Offer | None
    id: str | None = None
    supplier: str | None = None
    problems: tuple[str, ...] = ()


def eligibility(offer: Offer, case: BusinessCase, ref: Reference) -> list[Reason]:
    """Every gate the offer fails, each with the facts that fail it."""
    checks = (_provision, _location, _capacity, _availability, _budget, _skills_value)
    return [reason for check in checks if (reason := check(offer, case, ref)) is not None]


def _provision(offer: Offer, case: BusinessCase, ref: Reference) -> Reason | None:
    if offer.provision in case.accepts:
        return None
    label = _label(offer, ref)
    return Reason("provision", f"the offer is for {label}; the business case accepts {', '.join(case.accepts)}")


def _label(offer: Offer, ref: Reference) -> str:
    provision = ref.provision(offer.provision)
    return provision.label if provision else offer.provision


def _location(offer: Offer, case: BusinessCase, ref: Reference) -> Reason | None:
    uncovered = [want for want in case.areas if not any(area_covers(o, want) for o in offer.delivery.areas)]
    if not uncovered:
        return None
    return Reason(
        "location",
        f"does not cover {', '.join(uncovered)} (delivers in {', '.join(offer.delivery.areas)})",
    )


def _capacity(offer: Offer, case: BusinessCase, ref: Reference) -> Reason | None:
    if offer.capacity >= case.participants:
        return None
    return Reason("capacity", f"capacity {offer.capacity} is less than the {case.participants} participants")


def _availability(offer: Offer, case: BusinessCase, ref: Reference) -> Reason | None:
    window = offer.available
    if window.from_ <= case.start_by <= window.until:
        return None
    return Reason(
        "availability",
        f"available {window.from_} to {window.until}; the business case needs a start by {case.start_by}",
    )


def _budget(offer: Offer, case: BusinessCase, ref: Reference) -> Reason | None:
    cost = offer.price_per_participant * case.participants
    if cost <= case.budget:
        return None
    return Reason(
        "budget",
        f"{case.participants} × {display_money(offer.price_per_participant)} = {display_money(cost)} "
        f"is over the budget of {display_money(case.budget)}",
    )


def _skills_value(offer: Offer, case: BusinessCase, ref: Reference) -> Reason | None:
    provision = ref.provision(offer.provision)
    if not isinstance(provision, Category) or provision.alone_contract_value_over is None:
        return None
    threshold = provision.alone_contract_value_over
    value = offer.price_per_participant * case.participants
    if value > threshold:
        return None
    return Reason(
        "skills-contract-value",
        f"{provision.label} alone: {case.participants} × {display_money(offer.price_per_participant)} = "
        f"{display_money(value)} is not over {display_money(threshold)}",
    )


def weighs_social_value(case: BusinessCase) -> bool:
    return case.evaluation.weights.social_value > 0


def evaluated(case: BusinessCase, marks: Marks | None) -> bool:
    """Marked on every question the business case weighs (SPEC §4: the fifth only when weighted)."""
    return marks is not None and (marks.social_value is not None or not weighs_social_value(case))


def quality(marks: Marks | None) -> Fraction | None:
    return None if marks is None else Fraction(100 * sum(marks.values), MARKS_MAX)


def social_value(marks: Marks | None) -> Fraction | None:
    """S = 100 × the social value mark / 4."""
    return None if marks is None or marks.social_value is None else Fraction(100 * marks.social_value, MARK_MAX)


def fit(case: BusinessCase, offer: Offer) -> Fraction:
    wanted = set(case.client_groups)
    if not wanted:
        return Fraction(100)
    return Fraction(100 * len(wanted & set(offer.client_groups)), len(wanted))


def total(case: BusinessCase, q: Fraction | None, f: Fraction, p: Fraction, s: Fraction | None = None) -> Fraction:
    """The weighted total; an unevaluated offer counts quality (and social value) as 0."""
    w = case.evaluation.weights
    wq, wf, wp, ws = Fraction(w.quality), Fraction(w.fit), Fraction(w.price), Fraction(w.social_value)
    return (wq * (q or 0) + wf * f + wp * p + ws * (s or 0)) / (wq + wf + wp + ws)


def unsuitable_because(case: BusinessCase, marks: Marks | None, q: Fraction | None) -> tuple[str, ...]:
    """Why an offer is not of a suitable standard (empty when it is)."""
    if marks is None or q is None:
        return ("not evaluated: no marks for this offer",)
    if not evaluated(case, marks):
        return ("not evaluated: no social_value mark, and the business case weights social value",)
    notes = []
    counted = marks.given()
    if not weighs_social_value(case):
        counted.pop(SOCIAL_VALUE, None)  # the fifth mark counts only where it is weighted
    low = [f"{name} {mark}" for name, mark in counted.items() if mark < SUITABLE_MARK]
    if low:
        notes.append(f"a mark below {SUITABLE_MARK} ({', '.join(low)})")
    minimum = Fraction(case.evaluation.minimum_quality)
    if q < minimum:
        notes.append(f"quality {float(q):.2f} is under the minimum of {float(minimum):.2f}")
    return tuple(notes)


def match(
    case: BusinessCase,
    candidates: Sequence[Candidate],
    marks: dict[str, Marks],
    ref: Reference,
    evaluations: Evaluations | None = None,
) -> MatchResult:
    """Exclude, score and rank the candidates for ``case`` (``evaluations``: the marks' file, panel and all)."""
    excluded: list[Excluded] = []
    eligible: list[tuple[Candidate, Offer]] = []
    for candidate in candidates:
        if candidate.offer is None:
            reason = Reason("invalid", "; ".join(candidate.problems) or "the offer file is not valid")
            excluded.append(Excluded(candidate.id or candidate.path, candidate.supplier, candidate.path, (reason,)))
            continue
        reasons = eligibility(candidate.offer, case, ref)
        if reasons:
            offer = candidate.offer
            excluded.append(Excluded(offer.id, offer.supplier.name, candidate.path, tuple(reasons)))
        else:
            eligible.append((candidate, candidate.offer))
    ranked = _rank(case, eligible, marks)
    offered = {c.offer.id for c in candidates if c.offer is not None} | {c.id for c in candidates if c.id}
    unmatched = tuple(sorted(set(marks) - offered))
    excluded.sort(key=lambda e: (e.offer, e.path))
    return MatchResult(case, ranked, tuple(excluded), unmatched, evaluations)


def _rank(case: BusinessCase, eligible: list[tuple[Candidate, Offer]], marks: dict[str, Marks]) -> tuple[Scored, ...]:
    if not eligible:
        return ()
    lowest = min(offer.price_per_participant for _, offer in eligible)
    scored = [_scored(case, candidate.path, offer, marks.get(offer.id), lowest) for candidate, offer in eligible]
    scored.sort(key=lambda s: (-s.total, -(s.quality or 0), s.offer.price_per_participant, s.offer.id))
    return tuple(replace(s, rank=i) for i, s in enumerate(scored, 1))


def _scored(case: BusinessCase, path: str, offer: Offer, m: Marks | None, lowest: Decimal) -> Scored:
    q, f, s = quality(m), fit(case, offer), social_value(m) if weighs_social_value(case) else None
    if not evaluated(case, m):
        q = s = None  # not evaluated: neither counts (SPEC §4)
    p = Fraction(100) * Fraction(lowest) / Fraction(offer.price_per_participant)
    cost = offer.price_per_participant * case.participants
    notes = unsuitable_because(case, m, quality(m))
    return Scored(offer, path, m, q, f, p, total(case, q, f, p, s), cost, notes, social_value=s)
