"""The imsim Hydra sweeper: a grid in chunks, each chunk one job on any launcher.

    imsim -m hydra/sweeper=imsim integration=two_feet_in,two_feet_out force.troops=0,10000

The grid is cut into chunks of ``hydra.sweeper.chunk_size`` points (see
``imsim.sweep.grid``); each chunk's job evaluates its points in one call of
the batched engine and writes its file. The sweeper then merges the chunks
into ``sweep.nc`` in ``hydra.sweep.dir``. Re-running the same command on the
same ``hydra.sweep.dir`` skips the chunks already written.

With ``experiment=calibration`` (an ``abc`` node) the sweeper runs the
calibration instead, each batch of proposed parameter sets as chunk jobs on
the launcher (``imsim.calibration.launched``), into ``hydra.sweep.dir``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hydra.core.config_store import ConfigStore
from hydra.core.plugins import Plugins
from hydra.plugins.sweeper import Sweeper
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig, OmegaConf

from imsim.config.schema import SweeperConfig

if TYPE_CHECKING:
    from imsim.sweep.grid import Plan

# Hydra imports this module in every process that composes a config, to find its plugins:
# what a sweep needs is imported when a sweep runs, the calibration's stack only for one.

ConfigStore.instance().store(
    group="hydra/sweeper", name="imsim", node=SweeperConfig, provider="imsim"
)
log = logging.getLogger(__name__)


class _JobListing(logging.Filter):
    """Hydra's launchers list each job by its overrides ("#3 : force.troops=0"): for a
    chunk, its first point only; the sweeper lists every chunk's points instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not re.match(r"\s*#\d+ : ", record.getMessage())


@contextlib.contextmanager
def hiding_job_listing(launcher: object) -> Iterator[None]:
    """Without the launcher's own listing: on the loggers of its module and of the module
    beside it that launches (``_core`` for the joblib and Ray launchers)."""
    module = type(launcher).__module__
    loggers = [logging.getLogger(name) for name in (module, module.rsplit(".", 1)[0] + "._core")]
    listing = _JobListing()
    for logger in loggers:
        logger.addFilter(listing)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(listing)


