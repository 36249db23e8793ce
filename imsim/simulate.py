"""``imsim.simulate``: run a config on either engine and return a Dataset."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr
from omegaconf import DictConfig

from .compile.initial import initial_state
from .compile.timeline import Schedule, compile_schedule
from .config.validate import region_names, validate
from .core.streams import batch_keys
from .engines import batched
from .results.dataset import to_dataset

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
        from .engines.mesa.model import run_mesa

        recorder = run_mesa(schedule, state, keys, on_month)
    return to_dataset(recorder.data, recorder.axes, cfg, region_names(cfg), schedule.actors)
