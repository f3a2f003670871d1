"""Rules that look across the files of one run: duplicate-id and generic-offer.

Both are near-linear in the number of files, whatever the files hold:

- ``duplicate-id`` builds each file's message from the first few names of its
  id's list, never from a list of all the others;
- ``generic-offer`` groups identical prose by a digest, finds candidate pairs
  through an index of each offer's rarest word 3-shingles (prefix filtering:
  no pair at or over the threshold is missed), and checks candidates exactly.
  Each offer looks at no more than ``MAX_SCANNED`` index entries and compares
  itself exactly with no more than ``MAX_COMPARED`` offers, so an adversarial
  supplier cannot make the work quadratic (see docs/rules.md).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .findings import Finding

GENERIC_PROVISIONS = 3
SHINGLE = 3  # words
MAX_SCANNED = 256  # index entries one offer looks at
MAX_COMPARED = 32  # exact comparisons one offer makes
SHOWN = 3  # other files named in a message
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Entry:
    """What the cross-file rules need of one file: all a batch keeps of its source."""

    name: str
    kind: str
    id: str | None
    at: tuple[int, int]  # line and column of the id (or of where it is missing)
    supplier: str | None = None
    provision: str | None = None
    text: str = ""


def duplicate_ids(entries: Sequence[Entry]) -> dict[int, list[Finding]]:
    """Findings by entry index: every file that shares an id with another."""
    by_id: dict[str, list[int]] = defaultdict(list)
    for index, entry in enumerate(entries):
        if entry.id:
            by_id[entry.id].append(index)
    out: dict[int, list[Finding]] = defaultdict(list)
    for identifier, indexes in by_id.items():
        if len(indexes) < 2:
            continue
        head = indexes[: SHOWN + 1]
        for index in indexes:
            line, column = entries[index].at
            out[index].append(
                Finding(
                    "duplicate-id",
                    f"id {identifier} is also used by {_others(entries, head, len(indexes), index)}",
                    field="id",
                    line=line,
                    column=column,
                    hint="give each offer and business case an id of its own",
                )
            )
    return out


def generic_offers(entries: Sequence[Entry]) -> dict[int, list[Finding]]:
    """One supplier's near-identical offer in three or more provisions."""
    by_supplier: dict[str, list[int]] = defaultdict(list)
    for index, entry in enumerate(entries):
        if entry.kind == "offer" and entry.supplier and entry.provision:
            by_supplier[" ".join(entry.supplier.lower().split())].append(index)
    out: dict[int, list[Finding]] = defaultdict(list)
    for indexes in by_supplier.values():
        if len({entries[i].provision for i in indexes}) < GENERIC_PROVISIONS:
            continue
        for group in similar_groups([entries[i].text for i in indexes]):
            members = [indexes[i] for i in group]
            provisions = sorted({entries[i].provision or "" for i in members}, key=_provision_order)
            if len(provisions) < GENERIC_PROVISIONS:
                continue
            head = members[: SHOWN + 1]
            for index in members:
                out[index].append(_generic_finding(entries, index, (head, len(members)), provisions))
    return out


def _generic_finding(
    entries: Sequence[Entry], index: int, group: tuple[list[int], int], provisions: list[str]
) -> Finding:
    head, size = group
    return Finding(
        "generic-offer",
        f"near-identical offers from {entries[index].supplier} in {len(provisions)} provisions "
        f"({', '.join(provisions)}); see {_others(entries, head, size, index)}",
        hint="tailor each offer to its category's content and client groups, or offer one routeway",
    )


def _others(entries: Sequence[Entry], head: list[int], size: int, index: int) -> str:
    """The names of a list's members other than ``index``, from the list's first few: O(1)."""
    shown = [entries[i].name for i in head if i != index][:SHOWN]
    rest = size - 1 - len(shown)
    return ", ".join(shown) if rest <= 0 else f"{', '.join(shown)} and {rest:,} more"


def _provision_order(key: str) -> tuple[int, str]:
    return (0, key.zfill(3)) if key.isdigit() else (1, key)


# --- "80% the same": shared word 3-shingles ---------------------------------------------


def similar(a: frozenset[int], b: frozenset[int]) -> bool:
    """At least 80% the same: 2 × |A ∩ B| ≥ 0.8 × (|A| + |B|), A and B sets of word 3-shingles."""
    if len(a) > len(b):
        a, b = b, a
    if 3 * len(a) < 2 * len(b):  # Dice ≥ 0.8 needs the smaller set at least 2/3 of the larger
        return False
    return 5 * len(a & b) >= 2 * (len(a) + len(b))


