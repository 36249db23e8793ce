"""What the ``imsim`` command checks before Hydra starts and writes anything.

A run or a whole sweep is composed from the command line (with Hydra's own
node, so settings reached through an experiment config are seen too) and
validated; its output folder must be writable, and its memory and disk need,
known up front, must fit the machine. Every refusal is one ConfigError.
"""

from __future__ import annotations

import importlib
import math
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from omegaconf import DictConfig

from .config.compose import (
    check_overrides,
    compose_job,
    is_hydra_key,
    parse_overrides,
    without_hydra,
)
from .config.errors import ConfigError
from .config.keys import region_names
from .config.plain import plain, with_values
from .config.schema import SWEEPER_TARGET
from .config.validate import validate
from .core.actors import actor_names
from .core.state import RECORDED, variables
from .extras import STUDY_EXTRAS, require
from .sweep.grid import Grid
from .sweep.store import AUTO_TRAJECTORIES_BYTES

# A run holds its recorded trajectories in the engine, as the Dataset and as netCDF bytes.
COPIES = 3


def run_bytes(cfg: Mapping, points: int = 1) -> int:
    """Bytes the recorded trajectories of ``points`` points of ``cfg``'s shape take: each
    recorded variable's size per replicate and month, from its declared axes and dtype."""
    sizes = {
        "H": len(actor_names(cfg.ngos.principled, cfg.ngos.multi_mandate)),
        "R": len(region_names(cfg)),
    }
    per_month = sum(
        math.prod(sizes[a] for a in v.axes[1:]) * np.dtype(v.dtype).itemsize
        for name, v in variables().items()
        if name in RECORDED
    )
    return points * cfg.run.replicates * (cfg.run.months + 1) * per_month


# A calibration's folder: its database, ≈ 100 bytes per coefficient or statistic of each
# particle kept (measured: 5.2 MB for 5 generations of 300 particles, 20 coefficients and
# 15 calibration targets, 97 bytes each), and its report's figures (≈ 1 MB).
CALIBRATION_ROW_BYTES = 128
CALIBRATION_REPORT_BYTES = 2_000_000


def calibration_bytes(abc: Mapping) -> int:
    """Disk a calibration's folder needs: its database and its report."""
    from .calibration.targets import load_targets

    rows = len(abc["parameters"]) + len(load_targets(abc["targets"], "abc.targets")) + 2
    kept = int(abc["generations"]) * int(abc["population"])
    return kept * rows * CALIBRATION_ROW_BYTES + CALIBRATION_REPORT_BYTES


