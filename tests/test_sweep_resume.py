"""A sweep killed part-way and re-run ends identical to an uninterrupted one; progress."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sweeping import GRID, SMALL, assert_same_results, in_terminal, sweep, sweep_command

from imsim import load_dataset

ARGS = (*GRID, *SMALL)


def _kill_after_first_chunks(sweep_dir: Path, cwd: Path) -> int:
    """Start the sweep, SIGKILL it once some but not all chunks are written; chunks left."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "imsim.cli", *sweep_command(sweep_dir, *ARGS, chunk_size=2)],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    chunks = sweep_dir / "chunks"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if chunks.is_dir() and len(list(chunks.glob("chunk-*.nc"))) >= 3:
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the sweep ended before it could be killed"
    return len(list(chunks.glob("chunk-*.nc")))


def test_killed_sweep_resumes_and_matches_an_uninterrupted_one(tmp_path):
    reference = sweep(tmp_path / "whole", *ARGS, chunk_size=2)
    written = _kill_after_first_chunks(tmp_path / "killed", tmp_path)
    assert 3 <= written < 12  # 24 points in chunks of 2
    assert not (tmp_path / "killed" / "sweep.nc").exists()
    # no half-written chunk is ever visible under its final name
    for path in (tmp_path / "killed" / "chunks").glob("chunk-*.nc"):
        load_dataset(path)
    resumed = sweep(tmp_path / "killed", *ARGS, chunk_size=2)
    assert_same_results(resumed, reference)


def test_progress_bar_on_a_terminal_and_quiet_otherwise(tmp_path):
    command = [
        sys.executable,
        "-m",
        "imsim.cli",
        *sweep_command(tmp_path / "tty", *ARGS, chunk_size=6),
    ]
    shown = in_terminal(command, tmp_path)
    assert "imsim sweep" in shown and "24/24" in shown and "points/s" in shown
    proc = subprocess.run(
        [sys.executable, "-m", "imsim.cli", *sweep_command(tmp_path / "pipe", *ARGS)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0
    assert "points/s" not in proc.stderr + proc.stdout
