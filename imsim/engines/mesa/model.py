"""The Mesa engine: one mesa.Model per replicate, the actors as agents.

Agents decide simultaneously from the state at the start of the month (their
order does not matter), each writing its group of the month's Decisions;
the model then calls the same pure ``step`` the batched engine uses, so both
engines give the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable

import mesa
import numpy as np

from ...compile.timeline import Timeline
from ...core.actors import OCHA, UNHCR
from ...core.arrays import take
from ...core.decisions import Decisions
from ...core.state import State
from ...core.step import draw_noise, step
from ..recorder import Recorder
from .agents import DSRSG, NGO, SRSG, ArmedGroup, Force, LocalAuthority, Ocha, Unhcr


class MissionModel(mesa.Model):
    """One replicate of an integrated mission, month by month."""

    def __init__(
        self,
        timeline: Timeline,
        state: State,
        key: np.ndarray,
        regions: list[str] | None = None,
        seed: int | None = None,
    ):
        super().__init__(rng=seed)
        self.timeline = timeline
        self.key = key
        self.state = state
        self.month = 0
        self.params = timeline.at(0)
        self.decisions: Decisions | None = None  # the last month's, for narratives
        H, R = state.neutrality.shape[1:]
        names = timeline.actors
        regions = regions or [f"region_{i + 1}" for i in range(R)]
        SRSG(self, "SRSG", row=H - 1)
        DSRSG(self, "DSRSG/RC/HC")
        Force(self, "Force")
        Ocha(self, "OCHA", row=OCHA)
        Unhcr(self, "UNHCR", row=UNHCR)
        for i, name in enumerate(names[2:-1], start=2):
            NGO(self, name, row=i)
        for r, region in enumerate(regions):
            LocalAuthority(self, f"authority of {region}", region=r)
            ArmedGroup(self, f"armed groups in {region}", region=r)

    @property
    def months(self) -> int:
        return self.timeline.months

    def step(self) -> None:
        if self.month >= self.months:
            self.running = False
            return
        self.month += 1
        self.params = self.timeline.at(self.month)
        H, R = self.state.neutrality.shape[1:]
        decisions = Decisions.empty(1, H, R)
        self.agents.do("decide", decisions)
        self.decisions = decisions
        noise = draw_noise(self.key, self.month, H, R)
        self.state = step(self.state, self.params, noise, decisions)


def run_mesa(
    timeline: Timeline,
    state: State,
    keys: np.ndarray,
    on_month: Callable[[int], None] | None = None,
) -> Recorder:
    """Run each replicate as its own MissionModel and stack their records."""
    recorders = []
    for b in range(keys.shape[0]):
        model = MissionModel(timeline.batch(b), take(state, "B", b), keys[b : b + 1], seed=b)
        recorder = Recorder(model.state, model.months)
        for month in range(1, model.months + 1):
            model.step()
            recorder.record(month, model.state)
            if on_month is not None:
                on_month(month)
        recorders.append(recorder)
    merged = recorders[0]
    merged.data = {v: np.concatenate([r.data[v] for r in recorders]) for v in merged.data}
    return merged