def available_memory() -> int | None:
    """Bytes of memory available to a new process (Linux), or None if unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.3g} {unit}"
        n /= 1000
    return f"{n:.3g} TB"


def check_memory(
    cfg: Mapping, points: int = 1, key: str = "run.replicates", value: int | None = None
) -> None:
    """The trajectories ``points`` points of ``cfg`` hold fit in memory; else a ConfigError
    naming ``key`` (whose ``value`` scales the need: replicates, or points per chunk)."""
    need, have = COPIES * run_bytes(cfg, points), available_memory()
    value = cfg.run.replicates if value is None else value
    if have is not None and need > have:
        most = max(1, int(value * have / need))
        raise ConfigError(
            key,
            value,
            f"at most about {most} here (needs {_size(need)}, {_size(have)} of memory available)",
        )


def check_batches(cfg: Mapping, node: str) -> None:
    """A calibration's or credibility report's batch (``chunk_size`` parameter sets times
    its ``replicates``, one target configuration at a time) fits in memory: a large
    ``replicates`` times population once grew a process to 13.7 GB in a minute."""
    study = cfg[node]
    runs = with_values(cfg, {"run.replicates": int(study.replicates)})
    if COPIES * run_bytes(runs, 1) > (available_memory() or math.inf):
        check_memory(runs, 1, f"{node}.replicates", int(study.replicates))
    check_memory(runs, int(study.chunk_size), f"{node}.chunk_size", int(study.chunk_size))


def check_folder(key: str, folder: str, need: int = 0) -> None:
    """The output folder can be created and written, with ``need`` bytes free."""
    path = Path(folder).expanduser().absolute()
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(key, folder, f"a folder you can write ({existing} is not writable)")
    free = shutil.disk_usage(existing).free
    if need > free:
        raise ConfigError(key, folder, f"a folder with {_size(need)} free ({_size(free)} there)")


# The studies a config can hold, each under its own node, and the check of what the node
# means (the schema checks its shape): a study's stack is imported only when it is asked for.
STUDY_CHECKS = {
    "sensitivity": ("imsim.sweep.sensitivity", "check"),
    "abc": ("imsim.calibration.checks", "check_abc"),
    "credibility": ("imsim.calibration.credibility", "check_credibility"),
}


def check_studies(cfg: Mapping) -> None:
    """Each study node present checked by its own study; raises ConfigError."""
    for node, (module, name) in STUDY_CHECKS.items():
        if cfg.get(node) is not None:
            getattr(importlib.import_module(module), name)(cfg[node])


def check_run(overrides: Sequence[str], inspect: bool = False) -> DictConfig:
    """One run: composed, validated, with room for its results; returns its config."""
    if check_overrides(overrides):
        swept = next(o for o in parse_overrides(overrides) if o.is_sweep_override())
        raise ConfigError(swept.key_or_group, swept.input_line, "one value (add -m to sweep)")
    cfg = compose_job(overrides)
    job = plain(without_hydra(cfg))
    kind = (job.get("study") or {}).get("kind")
    if kind in STUDY_EXTRAS:
        name = cfg.hydra.runtime.choices.get("experiment")
        require(STUDY_EXTRAS[kind], f"imsim experiment={name}")
    check_studies(job)
    if (job.get("study") or {}).get("kind") == "sweep":
        name = cfg.hydra.runtime.choices.get("experiment")
        raise ConfigError("experiment", name, f"imsim -m experiment={name} (a sweep study)")
    if job.get("abc") is not None and not inspect:
        check_calibration_folder(Path(cfg.hydra.run.dir), job)
    if not inspect:
        batched = [node for node in ("abc", "credibility") if job.get(node) is not None]
        for node in batched:
            check_batches(job, node)
        if job.get("sensitivity") is None and not batched:
            check_memory(job)
        need = calibration_bytes(job.abc) if job.get("abc") is not None else run_bytes(job)
        check_folder("hydra.run.dir", cfg.hydra.run.dir, need)
    return cfg


def check_sweep(overrides: Sequence[str], inspect: bool = False) -> Grid:
    """A whole grid: the sweeper's settings, every batch's composed config, and every
    point when swept keys take part in cross-field rules; returns the grid."""
    check_overrides(overrides)
    hydra = [o for o in overrides if is_hydra_key(o.partition("=")[0].lstrip("+~"))]
    composed: dict[tuple[str, ...], DictConfig] = {}

    def job(written: list[str]) -> DictConfig:  # each distinct composition once
        key = tuple(written)
        if key not in composed:
            composed[key] = compose_job(written)
        return composed[key]

    grid = Grid.parse(overrides)
    first = job([*grid.overrides(0), *hydra]) if len(grid) else job(list(overrides))
    params = first.hydra.sweeper.get("params") or {}
    if params:  # a grid declared in a config: checked as if written on the command line
        written = [f"{k}={v}" for k, v in params.items()]
        check_overrides(written)
        grid = Grid.parse([*written, *overrides])
    if first.get("abc") is not None and first.hydra.sweeper.get("_target_") == SWEEPER_TARGET:
        check_calibration(first, grid)
        if not inspect:  # the launched calibration writes into hydra.sweep.dir
            check_calibration_folder(
                Path(first.hydra.sweep.dir), plain(without_hydra(first)), "hydra.sweep.dir"
            )
    for batch in grid.batches():
        base = plain(without_hydra(job([*grid.overrides(batch[0]), *hydra])))
        for number in batch if grid.needs_point_checks() else batch[:1]:
            point = with_values(base, grid.settings(number))
            validate(point)
            check_studies(point)
        sweeper = first.hydra.sweeper
        if sweeper.get("store") == "trajectories" and not inspect:  # a chunk held in memory
            points = min(len(batch), sweeper.chunk_size)
            check_memory(base, points, "hydra.sweeper.chunk_size", sweeper.chunk_size)
    if not inspect:
        check_folder("hydra.sweep.dir", first.hydra.sweep.dir, sweep_bytes(first, grid))
    return grid


def check_calibration_folder(out: Path, job: Mapping, key: str = "hydra.run.dir") -> None:
    """Before Hydra writes anything there: no other calibration writes ``out`` now, and
    any calibration already in it has these settings (then this one resumes it)."""
    from .calibration.run import check_claim
    from .calibration.store import held_by_another

    if held_by_another(out):
        raise ConfigError(key, str(out), "a folder no other calibration is writing now (one is)")
    check_claim(out, job, key)


def check_calibration(first: DictConfig, grid: Grid) -> None:
    """The imsim sweeper runs one calibration per command, its batches as the jobs (Hydra's
    basic sweeper runs one calibration per point instead)."""
    if grid.keys:
        key, values = grid.keys[0], ",".join(grid.texts[0])
        raise ConfigError(key, values, "one value with hydra/sweeper=imsim (one calibration)")


def sweep_bytes(first: DictConfig, grid: Grid) -> int:
    """Disk a sweep's results need: its chunks and the merged file, or every point's run
    (or, for the imsim sweeper's calibration, the calibration's folder)."""
    base = plain(without_hydra(first))
    if base.get("abc") is not None and first.hydra.sweeper.get("_target_") == SWEEPER_TARGET:
        return calibration_bytes(base.abc)
    trajectories = run_bytes(base, len(grid))  # as if every batch had the first's shape
    store = first.hydra.sweeper.get("store")
    if store == "summary":
        return 0
    if store == "auto":
        return 2 * min(trajectories, AUTO_TRAJECTORIES_BYTES)
    return 2 * trajectories if store == "trajectories" else trajectories


def check_environment() -> None:
    """The environment variables the engines read (``IMSIM_THREADS``, ``IMSIM_HEAP``,
    ``IMSIM_BLOCKS``): ConfigError for a bad one before anything runs, not from inside a
    job."""
    from .engines.batched import cores
    from .engines.forked import blocks_mode
    from .engines.heap import heap_choice

    cores()
    heap_choice()
    blocks_mode()
