"""Every bad input refused in one line, every fault survived (issue "No silent wrong result").

The promise: one line naming the key, the bad value and what is allowed; exit code 2
(``ConfigError`` from Python); nothing written. Faults (Ctrl-C, a full disk, a
read-only folder) end in one line too, with nothing half-written left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from sweeping import imsim as run_imsim

import imsim
from imsim.config.compose import compose_job

SMALL = ("run.months=24", "run.replicates=2", "world.regions=6")
ROOT = Path(__file__).resolve().parent.parent

# (command line, the key the one line must name)
BAD = [
    (["events=[{month:12,set:{force:5}}]"], "events[0].set.force"),
    (["events=[{month:12,set:{scenario:drc_relapse}}]"], "events[0].set.scenario"),
    (["events=[{month:12,set:{integration:sideways}}]"], "events[0].set.integration"),
    (["events=[{month:12,set:{force:{escorts:often}}}]"], "events[0].set.force.escorts"),
    (["-m", "force.troops=range(10,0)"], "force.troops"),
    (["-m", "force.troops=range(0,1000,0)"], "force.troops"),
    (["-m", "force.troops=interval(0,1000)"], "force.troops"),
    (["-m", "force.troops=glob(*)"], "force.troops"),
    (["force.troops=1,2"], "force.troops"),
    (
        ["-m", "experiment=integration_grid", "hydra.sweeper.chunk_size=0"],
        "hydra.sweeper.chunk_size",
    ),
    (["-m", "experiment=integration_grid", "hydra.sweeper.store=zarr"], "hydra.sweeper.store"),
    (["-m", "hydra/sweeper=imsim", "hydra.sweeper.chunk_size=abc"], "hydra.sweeper.chunk_size"),
    (["-m", "hydra/sweeper=imsim", "+hydra.sweeper.foo=1"], "hydra.sweeper.foo"),
    (["-m", "+hydra.sweeper.foo=1", "force.troops=0,1"], "hydra.sweeper.foo"),
    (["hydra/sweeper=nope"], "hydra/sweeper"),
    (["~force"], "force"),
    (["run.replicates=1000000"], "run.replicates"),
    # a calibration's batch, chunk_size parameter sets times replicates, must fit in memory
    (["experiment=calibration", "abc.replicates=1000", "abc.chunk_size=1000000"], "abc.chunk_size"),
    (["operations=sideways"], "operations"),
    (["events=[{month:12,set:{operations:sideways}}]"], "events[0].set.operations"),
    (["experiment=nope"], "experiment"),
    (["calibration.erosion_rate=0.2"], "coefficients.erosion_rate (calibration was renamed"),
    (["calibration=posterior"], "coefficients (calibration was renamed"),
    (["coefficients.workforce_per_need=0.004"], "coefficients.workers_per_million and world"),
    (["experiment=sensitivity_integration", "sensitivity.parameters={}"], "sensitivity.parameters"),
    (["experiment=sensitivity_integration", "sensitivity.outputs=[]"], "sensitivity.outputs"),
    (["sensitivity.method=morris"], "sensitivity.method"),
    (
        ["experiment=sensitivity_integration", "sensitivity.parameters.force.troops=[0,1]"],
        "sensitivity.parameters.force.troops",
    ),
    (["force.escorts="], "force.escorts"),
    (["run.months=abc"], "run.months"),
    (["--bogus"], "unrecognized arguments"),
    (["run.months"], "run.months"),
    (["-m", "--cfg", "job", "force.troops=0,1"], "--cfg"),
    (["world.named.x.phase=conflict"], "world.named.x.phase"),
    (["hydra.job.chdir=abc"], "hydra.job.chdir"),
]


def imsim_cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_imsim(*args, cwd=cwd, env=env, check=False)


def written(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize(("args", "key"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_command_line_is_one_line_exit_2_nothing_written(tmp_path, args, key):
    proc = imsim_cli(*args, cwd=tmp_path)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, proc.stderr[-1500:]
    assert len(lines) == 1 and lines[0].startswith("imsim: error: ") and key in lines[0]
    assert written(tmp_path) == []


@pytest.mark.parametrize(
    ("args", "shows"),
    [
        (["--cfg", "job"], "scenario_name: baseline"),
        (["-c", "job", "run.months=3"], "months: 3"),
        (["--cfg", "job", "-p", "run"], "replicates: 8"),
        (["--info", "config"], "scenario_name"),
        (["--help"], "Config groups (group=option):"),
        (["--hydra-help"], "Hydra (1."),
    ],
)
def test_hydras_inspection_flags_work_and_write_nothing(tmp_path, args, shows):
    proc = imsim_cli(*args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-1500:]
    assert shows in proc.stdout
    assert written(tmp_path) == []


def test_named_regions_can_be_added_from_the_command_line():
    cfg = imsim.compose("katanga_mob", ["world.named={goma:{phase:conflict,population:6e5}}"])
    assert list(cfg.world.named) == ["katanga", "goma"]
    ds = imsim.simulate(imsim.compose("katanga_mob", ["world.named={goma:{phase:conflict}}"]))
    assert list(ds.region.values[:2]) == ["katanga", "goma"]


def test_runs_started_in_the_same_second_get_their_own_folders():
    first, second = compose_job([]).hydra.run.dir, compose_job([]).hydra.run.dir
    assert first != second and first.rsplit("/", 1)[0] == second.rsplit("/", 1)[0]


def test_a_study_writes_where_its_config_says():
    cfg = compose_job(["experiment=sensitivity_integration"])
    assert cfg.hydra.run.dir.startswith("results/sensitivity/integration/")
    assert compose_job([]).hydra.run.dir.startswith("results/runs/baseline/")


@pytest.mark.parametrize(
    "event_set",
    ["{force:{escorts:never}}", "{integration:two_feet_out}"],
)
def test_an_event_setting_a_section_or_group_acts_as_its_keys(event_set):
    keys = {
        "{force:{escorts:never}}": "{force.escorts:never}",
        "{integration:two_feet_out}": "{integration.hc_location:two_feet_out,"
        "integration.information_sharing:0.2,integration.shared_assets:0.0,"
        "integration.branding:0.0}",
    }[event_set]
    base = ["run.replicates=2", "run.months=30", "force.escorts=routine"]
    run = {
        name: imsim.simulate(
            imsim.compose("drc_relapse", [*base, f"events=[{{month:6,set:{text}}}]"])
        )
        for name, text in (("group", event_set), ("keys", keys))
    }
    none = imsim.simulate(imsim.compose("drc_relapse", base))
    np.testing.assert_array_equal(run["group"].neutrality.values, run["keys"].neutrality.values)
    assert not np.array_equal(run["group"].neutrality.values, none.neutrality.values)


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("baseline", [123]), "overrides"),
        (("baseline", "run.replicates=4"), "overrides"),
        ((5, []), "scenario"),
        (("drc_relapse", ["scenario=katanga_mob"]), "scenario"),
        (("baseline", ["hydra.run.dir=x"]), "hydra.run.dir"),
        (("baseline", ["run.months=1,2"]), "run.months"),
    ],
)
def test_python_api_refuses_wrong_arguments_with_config_error(args, key):
    with pytest.raises(imsim.ConfigError) as info:
        imsim.compose(*args)
    assert str(info.value).startswith(key) and "\n" not in str(info.value)


def test_python_api_simulate_refuses_what_is_not_a_config():
    for bad in ("baseline", {"run": {"months": 3}}):
        with pytest.raises(imsim.ConfigError, match="^cfg"):
            imsim.simulate(bad)


def test_readme_modules_are_reachable_after_import_imsim():
    code = "import imsim; imsim.sensitivity.analyse; imsim.plot.erosion; imsim.summary.summarise"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def _interrupt(args: list[str], cwd: Path, ready) -> subprocess.CompletedProcess:
    proc = subprocess.Popen(
        [sys.executable, "-m", "imsim.cli", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not ready() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_ctrl_c_during_a_run_is_one_line_exit_130_nothing_partial(tmp_path):
    run_dir = tmp_path / "run"
    proc = _interrupt(
        ["run.months=1200", "run.replicates=64", f"hydra.run.dir={run_dir}"],
        tmp_path,
        lambda: (run_dir / ".hydra").is_dir(),
    )
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 130 and len(lines) == 1 and "interrupted" in lines[0]
    assert not (run_dir / "trajectories.nc").exists()
    assert not [p for p in run_dir.iterdir() if p.name.startswith(".trajectories")]


def test_ctrl_c_during_a_sweep_says_what_is_kept_and_how_to_resume(tmp_path):
    sweep_dir = tmp_path / "sweep"
    args = [
        "-m",
        "hydra/sweeper=imsim",
        "hydra.sweeper.chunk_size=1",
        f"hydra.sweep.dir={sweep_dir}",
        "force.troops=range(0,20000,500)",
        *SMALL,
    ]
    proc = _interrupt(args, tmp_path, lambda: len(list(sweep_dir.glob("chunks/chunk-*"))) >= 2)
    lines = [line for line in proc.stderr.splitlines() if line.startswith("imsim")]
    assert proc.returncode == 130, proc.stderr[-1500:]
    assert len(lines) == 1 and "to resume" in lines[0] and "Traceback" not in proc.stderr
    assert not (sweep_dir / "sweep.nc").exists()


def _no_space_env(tmp_path: Path) -> dict:
    """An environment whose Python fails every file write with ENOSPC half way."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(
        "import errno, pathlib\n"
        "def write_bytes(self, data):\n"
        "    with open(self, 'wb') as f:\n"
        "        f.write(bytes(data)[: len(data) // 2])\n"
        "    raise OSError(errno.ENOSPC, 'No space left on device', str(self))\n"
        "pathlib.Path.write_bytes = write_bytes\n"
    )
    path = os.pathsep.join([str(tmp_path / "site"), str(ROOT)])
    return {**os.environ, "PYTHONPATH": path}


