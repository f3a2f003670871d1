"""Semantic rules of SPEC §3 for one file: ``fn(doc) -> list[Finding]``.

The rules read the document as written (not the model), so one malformed
field never hides the other problems in a file: a value that does not parse is
skipped here because the schema check has already reported it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import cached_property
from typing import Any

from .calloff import calloff_terms
from .findings import Finding
from .models import EVIDENCE_QUESTIONS, ISO_DATE
from .money import AmountError, display_money, parse_decimal
from .offerprose import dwp_relationship, grant_language, prose_fields
from .panels import panel_rules
from .reference import Category, Reference, Routeway, provision_key
from .yamlsource import Path, Source, dotted

THIN_EVIDENCE_WORDS = 30


@dataclass
class Doc:
    """One parsed file as the rules see it."""

    source: Source
    data: dict[str, Any]
    ref: Reference
    typo_for: set[Path] = field(default_factory=set)  # missing fields explained by a typo

    def finding(self, rule: str, path: Path, message: str, hint: str | None = None) -> Finding:
        at = self.source.position(path)
        return Finding(rule, message, field=dotted(path), line=at.line, column=at.column, hint=hint)

    def get(self, *path: str) -> Any:
        value: Any = self.data
        for part in path:
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    def absent(self, *path: str) -> bool:
        """Missing (or null) and not explained by a misspelt key."""
        return self.get(*path) is None and tuple(path) not in self.typo_for

    @cached_property
    def prose(self) -> list[tuple[Path, str]]:
        return prose_fields(self.data)

    @cached_property
    def prose_text(self) -> str:
        return "\n\n".join(text for _, text in self.prose)

    @cached_property
    def provision(self) -> Category | Routeway | None:
        """The offer's category or routeway, when exactly one valid one is given."""
        category, routeway = self.get("category"), self.get("routeway")
        if (category is None) == (routeway is None):
            return None
        key = category if category is not None else routeway
        if isinstance(key, bool) or not isinstance(key, (int, str)):
            return None
        found = self.ref.provision(key)
        if found is None or isinstance(found, Routeway) != (routeway is not None):
            return None
        return found


def _number(value: Any, places: int = 2) -> Decimal | None:
    try:
        return parse_decimal(value, places=places)
    except AmountError:
        return None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else None


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


# -- offers -------------------------------------------------------------------


def provision_choice(doc: Doc) -> list[Finding]:
    has_category = "category" in doc.data or ("category",) in doc.typo_for
    has_routeway = "routeway" in doc.data or ("routeway",) in doc.typo_for
    if has_category and has_routeway:
        return [
            doc.finding(
                "provision-choice",
                ("routeway",),
                "an offer is for one category or one routeway, and this gives both",
                "keep `routeway:` if the provision spans categories, otherwise keep `category:`",
            )
        ]
    if not has_category and not has_routeway:
        return [
            doc.finding(
                "provision-choice",
                (),
                "the offer names neither a category nor a routeway",
                "add `category: N` (1-8) or `routeway: RN` (R1-R5); `dps categories` lists them",
            )
        ]
    return []


def dates_order(doc: Doc) -> list[Finding]:
    start, until = doc.get("available", "from"), doc.get("available", "until")
    if (
        isinstance(start, str)
        and isinstance(until, str)
        and ISO_DATE.fullmatch(start)
        and ISO_DATE.fullmatch(until)
        and start > until
    ):
        return [
            doc.finding(
                "dates-order",
                ("available", "from"),
                f"available from {start} is after available until {until}",
                "swap the two dates, or correct the year",
            )
        ]
    return []


def below_target(doc: Doc) -> list[Finding]:
    provision = doc.provision
    performance = doc.get("performance")
    if performance is None:
        if not doc.absent("performance"):
            return []
        needed = "completion" + "".join(
            f", {m} ≥ {_pct(t)}" for m, t in (provision.targets if provision else {}).items()
        )
        return [
            doc.finding(
                "below-target",
                ("performance",),
                "the performance commitments are missing",
                f"add a `performance:` block with {needed}",
            )
        ]
    if not isinstance(performance, dict):
        return []
    findings = []
    if performance.get("completion") is None and ("performance", "completion") not in doc.typo_for:
        findings.append(
            doc.finding(
                "below-target",
                ("performance", "completion"),
                "the completion rate is missing; every offer commits to one",
                "add `completion: N` (the % of starters who will complete)",
            )
        )
    if provision is not None:
        findings += _target_findings(doc, performance, provision)
    return findings


