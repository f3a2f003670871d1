"""`--reference` files get the same care as offers: exit 2 naming file, line and field, never a crash."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.conftest import invoke

CATEGORY_4_SPLIT = "funding: {start: 20, completion: 50, job_outcome: 30}"
CASES = {
    "decimal-comma": ("categories.yaml", CATEGORY_4_SPLIT, "funding: {start: 20, completion: '49,5', job_outcome: 30}"),
    "int-tag": ("categories.yaml", "  - id: 4\n", "  - id: !!int abc\n"),
    "bool-tag": ("categories.yaml", "weeks_in_work: 4", "weeks_in_work: !!bool maybe"),
    "huge-int": ("categories.yaml", "  - id: 4\n", "  - id: " + "9" * 100_000 + "\n"),
    "octal": ("routeways.yaml", "categories: [4, 6]", "categories: [04, 6]"),
    "base-60": ("categories.yaml", "weeks_in_work: 4", "weeks_in_work: 1:25"),
    "exponent": ("categories.yaml", CATEGORY_4_SPLIT, "funding: {start: 1e309, completion: 50, job_outcome: 30}"),
    "merge-bomb": ("routeways.yaml", "categories: [4, 6]", "categories: " + "{<<: " * 400 + "{}" + "}" * 400),
}


@pytest.mark.parametrize("name", CASES)
def test_a_broken_reference_file_is_a_usage_error_naming_where(runner, ref_copy: Path, name):
    file_name, old, new = CASES[name]
    path = ref_copy / file_name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    result = invoke(runner, "categories", "--reference", str(ref_copy))
    assert result.exit_code == 2, result.stdout
    assert "internal error" not in result.stderr
    assert f"{path}:" in result.stderr
    assert "Input should" not in result.stderr and "Value error" not in result.stderr


def test_a_reference_file_that_is_not_utf8(runner, ref_copy: Path):
    (ref_copy / "routeways.yaml").write_bytes(b"routeways: \xff\n")
    result = invoke(runner, "routeways", "--reference", str(ref_copy))
    assert result.exit_code == 2
    assert "routeways.yaml:1:12" in result.stderr


def test_an_alias_bomb_in_a_reference_file(runner, ref_copy: Path):
    path = ref_copy / "categories.yaml"
    bomb = "\nbomb_a: &a [" + ", ".join(["x"] * 10) + "]\n"
    letters = "abcdefgh"
    for prev, cur in itertools.pairwise(letters):
        bomb += f"bomb_{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    path.write_text(path.read_text() + bomb)
    result = invoke(runner, "categories", "--reference", str(ref_copy))
    assert result.exit_code == 2
    assert "alias" in result.stderr
