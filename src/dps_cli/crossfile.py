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
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
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


def similar(a: Collection[int], b: Collection[int]) -> bool:
    """At least 80% the same: 2 × |A ∩ B| ≥ 0.8 × (|A| + |B|), A and B sets of word 3-shingles."""
    small, large = sorted((len(a), len(b)))
    if 3 * small < 2 * large:  # Dice ≥ 0.8 needs the smaller set at least 2/3 of the larger
        return False
    whole, other = (b, a) if isinstance(b, frozenset) else (frozenset(a), b)
    return 5 * len(whole.intersection(other)) >= 2 * (small + large)


def similar_groups(texts: Sequence[str]) -> list[list[int]]:
    """Connected groups (by position in ``texts``, each ascending) of texts at least 80% the same.

    Each distinct text is held as its shingles' 8-byte fingerprints, and how many texts
    share a shingle is counted in a fixed table (:class:`_Counts`): memory is linear in
    the prose with a small constant, whatever one supplier sends.
    """
    parent = list(range(len(texts)))
    firsts: dict[bytes, int] = {}
    distinct: list[int] = []
    shingled: list[array[int]] = []
    number = _Numbering()
    for i, text in enumerate(texts):
        words = _WORD.findall(text.casefold())
        first = firsts.setdefault(_digest(words), i)
        if first != i:  # identical prose: one group, no comparison
            parent[i] = first
            continue
        distinct.append(i)
        shingled.append(_shingles(number(words)))
    counts = _Counts(shingled)
    local = list(range(len(distinct)))
    for a, b in _near_pairs(shingled, counts, lambda a, b: _root(local, a) == _root(local, b)):
        _union(local, a, b)
        _union(parent, distinct[a], distinct[b])
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(texts)):
        groups[_root(parent, i)].append(i)
    return [g for g in groups.values() if len(g) > 1]


def _digest(words: list[str]) -> bytes:
    return hashlib.blake2b("\x1f".join(words).encode(), digest_size=16).digest()


