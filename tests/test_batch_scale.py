"""Big batches: no collector passes during the batch, and compact results from the workers."""

from __future__ import annotations

import gc

import pytest

from dps_cli import inputs
from dps_cli.commands import batch
from dps_cli.validate import _entry, check_file
from tests.conftest import DATA, EXAMPLES


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_off_during_a_batch_and_restored_after(ref, monkeypatch, enabled: bool) -> None:  # type: ignore[no-untyped-def]
    seen: list[bool] = []
    check = batch.check_target

    def watched(target: inputs.Target, reference):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return check(target, reference)

    monkeypatch.setattr(batch, "check_target", watched)
    paths = [str(p) for p in sorted((EXAMPLES / "offers").glob("*.yaml"))]
    (gc.enable if enabled else gc.disable)()
    try:
        found = batch.check_batch(paths, ref, jobs=1)
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()
    assert len(found.results) == len(paths)
    assert seen == [False] * len(paths)


def test_a_kept_result_holds_what_the_cross_file_rules_read_and_no_source(ref) -> None:  # type: ignore[no-untyped-def]
    path = DATA / "valid" / "offer-category-7.yaml"
    full = check_file(path.read_bytes(), str(path), ref)
    slim = batch.findings_only(check_file(path.read_bytes(), str(path), ref))
    assert slim.source.data is None and not slim.source.positions and not slim.source.scalars
    assert slim.model is None  # validate reports findings only
    assert (slim.path, slim.kind, slim.id, slim.findings, slim.supplier) == (
        full.path,
        full.kind,
        full.id,
        full.findings,
        full.supplier,
    )
    kept, whole = _entry(slim), _entry(full)
    assert kept == whole
    assert kept.text  # the prose travels
    assert kept.at == (2, 5)  # where the id is: duplicate-id points there


def test_a_kept_result_of_a_file_that_is_not_a_mapping_keeps_its_findings(ref) -> None:  # type: ignore[no-untyped-def]
    result = batch.findings_only(check_file(b"- a\n- b\n", "list.yaml", ref))
    assert result.source.data is None
    assert [f.rule for f in result.findings] == [f.rule for f in check_file(b"- a\n- b\n", "list.yaml", ref).findings]


def test_workers_send_back_no_model_and_no_source(ref) -> None:  # type: ignore[no-untyped-def]
    paths = [str(p) for p in sorted((EXAMPLES / "offers").glob("*.yaml"))] * 2 * batch.CHUNK
    assert batch._workers([inputs.Target(p) for p in paths], 2) == (2 if batch.forked.available() else 1)
    found = batch.check_targets([inputs.Target(p) for p in paths], ref, jobs=2)
    assert len(found.results) == len(paths)
    assert all(r.model is None and r.source.data is None and r.entry is not None for r in found.results)


def test_workers_follow_the_cpus_this_process_may_use(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(batch.os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    targets = [inputs.Target(f"{i}.yaml") for i in range(1000)]
    assert batch.usable_cpus() == 3
    assert batch._workers(targets, None) == (2 if batch.forked.available() else 1)  # the parent keeps one
    assert batch._workers(targets[:300], None) == (2 if batch.forked.available() else 1)
    monkeypatch.setattr(batch.os, "sched_getaffinity", lambda pid: {1, 2}, raising=False)
    assert batch._workers(targets, None) == (2 if batch.forked.available() else 1)  # two CPUs: two workers
    assert batch._workers(targets[:255], None) == 1  # too few to pay for extra processes
