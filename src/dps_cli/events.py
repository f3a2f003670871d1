"""Participant events (SPEC §8): a CSV file -> rows + findings. Untrusted input.

The file is read as a stream: its bytes are counted as they arrive (more than
200 MiB is refused), lines and fields are bounded, and at most 1,000,000 rows
are taken, so no file can make the reader use unbounded time or memory.
Row-level rules are applied here (``unknown-event``, ``type``,
``unknown-calloff``, ``personal-data``); the rules about one participant's
history are :mod:`.milestones`'.  Rows dated after the cut-off are left out
before any rule but ``events-format`` and ``type``.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import IO, NamedTuple

from .dates import parse_day
from .findings import Finding, clipped, suggest

EVENTS = ("start", "completion", "leaver", "action_plan", "sj_outcome", "job_start", "job_end", "mentoring_agreement")
COLUMNS = ("calloff", "participant", "event", "date")
OPTIONAL = ("evidence",)
MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_FIELD = 4096  # characters in one cell: ids, dates and evidence references are short
MAX_LINE = 1024 * 1024  # characters in one physical line
MAX_PER_RULE = 100  # findings of one rule in one file reported, as `dps validate` reports; one more sums up the rest
# Two letters, six digits, one letter A-D, as National Insurance numbers are written (spaces allowed).
_NI_NUMBER = re.compile(r"[A-Za-z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-Da-d]")
_NI_START = re.compile(r"\s*[A-Za-z]{2} ?[0-9]")  # could be an NI number: checked in full by the slow path
# A reference a spreadsheet would run as a formula, or one holding control characters, cannot survive the
# ledger's round trip unchanged (the CSV form guards and escapes it): refused, so it is never paid twice.
_UNSAFE_REFERENCE = re.compile(r"^[=+\-@\t\r]|[\x00-\x1f\x7f-\x9f]")
_EVENTS = frozenset(EVENTS)
_UNSEEN = date.min  # not a day in the cache yet (never a day read: those are from 2000 on)


class Event(NamedTuple):
    """One row: what happened to one participant of one call-off, on one day (a tuple: a million are cheap)."""

    calloff: str
    participant: str
    event: str
    day: date
    evidence: str
    path: str
    line: int


@dataclass(frozen=True)
class EventFinding:
    """A finding in an events or ledger file, and whose records it concerns (to withhold them)."""

    path: str
    finding: Finding
    calloff: str = ""
    participant: str = ""

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.finding.line, self.finding.rule, self.finding.message)


@dataclass(frozen=True)
class EventsFile:
    rows: tuple[Event, ...]
    findings: tuple[EventFinding, ...]


class FormatError(Exception):
    """The file as a whole cannot be read as events (rule ``events-format``)."""

    def __init__(self, message: str, line: int = 1, hint: str | None = None) -> None:
        super().__init__(message)
        self.line, self.hint = line, hint


def capped(findings: Iterable[EventFinding], limit: int = MAX_PER_RULE) -> list[EventFinding]:
    """At most ``limit`` findings of each rule in each file, then one of the rule summing up the rest.

    The cap is on reporting only: the participants of the findings left out are withheld all the same.
    """
    findings = list(findings)
    counts = Counter((f.path, f.finding.rule) for f in findings)
    if all(n <= limit for n in counts.values()):
        return findings
    kept: list[EventFinding] = []
    seen: Counter[tuple[str, str]] = Counter()
    for found in findings:
        key = (found.path, found.finding.rule)
        seen[key] += 1
        if seen[key] <= limit:
            kept.append(found)
        elif seen[key] == limit + 1:
            kept.append(_summary(found, counts[key] - limit, limit))
    return kept


def _summary(first: EventFinding, more: int, limit: int) -> EventFinding:
    rule = first.finding.rule
    message = f"… and {more:,} more {rule} findings in this file"
    hint = f"only the first {limit} of each rule are shown; fix these and check again"
    return EventFinding(first.path, Finding(rule, message, line=first.finding.line, hint=hint))


def masked(reference: str) -> str:
    """A participant reference as it may be shown: one shaped like an NI number is masked."""
    if _NI_NUMBER.fullmatch(reference.strip()):
        text = reference.strip()
        return f"{text[:2]}{'*' * (len(text) - 3)}{text[-1]}"
    return reference


# -- reading CSV safely --------------------------------------------------------


class _Counted(io.RawIOBase):
    """A binary stream that refuses to give more than ``MAX_BYTES``."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(len(buffer))
        self.count += len(data)
        if self.count > MAX_BYTES:
            raise FormatError("the file is larger than 200 MiB", hint="split it into files of at most 200 MiB")
        buffer[: len(data)] = data
        return len(data)


def _refuse_large(raw: IO[bytes]) -> None:
    """A file that says it is over the bound is refused before a byte is read (a stream is counted as read)."""
    try:
        size = os.fstat(raw.fileno()).st_size
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return
    if size > MAX_BYTES:
        raise FormatError("the file is larger than 200 MiB", hint="split it into files of at most 200 MiB")


