"""Ctrl-C and SIGTERM during a run: exit 130 / 143 at once, one line, no process left behind.

These run the real entry point in a session of its own, as a shell runs a
job, and look at its process group through /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dps_cli.commands import workers
from tests.conftest import DATA, ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see process groups")
FILES = 5000  # enough that the run is still going when the signal arrives
DEADLINE = 1.0  # seconds from the signal to the exit


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    text = (DATA / "valid" / "offer-category-7.yaml").read_text()
    for i in range(FILES):
        (folder / f"offer-{i:05}.yaml").write_text(text.replace("OF-9001", f"OF-{i}"))
    return folder


def group_members(group: int) -> list[int]:
    """Live processes (not zombies) whose process group is ``group``."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, _parent, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == group and state != "Z":
            members.append(int(entry))
    return members


def start(batch: Path, jobs: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "dps_cli", "validate", str(batch), "--jobs", jobs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        start_new_session=True,
    )


def wait_for(condition, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    limit = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < limit, "the run never got going"
        time.sleep(0.01)


def stop(child: subprocess.Popen[bytes], signum: int, *, whole_group: bool) -> tuple[int, bytes, float]:
    sent = time.monotonic()
    if whole_group:
        os.killpg(child.pid, signum)  # what a terminal does on Ctrl-C
    else:
        os.kill(child.pid, signum)  # what `kill PID` does
    try:
        _, stderr = child.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail("the run did not end after the signal")
    return child.returncode, stderr, time.monotonic() - sent


@pytest.mark.parametrize(
    ("signum", "whole_group", "code", "line"),
    [
        (signal.SIGINT, True, 130, "dps: interrupted"),
        (signal.SIGINT, False, 130, "dps: interrupted"),
        (signal.SIGTERM, False, 143, "dps: terminated"),
        (signal.SIGTERM, True, 143, "dps: terminated"),
    ],
)
def test_a_signal_during_a_parallel_run(batch, signum, whole_group, code, line):
    child = start(batch, "2")
    wait_for(lambda: len(group_members(child.pid)) >= 3)  # the parent and both workers
    returncode, stderr, elapsed = stop(child, signum, whole_group=whole_group)
    assert returncode == code
    assert stderr.decode() == line + "\n"
    assert elapsed < DEADLINE
    assert group_members(child.pid) == []


def test_ctrl_c_during_a_sequential_run(batch):
    child = start(batch, "1")
    time.sleep(0.5)
    assert child.poll() is None
    returncode, stderr, elapsed = stop(child, signal.SIGINT, whole_group=True)
    assert (returncode, stderr.decode()) == (130, "dps: interrupted\n")
    assert elapsed < DEADLINE


# -- the worker processes themselves ---------------------------------------


def double(items: list[int]) -> list[int]:
    return [2 * item for item in items]


def kill_myself(items: list[int]) -> list[int]:
    os.kill(os.getpid(), signal.SIGKILL)
    return items


def fail(items: list[int]) -> list[int]:
    raise ValueError("a bug")


def test_results_come_back_in_order_and_workers_end():
    chunks = [[i, i + 1] for i in range(0, 40, 2)]
    with workers.Workers(3, double) as pool:
        assert [x for chunk in pool.map(chunks) for x in chunk] == [2 * i for i in range(40)]
        processes = list(pool._processes)
    assert all(p.exitcode == 0 for p in processes)


def test_a_worker_killed_from_outside_is_reported_not_waited_for():
    with pytest.raises(workers.WorkerLost, match="stopped by signal SIGKILL"), workers.Workers(2, kill_myself) as pool:
        list(pool.map([[1], [2], [3]]))


def test_a_bug_in_a_worker_reaches_the_parent():
    with pytest.raises(RuntimeError, match="ValueError: a bug"), workers.Workers(2, fail) as pool:
        list(pool.map([[1], [2]]))
