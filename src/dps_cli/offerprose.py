"""The offer's free text, and the two rules that read it as prose (SPEC §3).

`dwp-relationship` and `grant-language` read what a supplier wrote, sentence by
sentence; `generic-offer` (crossfile.py) compares the same text across offers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .findings import Finding, clipped
from .yamlsource import Path

if TYPE_CHECKING:
    from .rules import Doc


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
_DWP = re.compile(r"\b(DWP|Jobcentre|JCP)\b", re.IGNORECASE)
_RELATIONSHIP = re.compile(r"\b(relationships?|partnerships?|worked with|delivered for)\b", re.IGNORECASE)
_GRANT = re.compile(
    r"\bgrants?\b|\bcontinuation funding\b|\bcore costs\b|\bextend our existing provision\b|\bcontinue to fund\b",
    re.IGNORECASE,
)
_GRANT_WORDS = ("grant", "continuation funding", "core costs", "extend our existing provision", "continue to fund")
_PROSE = ("title", "journey", "innovation", "expected_outcomes", "social_value", "evidence")


def prose_fields(data: dict[str, Any]) -> list[tuple[Path, str]]:
    """The offer's free text with where each piece is, in field order."""
    parts: list[tuple[Path, str]] = []
    for name in _PROSE:
        value = data.get(name)
        if isinstance(value, str):
            parts.append(((name,), value))
        elif isinstance(value, dict):
            parts += [((name, key), item) for key, item in value.items() if isinstance(item, str)]
        elif isinstance(value, list):
            parts += [((name, i), item) for i, item in enumerate(value) if isinstance(item, str)]
    return parts


def prose(data: dict[str, Any]) -> str:
    return "\n\n".join(text for _, text in prose_fields(data))


def dwp_relationship(doc: Doc) -> list[Finding]:
    if not _DWP.search(doc.prose_text):  # the common case, decided in one scan
        return []
    sentences = [
        (path, sentence)
        for path, text in doc.prose
        for sentence in _SENTENCE.split(text)
        if _DWP.search(sentence) and _RELATIONSHIP.search(sentence)
    ]
    if len(sentences) < 2:
        return []
    path, first = sentences[0]
    return [
        doc.finding(
            "dwp-relationship",
            path,
            f"{len(sentences)} sentences dwell on past relationships with DWP, e.g. “{_clip(first)}”",
            "evaluators score what this provision will deliver; describe the provision, not past relationships",
        )
    ]


def grant_language(doc: Doc) -> list[Finding]:
    lowered = doc.prose_text.lower()
    if not any(word in lowered for word in _GRANT_WORDS):  # the common case, decided cheaply
        return []
    found = [(path, m.group(0).lower()) for path, text in doc.prose for m in _GRANT.finditer(text)]
    if len(found) < 2:
        return []
    phrases = sorted({phrase for _, phrase in found})
    return [
        doc.finding(
            "grant-language",
            found[0][0],
            f"reads like a grant application ({', '.join(phrases)})",
            "an offer sells a provision at a price per participant; it does not ask for funding to continue",
        )
    ]


def _clip(text: str) -> str:
    return clipped(" ".join(text.split()), 60)  # a sentence quoted on one line