def test_a_full_disk_mid_write_is_one_line_and_leaves_nothing_half_written(tmp_path):
    run_dir = tmp_path / "run"
    proc = imsim_cli(*SMALL, f"hydra.run.dir={run_dir}", cwd=tmp_path, env=_no_space_env(tmp_path))
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1, proc.stderr[-1500:]
    assert len(lines) == 1 and "No space left" in lines[0] and str(run_dir) in lines[0]
    assert [p.name for p in run_dir.iterdir() if p.suffix in (".nc", ".png")] == []


@pytest.fixture
def tmpfs(tmp_path):
    """A small real file system (root and mount needed; skipped elsewhere)."""
    mount = tmp_path / "fs"
    mount.mkdir()

    def make(size: str, read_only: bool = False) -> Path:
        options = f"size={size}" + (",ro" if read_only else "")
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount)])
        if result.returncode != 0:
            pytest.skip("cannot mount a tmpfs here")
        return mount

    yield make
    subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_calibrations_disk_is_what_its_database_and_report_need(tmp_path, tmpfs):
    """A calibration was checked for a run's trajectories (15 MB, whatever its size): a
    small one now fits a small disk, and one whose database would fill the disk is refused
    before anything runs."""
    from test_calibration import small_targets
    from test_calibration_launched import abc_args

    huge = imsim_cli(
        "experiment=calibration", "abc.population=1000000", "abc.generations=100",
        f"hydra.run.dir={tmp_path}/huge", cwd=tmp_path,
    )  # fmt: skip
    lines = huge.stderr.strip().splitlines()
    assert huge.returncode == 2 and len(lines) == 1, huge.stderr[-1500:]
    assert lines[0].startswith("imsim: error: hydra.run.dir") and "free" in lines[0]
    assert not (tmp_path / "huge").exists()
    folder = tmpfs("4m")  # the small calibration needs ≈ 2 MB, its base run 15 MB
    small = imsim_cli(*abc_args(small_targets(tmp_path)), f"hydra.run.dir={folder}/run",
                      cwd=tmp_path)  # fmt: skip
    assert small.returncode == 0, small.stderr[-1500:]
    assert (folder / "run" / "posterior.csv").exists()