_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)")  # a whole line, as `newline=""` splits them
_BREAKS = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # where str.splitlines also splits, not `_LINE`
_BLOCK = 64 * 1024  # characters decoded at a time


def _lines(raw: IO[bytes]) -> Iterator[str]:
    """Physical lines of UTF-8 text (a BOM dropped), each at most ``MAX_LINE`` characters.

    The text is decoded and split a block at a time, so a million lines cost no Python call each.
    """
    return itertools.chain.from_iterable(_blocks(raw))


def _blocks(raw: IO[bytes]) -> Iterator[list[str]]:
    text = io.TextIOWrapper(io.BufferedReader(_Counted(raw)), encoding="utf-8-sig", newline="")
    carry, number = "", 0
    while block := text.read(_BLOCK):
        block = carry + block
        whole = max(block.rfind("\n"), block.rfind("\r", 0, len(block) - 1)) + 1  # a last \r may precede \n
        # str.splitlines is the faster split, and the same one when "\n" is the only line break in the text
        lines = _LINE.findall(block, 0, whole) if _BREAKS.search(block, 0, whole) else block[:whole].splitlines(True)
        carry = block[whole:]
        if len(carry) >= MAX_LINE or (lines and max(map(len, lines)) > MAX_LINE):
            long = next((at for at, line in enumerate(lines) if len(line) > MAX_LINE), len(lines))
            raise FormatError("a line is longer than 1 MiB; this is not an events file", number + long + 1)
        number += len(lines)
        yield lines
    if carry:
        yield [carry]