class ImsimSweeper(Sweeper):
    def __init__(
        self,
        chunk_size: int,
        store: str,
        params: dict[str, str] | None,
        chunk: int | None,
        batch: str | None,
        engine: str = "batched",
    ) -> None:
        self.chunk_size, self.store, self.params = chunk_size, store, params or {}
        self.engine = engine
        self.config: DictConfig | None = None
        self.hydra_context: HydraContext | None = None

    def setup(
        self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig
    ) -> None:
        # Every job of this sweeper evaluates a chunk, whatever the app's own task is.
        self.hydra_context, self.config = hydra_context, config
        if self._calibrating:
            from imsim.calibration.launched import run_calibration_chunk as task
        else:
            from imsim.sweep.job import run_chunk as task
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task, config=config
        )

    @property
    def _calibrating(self) -> bool:
        return self.config is not None and self.config.get("abc") is not None

    def sweep(self, arguments: list[str]) -> Any:
        from imsim.config.errors import ConfigError
        from imsim.console import fail_now
        from imsim.engines.backends import check_engine
        from imsim.extras import MissingExtra
        from imsim.sweep.integrity import locked

        assert self.config is not None and self.hydra_context is not None
        sweep_dir = Path(str(self.config.hydra.sweep.dir)).resolve()
        try:
            check_engine(self.engine, "hydra.sweeper.engine")
        except ConfigError as exc:  # before any folder is made: nothing written
            print(f"imsim: error: {exc}", file=sys.stderr)
            sys.exit(2)
        except MissingExtra as exc:
            print(f"imsim: error: {exc}", file=sys.stderr)
            sys.exit(1)
        try:
            with locked(sweep_dir):
                if self._calibrating:
                    return self._calibrate(sweep_dir, arguments)
                return self._sweep(sweep_dir, self._plan(arguments))
        except ConfigError as exc:  # one line, exit 2, as for any bad input
            print(f"imsim: error: {exc}", file=sys.stderr)
            sys.exit(2)
        except OSError as exc:  # a full disk or a read-only folder: finished chunks are kept
            where = exc.filename or sweep_dir
            message = f"cannot write {where}: {exc.strerror or exc}; rerun the command to resume"
            fail_now("imsim", message, 1)

    def _sweep(self, sweep_dir: Path, plan: Plan) -> Path:
        from imsim.config.overrides import quoted
        from imsim.console import interrupted
        from imsim.sweep.integrity import remove_leftovers
        from imsim.sweep.progress import Progress
        from imsim.sweep.store import CHUNKS, RESULT, finished, merge, open_plan, verified

        for folder in (sweep_dir, sweep_dir / CHUNKS):
            remove_leftovers(folder)
        if open_plan(sweep_dir, plan):
            log.info(f"{sweep_dir / RESULT} is already complete")
            return sweep_dir / RESULT
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        done = set(verified(sweep_dir, plan))
        log.info(
            f"imsim sweep: {len(plan.grid)} points in {len(plan.chunks)} chunks "
            f"({len(done)} already written), store={plan.store}, into {sweep_dir}"
        )
        try:
            with Progress(sweep_dir, plan):
                self._launch(sweep_dir, plan, [c for c in range(len(plan.chunks)) if c not in done])
        except BaseException as exc:
            if not interrupted(exc):
                raise
            kept = len(finished(sweep_dir, plan))
            print(
                f"imsim: interrupted; {kept} of {len(plan.chunks)} chunks are kept in "
                f"{sweep_dir}; run the same command with hydra.sweep.dir={quoted(sweep_dir)} "
                "to resume",
                file=sys.stderr,
            )
            sys.exit(130)
        path = merge(sweep_dir, plan)
        log.info(f"sweep: {path}")
        return path

    def _calibrate(self, sweep_dir: Path, arguments: list[str]) -> list[Path]:
        # one calibration: the command line was checked to sweep nothing (imsim.preflight)
        from imsim.calibration.launched import calibrate_launched
        from imsim.config.compose import as_written, without_hydra
        from imsim.config.overrides import quoted
        from imsim.console import interrupted

        cfg = as_written(without_hydra(self.config), arguments)
        try:
            written = calibrate_launched(cfg, sweep_dir, self.launcher, self._job(arguments))
        except BaseException as exc:
            if not interrupted(exc):
                raise
            print(
                f"imsim: interrupted; the finished generations are kept in {sweep_dir}; "
                f"run the same command with hydra.sweep.dir={quoted(sweep_dir)} to resume",
                file=sys.stderr,
            )
            sys.exit(130)
        for path in written:
            print(f"wrote: {path}")
        return written

    def _launch(self, sweep_dir: Path, plan: Plan, chunks: list[int]) -> None:
        from imsim.config.overrides import quoted

        jobs = [
            plan.job_overrides(c)
            + [
                f"hydra.sweeper.chunk={c}",
                f"hydra.sweep.dir={quoted(sweep_dir)}",
                f"hydra.sweep.subdir=chunk-{c:06d}",
            ]
            for c in chunks
        ]
        for c in chunks:  # the listing of what each job computes (Hydra's names a first point)
            log.info(plan.describe(c))
        if jobs:
            with hiding_job_listing(self.launcher):
                for ret in self.launcher.launch(jobs, initial_job_idx=0):
                    _ = ret.return_value  # re-raises a failed job's error

    def _job(self, arguments: list[str]) -> list[str]:
        """The command line's overrides a job is composed from (Hydra's own keys aside)."""
        from imsim.sweep.grid import Grid

        return Grid.parse(list(arguments), self.hydra_context.config_loader).overrides(0)

    def _plan(self, arguments: list[str]) -> Plan:
        # the grid was checked before Hydra started (imsim.preflight), params included
        from imsim.sweep.grid import Grid, Plan

        written = [f"{k}={v}" for k, v in self.params.items()] + list(arguments)
        grid = Grid.parse(written, self.hydra_context.config_loader)
        return Plan.make(grid, self.chunk_size, self._store(len(grid)))

    def _store(self, points: int) -> str:
        from imsim.config.keys import region_names
        from imsim.core.actors import actor_names
        from imsim.sweep.store import resolve_store

        cfg = self.config
        actors = len(actor_names(cfg.ngos.principled, cfg.ngos.multi_mandate))
        cells = len(region_names(cfg)) * actors
        return resolve_store(self.store, points, cfg.run.replicates, cfg.run.months, cells)
