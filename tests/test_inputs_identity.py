"""A file reached twice in one run is checked once: identity is the real path, worked out cheaply."""

from __future__ import annotations

import os
from pathlib import Path

from dps_cli import inputs


def test_identity_is_the_real_path_whatever_the_path_goes_through(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "sub" / "a.yaml").write_text("kind: offer\n")
    (tmp_path / "linked").symlink_to(real)
    (real / "link.yaml").symlink_to(real / "sub" / "a.yaml")
    (real / "dangling.yaml").symlink_to(real / "missing.yaml")
    monkeypatch.chdir(real)
    paths = [
        "sub/a.yaml",
        "./sub/a.yaml",
        "sub/../sub/a.yaml",
        "link.yaml",
        "dangling.yaml",
        "missing.yaml",
        str(tmp_path / "linked" / "sub" / "a.yaml"),
        str(tmp_path / "linked" / "sub" / ".."),
        str(tmp_path / "linked" / "sub" / "."),
        "sub",
        ".",
        "..",
        "a.yaml",
    ]
    folders: dict[str, str] = {}
    for path in paths:
        assert inputs._identity(path, folders) == os.path.realpath(path), path
    assert inputs._identity(inputs.STDIN, folders) == inputs.STDIN


def test_a_file_named_twice_and_through_a_link_is_one_target(tmp_path: Path) -> None:
    (tmp_path / "offers").mkdir()
    (tmp_path / "offers" / "a.yaml").write_text("kind: offer\n")
    (tmp_path / "also").symlink_to(tmp_path / "offers")
    found = inputs.expand([str(tmp_path / "offers"), str(tmp_path / "also" / "a.yaml"), str(tmp_path / "offers")])
    assert [t.path for t in found] == [str(tmp_path / "offers" / "a.yaml")]
    assert found[0].named  # named once, so always checked
