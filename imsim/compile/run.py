"""Everything a run starts from, assembled in one place for every caller.

``prepare_run`` turns one or more configs of equal shape (a single run, a
sweep chunk, the dashboard's live run) into their timeline, random keys and
month-0 state. Each point keeps the keys it would have alone (seed,
replicate), so its numbers never depend on the batch it shares.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config.keys import region_names
from ..config.plain import plain, with_values
from ..core.params import Params
from ..core.state import State
from ..core.streams import batch_keys
from .initial import initial_state
from .timeline import Timeline, compile_timeline


@dataclass
class Run:
    timeline: Timeline
    keys: np.ndarray  # (B,) one per point and replicate
    state: State  # month 0
    regions: list[str]

    @property
    def actors(self) -> tuple[str, ...]:
        return self.timeline.actors


def shape(cfg: Mapping) -> tuple:
    """What points of one batch must share: months, replicates, regions and NGOs."""
    return (
        cfg.run.months,
        cfg.run.replicates,
        tuple(region_names(cfg)),
        cfg.ngos.principled,
        cfg.ngos.multi_mandate,
    )


def compile_points(cfgs: Sequence[Mapping]) -> tuple[Timeline, np.ndarray]:
    """The timeline and random keys of validated configs of one shape (a run that starts
    from a state it already has, as a classroom's branch does, needs no more)."""
    points = [plain(c) for c in cfgs]
    shapes = {shape(p) for p in points}
    if len(shapes) != 1:
        raise ValueError(
            f"points of one batch must share months, replicates, regions, NGOs: {shapes}"
        )
    timeline = compile_timeline(points)
    reps = timeline.replicates
    keys = np.concatenate([batch_keys(int(p.run.seed), np.arange(reps)) for p in points])
    return timeline, keys


def prepare_run(
    cfgs: Sequence[Mapping], settle: Callable[[State, Params], State] | None = None
) -> Run:
    """The timeline, keys and month-0 state of validated configs of one shape (month 0
    settled by ``settle``, by default numpy's ``initial.settle_points``)."""
    points = [plain(c) for c in cfgs]
    timeline, keys = compile_points(points)
    reps = timeline.replicates
    strength = np.array([float(p.mission.initial_strength) for p in points])
    state = initial_state(timeline.worlds, reps, timeline.at(0), strength, settle)
    return Run(timeline, keys, state, region_names(points[0]))


def default_run(regions: int = 4, replicates: int = 1, months: int = 12, **settings: Any) -> Run:
    """A small world from the schema's own defaults, without Hydra or any YAML: what a
    unit test of a rule starts from (``run.state`` is month 0, ``run.timeline.at(1)``
    month 1's parameters). ``settings`` are config keys with ``__`` for ``.``, e.g.
    ``force__escorts="routine"``; they are validated as any config is."""
    from ..config.schema import ImsimConfig
    from ..config.validate import validate

    base = plain(dataclasses.asdict(ImsimConfig()))
    given = {"world.regions": regions, "run.replicates": replicates, "run.months": months}
    cfg = with_values(base, given | {k.replace("__", "."): v for k, v in settings.items()})
    validate(cfg)
    return prepare_run([cfg])


def default_world(regions: int = 4, replicates: int = 1, **settings: Any) -> tuple[State, Params]:
    """Month 0's state and month 1's parameters of ``default_run``: ``transition``'s and
    every rule's arguments, as gymnax's ``env.reset`` and ``default_params`` give them."""
    run = default_run(regions, replicates, **settings)
    return run.state, run.timeline.at(1)
