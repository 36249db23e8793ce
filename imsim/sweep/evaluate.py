"""Evaluating many points of a sweep in one call of the batched engine.

Every point keeps the random keys it would have alone (seed, replicate), so
its numbers are identical to running its config by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import xarray as xr

from ..config.errors import ConfigError
from ..config.plain import Tree
from ..config.schema import EVALUATED_STORES
from ..console import check_interrupt
from ..engines.backends import batch_engine
from ..engines.recorder import Recorder
from ..results.conventions import coordinate_attrs
from ..results.dataset import labelled
from ..results.summary import NationalRecorder, reduce, summary_dataset


def evaluate(
    points: Sequence[Tree],
    store: str,
    on_month: Callable[[int], None] | None = None,
    engine: str = "batched",
) -> xr.Dataset:
    """Run points of equal shape as one batch on ``engine`` (``batched`` or ``jax``);
    dims (point, replicate, ...).

    ``store`` is ``trajectories`` (every recorded variable, every month) or
    ``summary`` (the reductions of ``imsim.summary``).
    """
    if store not in EVALUATED_STORES:
        raise ConfigError("hydra.sweeper.store", store, ", ".join(EVALUATED_STORES))
    check_interrupt()  # a Ctrl-C Python lost stops the work here, between batches
    batch = batch_engine(engine, "hydra.sweeper.engine")
    run = batch.prepare(points)
    timeline, state, reps = run.timeline, run.state, run.timeline.replicates
    months = int(points[0].run.months)
    if store == "summary":
        recorder = NationalRecorder(state, months, timeline.params.population[0])
    else:
        recorder = Recorder(state, months)
    batch.run(timeline, state, run.keys, on_month, recorder)
    n = len(points)

    def fold(a: np.ndarray) -> np.ndarray:  # batch axis -> (point, replicate)
        return a.reshape((n, reps) + a.shape[1:])

    if store == "summary":
        summary = {k: (fold(a), per_actor) for k, (a, per_actor) in reduce(recorder.data).items()}
        ds = summary_dataset(summary, run.actors, ("point", "replicate"))
        return ds.assign_coords(replicate=np.arange(reps))
    data = {k: fold(v) for k, v in recorder.data.items()}
    ds = labelled(data, recorder.axes, ("point", "replicate"), run.regions, run.actors)
    # each point's people per region: the weights of its national figures (results.summary)
    people = timeline.params.population[0][::reps]
    return ds.assign(population=(("point", "region"), people, coordinate_attrs("population")))
