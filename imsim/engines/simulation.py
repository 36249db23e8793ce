"""``imsim.simulate``: run a config on either engine and return a Dataset."""

from __future__ import annotations

from collections.abc import Callable

import xarray as xr
from omegaconf import DictConfig

from ..compile.run import prepare_run
from ..config.errors import ConfigError
from ..config.validate import validate
from ..results.dataset import to_dataset
from .backends import BATCH_ENGINES, batch_engine

ENGINES = (*BATCH_ENGINES, "mesa")


def simulate(
    cfg: DictConfig,
    engine: str = "batched",
    on_month: Callable[[int], None] | None = None,
    progress: bool | None = None,
) -> xr.Dataset:
    """Run ``cfg`` (from ``imsim.compose``) on the batched (numpy) engine, the JAX engine
    (``imsim[jax]``) or the Mesa engine.

    Every engine gives the same numbers for the same config and seed (JAX's to rounding).
    ``progress``: a bar over the months (of every replicate, on the Mesa engine) on a
    terminal; by default for the Mesa engine only, which steps one replicate at a time.
    """
    if not isinstance(cfg, DictConfig):
        raise ConfigError("cfg", type(cfg).__name__, "a config from imsim.compose(...)")
    if engine not in ENGINES:
        raise ConfigError("engine", engine, ", ".join(ENGINES))
    if on_month is not None and not callable(on_month):
        raise ConfigError("on_month", on_month, "a function of the month, or None")
    if progress is not None and not isinstance(progress, bool):
        raise ConfigError("progress", progress, "True, False or None (a bar for the Mesa engine)")
    validate(cfg)
    if engine == "jax":
        batch_engine(engine)  # JAX not installed: one line naming the extra
    if not (engine == "mesa" if progress is None else progress):
        return run_validated(cfg, engine, on_month)
    from tqdm import tqdm

    steps = cfg.run.months * (cfg.run.replicates if engine == "mesa" else 1)
    with tqdm(total=steps, desc=f"imsim {engine}", unit="month", disable=None, leave=False) as bar:

        def month(m: int) -> None:
            bar.update()
            if on_month is not None:
                on_month(m)

        return run_validated(cfg, engine, month)


def run_validated(
    cfg: DictConfig, engine: str = "batched", on_month: Callable[[int], None] | None = None
) -> xr.Dataset:
    """``simulate`` for a config already validated (the command line checks it first)."""
    if engine in BATCH_ENGINES:
        batch = batch_engine(engine)
        run = batch.prepare([cfg])
        recorder = batch.run(run.timeline, run.state, run.keys, on_month)
    else:
        from .mesa.model import run_mesa

        run = prepare_run([cfg])
        recorder = run_mesa(run, on_month)
    population = run.timeline.worlds[0].population
    return to_dataset(recorder.data, recorder.axes, cfg, run.regions, run.actors, population)
