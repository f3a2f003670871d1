"""Findings: the problems found in user files, as data, and every rule id once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str


_E, _W = Severity.ERROR, Severity.WARNING

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("unreadable", _E, "file not UTF-8, larger than 1 MiB, or empty"),
        Rule("yaml-syntax", _E, "not valid YAML, more than one document, or not a mapping"),
        Rule("yaml-aliases", _E, "aliases that would expand past a safe bound"),
        Rule("duplicate-key", _E, "a mapping repeats a key"),
        Rule("unknown-kind", _E, "`kind` missing or not offer / business-case / evaluations / call-off"),
        Rule("required", _E, "a required field is missing"),
        Rule("type", _E, "wrong type or format"),
        Rule("unknown-field", _E, "a field the schema does not know"),
        Rule("range", _E, "number out of range"),
        Rule("unknown-provision", _E, "category or routeway not in the reference data"),
        Rule("provision-choice", _E, "an offer gives both or neither of category / routeway"),
        Rule("unknown-area", _E, "not a postcode area, district or `national`"),
        Rule("unknown-client-group", _E, "not in the client-group vocabulary"),
        Rule("dates-order", _E, "`available.from` after `available.until`"),
        Rule("below-target", _E, "a performance commitment under its target, or missing"),
        Rule("missing-evidence", _E, "one of the four evidence answers missing or blank"),
        Rule("thin-evidence", _W, "an evidence answer under 30 words"),
        Rule("missing-employer-links", _E, "no employer links where targets include job outcomes"),
        Rule("missing-outcomes", _E, "no expected outcomes stated"),
        Rule("several-courses", _E, "more than one course in one offer"),
        Rule("skills-contract-value", _E, "category 6 alone and contract value not over £50,000"),
        Rule("dwp-relationship", _W, "prose dwells on past good relationships with DWP"),
        Rule("grant-language", _W, "reads like an application for grant funding"),
        Rule("duplicate-id", _E, "two files in one run share an id"),
        Rule("generic-offer", _W, "one supplier's near-identical offer in 3+ provisions"),
        Rule("budget-too-small", _W, "category 6 alone accepted with a budget ≤ £50,000"),
        Rule("calloff-terms", _E, "a call-off's frozen terms disagree with themselves"),
        # Evaluation panels and social value (SPEC §10, §4).
        Rule("panel-incomplete", _E, "an evaluator gave no marks for an offer with a consensus, or the reverse"),
        Rule("consensus-reason", _E, "a consensus mark the evaluators did not all give has no reason"),
        Rule("consensus-range", _W, "a consensus mark outside the evaluators' lowest and highest"),
        Rule("unknown-evaluator", _E, "`individual` names someone not in `evaluators`"),
        Rule("social-value-weight", _W, "social value weighted above 0 but under 10% of the weights"),
        # Events and claims (SPEC §8): path is the events or ledger file, line its CSV line.
        Rule("events-format", _E, "not CSV, not UTF-8, a required column missing, too many rows or too large"),
        Rule("unknown-event", _E, "an event name not in the list"),
        Rule("unknown-calloff", _E, "a call-off id not among the call-offs given"),
        Rule("duplicate-event", _E, "a second start, completion, leaver, ... for one participant, or a row twice"),
        Rule("event-order", _E, "an event before the start, completion and leaver both, a job_end with no spell"),
        Rule("personal-data", _E, "a participant reference shaped like a National Insurance number"),
        Rule("over-contract", _W, "a starter beyond the contracted number"),
        Rule("unsupported-claim", _E, "a ledger line whose milestone the events do not support"),
        Rule("fee-mismatch", _E, "a ledger fee that is not the call-off's fee"),
        Rule("duplicate-claim", _E, "the same call-off, participant and milestone twice in the ledger"),
    )
}

EVENT_RULES = frozenset(
    {"events-format", "unknown-event", "unknown-calloff", "duplicate-event", "event-order", "personal-data"}
    | {"over-contract", "unsupported-claim", "fee-mismatch", "duplicate-claim"}
)
"""The rules of events and ledger files (SPEC §8), not of YAML files; `type` is shared."""


@dataclass(frozen=True)
class Finding:
    """One problem at one place in one file (line and column are 1-based)."""

    rule: str
    message: str
    field: str = ""
    line: int = 1
    column: int = 1
    hint: str | None = None

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown rule id {self.rule!r}")

    @property
    def severity(self) -> Severity:
        return RULES[self.rule].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.line, self.column, self.rule, self.field)
