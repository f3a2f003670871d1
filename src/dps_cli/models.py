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

import difflib
import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .money import AmountError, parse_decimal
from .reference import NATIONAL, Reference

ID_PATTERN = r"^[A-Z0-9-]+$"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _error(rule: str, message: str, hint: str = "") -> PydanticCustomError:
    return PydanticCustomError(rule, message, {"hint": hint} if hint else None)


def _reference(info: ValidationInfo) -> Reference | None:
    context = info.context or {}
    ref = context.get("reference")
    return ref if isinstance(ref, Reference) else None


def suggest(word: str, choices: list[str]) -> str:
    """A "did you mean" hint, or the empty string."""
    close = difflib.get_close_matches(word.lower(), [c.lower() for c in choices], n=1, cutoff=0.6)
    if not close:
        return ""
    original = next(c for c in choices if c.lower() == close[0])
    return f"did you mean `{original}`?"


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _error("type", f"expected text, found {describe(value)}")
    if not value.strip():
        raise _error("required", "is blank")
    return value.strip()


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text `{value}`"
    return f"the number {value}"


def _money(value: Any) -> Decimal:
    try:
        amount = parse_decimal(value, what="amount of money")
    except AmountError as error:
        raise _error("type", f"{error} (money is pounds with at most 2 decimal places)") from None
    if amount <= 0:
        raise _error("range", f"{amount} must be greater than 0")
    return amount


def _percent(value: Any) -> Decimal:
    try:
        number = parse_decimal(value, what="percentage")
    except AmountError as error:
        raise _error("type", f"{error} (a percentage is a number 0-100, at most 2 decimal places)") from None
    if not 0 <= number <= 100:
        raise _error("range", f"{number} is not a percentage between 0 and 100")
    return number


def _date(value: Any) -> date:
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise _error("type", f"`{value}` is not a real date") from None
    raise _error("type", f"`{value}` is not a date in the form YYYY-MM-DD")


def _identifier(value: Any) -> str:
    if isinstance(value, str) and re.match(ID_PATTERN, value):
        return value
    shown = f"`{value}`" if isinstance(value, str) else f"the {type(value).__name__} {value}"
    hint = f"try `{value.strip().upper()}`" if isinstance(value, str) and value.strip() else ""
    raise _error("type", f"{shown} is not an id (capital letters, digits and hyphens)", hint)


def _provision(value: Any, info: ValidationInfo) -> str:
    """A category (1-8) or routeway (R1-R5) as its key: ``"7"`` or ``"R3"``."""
    ref = _reference(info)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise _error("unknown-provision", f"`{value}` is not a category or routeway")
    key = str(value).strip().upper()
    known = ref.provision(key) if ref else key
    if not known:
        choices = ref.provision_keys if ref else []
        raise _error("unknown-provision", f"`{value}` is not a category or routeway", f"known: {', '.join(choices)}")
    return key


def _category(value: Any, info: ValidationInfo) -> str:
    key = _provision(value, info)
    if not key.isdigit():
        raise _error("unknown-provision", f"`{value}` is not a category number", "put routeways under `routeway:`")
    return key


def _routeway(value: Any, info: ValidationInfo) -> str:
    key = _provision(value, info)
    if key.isdigit():
        raise _error("unknown-provision", f"`{value}` is not a routeway id", "put category numbers under `category:`")
    return key


def _area(value: Any, info: ValidationInfo) -> str:
    if not isinstance(value, str):
        raise _error("unknown-area", f"`{value}` is not a postcode area or district", "quote it, e.g. 'BN'")
    area = value.strip()
    area = NATIONAL if area.lower() == NATIONAL else area.upper().replace(" ", "")
    ref = _reference(info)
    if ref and not ref.area_known(area):
        hint = suggest(area, [*sorted(ref.postcode_areas), NATIONAL])
        raise _error(
            "unknown-area",
            f"`{value}` is not a UK postcode area (BN), district (RH10) or `national`",
            hint or "use the letters of a postcode area, optionally with the district number",
        )
    return area


def _client_group(value: Any, info: ValidationInfo) -> str:
    group = value.strip().lower() if isinstance(value, str) else value
    ref = _reference(info)
    if not isinstance(group, str) or (ref and group not in ref.client_groups):
        choices = list(ref.client_groups) if ref else []
        hint = suggest(str(group), choices) if isinstance(group, str) else ""
        raise _error(
            "unknown-client-group",
            f"`{value}` is not a known client group",
            hint or "run `dps schema offer` or see categories.yaml for the list",
        )
    return group


def _one_course(value: Any) -> Any:
    if isinstance(value, list):
        if len(value) >= 2:
            raise _error(
                "several-courses",
                f"{len(value)} courses in one offer; an offer covers exactly one course",
                "submit each course as an offer of its own",
            )
        if len(value) == 1:
            return value[0]
    return value


Text = Annotated[str, BeforeValidator(_text)]
Money = Annotated[Decimal, BeforeValidator(_money)]
Percent = Annotated[Decimal, BeforeValidator(_percent)]
IsoDate = Annotated[date, BeforeValidator(_date)]
Identifier = Annotated[str, BeforeValidator(_identifier)]
ProvisionKey = Annotated[str, BeforeValidator(_provision)]
CategoryKey = Annotated[str, BeforeValidator(_category)]
RoutewayKey = Annotated[str, BeforeValidator(_routeway)]
Area = Annotated[str, BeforeValidator(_area)]
ClientGroup = Annotated[str, BeforeValidator(_client_group)]
Count = Annotated[StrictInt, Field(ge=1)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Supplier(_Model):
    name: Text
    organisation: Literal["sme", "vcse", "large", "public"]


class Course(_Model):
    title: Text
    duration_weeks: Count


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
    category: CategoryKey | None = None
    routeway: RoutewayKey | None = None
    course: Annotated[Course, BeforeValidator(_one_course)]
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
    quality: Annotated[Decimal, BeforeValidator(_percent)] = Decimal(60)
    fit: Annotated[Decimal, BeforeValidator(_percent)] = Decimal(10)
    price: Annotated[Decimal, BeforeValidator(_percent)] = Decimal(30)

    @model_validator(mode="after")
    def _not_all_zero(self) -> Weights:
        if self.quality + self.fit + self.price == 0:
            raise _error("range", "the weights are all 0; at least one must be positive")
        return self


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


Mark = Annotated[StrictInt, Field(ge=0, le=4)]


class Marks(_Model):
    """The buyers' marks, 0 (unacceptable) to 4 (excellent), one per question."""

    fit: Mark
    closer_to_work: Mark
    performance_rationale: Mark
    performance_management: Mark

    @property
    def values(self) -> list[int]:
        return [self.fit, self.closer_to_work, self.performance_rationale, self.performance_management]


class Evaluations(_Model):
    kind: Literal["evaluations"]
    marks: dict[Identifier, Marks]


KINDS: dict[str, type[Offer] | type[BusinessCase] | type[Evaluations]] = {
    "offer": Offer,
    "business-case": BusinessCase,
    "evaluations": Evaluations,
}
EVIDENCE_QUESTIONS = tuple(Evidence.model_fields)
