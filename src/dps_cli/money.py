"""Exact money and percentage arithmetic: parse, round half-up, split."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

PENNY = Decimal("0.01")


class AmountError(ValueError):
    """A value that is not an amount of the expected shape."""


def parse_decimal(value: object, *, places: int = 2, what: str = "amount") -> Decimal:
    """Read an int, Decimal or numeric string exactly; at most ``places`` decimals.

    Floats are refused: YAML scalars reach us as text or Decimal, never float.
    """
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise AmountError(f"expected a number for the {what}")
    try:
        number = Decimal(value.strip().replace(",", "") if isinstance(value, str) else value)
    except InvalidOperation:
        raise AmountError(f"`{value}` is not a number") from None
    if not number.is_finite():
        raise AmountError(f"`{value}` is not a finite number")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        raise AmountError(f"`{value}` has more than {places} decimal places")
    return number


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
