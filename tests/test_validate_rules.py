"""Rules at their boundaries, cross-file rules, and YAML edge cases."""

from __future__ import annotations

import time

import pytest

from dps_cli import yamlsource
from dps_cli.validate import check_file, check_files
from tests.conftest import DATA

BASE = (DATA / "valid" / "offer-category-7.yaml").read_text()


def offer(*pairs: tuple[str, str], base: str = BASE) -> bytes:
    text = base
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode()


def rules_of(content: bytes, ref) -> list[str]:
    return [f.rule for f in check_file(content, "x.yaml", ref).findings]


def test_rate_exactly_at_target_is_valid(ref):
    assert rules_of(offer(("job_outcome: 45", "job_outcome: 45.00")), ref) == []


def test_rate_a_hundredth_under_target_is_below(ref):
    assert rules_of(offer(("job_outcome: 45", "job_outcome: 44.99")), ref) == ["below-target"]


SKILLS = (("category: 7", "category: 6"), ("job_outcome: 45", "job_outcome: 60"))


def test_category_6_alone_at_exactly_50000_is_refused(ref):
    # 40 × 1250.00 = 50,000.00: not *over* £50,000
    assert rules_of(offer(*SKILLS), ref) == ["skills-contract-value"]


def test_category_6_alone_a_penny_over_50000_is_allowed(ref):
    # 40 × 1250.01 = 50,000.40
    assert rules_of(offer(*SKILLS, ("price_per_participant: 1250.00", "price_per_participant: 1250.01")), ref) == []


def test_routeway_including_skills_is_exempt(ref):
    content = offer(("category: 7", "routeway: R4"), ("job_outcome: 45", "job_outcome: 60"))
    assert rules_of(content, ref) == []


def test_category_3_and_or_either_measure_satisfies(ref):
    base = offer(("category: 7", "category: 3"), ("job_outcome: 45", "sj_outcome: 100")).decode()
    assert rules_of(base.encode(), ref) == []
    swapped = base.replace("sj_outcome: 100", "action_plan: 100")
    assert rules_of(swapped.encode(), ref) == []
    neither = base.replace("sj_outcome: 100", "sj_outcome: 90")
    assert rules_of(neither.encode(), ref) == ["below-target"]


def test_category_8_needs_both_targets(ref):
    content = offer(("category: 7", "category: 8"), ("job_outcome: 45", "mentoring_agreement: 100"))
    findings = check_file(content, "x.yaml", ref).findings
    assert [(f.rule, f.field) for f in findings] == [("below-target", "performance.in_work_13_weeks")]


def test_typo_gives_one_finding_with_a_hint(ref):
    findings = check_file(offer(("capacity: 40", "capacty: 40")), "x.yaml", ref).findings
    assert [(f.rule, f.hint) for f in findings] == [("unknown-field", "did you mean `capacity`?")]


def test_typo_of_a_block_does_not_also_report_it_missing(ref):
    findings = check_file(offer(("performance:", "perfomance:")), "x.yaml", ref).findings
    assert [f.rule for f in findings] == ["unknown-field"]


def test_yaml11_hints(ref):
    no = check_file(offer(("  name: Example Training Ltd", "  name: NO")), "x.yaml", ref).findings[0]
    assert '"NO"' in (no.hint or "")
    octal = check_file(offer(("title: Example offer for the test corpus", "title: 0042")), "x.yaml", ref)
    assert "octal number 34" in octal.findings[0].message
    assert '"0042" in quotes' in (octal.findings[0].hint or "")


def test_money_is_exact(ref):
    result = check_file(offer(("price_per_participant: 1250.00", "price_per_participant: 1250.10")), "x", ref)
    assert str(result.model.price_per_participant) == "1250.10"  # type: ignore[union-attr]


def test_single_course_given_as_a_list_of_one_is_accepted(ref):
    content = offer(
        (
            "course:\n  title: Getting Jobs Course\n  duration_weeks: 6",
            "course:\n  - {title: Getting Jobs Course, duration_weeks: 6}",
        )
    )
    assert rules_of(content, ref) == []


def test_areas_and_groups_are_normalised(ref):
    content = offer(("areas: [RH10, BN]", "areas: [rh10, bn, National]"))
    result = check_file(content, "x", ref)
    assert result.model.delivery.areas == ["RH10", "BN", "national"]  # type: ignore[union-attr]


def test_duplicate_id_reports_every_file(ref):
    results = check_files([("a.yaml", offer()), ("b.yaml", offer()), ("c.yaml", offer(("OF-9001", "OF-9002")))], ref)
    assert [[f.rule for f in r.findings] for r in results] == [["duplicate-id"], ["duplicate-id"], []]
    assert "b.yaml" in results[0].findings[0].message


