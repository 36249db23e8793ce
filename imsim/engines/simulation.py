"""``imsim.simulate``: run a config on either engine and return a Dataset."""

from __future__ import annotations

from collections.abc import Callable

import xarray as xr
from omegaconf import DictConfig

from ..compile.run import prepare_run
from ..config.errors import ConfigError
from ..config.validate import validate
from ..results.dataset import to_dataset
from . import batched

ENGINES = ("batched", "mesa")


def simulate(
    cfg: DictConfig, engine: str = "batched", on_month: Callable[[int], None] | None = None
) -> xr.Dataset:
    """Run ``cfg`` (from ``imsim.compose``) on the batched or the Mesa engine.

    Both engines give the same numbers for the same config and seed.
    """
    if not isinstance(cfg, DictConfig):
        raise ConfigError("cfg", type(cfg).__name__, "a config from imsim.compose(...)")
    if engine not in ENGINES:
        raise ConfigError("engine", engine, ", ".join(ENGINES))
    if on_month is not None and not callable(on_month):
        raise ConfigError("on_month", on_month, "a function of the month, or None")
    validate(cfg)
    return run_validated(cfg, engine, on_month)


def run_validated(
    cfg: DictConfig, engine: str = "batched", on_month: Callable[[int], None] | None = None
) -> xr.Dataset:
    """``simulate`` for a config already validated (the command line checks it first)."""
    run = prepare_run([cfg])
    if engine == "batched":
        recorder = batched.run(run.timeline, run.state, run.keys, on_month)
    else:
        from .mesa.model import run_mesa

        recorder = run_mesa(run, on_month)
    population = run.timeline.worlds[0].population
    return to_dataset(recorder.data, recorder.axes, cfg, run.regions, run.actors, population)
