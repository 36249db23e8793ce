"""A live run for the dashboard: one replicate on the Mesa engine, stepped by hand.

Events can be injected while it runs: each becomes an ordinary config event
at the next month, and the timeline is recompiled from the config, so a live
run with injected events equals a batch run of the same config and events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf

from ...compile.timeline import compile_timeline
from ...config.compose import compose
from ...core.options import Escorts
from ...results.narrative import Snapshot, narrate, snapshot
from .model import MissionModel

LIVE_MONTHS = 240  # a live run can go on for twenty years
# The dashboard's event buttons: label -> (event at the next month, what the log says).
EVENTS: dict[str, tuple[dict[str, Any], str]] = {
    "ceasefire collapse": ({"shock": "ceasefire_collapse"}, "the ceasefire collapses"),
    "peace agreement": ({"shock": "peace_agreement"}, "a peace agreement is signed"),
    "elections": ({"shock": "elections"}, "elections are called"),
    "security phase raise": (
        {"shock": "security_phase_raise", "level": 4, "months": 12},
        "the UN raises the security phase to 4 for a year",
    ),
    "HC into the mission": (
        {"set": {"integration.hc_location": "two_feet_in"}},
        "the HC moves into the mission (two feet in)",
    ),
    "HC out of the mission": (
        {"set": {"integration.hc_location": "two_feet_out"}},
        "the HC moves out of the mission (two feet out)",
    ),
}


@dataclass
class Live:
    """A scenario running month by month, with its history and its story."""

    scenario: str = "baseline"
    overrides: tuple[str, ...] = ()
    seed: int = 0
    cfg: DictConfig = field(init=False)
    history: list[Snapshot] = field(init=False)
    log: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Start again from month 0 (ConfigError on bad input)."""
        self.cfg = compose(
            self.scenario,
            [
                f"run.months={LIVE_MONTHS}",
                "run.replicates=1",
                f"run.seed={self.seed}",
                *self.overrides,
            ],
        )
        self.model = MissionModel(cfg=self.cfg, collect=False)
        self.regions = self.model.regions
        self.actors = list(self.model.actors)
        self.history = [snapshot(0, self.model.state, None)]
        self.states = [self.model.state]
        self.log = [f"month 0: {self.cfg.scenario_name}, {self.cfg.integration.hc_location}"]

    @property
    def month(self) -> int:
        return self.model.month

    @property
    def done(self) -> bool:
        return self.model.month >= self.model.months

    def step(self) -> list[str]:
        """Advance one month; return (and log) what happened."""
        if self.done:
            return []
        self.model.step()
        self.states.append(self.model.state)
        self.history.append(snapshot(self.month, self.model.state, self.model.decisions))
        escorts = Escorts.parse(OmegaConf.select(self.cfg, "force.escorts"))
        words = narrate(self.history[-2], self.history[-1], self.regions, self.actors, escorts)
        self.log.extend(words)
        return words

    def inject(self, label: str) -> str:
        """Add one of EVENTS at the next month and recompile the timeline from the config."""
        event, words = EVENTS[label]
        month = self.month + 1
        if month > self.model.months:
            return ""
        sentence = f"month {month}: {words}"
        self.add_events([{"month": month, **event}], [sentence])
        return sentence

    def add_events(self, events: list[dict[str, Any]], words: list[str] = ()) -> None:
        """Add config events (at months still to come), check them with the config, and
        recompile the timeline: the run goes on as a batch run of the same events would."""
        from ...config.validate import validate

        previous = OmegaConf.to_container(self.cfg.events)
        self.cfg.events = previous + list(events)
        try:
            validate(self.cfg)
        except Exception:
            self.cfg.events = previous
            raise
        self.model.timeline = compile_timeline([self.cfg])
        self.log.extend(words)

    def frames(self) -> list:
        """The states so far, copied at once: a consistent view while a player thread steps."""
        return list(self.states)

    def series(self, name: str, frames: list | None = None) -> np.ndarray:
        """A variable over the months run so far (or over ``frames``), (month, ...) for the
        one replicate."""
        return np.stack([getattr(s, name)[0] for s in (self.states if frames is None else frames)])