def similar_groups(texts: Sequence[str]) -> list[list[int]]:
    """Connected groups (by position in ``texts``, each ascending) of texts at least 80% the same."""
    parent = list(range(len(texts)))
    firsts: dict[bytes, int] = {}
    distinct: list[int] = []
    shingled: list[frozenset[int]] = []
    number = _Numbering()
    for i, text in enumerate(texts):
        words = _WORD.findall(text.casefold())
        first = firsts.setdefault(_digest(words), i)
        if first != i:  # identical prose: one group, no comparison
            parent[i] = first
            continue
        distinct.append(i)
        shingled.append(_shingles(number(words)))
    local = list(range(len(distinct)))
    for a, b in _near_pairs(shingled, lambda a, b: _root(local, a) == _root(local, b)):
        _union(local, a, b)
        _union(parent, distinct[a], distinct[b])
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(texts)):
        groups[_root(parent, i)].append(i)
    return [g for g in groups.values() if len(g) > 1]


def _digest(words: list[str]) -> bytes:
    return hashlib.blake2b("\x1f".join(words).encode(), digest_size=16).digest()


class _Numbering:
    """Words to numbers: a new word takes the next number, one met before keeps its own.

    Numbers stay under 2**32 (that many words would not fit in memory), so three pack exactly.
    """

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._next = itertools.count()

    def __call__(self, words: list[str]) -> list[int]:
        return list(map(self._numbers.setdefault, words, self._next))


def _shingles(ids: list[int]) -> frozenset[int]:
    """A text's word 3-shingles, each packed into one int, the k-th repeat of one told apart."""
    if 0 < len(ids) < SHINGLE:  # a short text is one shingle of all its words, marked apart
        return frozenset([_pack(ids) | 1 << 100])
    shingles = [a << 64 | b << 32 | c for a, b, c in zip(ids, ids[1:], ids[2:], strict=False)]
    unique = frozenset(shingles)
    return unique if len(unique) == len(shingles) else _repeats_apart(shingles)


def _repeats_apart(shingles: list[int]) -> frozenset[int]:
    """The k-th occurrence of a shingle (from 0) as the shingle with k in the bits above its words."""
    counts = Counter(shingles)
    again = [shingle | k << 104 for shingle, n in counts.items() if n > 1 for k in range(1, n)]
    return frozenset(counts).union(again)


def _pack(ids: list[int]) -> int:
    value = 0
    for word in ids:
        value = value << 32 | word
    return value


def _near_pairs(sets: list[frozenset[int]], joined: Callable[[int, int], bool]) -> Iterable[tuple[int, int]]:
    """Pairs at least 80% the same, found through each set's rarest shingles (bounded per set).

    Lazy: ``joined`` (already in one group, so no need to compare) sees the pairs yielded so far.
    """
    frequency = Counter(itertools.chain.from_iterable(sets))
    index: dict[int, list[int]] = defaultdict(list)
    for b, shingles in enumerate(sets):
        prefix = _prefix(shingles, frequency)
        for a in _candidates(prefix, index):
            if not joined(a, b) and similar(sets[a], shingles):
                yield a, b
        for shingle in prefix:
            index[shingle].append(b)


def _prefix(shingles: frozenset[int], frequency: Counter[int]) -> list[int]:
    """The set's rarest shingles (by frequency, then value) that some other set also has.

    A shingle no other set has can match nothing, so it is neither looked up nor indexed;
    a set whose whole prefix is such shingles needs no sorting at all.
    """
    length = _prefix_length(len(shingles))
    if list(map(frequency.__getitem__, shingles)).count(1) >= length:
        return []
    order = sorted(shingles)
    order.sort(key=frequency.__getitem__)
    return [shingle for shingle in order[:length] if frequency[shingle] > 1]


def _prefix_length(size: int) -> int:
    """Two sets with Jaccard ≥ 2/3 (the same as Dice ≥ 0.8) share a shingle in these prefixes."""
    return size - (2 * size + 2) // 3 + 1 if size else 0


def _candidates(prefix: list[int], index: dict[int, list[int]]) -> list[int]:
    """Earlier sets sharing a prefix shingle: at most MAX_COMPARED of them, from MAX_SCANNED entries."""
    seen: dict[int, None] = {}
    scanned = 0
    for shingle in prefix:
        for a in index.get(shingle, ()):
            scanned += 1
            if scanned > MAX_SCANNED or len(seen) >= MAX_COMPARED:
                return list(seen)
            seen.setdefault(a)
    return list(seen)


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], a: int, b: int) -> None:
    ra, rb = _root(parent, a), _root(parent, b)
    parent[max(ra, rb)] = min(ra, rb)
