"""How each kind of field value is read: exactly as written, or refused.

Each reader raises an error whose type is the rule id (``type``, ``range``,
``unknown-area`` ...) with a message and a hint of ours, so each maps straight
to its finding.  Each annotated type also carries the JSON Schema that says the
same thing to an editor (``dps schema``); the reference vocabularies are added
by :mod:`schema`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from .dates import FIRST_DATE, ISO_DATE, LAST_DATE
from .findings import suggest as suggest  # re-exported: models and validate use it from here
from .money import MAX_MONEY, AmountError, parse_decimal
from .reference import NATIONAL, Reference, provision_key
from .yamlscalars import Refused, clip

ID_PATTERN = r"^[A-Z0-9-]+$"
_ID = re.compile(r"[A-Z0-9-]+")
EVALUATOR_TEXT = r"[A-Za-z0-9](?:[A-Za-z0-9 .'-]{0,38}[A-Za-z0-9.])?"
_EVALUATOR = re.compile(EVALUATOR_TEXT)
MAX_COUNT = 1_000_000
MAX_WEEKS = 520
HINT_BUDGET = 100  # "did you mean" hints per rule per file; more would only be capped away


def error(rule: str, message: str, hint: str = "") -> PydanticCustomError:
    return PydanticCustomError(rule, message, {"hint": hint} if hint else None)


def _reference(info: ValidationInfo) -> Reference | None:
    context = info.context or {}
    ref = context.get("reference")
    return ref if isinstance(ref, Reference) else None


def _suggest_within_budget(info: ValidationInfo, rule: str, word: str, choices: Callable[[], list[str]]) -> str:
    """Suggest, but only for the first :data:`HINT_BUDGET` values of a rule in one file."""
    context = info.context if isinstance(info.context, dict) else {}
    spent = context.setdefault("hints", {})
    spent[rule] = spent.get(rule, 0) + 1
    return suggest(word, choices()) if spent[rule] <= HINT_BUDGET else ""


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
        return f"the text `{clip(value)}`"
    if isinstance(value, Refused):
        return f"`{clip(value.text)}` (which YAML 1.1 reads as a number)"
    if isinstance(value, Decimal) and len(value.as_tuple().digits) > 30:
        return f"a number of {len(value.as_tuple().digits):,} digits"
    return f"the number {value}"


def _refuse(value: Refused, rule: str = "type") -> PydanticCustomError:
    return error(rule, f"{value.reading}, and dps does not guess", value.hint)


def _text(value: Any) -> str:
    if isinstance(value, Refused):
        raise error("type", f"expected text; {value.reading}", f'write "{clip(value.text)}" in quotes')
    if not isinstance(value, str):
        raise error("type", f"expected text, found {describe(value)}")
    if not value.strip():
        raise error("required", "is blank")
    return value.strip()


def _number(value: Any, what: str, form: str) -> Decimal:
    if isinstance(value, Refused):
        raise _refuse(value)
    try:
        return parse_decimal(value, what=what)
    except AmountError as problem:
        raise error("type", f"{problem} ({form})", problem.hint) from None


def _money(value: Any) -> Decimal:
    amount = _number(value, "amount of money", "money is pounds with at most 2 decimal places")
    if amount <= 0:
        raise error("range", f"{amount} must be greater than 0")
    if amount > MAX_MONEY:
        raise error("range", f"{describe(amount)} is more than £{MAX_MONEY:,}", "no amount in dps is over £1bn")
    return amount


def _percent(value: Any) -> Decimal:
    number = _number(value, "percentage", "a percentage is a number 0-100, at most 2 decimal places")
    if not 0 <= number <= 100:
        raise error("range", f"{describe(number)} is not a percentage between 0 and 100")
    return number


def _whole(low: int, high: int) -> BeforeValidator:
    """A plain integer from ``low`` to ``high``: no quotes, commas or decimal point."""

    def read(value: Any) -> int:
        if isinstance(value, Refused):
            raise _refuse(value)
        if isinstance(value, Decimal) and value.as_tuple().exponent == 0:  # an integer too long for int
            bound = f"at least {low:,}" if value < 0 else f"at most {high:,}"
            raise error("range", f"{describe(value)} is out of range: it must be {bound}")
        if isinstance(value, bool) or not isinstance(value, int):
            raise error("type", f"expected a whole number, found {describe(value)}", _whole_hint(value))
        if not low <= value <= high:
            bound = f"at least {low:,}" if value < low else f"at most {high:,}"
            raise error("range", f"{value:,} is out of range: it must be {bound}")
        return value

    return BeforeValidator(read)


def _whole_hint(value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+", value):
        return f"write {value.replace(',', '')}: whole numbers are written without commas"
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value):
        return f"write {clip(value)} without quotes"
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return f"write {value.to_integral_value()} without the decimal point"
    return ""


def _date(value: Any) -> date:
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise error("type", f"`{value}` is not a real date", "check the day and month") from None
        if not FIRST_DATE <= day <= LAST_DATE:
            raise error("range", f"{value} is outside the dates dps takes", "dates run from 2000-01-01 to 2099-12-31")
        return day
    shown = f"`{clip(value)}`" if isinstance(value, str) else describe(value)
    raise error("type", f"{shown} is not a date in the form YYYY-MM-DD", "e.g. 2026-09-01")


def _identifier(value: Any) -> str:
    if isinstance(value, str) and _ID.fullmatch(value):
        return value
    shown = f"`{clip(value)}`" if isinstance(value, str) else describe(value)
    raise error("type", f"{shown} is not an id (capital letters, digits and hyphens)", _id_hint(value))


def _evaluator(value: Any) -> str:
    if isinstance(value, str) and _EVALUATOR.fullmatch(value):
        return value
    shown = f"`{clip(value)}`" if isinstance(value, str) else describe(value)
    raise error(
        "type",
        f"{shown} is not an evaluator's name",
        "use initials or a name: letters, digits, spaces, . ' and -, starting with a letter or digit, at most 40",
    )


def _id_hint(value: Any) -> str:
    """An id close to what was written, only if it is itself a valid id."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        text = str(value)
        if text.isascii():
            candidate = re.sub(r"[^A-Z0-9]+", "-", text.upper()).strip("-")
            if candidate and _ID.fullmatch(candidate) and len(candidate) <= 40:
                return f'try "{candidate}"' if isinstance(value, int) else f"try `{candidate}`"
    return "use capital letters A-Z, digits and hyphens, e.g. OF-0042"


