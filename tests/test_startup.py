"""Start-up: the checked reference data cached between runs, and a quick, complete exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dps_cli import refcache, reference
from dps_cli.reference import FILES, ReferenceDataError, embedded_directory
from tests.conftest import DATA, EXAMPLES, invoke

load = reference.load_reference.__wrapped__  # the loader without its in-process memo: each call reads the cache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "dps"


def fresh(folder: Path) -> reference.Reference:
    """The reference data parsed and checked, never from a cache."""
    files = reference._check(folder, [(folder / name).read_bytes() for name in FILES])
    return reference._reference(*files, folder)


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("parsed the reference files although the cache holds them")

    monkeypatch.setattr(reference, "_check", refuse)


def test_a_run_stores_the_checked_data_and_the_next_reads_it_back_equal(cache, monkeypatch):
    first, checked = load(), fresh(embedded_directory())
    (stored,) = cache.glob("reference-*.json")
    assert stored.stat().st_mode & 0o777 == 0o600
    no_parsing(monkeypatch)
    second = load()
    assert second == first == checked
    assert second.categories[6].alone_contract_value_over == reference.Decimal("50000.00")
    assert second.measures["job_outcome"].in_work == "cumulative"  # set by a validator, kept by the cache


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-40],  # truncated
        lambda raw: raw.replace(b'"Skills for work"', b'"Skills for wark"'),  # edited: checksum no longer agrees
        lambda raw: b"\x00" * len(raw),
        lambda raw: b"",
    ],
    ids=["truncated", "edited", "zeros", "empty"],
)
def test_a_corrupt_cache_file_is_ignored_and_replaced(cache, damage):
    expected = load()
    (stored,) = cache.glob("reference-*.json")
    stored.write_bytes(damage(stored.read_bytes()))
    assert load() == expected
    assert refcache.read(stored.name.removeprefix("reference-").removesuffix(".json")) is not None  # rewritten


def test_a_cache_file_of_another_shape_with_a_good_checksum_is_not_trusted(cache):
    expected = load()
    (stored,) = cache.glob("reference-*.json")
    key = stored.name.removeprefix("reference-").removesuffix(".json")
    body = json.loads(stored.read_bytes().partition(b"\n")[2])["body"]
    body["categories"]["categories"][0]["funding"] = {"start": "x"}
    refcache.write(key, body)
    assert load() == expected


def test_a_cache_file_stored_under_another_key_is_not_read(cache):
    load()
    (stored,) = cache.glob("reference-*.json")
    stored.rename(cache / f"reference-{'0' * 64}.json")
    assert refcache.read("0" * 64) is None  # the key inside it is not the name it is found under


def test_edited_reference_data_is_checked_again_never_read_from_the_cache(cache, ref_copy, monkeypatch):
    load(str(ref_copy))
    categories = ref_copy / "categories.yaml"
    categories.write_text(categories.read_text().replace("Skills for work", "Skills for jobs", 1))
    assert load(str(ref_copy)).categories[6].name == "Skills for jobs"
    categories.write_text(categories.read_text().replace("job_outcome: 60", "job_outcome: 61", 1))
    with pytest.raises(ReferenceDataError, match="sums to 101"):
        load(str(ref_copy))  # broken data is refused, cache or no cache
    assert len(list(cache.glob("reference-*.json"))) == 2  # what was refused is not stored


@pytest.mark.parametrize("where", ["a file", "read-only"])
def test_a_cache_folder_that_cannot_be_written_changes_nothing(tmp_path, monkeypatch, where):
    if where == "a file":
        (tmp_path / "cache").write_text("not a folder")
    else:
        if os.geteuid() == 0:
            pytest.skip("root may write to a read-only folder")
        (tmp_path / "cache" / "dps").mkdir(parents=True)
        (tmp_path / "cache" / "dps").chmod(0o500)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert load() == fresh(embedded_directory())


def test_the_cache_folder_follows_xdg_and_ignores_a_relative_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert refcache.folder() == tmp_path / ".cache" / "dps"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert refcache.folder() == tmp_path / ".cache" / "dps"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    assert refcache.folder() == tmp_path / "elsewhere" / "dps"


def test_no_home_folder_means_no_cache_and_no_error(monkeypatch):
    def homeless() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(refcache.Path, "home", homeless)
    assert refcache.folder() is None
    assert load() == fresh(embedded_directory())


def test_the_key_changes_with_the_files_and_the_models(tmp_path):
    models = tmp_path / "models.py"
    models.write_text("one")
    key = refcache.key([b"categories", b"routeways"], str(models))
    assert key == refcache.key([b"categories", b"routeways"], str(models))
    assert key != refcache.key([b"categorie", b"srouteways"], str(models))  # lengths are part of the key
    models.write_text("two")
    assert key != refcache.key([b"categories", b"routeways"], str(models))


# --- the exit: output complete, exit codes kept ----------------------------------------------


def dps(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "dps_cli", *args], capture_output=True, timeout=120, env=env or dict(os.environ)
    )


def test_a_run_ends_with_its_whole_report_and_its_exit_code(runner, tmp_path):
    for args, code in ((["validate", str(EXAMPLES), "--format", "json"], 0), (["validate", str(DATA)], 1)):
        done = dps(*args)
        assert done.returncode == code
        assert done.stdout.decode() == invoke(runner, *args).stdout
        assert done.stdout.endswith(b"\n")
    usage = dps("validate", str(tmp_path / "missing.yaml"))
    assert (usage.returncode, usage.stdout) == (2, b"")
    assert b"no such file" in usage.stderr


def test_a_report_written_to_a_file_is_complete(runner, tmp_path):
    out = tmp_path / "report.json"
    with out.open("wb") as handle:
        code = subprocess.run(
            [sys.executable, "-m", "dps_cli", "validate", str(DATA), "--format", "json"], stdout=handle, timeout=120
        ).returncode
    assert code == 1
    assert out.read_text() == invoke(runner, "validate", str(DATA), "--format", "json").stdout


def test_runs_with_an_unwritable_cache_say_the_same(tmp_path):
    (tmp_path / "cache").write_text("not a folder")
    broken = dps("validate", str(EXAMPLES), env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    normal = dps("validate", str(EXAMPLES))
    assert (broken.returncode, broken.stdout, broken.stderr) == (0, normal.stdout, normal.stderr)


@pytest.mark.parametrize(
    ("call", "code", "out", "err"),
    [
        ("print('kept', end=''); process.finish(3)", 3, b"kept", b""),  # buffered output is flushed first
        ("print('kept', end=''); process.finish(None)", 0, b"kept", b""),
        ("process.finish('a message')", 1, b"", b"a message\n"),  # not a code: the ordinary exit
        ("process.finish(300)", 300 % 256, b"", b""),
    ],
)
def test_finish_flushes_then_ends_with_the_code(call: str, code: int, out: bytes, err: bytes) -> None:
    program = f"import sys; from dps_cli import process; process.install(); {call}; sys.stdout.write('not reached')"
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (code, out, err)


def test_a_one_file_run_imports_nothing_it_does_not_use() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "dps_cli",
            "validate",
            str(EXAMPLES / "offers" / "bridges-routeway-r5.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    imported = {line.rpartition("|")[2].strip() for line in done.stderr.splitlines()}
    assert done.returncode == 0 and "dps_cli.validate" in imported
    assert not imported & {"jinja2", "rich", "openpyxl", "multiprocessing"}
