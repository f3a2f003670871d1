"""Cross-file rules: generic-offer's measure at its threshold, and work that grows linearly.

Nothing here is timed: the scale tests count the exact comparisons made.
"""

from __future__ import annotations

import random
from difflib import SequenceMatcher

import pytest

from dps_cli import crossfile, offerprose
from dps_cli.validate import check_files
from tests.conftest import DATA

BASE = (DATA / "valid" / "offer-category-7.yaml").read_text()


def words(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(count)]


@pytest.fixture
def comparisons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the exact comparisons generic-offer makes."""
    count = [0]
    exact = crossfile.similar

    def counted(a: frozenset[int], b: frozenset[int]) -> bool:
        count[0] += 1
        return exact(a, b)

    monkeypatch.setattr(crossfile, "similar", counted)
    return count


# --- the measure ------------------------------------------------------------------------


@pytest.mark.parametrize(("replaced", "same"), [(19, True), (20, False)])
def test_threshold_is_80_percent_of_shared_word_3_shingles(replaced: int, same: bool) -> None:
    # 100 words: 98 shingles each; replacing the last k words keeps 98 - k shared shingles,
    # so 2 × (98 - k) / 196 is 0.806 for k = 19 (at least 80%) and 0.796 for k = 20 (under).
    a = words("w", 100)
    b = a[: 100 - replaced] + words("x", replaced)
    groups = crossfile.similar_groups([" ".join(a), " ".join(b)])
    assert groups == ([[0, 1]] if same else [])


def test_case_and_punctuation_do_not_count() -> None:
    assert crossfile.similar_groups(["Getting jobs, FAST: really.", "getting jobs fast really"]) == [[0, 1]]


def test_repeated_text_counts_each_time() -> None:
    once = " ".join(words("w", 20))  # 18 shingles; twice over, 38 (only 19 different ones)
    assert crossfile.similar_groups([once, f"{once} {once}"]) == []


def test_chains_of_similar_texts_form_one_group() -> None:
    a = words("w", 100)
    b = a[:85] + words("x", 15)  # b is like a, c is like b, c is not like a
    c = b[15:] + words("y", 15)
    texts = [" ".join(t) for t in (a, b, c)]
    number = crossfile._Numbering()
    assert not crossfile.similar(crossfile._shingles(number(a)), crossfile._shingles(number(c)))
    assert crossfile.similar_groups(texts) == [[0, 1, 2]]


# --- findings kept ----------------------------------------------------------------------


def corpus_offers(ref):  # type: ignore[no-untyped-def]
    paths = sorted(DATA.rglob("*.yaml"))
    results = check_files([(str(p), p.read_bytes()) for p in paths], ref)
    return [r for r in results if r.kind == "offer"]


def formerly_similar(a: str, b: str) -> bool:
    """The former measure: difflib's character ratio at least 0.8."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.8


def test_every_offer_the_former_measure_found_like_the_base_is_still(ref) -> None:  # type: ignore[no-untyped-def]
    offers = [r for r in corpus_offers(ref) if r.source.data is not None]
    texts = [offerprose.prose(r.source.data or {}) for r in offers]
    base = next(i for i, r in enumerate(offers) if r.path.endswith("valid/offer-category-7.yaml"))
    group = next(g for g in crossfile.similar_groups(texts) if base in g)
    like_base = [i for i, text in enumerate(texts) if formerly_similar(text, texts[base])]
    assert len(like_base) > 40
    assert set(like_base) <= set(group)


def test_corpus_findings_are_todays_plus_the_blank_evidence_answer(ref) -> None:  # type: ignore[no-untyped-def]
    flagged = {r.path for r in corpus_offers(ref) if any(f.rule == "generic-offer" for f in r.findings)}
    assert len(flagged) == 48  # the 47 files difflib's measure flagged, and one more:
    # the former character ratio put this file (one evidence answer blank, the rest the
    # same words) at 0.66; 89% of its word 3-shingles are shared with the others
    assert str(DATA / "invalid" / "missing-evidence-blank.yaml") in flagged


def offer(number: int, provision: str, *edits: tuple[str, str]) -> tuple[str, bytes]:
    text = BASE.replace("OF-9001", f"OF-91{number:02}").replace("category: 7", provision)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return f"{number}.yaml", text.encode()


def test_near_identical_offers_in_three_provisions_are_found(ref) -> None:  # type: ignore[no-untyped-def]
    files = [
        offer(1, "category: 7"),
        offer(2, "category: 5", ("Diagnostic interview", "Initial interview")),
        offer(3, "routeway: R3", ("Example offer for the test corpus", "An offer for routeway three")),
    ]
    results = check_files(files, ref)
    found = [[f.message for f in r.findings if f.rule == "generic-offer"] for r in results]
    assert all(len(messages) == 1 for messages in found)
    assert "in 3 provisions (5, 7, R3); see 2.yaml, 3.yaml" in found[0][0]


# --- work that grows linearly -----------------------------------------------------------


def distinct_texts(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    vocabulary = words("v", 3000)
    return [" ".join(rng.choice(vocabulary) for _ in range(150)) for _ in range(count)]


def collage_texts(count: int, seed: int = 2) -> list[str]:
    """Adversarial: every text a different collage of the same 40 phrases, so every shingle is common."""
    rng = random.Random(seed)
    phrases = [" ".join(words(f"p{n}_", 5)) for n in range(40)]
    return [" ".join(rng.sample(phrases, 20)) for _ in range(count)]


def test_distinct_prose_from_one_supplier_needs_few_comparisons(comparisons: list[int]) -> None:
    assert crossfile.similar_groups(distinct_texts(2000)) == []
    assert comparisons[0] <= 2000


def test_identical_prose_needs_no_comparison(comparisons: list[int]) -> None:
    groups = crossfile.similar_groups(["the same prose in every offer"] * 2000)
    assert groups == [list(range(2000))]
    assert comparisons[0] == 0


def test_comparisons_are_bounded_per_offer_when_every_shingle_is_common(comparisons: list[int]) -> None:
    crossfile.similar_groups(collage_texts(1000))
    at_1000 = comparisons[0]
    comparisons[0] = 0
    crossfile.similar_groups(collage_texts(2000))
    assert at_1000 > 1000  # the collages do collide
    assert comparisons[0] <= crossfile.MAX_COMPARED * 2000
    assert comparisons[0] <= 2.3 * at_1000  # twice the offers, about twice the work (pruning spares more of fewer)


def entries_sharing(count: int, identifier: str = "OF-1") -> list[crossfile.Entry]:
    return [crossfile.Entry(f"{i}.yaml", "offer", identifier, (1, 5)) for i in range(count)]


def test_duplicate_id_names_three_others_and_counts_the_rest() -> None:
    found = crossfile.duplicate_ids(entries_sharing(2000))
    assert len(found) == 2000
    assert found[0][0].message == "id OF-1 is also used by 1.yaml, 2.yaml, 3.yaml and 1,996 more"
    assert found[2][0].message == "id OF-1 is also used by 0.yaml, 1.yaml, 3.yaml and 1,996 more"
    assert found[1999][0].message == "id OF-1 is also used by 0.yaml, 1.yaml, 2.yaml and 1,996 more"


def test_duplicate_id_with_few_others_names_them_all() -> None:
    found = crossfile.duplicate_ids(entries_sharing(3))
    assert [f[0].message for f in found.values()] == [
        "id OF-1 is also used by 1.yaml, 2.yaml",
        "id OF-1 is also used by 0.yaml, 2.yaml",
        "id OF-1 is also used by 0.yaml, 1.yaml",
    ]
