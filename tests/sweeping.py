"""Running the imsim command as a user would, for the sweep tests."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import xarray as xr

from imsim import load_dataset

# A small grid over a group, a category, a number and a bool: 2 x 3 x 2 x 2 = 24 points.
GRID = (
    "integration=two_feet_in,two_feet_out",
    "force.escorts=never,last_resort,routine",
    "force.troops=0,12000",
    "dsrsg.support_office=true,false",
)
SMALL = ("run.months=18", "run.replicates=3", "world.regions=6")
# Hydra's other launchers as a user selects them (two workers at most on this machine).
LAUNCHERS = {
    "joblib": ("hydra/launcher=joblib", "hydra.launcher.n_jobs=2"),
    "ray": (
        "hydra/launcher=ray",
        "+hydra.launcher.ray.init.num_cpus=2",
        "+hydra.launcher.ray.init.include_dashboard=false",
    ),
    "submitit_local": ("hydra/launcher=submitit_local", "hydra.launcher.timeout_min=10"),
}


def imsim(
    *args: str, cwd: Path, check: bool = True, env: dict | None = None
) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "imsim.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
    )
    if check:
        assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


# When and by which command a file was written: the only attributes that differ between
# two writes of the same results (CF's history and ACDD's date_created).
PROVENANCE = ("history", "date_created")


def assert_same_results(got: xr.Dataset, expected: xr.Dataset) -> None:
    """The same data, coordinates and attributes, whenever and however each was written."""
    xr.testing.assert_identical(
        got.assign_attrs({k: "" for k in PROVENANCE if k in got.attrs}),
        expected.assign_attrs({k: "" for k in PROVENANCE if k in expected.attrs}),
    )


def sweep_command(sweep_dir: Path, *args: str, chunk_size: int = 5) -> list[str]:
    return [
        "-m",
        "hydra/sweeper=imsim",
        f"hydra.sweeper.chunk_size={chunk_size}",
        f"hydra.sweep.dir={sweep_dir}",
        *args,
    ]


def sweep(sweep_dir: Path, *args: str, chunk_size: int = 5) -> xr.Dataset:
    """Run a sweep to the end and load its sweep.nc."""
    imsim(*sweep_command(sweep_dir, *args, chunk_size=chunk_size), cwd=sweep_dir.parent)
    return load_dataset(sweep_dir / "sweep.nc")


def in_terminal(argv: list[str], cwd: Path) -> str:
    """Run ``argv`` attached to a pseudo-terminal of 120 columns, as a user's would be;
    return what it showed."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
        os.chdir(cwd)
        os.execv(argv[0], argv)
    out = b""
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    os.waitpid(pid, 0)
    return out.decode(errors="replace")
