"""README's commands and Python snippets run as written.

Every ``imsim`` and ``imsim-animate`` command of README's ``sh`` blocks runs in one
scratch folder, then every ``python`` block runs there, in order, in one interpreter.
Commands that stand for a user's own (with ``...``), start servers or need a cluster
are listed in SKIPPED and must stay few.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
# What a test cannot run: a server (tested in test_dashboard.py), make targets (CI runs
# them), templates ending in "..." (the reader's own grid) and Ray/SLURM clusters.
# servers (their own browser tests start them) and make targets
SKIPPED = ("imsim-dashboard", "imsim-classroom", "make ", "...")
PROGRAMS = {"imsim": "imsim.cli", "imsim-animate": "imsim.views.animate"}


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", README.read_text(), flags=re.S)


def commands() -> list[list[str]]:
    """README's shell lines (continuations joined, comments dropped) that a test can run."""
    found = []
    for block in blocks("sh"):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split(" #")[0].strip()
            if not line or line.startswith("#") or any(s in line for s in SKIPPED):
                continue
            words = shlex.split(line)
            program = Path(words[0]).name
            assert program in PROGRAMS, f"README runs {program!r}; add it here or to SKIPPED"
            found.append([sys.executable, "-m", PROGRAMS[program], *words[1:]])
    return found


def test_readme_has_commands_and_snippets_to_run():
    assert len(commands()) >= 7 and len(blocks("python")) >= 2


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> Path:
    """A scratch folder in which every README command has run."""
    folder = tmp_path_factory.mktemp("readme")

    def run(command: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run(command, cwd=folder, capture_output=True, text=True)

    with ThreadPoolExecutor(max_workers=2) as pool:  # independent commands, two at a time
        for command, proc in zip(commands(), pool.map(run, commands()), strict=True):
            assert proc.returncode == 0, f"{shlex.join(command[2:])}: {proc.stderr[-1500:]}"
    return folder


def test_readme_commands_write_what_readme_says(ran):
    assert list(ran.glob("results/runs/drc_relapse/*/trajectories.nc"))
    assert list(ran.glob("results/sensitivity/integration/*/sensitivity.csv"))
    assert (ran / "results/multirun/integration/sweep.nc").exists()
    assert (ran / "drc.gif").stat().st_size > 0


def test_readme_python_snippets_run(ran):
    code = "\n".join(blocks("python")) + "\nimport matplotlib.pyplot as plt\n"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ran,
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