def _target_findings(doc: Doc, performance: dict[str, Any], provision: Category | Routeway) -> list[Finding]:
    results = []  # (measure, committed or None, target)
    for measure, target in provision.targets.items():
        raw = performance.get(measure)
        committed = _number(raw)
        if raw is not None and (committed is None or not 0 <= committed <= 100):
            return []  # reported by the schema check
        if ("performance", measure) not in doc.typo_for:
            results.append((measure, committed, target))
    if provision.targets_rule == "any":
        if any(c is not None and c >= t for _, c, t in results) or not results:
            return []
        wanted = " and/or ".join(f"{m} ≥ {_pct(t)}" for m, _, t in results)
        return [
            doc.finding(
                "below-target",
                ("performance",),
                f"{provision.label} needs {wanted}; none is committed at its target",
                "commit at least one of these measures at its target",
            )
        ]
    return [_one_target(doc, provision, *result) for result in results if result[1] is None or result[1] < result[2]]


def _one_target(
    doc: Doc, provision: Category | Routeway, measure: str, committed: Decimal | None, target: Decimal
) -> Finding:
    base = doc.ref.measures[measure].base
    path = ("performance", measure)
    if committed is None:
        return doc.finding(
            "below-target",
            path,
            f"{provision.label} targets {measure} at {_pct(target)} of {base}, and the offer commits to none",
            f"add `{measure}: {target.normalize():f}` (or more) under `performance:`",
        )
    return doc.finding(
        "below-target",
        path,
        f"{measure} {_pct(committed)} is under the {provision.label} target of {_pct(target)} of {base}",
        f"commit to at least {_pct(target)}, or choose a provision whose target you can meet",
    )


def missing_evidence(doc: Doc) -> list[Finding]:
    evidence = doc.get("evidence")
    if evidence is None:
        if not doc.absent("evidence"):
            return []
        return [
            doc.finding(
                "missing-evidence",
                ("evidence",),
                "the answers to the four evaluation questions are missing",
                f"add an `evidence:` block answering {', '.join(EVIDENCE_QUESTIONS)}",
            )
        ]
    if not isinstance(evidence, dict):
        return []
    return [
        doc.finding(
            "missing-evidence",
            ("evidence", question),
            f"no answer to evaluation question {number} ({question.replace('_', ' ')})",
            "an offer with a question unanswered cannot score; answer each question",
        )
        for number, question in enumerate(EVIDENCE_QUESTIONS, 1)
        if _blank(evidence.get(question)) and ("evidence", question) not in doc.typo_for
    ]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def thin_evidence(doc: Doc) -> list[Finding]:
    evidence = doc.get("evidence")
    if not isinstance(evidence, dict):
        return []
    findings = []
    for question in EVIDENCE_QUESTIONS:
        answer = evidence.get(question)
        if isinstance(answer, str) and answer.strip() and len(answer.split()) < THIN_EVIDENCE_WORDS:
            findings.append(
                doc.finding(
                    "thin-evidence",
                    ("evidence", question),
                    f"the answer is {len(answer.split())} words; "
                    f"under {THIN_EVIDENCE_WORDS} rarely convinces evaluators",
                    "say what you will do, how, and what evidence backs it",
                )
            )
    return findings


def missing_employer_links(doc: Doc) -> list[Finding]:
    provision = doc.provision
    if provision is None or "job_outcome" not in provision.targets:
        return []
    links = doc.get("employer_links")
    if (links is None and not doc.absent("employer_links")) or (links is not None and links != []):
        return []  # a misspelt key, or links given (their shape is the schema's business)
    return [
        doc.finding(
            "missing-employer-links",
            ("employer_links",),
            f"{provision.label} targets job outcomes, and the offer names no employer links",
            "add `employer_links:` with each employer and what it commits to (interviews, placements, jobs)",
        )
    ]


