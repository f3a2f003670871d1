from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dps_cli.cli import app
from dps_cli.reference import Reference, embedded_directory, load_reference

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session", autouse=True)
def _cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The reference-data cache of every test (and every dps the tests start) in a folder of the run's own."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="session")
def ref(_cache_folder: Path) -> Reference:
    return load_reference()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def ref_copy(tmp_path: Path) -> Path:
    """A writable copy of the embedded reference data."""
    folder = tmp_path / "reference"
    folder.mkdir()
    for name in ("categories.yaml", "routeways.yaml"):
        shutil.copy(embedded_directory() / name, folder / name)
    return folder


def invoke(runner: CliRunner, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


@pytest.fixture(autouse=True)
def _default_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text output follows COLUMNS: every test starts from the piped default (100 columns)."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for a module of browser tests (mark the module ``needs_chromium``)."""
    from tests.chromium import Browser

    chromium = Browser()
    yield chromium
    chromium.close()
