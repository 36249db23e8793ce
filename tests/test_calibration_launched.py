"""A calibration's batches as jobs on Hydra's launchers give the in-process numbers."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sweeping import LAUNCHERS as OTHER_LAUNCHERS
from sweeping import imsim
from test_calibration import small_targets

from imsim.calibration.launched import THETA, LaunchedSimulator, chunk_file, run_chunk_in
from imsim.calibration.simulator import TargetSimulator
from imsim.calibration.targets import load_targets
from imsim.config.ranges import prior

LAUNCHERS = {"basic": (), **OTHER_LAUNCHERS}


def abc_args(targets) -> list[str]:
    return [
        "experiment=calibration",
        f"abc.targets={targets}",
        # not in alphabetical order: workers must apply each value to its own coefficient
        "abc.parameters={incidents_targeted:declared,harm_rate:declared}",
        "abc.population=24",
        "abc.generations=2",
        "abc.replicates=2",
        "abc.overrides=[]",
        "abc.seed=3",
        "abc.draws=8",
    ]


# The second generation's moves, a batch each: three are enough for several batches; the
# default 50 made the submitit launcher, which starts a process a job, take 4.5 minutes.
FEW_MOVES = "abc.steps=3"


@pytest.fixture(scope="module")
def in_process(tmp_path_factory):
    """The calibration run by ``imsim experiment=calibration``, in one process."""
    root = tmp_path_factory.mktemp("in_process")
    targets = small_targets(root)
    imsim(*abc_args(targets), FEW_MOVES, f"hydra.run.dir={root / 'run'}", cwd=root)
    return targets, root / "run"


@pytest.mark.parametrize("launcher", sorted(LAUNCHERS))
def test_a_launched_calibration_gives_the_in_process_numbers(launcher, in_process, tmp_path):
    targets, expected = in_process
    out = tmp_path / "run"
    args = [*abc_args(targets), FEW_MOVES, "abc.chunk_size=16", *LAUNCHERS[launcher]]
    proc = imsim("-m", "hydra/sweeper=imsim", f"hydra.sweep.dir={out}", *args, cwd=tmp_path)
    jobs, batches = map(int, re.search(r"(\d+) jobs in (\d+) batches", proc.stdout).groups())
    assert jobs > batches >= 3  # every batch went through the launcher, in several jobs
    for name in ("posterior.csv", "generations.csv", "ppc.csv", "coefficients.yaml"):
        assert (out / name).read_bytes() == (expected / name).read_bytes(), name
    assert not (out / "batches").exists()
    if launcher == "basic":  # the same command again: the finished calibration, not refused
        again = imsim("-m", "hydra/sweeper=imsim", f"hydra.sweep.dir={out}", *args, cwd=tmp_path)
        assert "0 jobs in 0 batches" in again.stdout
        assert (out / "posterior.csv").read_bytes() == (expected / "posterior.csv").read_bytes()


class Interrupted(Exception):
    pass


class FakeLauncher:
    """Runs each job's chunk in this process; can stop after ``fail_after`` jobs."""

    def __init__(self, simulator: TargetSimulator, size: int, fail_after: int | None = None):
        self.simulator, self.size, self.fail_after = simulator, size, fail_after
        self.ran: list[int] = []

    def launch(self, jobs, initial_job_idx):
        for job in jobs:
            values = dict(o.split("=", 1) for o in job if o.startswith("hydra.sweeper."))
            folder = values["hydra.sweeper.batch"].strip("'")
            if self.fail_after is not None and len(self.ran) == self.fail_after:
                raise Interrupted
            chunk = int(values["hydra.sweeper.chunk"])
            run_chunk_in(self.simulator, folder, chunk, self.size)
            self.ran.append(chunk)
        return []


def interrupted_batch(tmp_path):
    """A batch of 11 parameter sets in chunks of 4, interrupted after two chunks: its
    simulator, parameter sets, the values an uninterrupted run gives, the first launcher
    and the batch's folder."""
    targets = [t for t in load_targets(small_targets(tmp_path)) if t.use == "calibration"]
    simulator = TargetSimulator(targets, [prior("harm_rate"), prior("incidents_targeted")], 2, 3)
    theta = np.column_stack([np.linspace(1e-5, 4e-5, 11), np.linspace(5.0, 25.0, 11)])
    expected = simulator(theta)
    first = FakeLauncher(simulator, 4, fail_after=2)
    with pytest.raises(Interrupted):
        LaunchedSimulator(first, [], tmp_path, 4, simulator.runs_per_set)(theta)
    (folder,) = (tmp_path / "batches").iterdir()
    return simulator, theta, expected, first, folder


