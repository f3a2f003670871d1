"""The call-off record (SPEC §7): a model of ``kind: call-off`` and its rule.

A call-off freezes the terms in force at award: the funding split, targets,
measure definitions and rating bands are copied into it, so nothing here reads
the reference data.  ``dps claims``, ``performance`` and ``report`` take the
terms from the call-off alone.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from .fields import MAX_COUNT, Count, Evaluator, Identifier, IsoDate, Money, Percent, Text
from .findings import Finding
from .models import KINDS, MAX_PANEL, BusinessCase, Evaluations, Marks, Offer, Reasons, Supplier, Weights
from .money import MAX_MONEY, AmountError, display_money, parse_decimal
from .reference import MILESTONES, Measure

if TYPE_CHECKING:
    from .rules import Doc

MeasureName = Literal[
    "completion", "action_plan", "sj_outcome", "job_outcome", "mentoring_agreement", "in_work_13_weeks"
]
ProvisionText = Annotated[str, Field(pattern=r"^([1-9][0-9]*|R[1-9][0-9]*)$")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class _Record(BaseModel):
    # Built on first use: `dps validate` of offers alone never pays for the call-off models.
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


class Split(_Record):
    """The funding split in force at award (``calloff-terms`` checks it sums to 100)."""

    start: Percent
    completion: Percent
    job_outcome: Percent

    def shares(self) -> list[tuple[str, Decimal]]:
        return [(m, getattr(self, m)) for m in MILESTONES]


class Ratings(_Record):
    """The KPI rating bands in force at award, as % of the committed level."""

    approaching_target: Percent
    requires_improvement: Percent


class RankedEntry(_Record):
    """One entry of §4's JSON ``ranked`` list."""

    rank: Count
    offer: Identifier
    supplier: Text
    provision: ProvisionText
    total: Percent
    quality: Percent | None
    fit: Percent
    price: Percent
    social_value: Percent | None = None  # only when the business case weighted social value
    suitable: StrictBool
    notes: list[str]
    price_per_participant: Money
    cost: Money
    marks: Marks | None
    consensus_reasons: Reasons | None = None  # the panel's, for consensus marks the evaluators did not all give
    individual: dict[Evaluator, Marks] | None = Field(default=None, max_length=MAX_PANEL)  # each evaluator's own
    path: str


class RecordedMarks(Marks):
    """The marks used for one offer, with the panel's reasons and each evaluator's own marks (SPEC §10)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    reasons: Reasons | None = None
    individual: dict[Evaluator, Marks] | None = Field(default=None, max_length=MAX_PANEL)


class Reason(_Record):
    rule: Text
    message: str


class ExcludedEntry(_Record):
    """One entry of §4's JSON ``excluded`` list (``offer`` is the path when the file had no id)."""

    offer: Text
    supplier: str | None
    reasons: list[Reason] = Field(min_length=1)
    notes: list[str] = Field(default_factory=list)  # past performance; absent from call-offs made before
    path: str


class InputFile(_Record):
    path: Text
    sha256: Sha256


class ReferenceFiles(_Record):
    categories: Sha256 = Field(alias="categories.yaml")
    routeways: Sha256 = Field(alias="routeways.yaml")


class Basis(_Record):
    """Why: enough to re-check the decision later."""

    recommended: Identifier
    reason: str | None = None
    weights: Weights
    minimum_quality: Percent
    ranked: list[RankedEntry] = Field(min_length=1)
    excluded: list[ExcludedEntry]
    marks: dict[Identifier, RecordedMarks]
    inputs: list[InputFile] = Field(min_length=1)
    reference: ReferenceFiles
    dps: Text


class CallOff(_Record):
    kind: Literal["call-off"]
    id: Identifier
    business_case: Identifier
    district: Text
    need: Text
    case_title: Text
    offer: Identifier
    supplier: Supplier
    title: Text
    provision: ProvisionText
    awarded: IsoDate
    start: IsoDate
    participants: Count
    price_per_participant: Money
    value: Money
    course_weeks: Count
    funding: Split
    targets: dict[MeasureName, Percent]
    targets_rule: Literal["all", "any"]
    commitments: dict[MeasureName, Percent] = Field(min_length=1)
    measures: dict[MeasureName, Measure] = Field(min_length=1)
    ratings: Ratings
    basis: Basis

    @property
    def outcome_window(self) -> tuple[int, int]:
        """(weeks after completion a job outcome can first be paid, weeks until the window closes)."""
        measure = self.measures.get("job_outcome")
        if measure is None:
            return 0, 0
        return measure.weeks_in_work or 0, measure.window_weeks or 0


