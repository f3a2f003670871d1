"""What keeps big runs small: JSON written as it is encoded, and generic-offer's index against brute force."""

from __future__ import annotations

import io
import itertools
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dps_cli import crossfile
from dps_cli.report.console import write_json


def test_json_written_in_pieces_is_json_dumps_to_the_byte() -> None:
    document = {"rows": [{"id": f"OF-{i}", "note": "café – “quoted” \u2028", "n": i / 3} for i in range(20_000)]}
    out = io.StringIO()
    write_json(document, out)
    assert out.getvalue() == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def exact_shingles(text: str) -> list[tuple[str, ...]]:
    """docs/rules.md's shingles, written out plainly: each 3-word run, repeats counted apart."""
    words = re.findall(r"\w+", text.casefold())
    if 0 < len(words) < 3:
        return [("<short>", *words)]
    runs = list(zip(words, words[1:], words[2:], strict=False))
    return [(*run, str(runs[:i].count(run))) for i, run in enumerate(runs)]


def brute_force_groups(texts: list[str]) -> list[list[int]]:
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    sets = [set(exact_shingles(t)) for t in texts]
    for a, b in itertools.combinations(range(len(texts)), 2):
        same_words = re.findall(r"\w+", texts[a].casefold()) == re.findall(r"\w+", texts[b].casefold())
        if same_words or 5 * len(sets[a] & sets[b]) >= 2 * (len(sets[a]) + len(sets[b])):
            ra, rb = root(a), root(b)
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(root(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


base = st.lists(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa"]),
    min_size=0,
    max_size=30,
)


@st.composite
def related_texts(draw: st.DrawFn) -> list[str]:
    """A few texts, most edits of a few others: pairs near the threshold on both sides."""
    roots = draw(st.lists(base, min_size=1, max_size=3))
    texts = []
    for _ in range(draw(st.integers(2, 9))):
        words = list(draw(st.sampled_from(roots)))
        for _ in range(draw(st.integers(0, 4))):
            at = draw(st.integers(0, len(words)))
            words[at : at + draw(st.integers(0, 2))] = draw(
                st.lists(st.sampled_from(["new", "alpha", "x"]), max_size=2)
            )
        texts.append(" ".join(words))
    return texts


@settings(max_examples=300, deadline=None)
@given(related_texts())
def test_the_index_finds_every_group_brute_force_finds(texts: list[str]) -> None:
    assert crossfile.similar_groups(texts) == brute_force_groups(texts)
