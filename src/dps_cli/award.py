"""Award: a match result -> the call-off record (SPEC §7). Pure: no I/O.

The command reads the files and passes their sha256 in; this module decides
whether the award may be made and, if so, writes down the terms in force, the
offer's commitments and the whole basis of the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .matching import MatchResult, Scored
from .money import format_money
from .panels import offer_panel
from .reference import MEASURES, Category, Reference, Routeway
from .report.console import number
from .report.match import _excluded_json, _ranked_json, weights_json


@dataclass(frozen=True)
class Choice:
    """What the buyer asked for: ``offer`` (default: the recommendation), why, and the dates and id."""

    awarded: date
    offer: str | None = None
    reason: str | None = None
    start: date | None = None
    id: str | None = None


@dataclass(frozen=True)
class Provenance:
    """Where the decision came from: every input file's sha256, the reference files', the version."""

    inputs: tuple[tuple[str, str], ...]  # (path as given, sha256)
    reference: dict[str, str]  # file name -> sha256
    version: str


@dataclass(frozen=True)
class Refusal:
    """Why no call-off can be written."""

    message: str
    hint: str


def award(result: MatchResult, ref: Reference, choice: Choice, provenance: Provenance) -> dict[str, Any] | Refusal:
    """The call-off document (plain data, ready to write as YAML), or why it cannot be made."""
    chosen = _chosen(result, choice)
    if isinstance(chosen, Refusal):
        return chosen
    provision = ref.provision(chosen.offer.provision)
    if provision is None:  # a validated offer always names a known provision
        raise ValueError(f"unknown provision {chosen.offer.provision}")
    return {**_terms(result, chosen, provision, ref, choice), "basis": _basis(result, choice, provenance)}


def _chosen(result: MatchResult, choice: Choice) -> Scored | Refusal:
    best = result.recommended
    if best is None:
        return Refusal(
            "no offer is of a suitable standard: there is nothing to award",
            "run `dps match` with the same files to see why each offer falls short",
        )
    if choice.offer is None or choice.offer == best.offer.id:
        return best
    wanted = next((s for s in result.ranked if s.offer.id == choice.offer), None)
    if wanted is None:
        return _not_eligible(result, choice.offer)
    if not wanted.suitable:
        return Refusal(
            f"{choice.offer} is not of a suitable standard: {'; '.join(wanted.notes)}",
            f"only an offer of a suitable standard may be awarded; the recommendation is {best.offer.id}",
        )
    if not (choice.reason or "").strip():
        return Refusal(
            f"{choice.offer} is not the recommended offer ({best.offer.id}): say why it is awarded",
            'add --reason "…"; it is recorded in the call-off',
        )
    return wanted


def _not_eligible(result: MatchResult, offer: str) -> Refusal:
    excluded = next((e for e in result.excluded if e.offer == offer), None)
    if excluded is None:
        return Refusal(f"no offer {offer} among the offers given", "check the id, or add the offer's file")
    reasons = "; ".join(f"{r.rule}: {r.message}" for r in excluded.reasons)
    return Refusal(
        f"{offer} is not eligible ({reasons})", "only an eligible offer of a suitable standard may be awarded"
    )


def _terms(
    result: MatchResult, chosen: Scored, provision: Category | Routeway, ref: Reference, choice: Choice
) -> dict[str, Any]:
    case, offer = result.business_case, chosen.offer
    commitments = offer.performance.model_dump(exclude_none=True) if offer.performance else {}
    measures = [m for m in MEASURES if m in commitments or m in provision.targets]
    return {
        "kind": "call-off",
        "id": choice.id or f"CO-{case.id}",
        "business_case": case.id,
        "district": case.district,
        "need": case.need,
        "case_title": case.title,
        "offer": offer.id,
        "supplier": {"name": offer.supplier.name, "organisation": offer.supplier.organisation},
        "title": offer.title,
        "provision": offer.provision,
        "awarded": choice.awarded,
        "start": choice.start or case.start_by,
        "participants": case.participants,
        "price_per_participant": format_money(offer.price_per_participant),
        "value": format_money(chosen.cost),
        "course_weeks": offer.course.duration_weeks,
        "funding": {m: number(p) for m, p in provision.funding.shares()},
        "targets": {m: number(t) for m, t in provision.targets.items()},
        "targets_rule": provision.targets_rule,
        "commitments": {m: number(c) for m, c in commitments.items()},
        "measures": {m: ref.measures[m].model_dump(exclude_none=True) for m in measures},
        "ratings": {k: number(v) for k, v in ref.ratings.model_dump().items()},
    }


def _basis(result: MatchResult, choice: Choice, provenance: Provenance) -> dict[str, Any]:
    case, best = result.business_case, result.recommended
    reason = (choice.reason or "").strip()
    return {
        "recommended": best.offer.id if best else None,
        "reason": reason or None,
        "weights": weights_json(result),
        "minimum_quality": number(case.evaluation.minimum_quality),
        "ranked": [_ranked_json(result, s) for s in result.ranked],
        "excluded": [_excluded_json(e) for e in result.excluded],
        "marks": {
            s.offer.id: {**s.marks.given(), **offer_panel(result.evaluations, s.offer.id)}
            for s in result.ranked
            if s.marks is not None
        },
        "inputs": [{"path": path, "sha256": digest} for path, digest in provenance.inputs],
        "reference": dict(provenance.reference),
        "dps": provenance.version,
    }
