"""``imsim.simulate``: run a config on either engine and return a Dataset."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr
from omegaconf import DictConfig

from .config.validate import region_names, validate
from .core.random import batch_keys
from .engines import batched
from .initial import initial_state
from .results import to_dataset
from .schedule import Schedule, compile_schedule

ENGINES = ("batched", "mesa")


def prepare(cfg: DictConfig) -> tuple[Schedule, np.ndarray]:
    """The schedule and random keys of one config."""
    schedule = compile_schedule([cfg])
    keys = batch_keys(int(cfg.run.seed), np.arange(cfg.run.replicates))
    return schedule, keys


def simulate(
    cfg: DictConfig, engine: str = "batched", on_month: Callable[[int], None] | None = None
) -> xr.Dataset:
    """Run ``cfg`` (from ``imsim.compose``) on the batched or the Mesa engine.

    Both engines give the same numbers for the same config and seed.
    """
    from .config.validate import ConfigError

    if engine not in ENGINES:
        raise ConfigError("engine", engine, ", ".join(ENGINES))
    validate(cfg)
    schedule, keys = prepare(cfg)
    state = initial_state(
        schedule.worlds,
        schedule.replicates,
        schedule.at(0),
        np.array([cfg.mission.initial_strength]),
    )
    if engine == "batched":
        recorder = batched.run(schedule, state, keys, on_month)
    else:
        from .model import run_mesa

        recorder = run_mesa(schedule, state, keys, on_month)
    return to_dataset(recorder.data, recorder.axes, cfg, region_names(cfg), schedule.actors)
