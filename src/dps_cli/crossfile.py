"""Rules that look across the files of one run: duplicate-id and generic-offer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from .findings import Finding
from .yamlsource import Source

GENERIC_SIMILARITY = 0.8
GENERIC_PROVISIONS = 3


@dataclass(frozen=True)
class Entry:
    """What the cross-file rules need of one file."""

    name: str
    kind: str
    id: str | None
    source: Source
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
        for index in indexes:
            others = [entries[i].name for i in indexes if i != index]
            at = entries[index].source.position(("id",))
            out[index].append(
                Finding(
                    "duplicate-id",
                    f"id {identifier} is also used by {_names(others)}",
                    field="id",
                    line=at.line,
                    column=at.column,
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
        for group in _similar_groups(indexes, entries):
            provisions = sorted({entries[i].provision or "" for i in group}, key=_provision_order)
            if len(provisions) < GENERIC_PROVISIONS:
                continue
            for index in group:
                out[index].append(_generic_finding(entries, index, group, provisions))
    return out


def _generic_finding(entries: Sequence[Entry], index: int, group: list[int], provisions: list[str]) -> Finding:
    others = [entries[i].name for i in group if i != index]
    return Finding(
        "generic-offer",
        f"near-identical offers from {entries[index].supplier} in {len(provisions)} provisions "
        f"({', '.join(provisions)}); see {_names(others)}",
        hint="tailor each offer to its category's content and client groups, or offer one routeway",
    )


def _names(names: list[str], shown: int = 3) -> str:
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


def _provision_order(key: str) -> tuple[int, str]:
    return (0, key.zfill(3)) if key.isdigit() else (1, key)


def _similar_groups(indexes: list[int], entries: Sequence[Entry]) -> Iterable[list[int]]:
    """Connected groups of offers whose prose is at least 80% the same."""
    parent = {i: i for i in indexes}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a_pos, a in enumerate(indexes):
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(entries[a].text)
        for b in indexes[a_pos + 1 :]:
            if root(a) == root(b):
                continue
            matcher.set_seq1(entries[b].text)
            if (
                matcher.real_quick_ratio() >= GENERIC_SIMILARITY
                and matcher.quick_ratio() >= GENERIC_SIMILARITY
                and matcher.ratio() >= GENERIC_SIMILARITY
            ):
                parent[root(b)] = root(a)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in indexes:
        groups[root(i)].append(i)
    return [g for g in groups.values() if len(g) > 1]
