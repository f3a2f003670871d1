"""Exact money and percentage arithmetic: parse, round half-up, split."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .findings import clipped

PENNY = Decimal("0.01")


MAX_MONEY = Decimal("1000000000.00")
# A number as dps reads it from text: digits, optionally grouped in thousands by
# commas, and an optional decimal part.  Nothing else is guessed at.
NUMBER_TEXT = re.compile(r"-?(?:[0-9]+|[1-9][0-9]{0,2}(?:,[0-9]{3})+)(?:\.[0-9]+)?")
_EUROPEAN = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+")
_DECIMAL_COMMA = re.compile(r"-?[0-9]+,[0-9]{1,2}")


class AmountError(ValueError):
    """A value that is not an amount of the expected shape; ``hint`` says how to write it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def parse_decimal(value: object, *, places: int = 2, what: str = "amount") -> Decimal:
    """Read an int, Decimal or numeric text exactly; at most ``places`` decimals.

    Text is read only in the form :data:`NUMBER_TEXT`; anything else (`12,50`,
    `£5`, `1e3`) is refused with a hint showing the accepted form.  Floats are
    refused: YAML scalars reach us as text or Decimal, never float.
    """
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise AmountError(f"expected a number for the {what}")
    if isinstance(value, str):
        if not NUMBER_TEXT.fullmatch(value):
            raise AmountError(f"`{_clip(value)}` is not a number dps can read exactly", number_hint(value))
        value = value.replace(",", "")
    number = Decimal(value)
    if not number.is_finite():
        raise AmountError(f"`{value}` is not a finite number", "write a finite number")
    exponent = number.normalize().as_tuple().exponent if number else 0
    if isinstance(exponent, int) and exponent < -places:
        raise AmountError(
            f"`{_clip(str(value))}` has more than {places} decimal places",
            f"write at most {places} digits after the decimal point, e.g. 1250.05",
        )
    return number


def number_hint(text: str) -> str:
    """How to write ``text`` as a number dps reads, as best it can be told."""
    core = text.strip()
    if "£" in core or "%" in core:
        bare = core.replace("£", "").replace("%", "").strip()
        return f"write `{_clip(bare)}` without the £ or % sign" if NUMBER_TEXT.fullmatch(bare) else _FORM
    if core != text and NUMBER_TEXT.fullmatch(core):
        return f"write `{_clip(core)}` without the spaces"
    if "_" in core and NUMBER_TEXT.fullmatch(core.replace("_", "")):
        return f"write `{_clip(core.replace('_', ''))}` without underscores"
    if _EUROPEAN.fullmatch(core):
        return f"write `{_clip(core.replace('.', '').replace(',', '.'))}`: {_COMMAS}"
    if _DECIMAL_COMMA.fullmatch(core):
        return f"write `{_clip(core.replace(',', '.'))}` for a decimal point: {_COMMAS}"
    if "," in core and NUMBER_TEXT.fullmatch(core.replace(",", "")):
        return f"write `{_clip(core.replace(',', ''))}`: {_COMMAS}"
    if core.lower().strip("+-.") in ("inf", "nan", "infinity"):
        return "write a finite number, such as 1250.00"
    if "e" in core.lower():
        return "write the number in full, without an exponent, e.g. 1000.00"
    return _FORM


_COMMAS = "a comma may only separate thousands, as in 1,250.00"
_FORM = "write a number such as 1250.00 or 1,250.00"


def _clip(text: str) -> str:
    return clipped(text, 40)


def round_money(amount: Decimal) -> Decimal:
    """The one rounding rule for money: half-up to the penny."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def round_score(value: Fraction | Decimal, places: int = 2) -> Decimal:
    """Half-up rounding of an exact score for display."""
    if isinstance(value, Fraction):
        # Round the exact fraction, not a truncated decimal expansion of it.
        scaled = value * 10**places
        whole, rest = divmod(scaled.numerator, scaled.denominator)
        if 2 * rest >= scaled.denominator:
            whole += 1
        return Decimal(whole).scaleb(-places)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_money(amount: Decimal) -> str:
    """`1234.5` -> `1234.50` (machine form, as JSON carries it)."""
    return str(round_money(amount))


def display_money(amount: Decimal) -> str:
    """`1234.5` -> `£1,234.50` (human form)."""
    return f"£{round_money(amount):,.2f}"


def split(price: Decimal, percentages: Sequence[Decimal]) -> list[Decimal]:
    """Split ``price`` by ``percentages`` (summing to 100) to the penny.

    Each part is ``price × pct / 100`` rounded half-up, except the last non-zero
    part, which takes the remainder so the parts add up to ``price`` exactly.
    """
    parts = [round_money(price * pct / 100) for pct in percentages]
    nonzero = [i for i, pct in enumerate(percentages) if pct != 0]
    if nonzero:
        last = nonzero[-1]
        parts[last] = price - sum(p for i, p in enumerate(parts) if i != last)
    return parts
