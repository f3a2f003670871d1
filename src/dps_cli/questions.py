"""The evaluation questions and the marking scale (SPEC §2, §4): their ids, order and wording.

The four questions are the slides' "evaluation questions"; the fifth, social
value, is the commissioning strategy's fifth aim, marked only when a business
case weights it.
"""

from __future__ import annotations

from .models import EVIDENCE_QUESTIONS, QUESTIONS, SOCIAL_VALUE

FOUR: tuple[str, ...] = EVIDENCE_QUESTIONS
ALL: tuple[str, ...] = QUESTIONS  # the four, then social value
__all__ = ["ALL", "FOUR", "HIGHEST", "LOWEST", "SCALE", "SOCIAL_VALUE", "TEXT", "asked"]
TEXT = {
    "fit": "Overall fit of provision content",
    "closer_to_work": "Evidence that the provision will move claimants closer to work",
    "performance_rationale": "Performance expectations and robustness of supporting rationale",
    "performance_management": "Evidence that adequate performance management systems are in place",
    SOCIAL_VALUE: (
        "Social value over and above the provision: new business, jobs and skills, "
        "tackling workforce inequality, closing the disability employment gap"
    ),
}
SCALE = ((0, "unacceptable"), (1, "poor"), (2, "satisfactory"), (3, "good"), (4, "excellent"))
LOWEST, HIGHEST = SCALE[0][0], SCALE[-1][0]


def asked(social_value: bool) -> tuple[str, ...]:
    """The questions marked: the four, and social value when the business case weights it."""
    return ALL if social_value else FOUR