def missing_outcomes(doc: Doc) -> list[Finding]:
    outcomes = doc.get("expected_outcomes")
    if outcomes is None and not doc.absent("expected_outcomes"):
        return []
    if outcomes is None or (isinstance(outcomes, list) and all(_blank(o) for o in outcomes)):
        return [
            doc.finding(
                "missing-outcomes",
                ("expected_outcomes",),
                "the offer does not state its expected outcomes",
                "add `expected_outcomes:`, e.g. `- 30 of 60 participants in work within 13 weeks of completing`",
            )
        ]
    return []


def skills_contract_value(doc: Doc) -> list[Finding]:
    provision = doc.provision
    if not isinstance(provision, Category) or provision.alone_contract_value_over is None:
        return []
    capacity, price = _count(doc.get("capacity")), _number(doc.get("price_per_participant"))
    threshold = provision.alone_contract_value_over
    if capacity is None or price is None or price <= 0 or capacity * price > threshold:
        return []
    return [
        doc.finding(
            "skills-contract-value",
            ("price_per_participant",),
            f"capacity {capacity} × {display_money(price)} = {display_money(capacity * price)}, not over "
            f"{display_money(threshold)}: {provision.label} alone needs a larger contract",
            "raise the capacity or price, or offer the course within a routeway that includes skills (R2, R4)",
        )
    ]


# -- business cases -----------------------------------------------------------


def budget_too_small(doc: Doc) -> list[Finding]:
    accepts, budget = doc.get("accepts"), _number(doc.get("budget"))
    if not isinstance(accepts, list) or budget is None:
        return []
    keys = {provision_key(a) for a in accepts}
    skills = [c for c in doc.ref.categories.values() if c.alone_contract_value_over is not None]
    findings = []
    for category in skills:
        threshold = category.alone_contract_value_over
        if keys == {category.key} and threshold is not None and budget <= threshold:
            findings.append(
                doc.finding(
                    "budget-too-small",
                    ("budget",),
                    f"only {category.label} is accepted and the budget {display_money(budget)} is not over "
                    f"{display_money(threshold)}, so no offer can be eligible",
                    "raise the budget, or also accept a routeway that includes skills (R2, R4)",
                )
            )
    return findings


SOCIAL_VALUE_SHARE = Decimal("0.10")  # PPN 06/20 and PPN 002: at least 10% of the total weighting


def social_value_weight(doc: Doc) -> list[Finding]:
    """Social value weighted above 0 but under 10% of the sum of the weights (defaults for those not given)."""
    weights = doc.get("evaluation", "weights")
    if not isinstance(weights, dict) or weights.get("social_value") is None:
        return []
    defaults = {"quality": Decimal(60), "fit": Decimal(10), "price": Decimal(30), "social_value": Decimal(0)}
    values = [_number(weights[n]) if weights.get(n) is not None else d for n, d in defaults.items()]
    if any(v is None or not 0 <= v <= 100 for v in values):
        return []  # the schema check reports a bad weight
    *others, social = (v for v in values if v is not None)
    whole = sum(others, social)
    if social <= 0 or social >= SOCIAL_VALUE_SHARE * whole:
        return []
    enough = (sum(others, Decimal(0)) / 9).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
    share = (social * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    return [
        doc.finding(
            "social-value-weight",
            ("evaluation", "weights", "social_value"),
            f"social value weighs {social.normalize():f} of {whole.normalize():f}, "
            f"{share}% of the total weighting: under 10%",
            f"policy (PPN 06/20, PPN 002) expects at least 10%: with the other weights as they are, "
            f"`social_value: {enough.normalize():f}` or more",
        )
    ]


RuleFn = Callable[[Doc], list[Finding]]
RULES_BY_KIND: dict[str, tuple[RuleFn, ...]] = {
    "offer": (
        provision_choice,
        dates_order,
        below_target,
        missing_evidence,
        thin_evidence,
        missing_employer_links,
        missing_outcomes,
        skills_contract_value,
        dwp_relationship,
        grant_language,
    ),
    "business-case": (budget_too_small, social_value_weight),
    "evaluations": (panel_rules,),
    "call-off": (calloff_terms,),
}


def check(kind: str, doc: Doc) -> list[Finding]:
    return [finding for rule in RULES_BY_KIND[kind] for finding in rule(doc)]