def test_generic_offer_needs_three_provisions(ref):
    variants = [
        offer(("OF-9001", "OF-9101")),
        offer(("OF-9001", "OF-9102"), ("category: 7", "category: 5")),
        offer(("OF-9001", "OF-9103"), ("category: 7", "routeway: R3")),
    ]
    results = check_files([(f"{i}.yaml", c) for i, c in enumerate(variants)], ref)
    assert all([f.rule for f in r.findings] == ["generic-offer"] for r in results)
    assert all(r.valid for r in results)  # a warning
    two = check_files([(f"{i}.yaml", c) for i, c in enumerate(variants[:2])], ref)
    assert all(r.findings == [] for r in two)


def test_generic_offer_needs_the_same_supplier(ref):
    variants = [
        offer(("OF-9001", "OF-9101")),
        offer(("OF-9001", "OF-9102"), ("category: 7", "category: 5"), ("Example Training", "Other Training")),
        offer(("OF-9001", "OF-9103"), ("category: 7", "routeway: R3")),
    ]
    results = check_files([(f"{i}.yaml", c) for i, c in enumerate(variants)], ref)
    assert all(r.findings == [] for r in results)


BC = """kind: business-case
id: BC-1
district: Sussex
title: Skills
need: Skills training leading to jobs.
accepts: [6]
participants: 40
areas: [BN1]
start_by: 2027-01-01
budget: 50000.00
"""


def test_budget_too_small_at_exactly_50000(ref):
    findings = check_file(BC.encode(), "bc.yaml", ref).findings
    assert [(f.rule, f.line) for f in findings] == [("budget-too-small", 10)]
    assert check_file(BC.replace("50000.00", "50000.01").encode(), "bc", ref).findings == []
    assert check_file(BC.replace("[6]", "[6, R2]").encode(), "bc", ref).findings == []


def test_business_case_defaults(ref):
    model = check_file(BC.replace("50000.00", "60000").encode(), "bc", ref).model
    assert model.evaluation.weights.quality == 60  # type: ignore[union-attr]
    assert model.evaluation.minimum_quality == 50  # type: ignore[union-attr]


def test_evaluations_marks_range_and_unknown_question(ref):
    marks = "{fit: 5, closer_to_work: 3, performance_rationale: 2, performance_mgmt: 4}"
    text = f"kind: evaluations\nmarks:\n  OF-1: {marks}\n"
    findings = check_file(text.encode(), "e.yaml", ref).findings
    assert sorted(f.rule for f in findings) == ["range", "unknown-field"]
    assert any(f.hint == "did you mean `performance_management`?" for f in findings)


def test_alias_bomb_is_refused_after_a_bounded_amount_of_work():
    content = (DATA / "invalid" / "yaml-aliases-bomb.yaml").read_bytes()
    started = time.process_time()
    source = yamlsource.load(content, "bomb.yaml")
    assert [f.rule for f in source.findings] == ["yaml-aliases"]
    assert len(source.positions) <= yamlsource.MAX_ALIAS_NODES + 100  # expansion stopped at the bound
    assert time.process_time() - started < 5  # generous: a runaway expansion would take minutes


def test_wide_alias_bomb_is_refused():
    wide = b"a: &a [" + b",".join([b"x"] * 1000) + b"]\nb: [" + b",".join([b"*a"] * 1000) + b"]\n"
    source = yamlsource.load(wide, "wide.yaml")
    assert [f.rule for f in source.findings] == ["yaml-aliases"]
    assert len(source.positions) <= yamlsource.MAX_ALIAS_NODES + 2_000


def test_a_few_aliases_are_fine():
    source = yamlsource.load(b"a: &a [1, 2]\nb: *a\nc: *a\n", "ok.yaml")
    assert source.findings == []
    assert source.data == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


@pytest.mark.parametrize(
    "content", [b"[" * 50_000 + b"]" * 50_000, b"- " * 50_000 + b"x", b"{a: " * 30_000 + b"1" + b"}" * 30_000]
)
def test_deep_nesting_is_refused_not_crashed(content):
    source = yamlsource.load(content, "deep.yaml")
    assert [f.rule for f in source.findings] == ["yaml-syntax"]


def test_oversized_file_is_unreadable():
    source = yamlsource.load(b"kind: offer\n" + b"#" * (yamlsource.MAX_BYTES + 1), "big.yaml")
    assert [f.rule for f in source.findings] == ["unreadable"]


def test_merge_keys_are_supported(ref):
    text = BASE.replace(
        "available: {from: 2026-09-01, until: 2027-08-31}",
        "x-dates: &dates {from: 2026-09-01, until: 2027-08-31}\navailable:\n  <<: *dates",
    )
    findings = check_file(text.encode(), "m.yaml", ref).findings
    assert [f.rule for f in findings] == ["unknown-field"]  # x-dates, not the merge
