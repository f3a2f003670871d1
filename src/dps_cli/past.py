"""Past performance for `dps match --performance FILE` (SPEC §4): the JSON `dps performance` writes -> notes.

Two pure steps.  :func:`parse` reads the file's bytes as untrusted input: a
size bound, strict JSON (no ``NaN``, no repeated key), and the shape of §9's
JSON, refusing anything else with a :class:`Refused` that says where and how
to fix it.  :func:`annotate` adds a note to every ranked or excluded offer
whose supplier has a call-off with a measure rated ``inadequate`` or warned
``cannot-meet-target``.  Notes are data beside the decision, never part of it:
scores, ranks, suitability and the recommendation are the match's own.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from .matching import Excluded, MatchResult, Scored

MAX_BYTES = 16 * 1024 * 1024  # some thousands of call-offs with their monthly cohorts
PREFIX = "past performance: "
NOTES_PER_SUPPLIER = 10  # then one note saying how many more; a huge file cannot swamp the output
RATINGS = ("good", "approaching-target", "requires-improvement", "inadequate")
WARNINGS = ("cannot-meet-target", "cannot-meet-commitment", "secured")
_ID = re.compile(r"[A-Z0-9-]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HINT = "give the file `dps performance CALLOFF... --events FILE... --format json` writes"


class Refused(Exception):
    """The file is not a performance file: what is wrong, where, and the hint."""

    def __init__(self, message: str, hint: str = _HINT) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Shortfall:
    """One measure of one call-off that earns a note."""

    calloff: str
    supplier: str
    measure: str
    rating: str | None
    warning: str | None
    rate: Decimal | None
    commitment: Decimal | None
    target: Decimal | None
    upper: Decimal | None


@dataclass(frozen=True)
class PastPerformance:
    """The shortfalls of one performance file, by supplier (see :func:`supplier_key`)."""

    as_of: str | None
    calloffs: int
    shortfalls: Mapping[str, tuple[Shortfall, ...]]

    def notes_for(self, supplier: str | None) -> tuple[str, ...]:
        if supplier is None:
            return ()
        found = self.shortfalls.get(supplier_key(supplier), ())
        notes = tuple(dict.fromkeys(note(s) for s in found[:NOTES_PER_SUPPLIER]))
        more = len(found) - NOTES_PER_SUPPLIER
        if more > 0:
            notes += (f"{PREFIX}{more} more call-off measures rated inadequate or warned cannot-meet-target",)
        return notes


def supplier_key(name: str) -> str:
    """A supplier's name compared ignoring case and spacing: `BrightPath  training LTD` is `Brightpath Training Ltd`."""
    return "".join(name.split()).casefold()


# -- the notes ---------------------------------------------------------------


def note(s: Shortfall) -> str:
    """`past performance: CO-BC-SE-0007 job_outcome inadequate (31.58% against 50% committed)`."""
    parts = []
    if s.rating == "inadequate":
        facts = f" ({_pct(s.rate, 2)} against {_pct(s.commitment)} committed)" if s.rate is not None else ""
        parts.append(f"inadequate{facts}")
    if s.warning == "cannot-meet-target":
        facts = ""
        if s.upper is not None and s.target is not None:
            facts = f" (at most {_pct(s.upper, 2)} against the {_pct(s.target)} target)"
        parts.append(f"cannot meet its target{facts}")
    return f"{PREFIX}{s.calloff} {s.measure} {' and '.join(parts)}"


def _pct(value: Decimal | None, places: int | None = None) -> str:
    if value is None:
        return "no"
    if places is not None:
        return f"{value:.{places}f}%"
    text = f"{value:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def annotate(result: MatchResult, past: PastPerformance) -> MatchResult:
    """The same result, every ranked and excluded offer carrying its supplier's notes (nothing else changes)."""
    ranked = tuple(_noted(s, past.notes_for(s.offer.supplier.name)) for s in result.ranked)
    excluded = tuple(replace(e, past=past.notes_for(e.supplier)) for e in result.excluded)
    return replace(result, ranked=ranked, excluded=excluded)


def _noted(scored: Scored, notes: tuple[str, ...]) -> Scored:
    return replace(scored, past=notes)


def all_notes(entry: Scored | Excluded) -> list[str]:
    """What JSON's `notes` lists: why a ranked offer is not of a suitable standard, then past performance."""
    return [*entry.notes, *entry.past] if isinstance(entry, Scored) else list(entry.past)