def _provision(value: Any, info: ValidationInfo, want: str = "") -> str:
    """A category (1-8) or routeway (R1-R5) as its key: ``"7"`` or ``"R3"``."""
    ref = _reference(info)
    choices = ", ".join(ref.provision_keys) if ref else ""
    if isinstance(value, Refused):
        raise _refuse(value, "unknown-provision")
    key = provision_key(value)
    if key is None or (ref is not None and ref.provision(key) is None):
        shown = f"`{clip(value)}`" if isinstance(value, str) else describe(value)
        raise error("unknown-provision", f"{shown} is not a category or routeway", _provision_hint(value, ref, choices))
    if want == "category" and not key.isdecimal():
        raise error("unknown-provision", f"`{value}` is not a category number", "put routeways under `routeway:`")
    if want == "routeway" and key.isdecimal():
        raise error("unknown-provision", f"`{value}` is not a routeway id", "put category numbers under `category:`")
    return key


def _provision_hint(value: Any, ref: Reference | None, choices: str) -> str:
    if isinstance(value, str) and value.isascii():
        plain = provision_key(re.sub(r"^([Rr]?)0+(?=[0-9])", r"\1", value.strip()))
        if plain and ref and ref.provision(plain):
            return f"write {plain}"
    return f"known: {choices}"


def _category(value: Any, info: ValidationInfo) -> str:
    if value is None:
        raise error("required", "`category` is empty", "write the category number, 1-8 (or give `routeway:`)")
    return _provision(value, info, "category")


def _routeway(value: Any, info: ValidationInfo) -> str:
    if value is None:
        raise error("required", "`routeway` is empty", "write the routeway id, R1-R5 (or give `category:`)")
    return _provision(value, info, "routeway")


def _area(value: Any, info: ValidationInfo) -> str:
    if not isinstance(value, str):
        raise error("unknown-area", f"{describe(value)} is not a postcode area or district", "quote it, e.g. 'BN'")
    area = value.lower() if value.lower() == NATIONAL else value.upper()
    ref = _reference(info)
    if not value.isascii() or (ref and not ref.area_known(area)):
        hint = _spaces_hint(value, lambda v: bool(ref and ref.area_known(v.upper())))
        if not hint and ref and value.isascii():
            hint = _suggest_within_budget(info, "unknown-area", area, lambda: [*sorted(ref.postcode_areas), NATIONAL])
        raise error(
            "unknown-area",
            f"`{clip(value)}` is not a UK postcode area (BN), district (RH10) or `national`",
            hint or "use the letters of a postcode area, optionally with the district number",
        )
    return area


