"""Evaluating many points of a sweep in one call of the batched engine.

Every point keeps the random keys it would have alone (seed, replicate), so
its numbers are identical to running its config by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import xarray as xr

from ..compile.initial import initial_state
from ..compile.timeline import compile_schedule
from ..config.plain import Tree
from ..config.validate import ConfigError, region_names
from ..core.streams import batch_keys
from ..engines import batched
from ..engines.recorder import Recorder
from ..results.dataset import labelled
from ..results.summary import NationalRecorder, reduce, summary_dataset

STORES = ("trajectories", "summary")


def _shape(p: Tree) -> tuple:
    return (
        p.run.months,
        p.run.replicates,
        tuple(region_names(p)),
        p.ngos.principled,
        p.ngos.multi_mandate,
    )


def evaluate(
    points: Sequence[Tree], store: str, on_month: Callable[[int], None] | None = None
) -> xr.Dataset:
    """Run points of equal shape as one batch; dims (point, replicate, ...).

    ``store`` is ``trajectories`` (every recorded variable, every month) or
    ``summary`` (the reductions of ``imsim.summary``).
    """
    if store not in STORES:
        raise ConfigError("hydra.sweeper.store", store, ", ".join(STORES))
    shapes = {_shape(p) for p in points}
    if len(shapes) != 1:
        raise ValueError(
            f"points of one batch must share months, replicates, regions, NGOs: {shapes}"
        )
    schedule = compile_schedule(points)
    reps = schedule.replicates
    keys = np.concatenate([batch_keys(int(p.run.seed), np.arange(reps)) for p in points])
    strength = np.array([float(p.mission.initial_strength) for p in points])
    state = initial_state(schedule.worlds, reps, schedule.at(0), strength)
    months = int(points[0].run.months)
    if store == "summary":
        recorder = NationalRecorder(state, months, schedule.params.population[0])
    else:
        recorder = Recorder(state, months)
    batched.run(schedule, state, keys, on_month, recorder)
    n = len(points)

    def fold(a: np.ndarray) -> np.ndarray:  # batch axis -> (point, replicate)
        return a.reshape((n, reps) + a.shape[1:])

    if store == "summary":
        summary = {k: (fold(a), per_actor) for k, (a, per_actor) in reduce(recorder.data).items()}
        ds = summary_dataset(summary, schedule.actors, ("point", "replicate"))
        return ds.assign_coords(replicate=np.arange(reps))
    data = {k: fold(v) for k, v in recorder.data.items()}
    regions = region_names(points[0])
    return labelled(data, recorder.axes, ("point", "replicate"), regions, schedule.actors)