def test_a_read_only_folder_is_refused_before_anything_runs(tmp_path, tmpfs):
    folder = tmpfs("1m", read_only=True)
    proc = imsim_cli(*SMALL, f"hydra.run.dir={folder}/run", cwd=tmp_path)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "hydra.run.dir" in lines[0]
    assert written(folder) == []


def test_a_disk_too_small_is_refused_before_anything_runs(tmp_path, tmpfs):
    folder = tmpfs("64k")
    proc = imsim_cli(*SMALL, f"hydra.run.dir={folder}/run", cwd=tmp_path)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "free" in lines[0]
    assert written(folder) == []


def test_a_disk_that_fills_during_the_write_is_one_line_without_a_crash(tmp_path, tmpfs):
    # room for the estimate (147 KB of data), not for the file with its metadata (192 KB)
    folder = tmpfs("160k")
    proc = imsim_cli(*SMALL, f"hydra.run.dir={folder}/run", cwd=tmp_path)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1, proc.stderr[-1500:]
    assert len(lines) == 1 and "No space left" in lines[0]
    assert [p for p in written(folder) if p.endswith((".nc", ".png"))] == []


def test_ctrl_c_inside_a_librarys_cleanup_still_counts_as_ctrl_c():
    """Hydra's config reader closes an unopened file in ``finally`` when Ctrl-C lands first:
    the KeyboardInterrupt arrives as the context of an UnboundLocalError."""
    from imsim.console import interrupted

    def read_config():
        try:
            raise KeyboardInterrupt  # lands before ``f = open(...)``
            f = None  # noqa: F841
        finally:
            f.close()  # noqa: F821

    with pytest.raises(UnboundLocalError) as err:
        read_config()
    assert interrupted(err.value) and interrupted(KeyboardInterrupt())
    assert not interrupted(ValueError("a real error"))
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise SystemExit(130) from None  # the sweeper's own exit, message printed
    except SystemExit as exc:
        assert not interrupted(exc)


LOST_CTRL_C = """
import os, signal
from imsim import console

class Finaliser:
    def __del__(self):  # Ctrl-C lands in a garbage collector's callback: Python loses it
        os.kill(os.getpid(), signal.SIGINT)

try:
    with console.catching_interrupts():
        Finaliser()
        print("went on")
        console.check_interrupt()
        print("not reached")
except KeyboardInterrupt:
    print("stopped")
"""


def test_ctrl_c_that_python_loses_in_a_finaliser_stops_the_work_at_the_next_batch():
    """SQLAlchemy's garbage-collector callbacks once swallowed a calibration's Ctrl-C (it
    ran to the end and exited 0): the interrupt is remembered and raised between batches."""
    proc = subprocess.run(
        [sys.executable, "-c", LOST_CTRL_C], capture_output=True, text=True, timeout=60
    )
    assert proc.stdout.split() == ["went", "on", "stopped"], proc.stdout + proc.stderr
    assert proc.stderr == ""  # not Python's "Exception ignored in ..." report