FILE_KINDS: dict[str, type[Offer] | type[BusinessCase] | type[Evaluations] | type[CallOff]] = {
    **KINDS,
    "call-off": CallOff,
}
"""Every kind of file dps reads: the three people write, and the call-off `dps award` writes."""


# -- rule calloff-terms --------------------------------------------------------


def calloff_terms(doc: Doc) -> list[Finding]:
    """The frozen terms must agree with themselves (the document as written)."""
    return [*_value(doc), *_split(doc), *_measures_named(doc), *_under_target(doc), *_reason(doc)]


def _decimal(value: Any) -> Decimal | None:
    """An amount within SPEC §2's money bound, or None (the schema check reports the rest)."""
    try:
        number = parse_decimal(value)
    except AmountError:
        return None
    return number if abs(number) <= MAX_MONEY else None


def _value(doc: Doc) -> list[Finding]:
    participants = doc.get("participants")
    price, value = _decimal(doc.get("price_per_participant")), _decimal(doc.get("value"))
    if not isinstance(participants, int) or isinstance(participants, bool) or price is None or value is None:
        return []
    if not 1 <= participants <= MAX_COUNT:
        return []  # the schema check reports the range
    expected = price * participants
    if value == expected:
        return []
    return [
        doc.finding(
            "calloff-terms",
            ("value",),
            f"value {display_money(value)} is not {participants} × {display_money(price)} = {display_money(expected)}",
            f'set `value: "{expected:.2f}"`, or correct participants or price_per_participant',
        )
    ]


def _split(doc: Doc) -> list[Finding]:
    funding = doc.get("funding")
    if not isinstance(funding, dict):
        return []
    shares = [_decimal(funding.get(m)) for m in MILESTONES]
    if any(s is None for s in shares):
        return []
    total = sum((s for s in shares if s is not None), Decimal(0))
    if total == 100:
        return []
    return [
        doc.finding(
            "calloff-terms",
            ("funding",),
            f"the funding split sums to {total.normalize():f}%, not 100%",
            "a call-off keeps the split in force at award; re-issue it with `dps award`",
        )
    ]


def _measures_named(doc: Doc) -> list[Finding]:
    measures = doc.get("measures")
    defined = set(measures) if isinstance(measures, dict) else set()
    findings = []
    for block in ("targets", "commitments"):
        named = doc.get(block)
        for measure in named if isinstance(named, dict) else {}:
            if measure not in defined:
                findings.append(
                    doc.finding(
                        "calloff-terms",
                        (block, measure),
                        f"{block} names `{measure}`, which `measures` does not define",
                        f"add the definition of `{measure}` under `measures:` (dps award copies it from the reference)",
                    )
                )
    return findings


def _under_target(doc: Doc) -> list[Finding]:
    targets, commitments = doc.get("targets"), doc.get("commitments")
    if not isinstance(targets, dict) or not isinstance(commitments, dict):
        return []
    pairs = [(m, _decimal(t), _decimal(commitments.get(m))) for m, t in targets.items()]
    if any(t is None for _, t, _ in pairs):
        return []
    short = [(m, t, c) for m, t, c in pairs if t is not None and (c is None or c < t)]
    if doc.get("targets_rule") == "any":
        if len(short) < len(pairs) or not pairs:
            return []
        wanted = " or ".join(f"{m} {t.normalize():f}%" for m, t, _ in short if t is not None)
        return [doc.finding("calloff-terms", ("commitments",), f"no commitment meets its target ({wanted})")]
    return [_short_finding(doc, m, t, c) for m, t, c in short if t is not None]


def _short_finding(doc: Doc, measure: str, target: Decimal, committed: Decimal | None) -> Finding:
    if committed is None:
        message = f"no commitment for `{measure}`, which has a target of {target.normalize():f}%"
    else:
        message = f"the commitment {measure} {committed.normalize():f}% is under its target of {target.normalize():f}%"
    return doc.finding("calloff-terms", ("commitments", measure), message)


def _reason(doc: Doc) -> list[Finding]:
    offer, recommended, reason = doc.get("offer"), doc.get("basis", "recommended"), doc.get("basis", "reason")
    if not isinstance(offer, str) or not isinstance(recommended, str) or offer == recommended:
        return []
    if isinstance(reason, str) and reason.strip():
        return []
    return [
        doc.finding(
            "calloff-terms",
            ("basis", "reason"),
            f"the call-off awards {offer}, not the recommended {recommended}, and gives no reason",
            "record why under `basis.reason:` (dps award --offer requires --reason)",
        )
    ]