def rows(raw: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, cells) for each CSV row; a problem with the file raises :class:`FormatError`."""
    previous = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(_lines(raw), strict=True)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except UnicodeDecodeError:
        raise FormatError("the file is not UTF-8 text", line, "save it as CSV UTF-8") from None
    except csv.Error as error:
        raise FormatError(f"not CSV: {error}", line, "export the events as CSV (comma-separated)") from None
    finally:
        csv.field_size_limit(previous)


def header(cells: list[str], wanted: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, int]:
    """Where each wanted column is (names case-insensitive, other columns ignored)."""
    names = [cell.strip().lower() for cell in cells]
    if names and names[0].startswith("\ufeff"):
        names[0] = names[0][1:]
    found: dict[str, int] = {}
    for name in (*wanted, *optional):
        if names.count(name) > 1:
            raise FormatError(f"the header names column `{name}` twice", hint="keep one column of each name")
        if name in names:
            found[name] = names.index(name)
    missing = [name for name in wanted if name not in found]
    if missing:
        raise FormatError(
            f"the header has no {', '.join(f'`{m}`' for m in missing)} column",
            hint=f"the first row names the columns: {','.join(wanted)} (any order)",
        )
    return found


# -- the events file -----------------------------------------------------------


def read(raw: IO[bytes], path: str, calloffs: Collection[str], cutoff: date) -> EventsFile:
    """The events in ``raw`` dated on or before ``cutoff``, for the call-offs named, and the findings."""
    reader = _Reader(path, frozenset(calloffs), cutoff)
    try:
        _refuse_large(raw)
        reader.run(rows(raw))
    except FormatError as error:
        finding = Finding("events-format", str(error), line=error.line, hint=error.hint)
        return EventsFile((), (EventFinding(path, finding),))
    return EventsFile(tuple(reader.events), tuple(reader.findings))


class _Reader:
    """The row rules, with caches so a million rows share their dates and ids."""

    def __init__(self, path: str, calloffs: frozenset[str], cutoff: date) -> None:
        self.path, self.calloffs, self.cutoff = path, calloffs, cutoff
        self.events: list[Event] = []
        self.findings: list[EventFinding] = []
        self.days: dict[str, date | None] = {}
        self.names: dict[str, str] = {}
        self.people: dict[str, str] = {}
        self.hints: dict[tuple[str, str], str] = {}
        self.known = {calloff: calloff for calloff in calloffs}

    def run(self, numbered: Iterator[tuple[int, list[str]]]) -> None:
        first = next(numbered, None)
        if first is None:
            raise FormatError("the file is empty", hint="the first row names the columns: " + ",".join(COLUMNS))
        columns = header(first[1], COLUMNS, OPTIONAL)
        at = [columns[name] for name in COLUMNS]
        evidence = columns.get("evidence")
        width = max(columns.values()) + 1
        # The hot loop (a million rows), so longer than most: the common row (a date seen before, a call-off
        # given, a plain reference seen before, an event's name) is taken here with local names and no call;
        # any other row goes through `row`, which applies every rule.
        days, known, people, names = self.days, self.known, self.people, self.names
        cutoff, path, take, new = self.cutoff, self.path, self.events.append, tuple.__new__
        pick = itemgetter(*at)
        count = 0
        for line, cells in numbered:
            if len(cells) < width and (not cells or cells == [""]):
                continue
            count += 1
            if count > MAX_ROWS:
                raise FormatError("more than 1,000,000 rows", line, "split the events into several files")
            if len(cells) < width:
                self._short(line, cells, width, at[0], at[1])
                continue
            calloff, participant, event, text = pick(cells)
            note = cells[evidence] if evidence is not None else ""
            day, owner, person = days.get(text), known.get(calloff), people.get(participant)
            if day is not None and owner is not None and person and event in _EVENTS:
                if day <= cutoff:
                    take(new(Event, (owner, person, event, day, names.setdefault(note, note), path, line)))
            else:
                self.row(line, calloff, participant, event, text, note)

    def row(self, line: int, calloff: str, participant: str, event: str, text: str, evidence: str) -> None:
        day = self.days.get(text, _UNSEEN)
        if day is _UNSEEN:
            day = self._day(text)
        if day is None:
            hint = "write dates as YYYY-MM-DD"
            message = f"`{_clip(text)}` is not a date from 2000-01-01 to 2099-12-31"
            self._problem("type", line, message, hint, calloff, participant)
            return
        if day > self.cutoff:
            return
        known, person = self.known.get(calloff), self.people.get(participant)
        if person is None:
            person = self._person(participant)
        if known is not None and person and event in _EVENTS:
            names = self.names
            self.events.append(Event(known, person, event, day, names.setdefault(evidence, evidence), self.path, line))
        elif self._checked(line, calloff, participant, event):
            self.events.append(Event(calloff, participant, event, day, evidence, self.path, line))

    def _person(self, participant: str) -> str:
        """The reference, shared by its rows, or "" when it is not a plain one (checked row by row)."""
        plain = participant.strip() and not _NI_START.match(participant) and not _UNSAFE_REFERENCE.search(participant)
        person = participant if plain else ""
        if len(self.people) < MAX_ROWS:
            self.people[participant] = person
        return person

    def _short(self, line: int, cells: list[str], width: int, calloff_at: int, participant_at: int) -> None:
        """A row with too few cells; the participant it names, when it names one, is withheld."""
        calloff = cells[calloff_at] if calloff_at < len(cells) else ""
        participant = cells[participant_at] if participant_at < len(cells) and calloff in self.calloffs else ""
        message = f"the row has {len(cells)} cells; the header has {width}"
        self._problem("events-format", line, message, None, calloff, participant if participant.strip() else "")

    def _checked(self, line: int, calloff: str, participant: str, event: str) -> bool:
        """The row rules; False when the row cannot be taken (an NI-shaped row is taken, and withheld)."""
        if _NI_NUMBER.fullmatch(participant.strip()):
            self._problem(
                "personal-data",
                line,
                f"participant `{masked(participant)}` is shaped like a National Insurance number",
                "use the provider's own reference, never an NI number",
                calloff,
                participant,
            )
        if _UNSAFE_REFERENCE.search(participant):
            self._problem(
                "type",
                line,
                f"participant `{_clip(participant)}` starts like a spreadsheet formula or holds a control character",
                "use letters, digits and hyphens, e.g. P-001",
                calloff,
                participant,
            )
        if calloff not in self.calloffs:
            self._problem(
                "unknown-calloff",
                line,
                f"call-off `{_clip(calloff)}` is not among the call-offs given",
                self._nearest(calloff, self.calloffs, "give its call-off file too"),
            )
            return False
        if not participant.strip():
            self._problem("events-format", line, "the row has no participant reference", None, calloff)
            return False
        if event not in EVENTS:
            self._problem(
                "unknown-event",
                line,
                f"`{_clip(event)}` is not an event",
                self._nearest(event, EVENTS, "events: " + ", ".join(EVENTS)),
                calloff,
                participant,
            )
            return False
        return True

    def _nearest(self, text: str, choices: Collection[str], otherwise: str) -> str:
        """The hint for a name not known, worked out once per distinct name (a file may repeat one a million times)."""
        key = (otherwise, text[:100])
        hint = self.hints.get(key)
        if hint is None:
            hint = suggest(text[:100], sorted(choices)) or otherwise
            if len(self.hints) < 10_000:
                self.hints[key] = hint
        return hint

    def _day(self, text: str) -> date | None:
        if text in self.days:
            return self.days[text]
        day = parse_day(text)
        if len(self.days) < 100_000:  # a file of a century of dates fits; a hostile one stays bounded
            self.days[text] = day
        return day

    def _problem(
        self, rule: str, line: int, message: str, hint: str | None = None, calloff: str = "", participant: str = ""
    ) -> None:
        finding = Finding(rule, message, line=line, hint=hint)
        self.findings.append(EventFinding(self.path, finding, calloff, participant))


def _clip(text: str) -> str:
    return clipped(text, 60)
