"""Resume trusts no file it cannot verify; one sweep per folder; leftovers are cleaned up.

Each case ends with a merged ``sweep.nc`` identical to an uninterrupted sweep's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import h5py
import pytest
import xarray as xr
from sweeping import SMALL, assert_same_results, sweep, sweep_command

import imsim
from imsim import load_dataset
from imsim.config.plain import plain
from imsim.sweep.evaluate import evaluate
from imsim.sweep.grid import Plan
from imsim.sweep.integrity import LOCK
from imsim.sweep.job import chunk_points
from imsim.sweep.store import PLAN, chunk_path, write_chunk

ARGS = ("force.escorts=never,routine", "force.troops=0,6000,12000", *SMALL)  # 6 points


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[xr.Dataset, Plan]:
    """An uninterrupted sweep in chunks of one point, and its plan."""
    folder = tmp_path_factory.mktemp("whole") / "sweep"
    return sweep(folder, *ARGS, chunk_size=1), Plan.load(folder / PLAN)


def write_chunks(folder: Path, plan: Plan, chunks: list[int]) -> None:
    """Chunk files as the sweep's jobs write them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PLAN).write_text(plan.to_json())
    for c in chunks:
        base = plain(imsim.compose(overrides=plan.job_overrides(c)))
        write_chunk(folder, plan, c, evaluate(chunk_points(base, plan, c), plan.store), base)


def resume(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "imsim.cli", *sweep_command(folder, *ARGS, chunk_size=1)],
        cwd=folder.parent,
        capture_output=True,
        text=True,
    )


def test_truncated_altered_misplaced_and_foreign_chunks_are_recomputed(tmp_path, reference):
    expected, plan = reference
    folder = tmp_path / "sweep"
    write_chunks(folder, plan, [0, 1, 2, 3, 4])
    path = chunk_path(folder, 0)  # truncated
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with h5py.File(chunk_path(folder, 1), "r+") as f:  # altered: one value changed
        f["violence"][0, 0, 1, 0] += 0.25
    shutil.copy(chunk_path(folder, 3), chunk_path(folder, 2))  # misplaced
    other = Plan.make(plan.grid, 2, plan.store)  # a different sweep's chunk 0 as chunk 4
    write_chunks(tmp_path / "other", other, [0])
    shutil.copy(chunk_path(tmp_path / "other", 0), chunk_path(folder, 4))

    proc = resume(folder)
    assert proc.returncode == 0, proc.stderr[-2000:]
    said = [line for line in proc.stderr.splitlines() if "computing chunk" in line]
    names = [chunk_path(folder, c).name for c in (0, 1, 2, 4)]
    assert [line.split()[1] for line in said] == names
    assert "unreadable" in said[0] and "altered" in said[1]
    assert "misplaced" in said[2] and "another sweep" in said[3]
    assert_same_results(load_dataset(folder / "sweep.nc"), expected)


def test_a_second_sweep_into_a_busy_folder_is_refused(tmp_path, reference):
    expected, _ = reference
    folder = tmp_path / "sweep"
    command = [sys.executable, "-m", "imsim.cli", *sweep_command(folder, *ARGS, chunk_size=1)]
    first = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not (folder / LOCK).exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    second = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert first.wait(timeout=300) == 0, first.stderr.read()[-2000:]
    assert second.returncode == 2
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "hydra.sweep.dir" in lines[0] and "no other sweep" in lines[0]
    assert_same_results(load_dataset(folder / "sweep.nc"), expected)
    assert not (folder / LOCK).exists()


def test_a_stale_lock_and_leftover_temporary_files_are_cleared(tmp_path, reference):
    expected, plan = reference
    folder = tmp_path / "sweep"
    write_chunks(folder, plan, [0])
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id that no longer runs
    (folder / LOCK).write_text(
        json.dumps({"pid": gone.pid, "host": __import__("socket").gethostname()})
    )
    (folder / ".sweep.nc.k2j3h4.nc").write_bytes(b"half a merge")
    (folder / "chunks" / ".chunk-000001.nc.x9y8.nc").write_bytes(b"half a chunk")
    proc = resume(folder)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "taking over" in proc.stderr
    left = [p.name for p in folder.rglob(".*") if p.name != ".hydra" and ".hydra" not in p.parts]
    assert left == []
    assert_same_results(load_dataset(folder / "sweep.nc"), expected)
