"""SPEC §2's dates: ISO `YYYY-MM-DD`, from 2000-01-01 to 2099-12-31 (light: no pydantic)."""

from __future__ import annotations

import re
from datetime import date

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PERIOD = re.compile(r"(20[0-9]{2})-(0[1-9]|1[0-2])")  # a month, YYYY-MM (claims' --period and the ledger)
FIRST_DATE, LAST_DATE = date(2000, 1, 1), date(2099, 12, 31)


def parse_day(text: str) -> date | None:
    """An ISO date from 2000-01-01 to 2099-12-31, or None."""
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_DATE <= day <= LAST_DATE else None
