"""imsim as an EMA workbench model: uncertainties, levers and outcomes from its config.

Uncertainties and levers are config keys with what they may take, in the one grammar
of every study (``imsim.config.ranges``): ``[low, high]`` or ``{low, high, distribution}``
for a number, the list of options for an option or a bool, or ``declared`` for a
coefficient (its declared range). The workbench samples a number uniformly over its
range, whatever its distribution. Outcomes are the summary
variables of ``imsim.summary`` (means over replicates, and over humanitarian
actors where per actor), each to be maximised, minimised or only recorded.

The workbench's names must be identifiers, so ``integration.branding`` is
called ``integration__branding`` there. Options are categorical uncertainties
but integer levers (the index of the option), because the workbench's
optimisers cannot search over categories.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ema_workbench as ema

from ..config.compose import compose
from ..config.errors import ConfigError
from ..config.keys import resolve_field
from ..config.plain import Tree, plain
from ..config.ranges import parse_range
from ..results.summary import SUMMARY

# Keys that fix a batch's shape (or the whole run): they cannot vary between experiments.
SHAPE_KEYS = ("run", "world.regions", "world.named", "ngos", "events", "sensitivity")
KINDS = {"max": ema.ScalarOutcome.MAXIMIZE, "min": ema.ScalarOutcome.MINIMIZE}
KINDS["info"] = ema.ScalarOutcome.INFO


@dataclass(frozen=True)
class Setting:
    """One config key the workbench varies: a number on [low, high], or options."""

    key: str
    low: float | None = None
    high: float | None = None
    options: tuple[Any, ...] = ()

    @property
    def name(self) -> str:
        return self.key.replace(".", "__")

    @property
    def integer(self) -> bool:
        return resolve_field(self.key)[0] is int

    def parameter(self, lever: bool) -> Any:
        """The workbench parameter: options are categories, or an index for a lever."""
        if self.options:
            if lever:
                return ema.IntegerParameter(self.name, 0, len(self.options) - 1)
            return ema.CategoricalParameter(self.name, list(self.options))
        if self.integer:
            return ema.IntegerParameter(self.name, int(self.low), int(self.high))
        return ema.RealParameter(self.name, float(self.low), float(self.high))

    def value(self, x: Any, lever: bool) -> Any:
        """A sampled value as the config's value (an option from its index, for a lever)."""
        if self.options:
            return self.options[int(x)] if lever else (x.item() if hasattr(x, "item") else x)
        return int(x) if self.integer else float(x)


def setting(key: str, spec: Any) -> Setting:
    """A Setting from a key and its spec; ConfigError naming the key if either is bad."""
    resolve_field(key)  # ConfigError for an unknown key
    if any(key == k or key.startswith(k + ".") for k in SHAPE_KEYS):
        raise ConfigError(
            key,
            spec,
            "a key that does not change the run's shape (not run.*, "
            "world.regions, world.named, ngos.*, events)",
        )
    r = parse_range(key, spec)
    if r.options:
        return Setting(key, options=r.options)
    return Setting(key, r.low, r.high)


def settings(specs: Mapping[str, Any] | None, node: str = "uncertainties") -> list[Setting]:
    """The Settings of ``uncertainties`` or ``levers`` (``node``): a mapping of config keys
    to ranges or options, or nothing; ConfigError naming the node otherwise."""
    if specs is None:
        return []
    if not isinstance(specs, Mapping):
        raise ConfigError(node, specs, "a mapping of config keys to ranges or options")
    for key in specs:
        if not isinstance(key, str) or not key:
            raise ConfigError(node, key, "config keys (text), e.g. force.troops")
    return [setting(key, spec) for key, spec in specs.items()]


def outcome_kinds(outcomes: Mapping[str, str]) -> dict[str, str]:
    """Outcomes checked: summary variable -> max, min or info."""
    if not isinstance(outcomes, Mapping) or not outcomes:
        raise ConfigError("outcomes", outcomes, "a mapping of summary variables to max/min/info")
    for name, kind in outcomes.items():
        if name not in SUMMARY:
            raise ConfigError("outcomes", name, ", ".join(SUMMARY))
        if kind not in KINDS:
            raise ConfigError(f"outcomes.{name}", kind, "max, min or info")
    return dict(outcomes)


@dataclass
class MissionProblem:
    """What the workbench model stands for: a base config and what varies in it."""

    base: Tree
    uncertainties: list[Setting]
    levers: list[Setting]
    outcomes: dict[str, str]

    def values(self, scenario: Mapping, policy: Mapping) -> dict[str, Any]:
        """One experiment's config values: uncertainties from its scenario, levers from its
        policy (a lever the policy leaves out keeps the base config's value)."""
        out = {
            u.key: u.value(scenario[u.name], False)
            for u in self.uncertainties
            if u.name in scenario
        }
        out |= {lv.key: lv.value(policy[lv.name], True) for lv in self.levers if lv.name in policy}
        return out


def mission_model(
    scenario: str = "baseline",
    overrides: Sequence[str] = (),
    uncertainties: Mapping[str, Any] | None = None,
    levers: Mapping[str, Any] | None = None,
    outcomes: Mapping[str, str] | None = None,
    name: str = "imsim",
) -> ema.Model:
    """An EMA workbench ``Model`` of imsim, to run with ``BatchedEvaluator``.

    >>> model = mission_model("baseline", ["run.months=60"],
    ...     uncertainties={"mission.partner_force": [0, 1]},
    ...     levers={"integration.hc_location": ["two_feet_in", "two_feet_out"]},
    ...     outcomes={"humanitarian_space_mean": "max"})
    """
    if isinstance(overrides, str) or not isinstance(overrides, Sequence):
        raise ConfigError("overrides", overrides, 'a list of "key=value" overrides')
    base = plain(compose(scenario, list(overrides)))
    problem = MissionProblem(
        base,
        settings(uncertainties, "uncertainties"),
        settings(levers, "levers"),
        outcome_kinds(outcomes or {"humanitarian_space_mean": "max"}),
    )
    clash = {s.key for s in problem.uncertainties} & {s.key for s in problem.levers}
    if clash:
        raise ConfigError("levers", sorted(clash)[0], "a key that is not also an uncertainty")
    model = ema.Model(name, function=_unbatched)
    model.uncertainties = [u.parameter(lever=False) for u in problem.uncertainties]
    model.levers = [lv.parameter(lever=True) for lv in problem.levers]
    model.outcomes = [ema.ScalarOutcome(n, kind=KINDS[k]) for n, k in problem.outcomes.items()]
    model.imsim = problem
    return model


def _unbatched(**_: Any) -> dict:
    raise RuntimeError("an imsim model runs through imsim.ema.BatchedEvaluator")