def test_an_interrupted_batch_resumes_without_running_a_chunk_twice(tmp_path):
    simulator, theta, expected, first, folder = interrupted_batch(tmp_path)
    assert (folder / THETA).exists() and first.ran == [0, 1]
    assert [chunk_file(folder, c).exists() for c in range(3)] == [True, True, False]

    second = FakeLauncher(simulator, 4)
    runs = []
    got = LaunchedSimulator(second, [], tmp_path, 4, simulator.runs_per_set)(theta, runs.append)
    assert second.ran == [2]  # only the chunk that was not written
    np.testing.assert_array_equal(got, expected)
    assert runs == [11 * simulator.runs_per_set] and not folder.exists()


@pytest.mark.parametrize("damage", ["altered", "truncated", "not_npz", "theta_altered"])
def test_a_damaged_chunk_is_computed_again_never_used(tmp_path, damage, caplog):
    """Chunks and parameter sets carry checksums: one altered, cut short or replaced is
    found when the batch resumes and computed again (one log line), and the values equal
    those of an undamaged run."""
    from imsim.calibration.launched import _save

    simulator, theta, expected, _, folder = interrupted_batch(tmp_path)
    chunk = chunk_file(folder, 0)
    if damage == "altered":
        with np.load(chunk) as f:
            values, digest = f["values"].copy(), f["sha256"].copy()
        values[0, 0] += 1.0
        with open(chunk, "wb") as f:  # the altered values with the old checksum
            np.savez(f, values=values, sha256=digest)
    elif damage == "truncated":
        chunk.write_bytes(chunk.read_bytes()[:100])
    elif damage == "not_npz":
        chunk.write_text("not numbers")
    else:
        _save(folder / THETA, theta[::-1])
    second = FakeLauncher(simulator, 4)
    with caplog.at_level("WARNING"):
        got = LaunchedSimulator(second, [], tmp_path, 4, simulator.runs_per_set)(theta)
    np.testing.assert_array_equal(got, expected)
    assert second.ran == ([0, 1, 2] if damage == "theta_altered" else [0, 2])
    assert "failed" in caplog.text and caplog.text.count("\n") == 1


def test_the_imsim_sweeper_runs_one_calibration_per_command(tmp_path):
    out = tmp_path / "run"
    args = [*abc_args(small_targets(tmp_path)), "abc.seed=1,2"]
    proc = imsim("-m", "hydra/sweeper=imsim", f"hydra.sweep.dir={out}", *args,
                 cwd=tmp_path, check=False)  # fmt: skip
    assert proc.returncode == 2 and not out.exists()
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("imsim: error: abc.seed")


def test_a_worker_reads_the_shipped_calibrations_coefficients_in_their_written_order():
    """The shipped experiment writes its coefficients out of alphabetical order; a worker
    rebuilt from the job's settings must see the same columns as the process that
    proposed them (it once sorted them, applying each value to another coefficient)."""
    from imsim import compose
    from imsim.calibration.checks import priors_of
    from imsim.calibration.launched import _simulator, worker_settings
    from imsim.config.plain import plain

    abc = plain(compose(overrides=["experiment=calibration"])).abc
    written = [p.name for p in priors_of(abc.parameters)]
    assert written != sorted(written)
    worker = _simulator(worker_settings(abc))
    assert [p.name for p in worker.priors] == written


def test_a_launched_calibration_refuses_a_busy_or_foreign_folder_before_writing(tmp_path):
    """The launched calibration's folder is checked like the in-process one's, before Hydra
    starts: one ConfigError line naming hydra.sweep.dir, exit 2, nothing written."""
    from imsim.calibration.run import SETTINGS
    from imsim.calibration.store import locked

    targets, out = small_targets(tmp_path), tmp_path / "run"
    launched = ["-m", "hydra/sweeper=imsim", f"hydra.sweep.dir={out}", *abc_args(targets)]
    with locked(out):
        before = sorted(p.name for p in out.iterdir())
        busy = imsim(*launched, cwd=tmp_path, check=False)
        assert sorted(p.name for p in out.iterdir()) == before
    assert busy.returncode == 2 and busy.stderr.count("\n") == 1, busy.stderr
    assert busy.stderr.startswith("imsim: error: hydra.sweep.dir")
    (out / SETTINGS).write_text("another calibration's settings\n")
    before = sorted(p.name for p in out.iterdir())
    foreign = imsim(*launched, cwd=tmp_path, check=False)
    assert foreign.returncode == 2 and foreign.stderr.count("\n") == 1, foreign.stderr
    assert "choose another hydra.sweep.dir" in foreign.stderr
    assert sorted(p.name for p in out.iterdir()) == before