class _Numbering:
    """Words to numbers: a new word takes the next number, one met before keeps its own."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._next = itertools.count()

    def __call__(self, words: list[str]) -> list[int]:
        return list(map(self._numbers.setdefault, words, self._next))


class _Counts:
    """How many texts have each shingle, over-counted at worst: a table of one-byte counters.

    The table has two to four counters per shingle (at most 2**26, 64 MiB), so most shingles
    have one to themselves.  Two sharing a counter can only make a shingle look commoner
    than it is, which changes the order shingles are looked up in, never whether a pair
    at the threshold is found; a count of 1 is always exact.  Counts stop at 255.
    """

    def __init__(self, sets: list[array[int]]) -> None:
        bits = min(26, max(16, (2 * sum(map(len, sets))).bit_length()))
        self._mask = (1 << bits) - 1
        table = self._table = bytearray(1 << bits)
        mask = self._mask
        for shingles in sets:
            for shingle in shingles:
                slot = shingle & mask
                if table[slot] < 255:
                    table[slot] += 1

    def of(self, shingles: Iterable[int]) -> list[int]:
        return list(map(self._table.__getitem__, map(self._mask.__and__, shingles)))


def _shingles(ids: list[int]) -> array[int]:
    """A text's word 3-shingles as sorted 64-bit fingerprints, the k-th repeat of one told apart.

    A fingerprint is a hash of the three word numbers and k; two different shingles of one
    supplier's prose share one with a chance of about one in 10**19.
    """
    if 0 < len(ids) < SHINGLE:  # a short text is one shingle of all its words, marked apart
        return array("Q", [_fingerprint((-1, *ids))])
    triples = list(zip(ids, ids[1:], ids[2:], strict=False))
    unique = set(triples)
    keys: Iterable[tuple[int, ...]] = unique if len(unique) == len(triples) else _repeats_apart(triples)
    return array("Q", sorted(map(_fingerprint, keys)))


def _repeats_apart(triples: list[tuple[int, int, int]]) -> list[tuple[int, ...]]:
    """Each shingle once, and its k-th repeat (from 1) as the shingle with k."""
    counts = Counter(triples)
    return [*counts, *((*triple, k) for triple, n in counts.items() if n > 1 for k in range(1, n))]


def _fingerprint(key: tuple[int, ...]) -> int:
    return hash(key) & 0xFFFF_FFFF_FFFF_FFFF  # hashes of int tuples do not vary between runs


def _near_pairs(
    sets: list[array[int]], counts: _Counts, joined: Callable[[int, int], bool]
) -> Iterable[tuple[int, int]]:
    """Pairs at least 80% the same, found through each set's rarest shingles (bounded per set).

    Lazy: ``joined`` (already in one group, so no need to compare) sees the pairs yielded so far.
    Only shingles some other text also has are indexed, each with at most MAX_SCANNED texts,
    and with where it falls in its text's order (for :func:`_may_reach`).
    """
    index: dict[int, list[int]] = {}  # shingle: the sets having it in their prefix, as set << 32 | place
    for b, shingles in enumerate(sets):
        prefix = _prefix(shingles, counts)
        if not prefix:
            continue
        whole: frozenset[int] | None = None
        for a in _candidates(prefix, index, sets, len(shingles)):
            if not joined(a, b):
                whole = whole if whole is not None else frozenset(shingles)
                if similar(sets[a], whole):
                    yield a, b
        for position, shingle in prefix:
            listed = index.setdefault(shingle, [])
            if len(listed) < MAX_SCANNED:
                listed.append(b << 32 | position)


def _prefix(shingles: array[int], counts: _Counts) -> list[tuple[int, int]]:
    """The set's rarest shingles (by count, then value: ``shingles`` is sorted) that some other set has, with places.

    A shingle no other set has can match nothing, so it is neither looked up nor indexed;
    a set whose whole prefix is such shingles needs no sorting at all.
    """
    length = _prefix_length(len(shingles))
    seen = counts.of(shingles)
    if seen.count(1) >= length:
        return []
    order = sorted(range(len(shingles)), key=seen.__getitem__)[:length]  # stable: ties in value order
    return [(place, shingles[i]) for place, i in enumerate(order) if seen[i] > 1]


def _prefix_length(size: int) -> int:
    """Two sets with Jaccard ≥ 2/3 (the same as Dice ≥ 0.8) share a shingle in these prefixes."""
    return size - (2 * size + 2) // 3 + 1 if size else 0


def _candidates(
    prefix: list[tuple[int, int]], index: dict[int, list[int]], sets: list[array[int]], size: int
) -> list[int]:
    """Earlier sets sharing a prefix shingle that may reach the threshold: at most MAX_COMPARED of them.

    At most MAX_SCANNED index entries are looked at.
    """
    met: set[int] = set()
    chosen: list[int] = []
    scanned = 0
    for place, shingle in prefix:
        for entry in index.get(shingle, ()):
            a, its_place = entry >> 32, entry & 0xFFFF_FFFF
            scanned += 1
            if scanned > MAX_SCANNED or len(chosen) >= MAX_COMPARED:
                return chosen
            if a not in met:
                met.add(a)
                if _may_reach(len(sets[a]), its_place, size, place):
                    chosen.append(a)
    return chosen


def _may_reach(size_a: int, place_a: int, size_b: int, place_b: int) -> bool:
    """Can two sets whose first shared shingle (in the common order) is at these places be 80% the same?

    Neither shares anything before that place, so at most 1 + the fewer shingles after it
    are shared (positional filtering); Dice ≥ 0.8 needs 5 × shared ≥ 2 × (|A| + |B|).
    """
    return 5 * (1 + min(size_a - place_a, size_b - place_b) - 1) >= 2 * (size_a + size_b)


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], a: int, b: int) -> None:
    ra, rb = _root(parent, a), _root(parent, b)
    parent[max(ra, rb)] = min(ra, rb)
