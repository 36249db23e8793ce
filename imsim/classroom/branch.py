"""What would have happened: alternatives branched from a live run's current state.

Each alternative is the live config with some settings changed from the
next month on; every alternative runs ``replicates`` replicates through the
batched engine from the live state at ``month``. Replicate r of every
alternative draws the noise of replicate r of the live run's seed, so the
live run (replicate 0) is replicate 0 of the branch that changes nothing,
and alternatives differ by their settings, not their luck (common random
numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from omegaconf import DictConfig

from ..compile.run import compile_points
from ..config.plain import plain, with_values
from ..core.arrays import map_arrays
from ..core.state import State
from ..engines import batched
from ..results.summary import SERIES, NationalRecorder

# The fan charts' national series (results.summary.SERIES names).
FAN_SERIES = (
    "humanitarian_space",
    "neutrality",
    "access",
    "displaced",
    "civilian_harm",
    "consolidation",
)
ROOM = "the room's own decisions"
# Alternatives a trainer can ask for: label -> settings from the next month on.
ALTERNATIVES: dict[str, dict[str, Any]] = {
    "escorts as a last resort": {"force.escorts": "last_resort"},
    "no escorts": {"force.escorts": "never"},
    "HC outside the mission": {"integration.hc_location": "two_feet_out"},
    "HC and OCHA inside the mission": {"integration.hc_location": "two_feet_in"},
    "QIPs screened by the HC": {"force.qips": "hc_approved"},
    "no shared assets or UN brand": {"integration.shared_assets": 0.0, "integration.branding": 0.0},
    "humanitarian-led security": {"security.management": "humanitarian"},
}


@dataclass
class Fan:
    """National series of every alternative: ``series[name]`` is (alternative, replicate,
    month) for months ``month .. stop``."""

    labels: list[str]
    months: np.ndarray
    series: dict[str, np.ndarray]

    def band(self, name: str, low: float = 0.05, high: float = 0.95) -> np.ndarray:
        """(alternative, 3, month): the low quantile, the median and the high quantile."""
        x = self.series[name]
        return np.stack([np.quantile(x, q, axis=1) for q in (low, 0.5, high)], axis=1)


def tile(state: State, n: int) -> State:
    """One batch element repeated ``n`` times along the batch axis."""
    return map_arrays(state, lambda a, spec: np.repeat(a, n, axis=0) if "B" in spec else a)


def branch(
    cfg: DictConfig,
    state: State,
    month: int,
    alternatives: Mapping[str, Mapping[str, Any]],
    horizon: int,
    replicates: int = 32,
) -> Fan:
    """Run each alternative (label -> settings, {} for none) for ``horizon`` months from
    ``state``, the live run's state at ``month``; the run's own events still apply."""
    stop = min(month + horizon, int(cfg.run.months))
    base = plain(cfg)
    events = [e for e in base.events if e["month"] <= stop]
    points = []
    for changes in alternatives.values():
        values = {
            "run.replicates": replicates,
            "run.months": stop,  # the timeline ends with the branch
            "events": events + ([{"month": month + 1, "set": dict(changes)}] if changes else []),
        }
        points.append(with_values(base, values))
    timeline, keys = compile_points(points)
    start = tile(state, len(points) * replicates)
    recorder = NationalRecorder(start, stop - month, timeline.params.population[0])
    batched.run(timeline, start, keys, recorder=recorder, start=month, stop=stop)
    series = {
        name: humanitarian_mean(name, recorder.data[name]).reshape(len(points), replicates, -1)
        for name in FAN_SERIES
    }
    return Fan(list(alternatives), np.arange(month, stop + 1), series)


def humanitarian_mean(name: str, x: np.ndarray) -> np.ndarray:
    """A national series, a per-actor one (..., H) as its mean over the humanitarian actors
    (every actor but the mission, which comes last)."""
    return x[..., :-1].mean(axis=-1) if SERIES[name][0] else x
