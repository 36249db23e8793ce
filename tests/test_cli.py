"""The imsim command as Hydra users expect it: a short help naming every group's options
and where the keys are documented, --version, the run's messages in Hydra's job log, a
sweep's listing naming each chunk's points, and progress bars on a terminal only."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sweeping import imsim, in_terminal

from imsim import __version__
from imsim.config.files import GROUPS, group_options, option_summary


def test_help_is_short_and_names_every_option_with_what_it_is(tmp_path):
    shown = imsim("--help", cwd=tmp_path).stdout
    lines = shown.splitlines()
    assert len(lines) <= 60 and max(map(len, lines)) <= 100
    for group in GROUPS:
        assert f"  {group}=" in lines
        for option in group_options(group):
            line = next(x for x in lines if x.startswith(f"    {option} "))
            said = option_summary(group, option)
            assert said and said[:40] in line  # one line saying what it is
    assert "imsim --cfg job" in shown and "docs/parameters.md" in shown
    assert "--config-dir" in shown


def test_version(tmp_path):
    assert imsim("--version", cwd=tmp_path).stdout == f"imsim {__version__}\n"


def test_the_job_log_holds_the_runs_messages(tmp_path):
    out = tmp_path / "run"
    proc = imsim("run.replicates=1", "run.months=6", f"hydra.run.dir={out}", cwd=tmp_path)
    assert f"dataset: {out / 'trajectories.nc'}" in proc.stdout.splitlines()
    log = (out / "cli.log").read_text()
    assert "[imsim][INFO] - dataset: " in log and "[imsim][INFO] - figure: " in log


def test_a_sweep_lists_the_points_of_each_chunk(tmp_path):
    proc = imsim(
        "-m", "hydra/sweeper=imsim", f"hydra.sweep.dir={tmp_path / 'sweep'}",
        "hydra.sweeper.chunk_size=3", "integration=two_feet_in,two_feet_out",
        "force.troops=0,5000,10000", "run.replicates=1", "run.months=6", cwd=tmp_path,
    )  # fmt: skip
    listed = [line.split("] ", 1)[-1] for line in proc.stdout.splitlines() if "chunk " in line]
    assert listed == [
        "chunk 0: points 0-2: integration=two_feet_in force.troops=0,5000,10000",
        "chunk 1: points 3-5: integration=two_feet_out force.troops=0,5000,10000",
    ]
    assert " : " not in proc.stdout  # Hydra's own listing, a first point per job, is not shown


MESA = (
    "import imsim; imsim.simulate(imsim.compose('baseline', ['run.replicates=2', "
    "'run.months=4', 'world.regions=4']), engine='mesa')"
)
SENSITIVITY = [
    "experiment=sensitivity_integration", "sensitivity.samples=2", "run.months=3",
    "run.replicates=1", "world.regions=4", "hydra.run.dir=sens",
]  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "bar"),
    [
        ([sys.executable, "-c", MESA], "imsim mesa"),
        ([sys.executable, "-m", "imsim.cli", *SENSITIVITY], "imsim sensitivity"),
    ],
)
def test_progress_bars_on_a_terminal_and_quiet_otherwise(tmp_path, argv, bar):
    for folder in ("tty", "pipe"):
        (tmp_path / folder).mkdir()
    shown = in_terminal(argv, tmp_path / "tty")
    assert f"{bar}: " in shown and "%|" in shown, shown[-2000:]
    proc = subprocess.run(argv, cwd=tmp_path / "pipe", capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert bar not in proc.stderr + proc.stdout


def test_a_calibration_shows_its_progress_on_a_terminal(tmp_path):
    import yaml

    target = {"statistic": "harm_per_month", "overrides": ["run.months=12", "world.regions=4"],
              "observed": 30.0, "sd": 5.0, "source": "a test"}  # fmt: skip
    (tmp_path / "targets.yaml").write_text(yaml.safe_dump({"targets": {"killings": target}}))
    argv = [
        sys.executable, "-m", "imsim.cli", "experiment=calibration",
        f"abc.targets={tmp_path / 'targets.yaml'}", "abc.parameters={harm_rate: declared}",
        "abc.population=10", "abc.generations=1", "abc.replicates=1", "abc.draws=2",
        f"hydra.run.dir={tmp_path / 'calibration'}",
    ]  # fmt: skip
    shown = in_terminal(argv, tmp_path)
    assert "imsim calibration: " in shown and "%|" in shown, shown[-2000:]
    assert (tmp_path / "calibration" / "coefficients.yaml").is_file()


@pytest.mark.parametrize(
    ("variable", "bad", "allowed"),
    [
        ("IMSIM_THREADS", "two", "whole number"),
        ("IMSIM_HEAP", "bogus", "keep, system"),
        ("IMSIM_BLOCKS", "fork", "processes, threads"),
    ],
)
@pytest.mark.parametrize("sweep", [False, True])
def test_a_bad_engine_variable_is_one_line_before_anything_is_written(
    tmp_path, variable, bad, allowed, sweep
):
    import os

    args = ["run.months=2", "run.replicates=2"]
    if sweep:
        args = ["-m", *args, "integration=two_feet_in,two_feet_out"]
    proc = imsim(*args, cwd=tmp_path, check=False, env={**os.environ, variable: bad})
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert variable in proc.stderr and f"'{bad}'" in proc.stderr and allowed in proc.stderr
    assert not any(tmp_path.iterdir())