def split_notes(notes: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A ranked entry's `notes` read back: (why it is not of a suitable standard, past performance)."""
    listed = list(notes)
    return tuple(n for n in listed if not n.startswith(PREFIX)), tuple(n for n in listed if n.startswith(PREFIX))


# -- reading the file ----------------------------------------------------------


def parse(content: bytes) -> PastPerformance:
    """The shortfalls in a performance file's bytes, or :class:`Refused` saying why it is not one."""
    if len(content) > MAX_BYTES:
        raise Refused(f"larger than {MAX_BYTES // (1024 * 1024)} MiB", "give the output of one `dps performance` run")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused(f"not UTF-8 (byte {error.start + 1})") from None
    document = _json(text)
    if not isinstance(document, dict):
        raise Refused(f"the file holds {_kind(document)}, not the object with `calloffs`")
    as_of = document.get("as_of")
    if as_of is not None and not (isinstance(as_of, str) and _DATE.fullmatch(as_of)):
        raise Refused(f"`as_of` is {_kind(as_of)}, not a date YYYY-MM-DD")
    calloffs = _list(document, "calloffs", "")
    found: dict[str, list[Shortfall]] = {}
    for index, calloff in enumerate(calloffs):
        for shortfall in _shortfalls(calloff, f"calloffs[{index}]"):
            found.setdefault(supplier_key(shortfall.supplier), []).append(shortfall)
    ordered = {k: tuple(sorted(v, key=lambda s: (s.calloff, s.measure))) for k, v in found.items()}
    return PastPerformance(as_of, len(calloffs), ordered)


def _json(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_repeats, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise Refused(f"not JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except RecursionError:
        raise Refused("not a performance file: nested too deeply") from None
    except ValueError as error:  # a repeated key, NaN, or an integer too long to read
        raise Refused(f"not a performance file: {error}") from None


def _no_repeats(pairs: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key `{_clip(key)}` is repeated in one object")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"`{name}` is not a number JSON allows")


def _shortfalls(calloff: Any, where: str) -> list[Shortfall]:
    if not isinstance(calloff, dict):
        raise Refused(f"{where} is {_kind(calloff)}, not a call-off object")
    ident = _text(calloff, "calloff", where)
    if not _ID.fullmatch(ident):
        raise Refused(f"{where}.calloff `{_clip(ident)}` is not a call-off id (capital letters, digits, hyphens)")
    supplier = _text(calloff, "supplier", where)
    out = []
    for index, measure in enumerate(_list(calloff, "measures", where)):
        shortfall = _shortfall(ident, supplier, measure, f"{where}.measures[{index}]")
        if shortfall.rating == "inadequate" or shortfall.warning == "cannot-meet-target":
            out.append(shortfall)
    return out


def _shortfall(calloff: str, supplier: str, measure: Any, where: str) -> Shortfall:
    if not isinstance(measure, dict):
        raise Refused(f"{where} is {_kind(measure)}, not a measure object")
    name = _text(measure, "measure", where)
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise Refused(f"{where}.measure `{_clip(name)}` is not a measure name")
    numbers = {key: _percent(measure, key, where) for key in ("rate", "commitment", "target", "upper")}
    rating = _choice(measure, "rating", RATINGS, where)
    warning = _choice(measure, "warning", WARNINGS, where)
    return Shortfall(calloff, supplier, name, rating, warning, **numbers)


def _text(mapping: dict[str, Any], key: str, where: str) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        raise Refused(f"{_at(where, key)} is {_kind(value)}, not text")
    return value


def _list(mapping: dict[str, Any], key: str, where: str) -> list[Any]:
    value = mapping.get(key)
    if not isinstance(value, list):
        raise Refused(f"{_at(where, key)} is {_kind(value)}, not a list")
    return value


def _choice(mapping: dict[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str | None:
    if key not in mapping:
        raise Refused(f"{_at(where, key)} is missing")
    value = mapping[key]
    if value is None or value in allowed:
        return value  # type: ignore[no-any-return]
    shown = f"`{_clip(value)}`" if isinstance(value, str) else _kind(value)
    raise Refused(f"{_at(where, key)} is {shown}, not one of {', '.join(allowed)} or null")


def _percent(mapping: dict[str, Any], key: str, where: str) -> Decimal | None:
    value = mapping.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Refused(f"{_at(where, key)} is {_kind(value)}, not a percentage or null")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not 0 <= number <= 100:
        raise Refused(f"{_at(where, key)} is {_clip(str(value))}, not a percentage from 0 to 100")
    return number


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else f"`{key}`"


def _kind(value: Any) -> str:
    if value is None:
        return "missing or null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the text `{_clip(value)}`"
    if isinstance(value, int | float):
        return f"the number {_clip(str(value))}"
    return "a list" if isinstance(value, list) else "an object"


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else f"{text[: width - 1]}… ({len(text):,} characters)"