def _client_group(value: Any, info: ValidationInfo) -> str:
    ref = _reference(info)
    group = value.lower() if isinstance(value, str) and value.isascii() else None
    if group is None or (ref and group not in ref.client_groups):
        hint = ""
        if isinstance(value, str) and value.isascii() and ref:
            hint = _spaces_hint(value, lambda v: v.lower() in ref.client_groups)
            hint = hint or _suggest_within_budget(info, "unknown-client-group", value, lambda: list(ref.client_groups))
        shown = f"`{clip(value)}`" if isinstance(value, str) else describe(value)
        raise error(
            "unknown-client-group",
            f"{shown} is not a known client group",
            hint or "run `dps schema offer` or see categories.yaml for the list",
        )
    return group


def _spaces_hint(value: str, known: Any) -> str:
    stripped = value.strip()
    return f"write `{stripped}` without the spaces" if stripped != value and stripped and known(stripped) else ""


def _one_course(value: Any) -> Any:
    if isinstance(value, list):
        if len(value) >= 2:
            raise error(
                "several-courses",
                f"{len(value)} courses in one offer; an offer covers exactly one course",
                "submit each course as an offer of its own",
            )
        if len(value) == 1:
            return value[0]
    return value


def anchored(body: str) -> str:
    """A pattern for the whole text.  `$(?!\\n)` ends the text in JavaScript's regex
    dialect (editors) and in Python's, where a bare `$` also matches before a final newline."""
    return f"^(?:{body})$(?!\\n)"


ZERO_TEXT = r"-?0+(?:\.0+)?"
MONEY_TEXT = (
    r"(?=.*[1-9])(?:0*[0-9]{1,9}|[1-9][0-9]{0,2}(?:,[0-9]{3}){1,2})(?:\.[0-9]{1,2}0*)?|0*1,?000,?000,?000(?:\.0+)?"
)
PERCENT_TEXT = rf"0*[0-9]{{1,2}}(?:\.[0-9]{{1,2}}0*)?|0*100(?:\.0+)?|{ZERO_TEXT}"
_MONEY_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0, "maximum": 1_000_000_000},
        {"type": "string", "pattern": anchored(MONEY_TEXT)},
    ],
    "description": "Pounds, more than 0 and at most 1,000,000,000, at most 2 decimal places (1250.00 or 1,250.00).",
}
PERCENT_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": 100},
        {"type": "string", "pattern": anchored(PERCENT_TEXT)},
    ],
    "description": "A percentage, 0-100, at most 2 decimal places.",
}
_DATE_BODY = r"20[0-9]{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"


def _integer_schema(low: int, high: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": low, "maximum": high}


Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": "string", "pattern": r"\S"})]
Money = Annotated[Decimal, BeforeValidator(_money), WithJsonSchema(_MONEY_SCHEMA)]
Percent = Annotated[Decimal, BeforeValidator(_percent), WithJsonSchema(PERCENT_SCHEMA)]
IsoDate = Annotated[
    date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": anchored(_DATE_BODY)}),
]
Identifier = Annotated[
    str, BeforeValidator(_identifier), WithJsonSchema({"type": "string", "pattern": anchored(ID_PATTERN[1:-1])})
]
ProvisionKey = Annotated[str, BeforeValidator(_provision)]
CategoryKey = Annotated[str | None, BeforeValidator(_category)]
RoutewayKey = Annotated[str | None, BeforeValidator(_routeway)]
Area = Annotated[str, BeforeValidator(_area)]
ClientGroup = Annotated[str, BeforeValidator(_client_group)]
OneCourse = BeforeValidator(_one_course)
Count = Annotated[int, _whole(1, MAX_COUNT), WithJsonSchema(_integer_schema(1, MAX_COUNT))]
Weeks = Annotated[int, _whole(1, MAX_WEEKS), WithJsonSchema(_integer_schema(1, MAX_WEEKS))]
Mark = Annotated[int, _whole(0, 4), WithJsonSchema(_integer_schema(0, 4))]
Evaluator = Annotated[
    str,
    BeforeValidator(_evaluator),
    WithJsonSchema(
        {"type": "string", "pattern": anchored(EVALUATOR_TEXT), "description": "An evaluator's name or initials."}
    ),
]
