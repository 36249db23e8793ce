"""A calibration's generations as jobs on any Hydra launcher.

    imsim -m hydra/sweeper=imsim experiment=calibration hydra/launcher=ray

The imsim sweeper runs pyabc in its own process, as ``calibrate`` does, but
every batch of proposed parameter sets is cut into chunks of
``abc.chunk_size`` rows and each chunk is one launcher job (joblib, Ray,
SLURM through submitit): it simulates its rows through the batched engine
(``TargetSimulator``) and writes their targets' values atomically. A row is
simulated with the same seeds in any chunk (common random numbers), so a
launched calibration gives an in-process one's numbers exactly.

A batch's folder is named by a digest of its parameter sets. Each
generation's proposals are seeded, so a generation interrupted midway
proposes the same batches again when resumed, and the chunks already
written are not run twice. The parameter sets and every chunk carry a checksum
of their values: a file altered, truncated or unreadable is found when it is read
and computed again (said in one line of the log), never used.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import shutil
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import DictConfig

from ..config.compose import as_written
from ..config.overrides import quoted
from ..config.plain import plain
from ..results.checksum import variable_digest
from ..results.storage import ResultsError, atomic_write
from .checks import check_abc, output_folder, study_node
from .report import write_report
from .run import Simulate, calibrate, setup

BATCHES = "batches"
THETA = "theta.npz"
log = logging.getLogger(__name__)


def _save(path: Path, a: np.ndarray) -> Path:
    """Write ``a`` with a checksum of its values, atomically."""
    a = np.ascontiguousarray(a, dtype=float)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            np.savez(f, values=a, sha256=np.frombuffer(variable_digest("values", a), np.uint8))

    return atomic_write(path, write)


def _load(path: Path) -> np.ndarray | None:
    """The values ``_save`` wrote at ``path``, or None when the file is missing, unreadable
    or fails its checksum."""
    try:
        with np.load(path, allow_pickle=False) as f:
            values, digest = f["values"], f["sha256"].tobytes()
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    return values if variable_digest("values", values) == digest else None


def chunk_file(folder: Path, chunk: int) -> Path:
    return folder / f"chunk-{chunk:06d}.npz"


class LaunchedSimulator:
    """``TargetSimulator``'s call, ``(theta, on_runs) -> (N, targets)``, run as launcher jobs
    of ``chunk_size`` rows each in ``out/batches/<digest>/``; every job is composed from
    ``overrides`` (the command line's, Hydra's own keys aside)."""

    def __init__(
        self,
        launcher: Any,
        overrides: Sequence[str],
        out: Path,
        chunk_size: int,
        runs_per_set: int,
    ):
        self.launcher, self.overrides, self.out = launcher, list(overrides), Path(out)
        self.chunk_size, self.runs_per_set = chunk_size, runs_per_set
        self.launched: list[int] = []  # jobs per batch, for tests and the log

    def __call__(
        self, theta: np.ndarray, on_runs: Callable[[int], None] | None = None
    ) -> np.ndarray:
        theta = np.ascontiguousarray(theta, dtype=float)
        shape = np.array(theta.shape, dtype=np.int64).tobytes()
        digest = hashlib.sha256(shape + theta.tobytes()).hexdigest()[:16]
        folder = self.out / BATCHES / digest
        written = _load(folder / THETA)
        if written is None or not np.array_equal(written, theta):
            if (folder / THETA).exists():
                log.warning(f"calibration: {folder / THETA} failed its check; written again")
                for stale in folder.glob("chunk-*.npz"):  # computed from other parameter sets
                    stale.unlink()
            _save(folder / THETA, theta)
        chunks = math.ceil(theta.shape[0] / self.chunk_size)
        todo = [c for c in range(chunks) if _load(chunk_file(folder, c)) is None]
        damaged = [c for c in todo if chunk_file(folder, c).exists()]
        if damaged:
            log.warning(f"calibration: chunks {damaged} of {folder} failed their check; recomputed")
        self._launch(folder, todo)
        parts = [_load(chunk_file(folder, c)) for c in range(chunks)]
        missing = [c for c, part in enumerate(parts) if part is None]
        if missing:
            raise ResultsError(
                f"calibration: chunks {missing} of {folder} are missing or fail their check "
                "after their jobs ran; run the command again to recompute them"
            )
        values = np.concatenate(parts)
        shutil.rmtree(folder)
        if on_runs is not None:
            on_runs(theta.shape[0] * self.runs_per_set)
        return values

    def _launch(self, folder: Path, chunks: Sequence[int]) -> None:
        self.launched.append(len(chunks))
        if not chunks:
            return
        jobs = [
            [
                *self.overrides,
                f"hydra.sweeper.batch={quoted(folder)}",
                f"hydra.sweeper.chunk={c}",
                f"hydra.sweep.dir={quoted(self.out)}",
                f"hydra.sweep.subdir={BATCHES}/{folder.name}/job-{c:06d}",
            ]
            for c in chunks
        ]
        for ret in self.launcher.launch(jobs, initial_job_idx=0):
            _ = ret.return_value  # re-raises a failed job's error


def run_calibration_chunk(cfg: DictConfig) -> str:
    """The Hydra task of a calibration job: one chunk of a batch, its values written
    atomically beside the batch's parameter sets."""
    from hydra.core.hydra_config import HydraConfig

    hydra = HydraConfig.get()
    folder, chunk = Path(hydra.sweeper.batch), int(hydra.sweeper.chunk)
    abc = plain(as_written(cfg, hydra.overrides.task)).abc
    simulate = _simulator(worker_settings(abc))
    return str(run_chunk_in(simulate, folder, chunk, int(abc.chunk_size)))


def worker_settings(abc: Mapping) -> str:
    """A calibration's settings as a worker's cache key, in the order written: sampled
    values are columns in ``abc.parameters``' order (sorting the keys once applied each
    value to another coefficient, a wrong posterior with exit 0)."""
    return json.dumps(abc)


@functools.lru_cache(maxsize=4)
def _simulator(settings: str) -> Simulate:
    """The targets' simulator of a calibration's settings (JSON), built once per worker:
    composing every target's configuration costs about a second, a tenth of a job."""
    return setup(plain(json.loads(settings))).simulator


def run_chunk_in(simulate: Simulate, folder: Path | str, chunk: int, size: int) -> Path:
    """Simulate chunk ``chunk`` (rows of ``size``) of the batch in ``folder``; write it."""
    folder = Path(folder)
    theta = _load(folder / THETA)
    if theta is None:
        raise ResultsError(f"calibration: {folder / THETA} is missing or fails its check")
    return _save(
        chunk_file(folder, chunk), simulate(theta[chunk * size : (chunk + 1) * size], None)
    )


def calibrate_launched(
    cfg: DictConfig, out: Path, launcher: Any, overrides: Sequence[str]
) -> list[Path]:
    """Run (or resume) ``cfg.abc`` into ``out`` with its batches on ``launcher`` (jobs
    composed from ``overrides``), then write the report (its posterior-predictive check
    runs in this process)."""
    abc, out = study_node(cfg, "abc", check_abc), output_folder(out)
    s = setup(abc)
    size, runs = int(abc.chunk_size), s.simulator.runs_per_set
    simulator = LaunchedSimulator(launcher, overrides, out, size, runs)
    post = calibrate(cfg, out, simulator=simulator)
    shutil.rmtree(out / BATCHES, ignore_errors=True)  # every batch was read
    log.info(f"calibration: {sum(simulator.launched)} jobs in {len(simulator.launched)} batches")
    return write_report(out, s, post, abc)
