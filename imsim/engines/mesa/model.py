"""The Mesa engine: a mission as a ``mesa.Model``, the actors as its agents.

>>> model = MissionModel("drc_relapse", integration="two_feet_in", rng=42, months=24)
>>> model.run_for(12)                       # or model.step(), or mesa.batch_run(...)
>>> model.datacollector.get_model_vars_dataframe()    # national series, month by month
>>> model.datacollector.get_agent_vars_dataframe()    # each actor's neutrality, access, phase

The model composes and validates its own config (a scenario, an integration
setting and any config key as a keyword, ``force__escorts="never"``). Regions
are the cells of a ``mesa.discrete_space.Network`` built from the region
graph; each region's local authority and armed groups sit on their cell, and a
region's state is read from it (``model.space[name].phase``). Agents decide
simultaneously from the state at the start of the month, each writing its
group of the month's Decisions; the model then calls the same pure ``step``
the batched engine uses, so both engines give the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mesa
import numpy as np
from mesa.discrete_space import Network
from omegaconf import DictConfig

from ...compile.run import Run, prepare_run
from ...compile.timeline import Timeline
from ...config.compose import compose
from ...config.errors import ConfigError
from ...config.overrides import as_overrides
from ...config.validate import validate
from ...core.actors import OCHA, UNHCR
from ...core.arrays import take
from ...core.decisions import Decisions
from ...core.state import State
from ...core.step import draw_noise, step
from ...core.streams import batch_keys
from ...results.summary import INPUTS, SERIES
from ..recorder import Recorder
from .agents import (
    AGENT_REPORTERS,
    DSRSG,
    NGO,
    SRSG,
    ArmedGroup,
    Force,
    LocalAuthority,
    Ocha,
    Unhcr,
)
from .region import Region

# National series a Mesa user reads month by month (model reporters): every series
# of the summary that is not per humanitarian actor (those are agent reporters).
NATIONAL = tuple(name for name, (per_actor, _) in SERIES.items() if not per_actor)


class MissionModel(mesa.Model):
    """One replicate of an integrated mission, month by month.

    ``scenario`` and ``integration`` name config options; ``rng`` seeds the run
    (an int gives the same numbers as ``imsim.simulate`` with ``run.seed=rng``;
    None draws a seed, kept as ``model.seed``); ``replicate`` picks which of that
    seed's replicates this is; other keywords are config keys, ``__`` for ``.``.
    ``cfg`` runs an already composed config instead (its ``run.seed`` unless
    ``rng`` is an int). Bad input raises a one-line ``ConfigError``.
    """

    def __init__(
        self,
        scenario: str | None = None,
        integration: str | None = None,
        *,
        rng: Any = None,
        months: int | None = None,
        replicate: int = 0,
        cfg: DictConfig | None = None,
        collect: bool = True,
        **settings: Any,
    ):
        _check_arguments(rng, cfg, settings)
        super().__init__(rng=rng)
        if not isinstance(replicate, int) or isinstance(replicate, bool) or replicate < 0:
            raise ConfigError("replicate", replicate, "an integer >= 0")
        seed = _seed(rng, cfg, self._seed)
        if cfg is None:
            overrides = [f"integration={integration}"] if integration is not None else []
            given = {"run.months": months} if months is not None else {}
            overrides += as_overrides(given | settings | {"run.seed": seed})
            cfg = compose(scenario, overrides)
        elif scenario is not None or integration is not None or months is not None or settings:
            raise ConfigError("cfg", "with settings", "a composed config or settings, not both")
        else:
            cfg = cfg.copy()
            cfg.run.seed = seed
            validate(cfg)
        self.cfg = cfg
        run = prepare_run([_single(cfg)])
        self.seed, self.replicate = seed, replicate
        self._start(run, 0, run.state, batch_keys(seed, np.array([replicate])), collect)

    @classmethod
    def replicate_of(cls, run: Run, b: int, collect: bool = False) -> MissionModel:
        """Replicate ``b`` of a prepared run (the engine's path: no config composed)."""
        model = cls.__new__(cls)
        mesa.Model.__init__(model, rng=b)
        model.cfg, model.seed, model.replicate = None, None, b % run.timeline.replicates
        model._start(run, b, take(run.state, "B", b), run.keys[b : b + 1], collect)
        return model

    def _start(self, run: Run, b: int, state: State, key: np.ndarray, collect: bool) -> None:
        self.timeline: Timeline = run.timeline.batch(b)
        self.state = state
        self.key = key
        self.month = 0
        self.params = self.timeline.at(0)
        self.decisions: Decisions | None = None  # the last month's, for narratives
        self.previous_phase = state.phase
        self.world = world = run.timeline.worlds[b // run.timeline.replicates]
        self.regions = list(run.regions)
        self.actors = run.actors
        self.population = world.population
        self.space = Network(world.graph, random=self.random, cell_klass=Region, layout=None)
        for r, name in enumerate(self.regions):
            self.space[name].attach(self, r)
        H = state.neutrality.shape[1]
        SRSG(self, "SRSG", row=H - 1)
        DSRSG(self, "DSRSG/RC/HC")
        Force(self, "Force")
        Ocha(self, "OCHA", row=OCHA)
        Unhcr(self, "UNHCR", row=UNHCR)
        for i, name in enumerate(self.actors[2:-1], start=2):
            NGO(self, name, row=i)
        for name in self.regions:
            LocalAuthority(self, f"authority of {name}", self.space[name])
            ArmedGroup(self, f"armed groups in {name}", self.space[name])
        self.datacollector = mesa.DataCollector(
            model_reporters={"month": "month"} | {name: _reporter(name) for name in NATIONAL},
            agent_reporters=AGENT_REPORTERS,
        )
        self.collecting = collect
        if collect:
            self.datacollector.collect(self)

    @property
    def months(self) -> int:
        return self.timeline.months

    def national(self, name: str) -> np.ndarray:
        """This month's national value of a summary series (a number, or one per actor)."""
        arrays = {k: getattr(self.state, k) for k in INPUTS}
        return SERIES[name][1](arrays, self.population, self.previous_phase)[0]

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
        self.previous_phase = self.state.phase
        self.state = step(self.state, self.params, noise, decisions)
        self.running = self.month < self.months
        if self.collecting:
            self.datacollector.collect(self)


def _check_arguments(rng: Any, cfg: Any, settings: dict[str, Any]) -> None:
    """The model's own arguments, checked before Mesa sees them (one-line ConfigError)."""
    integer = isinstance(rng, int | np.integer) and not isinstance(rng, bool)
    generator = isinstance(rng, np.random.Generator | np.random.SeedSequence)
    if not (rng is None or generator or (integer and rng >= 0)):
        raise ConfigError("rng", rng, "an integer >= 0, a numpy Generator, or None")
    if cfg is not None and not isinstance(cfg, DictConfig):
        raise ConfigError("cfg", type(cfg).__name__, "a config from imsim.compose(...)")
    replicates = settings.get("run__replicates", 1)
    if replicates != 1:
        allowed = "1: a Mesa model is one replicate (replicate= picks which)"
        raise ConfigError("run.replicates", replicates, allowed)


def _seed(rng: Any, cfg: DictConfig | None, drawn: int) -> int:
    """The run's seed: ``rng`` if an int, else the config's, else the one Mesa drew."""
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        return int(rng)
    if rng is None and cfg is not None:
        return int(cfg.run.seed)
    return int(drawn)


def _single(cfg: DictConfig) -> DictConfig:
    """The config as a batch of one replicate (the key picks which replicate it is)."""
    one = cfg.copy()
    one.run.replicates = 1
    return one


def _reporter(name: str) -> Callable[[MissionModel], float]:
    def report(model: MissionModel) -> float:
        return float(model.national(name))

    return report


def run_mesa(run: Run, on_month: Callable[[int], None] | None = None) -> Recorder:
    """Run each replicate of a prepared run as its own MissionModel and stack the records."""
    recorders = []
    for b in range(run.keys.shape[0]):
        model = MissionModel.replicate_of(run, b)
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
