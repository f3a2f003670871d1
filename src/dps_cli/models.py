"""Offer, Business Case and Evaluations, exactly as SPEC §2 names their fields.

Models are frozen and forbid unknown fields.  Checks that need the reference
data (provisions, areas, client groups) read it from the validation context
(``model_validate(data, context={"reference": ref})``) and raise errors whose
type is the rule id, so each maps straight to its finding.  Blocks whose
absence has a rule of its own (``performance``, ``evidence``,
``expected_outcomes``, ``employer_links``) are optional here; :mod:`rules`
reports them.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .dates import ISO_DATE
from .fields import (
    Area,
    CategoryKey,
    ClientGroup,
    Count,
    Evaluator,
    Identifier,
    IsoDate,
    Mark,
    Money,
    OneCourse,
    Percent,
    ProvisionKey,
    RoutewayKey,
    Text,
    Weeks,
    describe,
    error,
    suggest,
)

__all__ = ["ISO_DATE", "describe", "suggest"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Supplier(_Model):
    name: Text
    organisation: Literal["sme", "vcse", "large", "public"]


class Course(_Model):
    title: Text
    duration_weeks: Weeks


class Delivery(_Model):
    areas: list[Area] = Field(min_length=1)
    modes: list[Literal["in-person", "online", "blended"]] = Field(min_length=1)


class Availability(_Model):
    from_: IsoDate = Field(alias="from")
    until: IsoDate


class Performance(_Model):
    """Percentage commitments by measure; which are required is :mod:`rules`' business."""

    completion: Percent | None = None
    action_plan: Percent | None = None
    sj_outcome: Percent | None = None
    job_outcome: Percent | None = None
    mentoring_agreement: Percent | None = None
    in_work_13_weeks: Percent | None = None


class Evidence(_Model):
    """Answers to the four evaluation questions (blank answers are reported by rules)."""

    fit: str | None = None
    closer_to_work: str | None = None
    performance_rationale: str | None = None
    performance_management: str | None = None


class EmployerLink(_Model):
    employer: Text
    commitment: Text


class Offer(_Model):
    kind: Literal["offer"]
    id: Identifier
    supplier: Supplier
    title: Text
    category: CategoryKey = None
    routeway: RoutewayKey = None
    course: Annotated[Course, OneCourse]
    client_groups: list[ClientGroup] = Field(min_length=1)
    delivery: Delivery
    capacity: Count
    available: Availability
    price_per_participant: Money
    performance: Performance | None = None
    expected_outcomes: list[str] | None = None
    evidence: Evidence | None = None
    journey: Text
    employer_links: list[EmployerLink] | None = None
    innovation: str | None = None
    social_value: list[str] | None = None

    @property
    def provision(self) -> str:
        """The category number or routeway id this offer is for, as text."""
        return self.category or self.routeway or ""


class Weights(_Model):
    quality: Percent = Decimal(60)
    fit: Percent = Decimal(10)
    price: Percent = Decimal(30)
    social_value: Percent = Decimal(0)  # SPEC §4: 0 (absent) leaves the formula as it was

    @model_validator(mode="after")
    def _not_all_zero(self) -> Weights:
        if self.quality + self.fit + self.price + self.social_value == 0:
            raise error("range", "the weights are all 0; at least one must be positive")
        return self

    @property
    def total(self) -> Decimal:
        return self.quality + self.fit + self.price + self.social_value


class EvaluationSettings(_Model):
    weights: Weights = Weights()
    minimum_quality: Percent = Decimal(50)


class BusinessCase(_Model):
    kind: Literal["business-case"]
    id: Identifier
    district: Text
    title: Text
    need: Text
    accepts: list[ProvisionKey] = Field(min_length=1)
    participants: Count
    client_groups: list[ClientGroup] = []
    areas: list[Area] = Field(min_length=1)
    start_by: IsoDate
    budget: Money
    evaluation: EvaluationSettings = EvaluationSettings()


class Marks(_Model):
    """The buyers' marks, 0 (unacceptable) to 4 (excellent), one per question.

    ``social_value``, the fifth question, counts only where the business case
    weights it (SPEC §4).
    """

    fit: Mark
    closer_to_work: Mark
    performance_rationale: Mark
    performance_management: Mark
    social_value: Mark | None = None

    @property
    def values(self) -> list[int]:
        """The four quality questions' marks (quality never includes social value)."""
        return [self.fit, self.closer_to_work, self.performance_rationale, self.performance_management]

    def given(self) -> dict[str, int]:
        """Every mark given, by question, in question order (marks only, in a subclass too)."""
        return {q: m for q in Marks.model_fields if (m := getattr(self, q)) is not None}


class Reasons(_Model):
    """Why the panel agreed each consensus mark the evaluators did not all give (SPEC §10)."""

    fit: Text | None = None
    closer_to_work: Text | None = None
    performance_rationale: Text | None = None
    performance_management: Text | None = None
    social_value: Text | None = None

    def given(self) -> dict[str, str]:
        return self.model_dump(exclude_none=True)


MAX_PANEL = 100  # evaluators on one panel: far more than any real panel, and it bounds the panel checks


class Evaluations(_Model):
    """The buyers' marks; with a panel, each evaluator's own marks and the reasons for the consensus."""

    kind: Literal["evaluations"]
    evaluators: list[Evaluator] | None = Field(default=None, min_length=1, max_length=MAX_PANEL)
    individual: dict[Evaluator, dict[Identifier, Marks]] | None = Field(default=None, max_length=MAX_PANEL)
    marks: dict[Identifier, Marks]
    reasons: dict[Identifier, Reasons] | None = None

    @field_validator("evaluators", "individual", mode="before")
    @classmethod
    def _a_panel(cls, value: Any) -> Any:
        if isinstance(value, (list, dict)) and len(value) > MAX_PANEL:
            raise error("range", f"a panel of {len(value):,} evaluators: at most {MAX_PANEL}", "")
        return value

    @field_validator("evaluators")
    @classmethod
    def _once_each(cls, names: list[str] | None) -> list[str] | None:
        twice = sorted(name for name, count in Counter(names or ()).items() if count > 1)
        if twice:
            raise error("type", f"{', '.join(twice)} listed more than once", "name each evaluator once")
        return names


KINDS: dict[str, type[Offer] | type[BusinessCase] | type[Evaluations]] = {
    "offer": Offer,
    "business-case": BusinessCase,
    "evaluations": Evaluations,
}
EVIDENCE_QUESTIONS = tuple(Evidence.model_fields)
QUESTIONS = tuple(Marks.model_fields)  # the four evidence questions, then social_value
SOCIAL_VALUE = "social_value"
