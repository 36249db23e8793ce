"""The Mesa engine: one mesa.Model per replicate, the actors as agents.

Agents decide simultaneously from the state at the start of the month (their
order does not matter); the model then moves the world with the same
``transition`` the batched engine uses, so both engines give the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable

import mesa
import numpy as np

from ...compile.timeline import Schedule
from ...core.actors import OCHA, UNHCR
from ...core.arrays import take
from ...core.decisions import empty_decisions
from ...core.state import State
from ...core.step import draw_noise, transition
from ..recorder import Recorder
from .agents import DSRSG, NGO, OCHA_, SRSG, UNHCR_, ArmedGroup, Force, LocalAuthority


class MissionModel(mesa.Model):
    """One replicate of an integrated mission, month by month."""

    def __init__(
        self,
        schedule: Schedule,
        state: State,
        key: np.ndarray,
        regions: list[str] | None = None,
        seed: int | None = None,
    ):
        super().__init__(rng=seed)
        self.schedule_ = schedule
        self.key = key
        self.state = state
        self.month = 0
        self.params = schedule.at(0)
        self.decisions = None  # the last month's decisions, for narratives
        H, R = state.neutrality.shape[1:]
        names = schedule.actors
        regions = regions or [f"region_{i + 1}" for i in range(R)]
        SRSG(self, "SRSG", row=H - 1)
        DSRSG(self, "DSRSG/RC/HC")
        Force(self, "Force")
        OCHA_(self, "OCHA", row=OCHA)
        UNHCR_(self, "UNHCR", row=UNHCR)
        for i, name in enumerate(names[2:-1], start=2):
            NGO(self, name, row=i)
        for r, region in enumerate(regions):
            LocalAuthority(self, f"authority of {region}", region=r)
            ArmedGroup(self, f"armed groups in {region}", region=r)
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "humanitarian_space": lambda m: float(m.state.humanitarian_space[0]),
                "coherence": lambda m: float(m.state.coherence[0]),
                "hc_attention": lambda m: float(m.state.hc_attention[0]),
                "displaced": lambda m: float(m.state.displaced[0].sum()),
            }
        )
        self.datacollector.collect(self)

    @property
    def months(self) -> int:
        return self.schedule_.params.deployed.shape[0] - 1

    def step(self) -> None:
        if self.month >= self.months:
            self.running = False
            return
        self.month += 1
        self.params = self.schedule_.at(self.month)
        H, R = self.state.neutrality.shape[1:]
        decisions = empty_decisions(1, H, R)
        self.agents.do("decide", decisions)
        self.decisions = decisions
        self.state = transition(
            self.state, decisions, self.params, draw_noise(self.key, self.month, H, R)
        )
        self.datacollector.collect(self)


def run_mesa(
    schedule: Schedule,
    state: State,
    keys: np.ndarray,
    on_month: Callable[[int], None] | None = None,
) -> Recorder:
    """Run each replicate as its own MissionModel and stack their records."""
    recorders = []
    for b in range(keys.shape[0]):
        model = MissionModel(schedule.batch(b), take(state, "B", b), keys[b : b + 1], seed=b)
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
