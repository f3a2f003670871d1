"""Who stands where in each measure (SPEC §9): achieved, open, missed, or outside the base. Pure.

A participant's state in a measure as of the cut-off, from their
:class:`.milestones.Progress`: "achieved" exactly when the derivation says so
(the one ``dps claims`` pays from); "missed" as soon as the measure can no
longer be achieved whatever happens next; "open" otherwise; ``None`` outside
the measure's base. The choices SPEC leaves open are in docs/performance.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Literal

from .milestones import Progress, Rules

State = Literal["achieved", "open", "missed"]


class Judge:
    """Each participant's state in each measure, as of the cut-off (SPEC §9)."""

    def __init__(self, rules: Rules, as_of: date) -> None:
        self.rules = rules
        self.as_of = as_of
        outcome = rules.outcome
        self.needed = outcome.weeks_in_work * 7 if outcome is not None else 0

    def state(self, measure: str, person: Progress) -> State | None:
        """``None``: outside the measure's base."""
        return self.of(measure)(person)

    def of(self, measure: str) -> Callable[[Progress], State | None]:
        """The state function of one measure (looked up once per call-off, called once per participant)."""
        if measure == "completion":
            return _completion
        if measure in ("action_plan", "sj_outcome"):
            return partial(_completers, measure)
        if measure in _SIGNERS:
            return partial(self._signers, measure)
        return self._job_outcome

    def _job_outcome(self, person: Progress) -> State:
        if "job_outcome" in person.achieved:
            return "achieved"
        if "leaver" in person.dates:
            return "missed"
        if person.window is None:
            return "open"  # not completed yet (or no window rule): may still complete and find work
        return "missed" if self._out_of_time(person.worked, person.window) else "open"

    def _out_of_time(self, worked: Sequence[tuple[date, date]], window: tuple[date, date]) -> bool:
        """Fewer days remain in the window after the cut-off than the participant still needs."""
        first, last = window
        remaining = (last - max(self.as_of, first - _DAY)).days
        if remaining <= 0:
            return True
        continuous = self.rules.outcome is not None and self.rules.outcome.continuous
        have = 0
        for start, end in worked:
            start, end = max(start, first), min(end, last, self.as_of)
            if start > end:
                continue
            if continuous:
                have = (end - start).days + 1 if end == self.as_of else 0  # only a run still going can grow
            else:
                have += (end - start).days + 1
        return remaining < self.needed - have

    def _signers(self, measure: str, person: Progress) -> State | None:
        """A participant signs while on the provision: once they complete or leave unsigned, they never will."""
        dates = person.dates
        signed = dates.get("mentoring_agreement")
        ended = dates.get("completion") or dates.get("leaver")
        if signed is not None and ended is not None and signed > ended:
            signed = None  # signed after leaving the provision: not counted (as an action plan after completion)
        if signed is None:
            if ended is None:
                return "open"
            return "missed" if measure == "mentoring_agreement" else None  # outside the signers
        if measure == "mentoring_agreement" or measure in person.achieved:
            return "achieved"
        weeks = self.rules.in_work_weeks
        return "missed" if weeks is not None and signed + timedelta(weeks=weeks) <= self.as_of else "open"


_SIGNERS = ("mentoring_agreement", "in_work_13_weeks")


def _completion(person: Progress) -> State:
    if "completion" in person.achieved:
        return "achieved"
    return "missed" if "leaver" in person.dates else "open"


def _completers(measure: str, person: Progress) -> State | None:
    """Completers-based: a leaver is outside the base; a starter who may still complete is open."""
    if measure in person.achieved:
        return "achieved"
    dates = person.dates
    if "leaver" in dates:
        return None
    return "missed" if "completion" in dates else "open"


_DAY = timedelta(days=1)
