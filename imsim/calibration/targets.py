"""Calibration targets: what a simulation should reproduce, declared in YAML.

A target names a statistic (``imsim.calibration.statistics``) with its
arguments, the scenario and overrides it is measured under (and, for a
comparison, a second set of overrides it is set against: a ratio, a
difference or a cut ``1 - a/b``), what was observed (a value with its
standard deviation, or bounds for an inequality or a published range), its
source, and whether calibration uses it or keeps it back for validation.

    targets:
      war_ends:
        statistic: out_of_conflict
        args: {month: 120}
        overrides: [mission.deployed=false]
        observed: 0.70
        sd: 0.07
        source: Collier, Hoeffler & Söderbom 2003 (mean civil war ≈ 7 years)
        use: calibration

The simulated value of a target is the mean over replicates of the
statistic (of each side, for a comparison).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ..config.compose import compose
from ..config.errors import ConfigError
from ..config.files import option_files
from ..config.keys import region_names
from ..config.plain import Tree, plain
from ..core.actors import actor_names
from ..core.state import DEATHS
from ..engines.recorder import RECORDED
from .statistics import STATISTICS, variables

USES = ("calibration", "validation")
COMPARISONS = ("ratio", "difference", "cut")
CAUSES = ("all", *DEATHS)  # deaths_per_month's causes
FIELDS = {
    "statistic", "args", "scenario", "overrides", "versus", "compare", "observed", "sd",
    "lower", "upper", "source", "use", "baseline", "baseline_versus",
}  # fmt: skip

RunSpec = tuple[str, tuple[str, ...]]  # (scenario, overrides): one configuration to run


@dataclass(frozen=True)
class Target:
    name: str
    statistic: str
    args: Mapping[str, Any]
    scenario: str
    overrides: tuple[str, ...]
    versus: tuple[str, ...] | None
    compare: str | None
    observed: float | None
    sd: float | None
    lower: float | None
    upper: float | None
    source: str
    use: str
    # a second comparison the first is set against (a difference of differences)
    baseline: tuple[str, ...] | None = None
    baseline_versus: tuple[str, ...] | None = None

    @property
    def runs(self) -> list[RunSpec]:
        sides = [self.overrides, self.versus, self.baseline, self.baseline_versus]
        return [(self.scenario, o) for o in sides if o is not None]

    @property
    def variables(self) -> tuple[str, ...]:
        return variables(self.statistic, self.args)

    def simulated(self, per_run: Mapping[RunSpec, np.ndarray]) -> np.ndarray:
        """The target's value from each run's statistic, (N, replicates) -> (N,)."""
        means = [per_run[run].mean(axis=-1) for run in self.runs]
        if self.versus is None:
            return means[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            first = self._compare(means[0], means[1])
            return first if self.baseline is None else first - self._compare(means[2], means[3])

    def _compare(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return {"ratio": a / b, "difference": a - b, "cut": 1.0 - a / b}[self.compare]

    @property
    def scale(self) -> float:
        """The spread distances are measured in: the sd, else a quarter of the range (or of
        the bound's size, for a one-sided bound)."""
        if self.sd is not None:
            return self.sd
        if self.lower is not None and self.upper is not None:
            return (self.upper - self.lower) / 4
        bound = self.lower if self.lower is not None else self.upper
        return max(abs(bound) / 4, 1e-3)

    def distance(self, value: np.ndarray) -> np.ndarray:
        """Standardised distance: |value - observed| / sd, or how far outside the bounds."""
        value = np.asarray(value, dtype=float)
        if self.observed is not None:
            d = np.abs(value - self.observed) / self.scale
        else:
            lo = -np.inf if self.lower is None else self.lower
            hi = np.inf if self.upper is None else self.upper
            d = (np.maximum(lo - value, 0) + np.maximum(value - hi, 0)) / self.scale
        return np.where(np.isfinite(d), d, 1e6)

    def holds(self, value: np.ndarray) -> np.ndarray:
        """Within two sds of the observation, or inside the bounds."""
        return self.distance(value) <= (2.0 if self.observed is not None else 0.0)

    def describe(self) -> str:
        if self.observed is not None:
            return f"{self.observed:g} ± {self.sd:g}"
        if self.lower is not None and self.upper is not None:
            return f"{self.lower:g} – {self.upper:g}"
        return f">= {self.lower:g}" if self.lower is not None else f"<= {self.upper:g}"


def load_targets(source: str | Path, key: str = "targets") -> list[Target]:
    """The targets of ``targets/<source>.yaml`` of the configs (the package's or one's own)
    or of a YAML file; ConfigError (one line naming the key, the bad value and what is
    allowed) if anything is malformed.
    ``key`` names the setting that chose the file (``abc.targets``, ``credibility.findings``)
    in errors about the file as a whole; errors inside it name ``targets.<name>...``."""
    files = option_files("targets")
    path = Path(source)
    if not path.suffix:
        path = files.get(str(source), path)
    if not path.is_file():
        raise ConfigError(key, str(source), "a YAML file or one of " + ", ".join(files))
    try:
        spec = yaml.load(path.read_text(), Loader=_UniqueKeys)
    except UnicodeDecodeError:
        raise ConfigError(key, str(path), "a YAML text file (UTF-8)") from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0]
        raise ConfigError(key, str(path), f"valid YAML ({first})") from None
    if not isinstance(spec, Mapping) or not isinstance(spec.get("targets"), Mapping):
        raise ConfigError(key, str(path), "a mapping with 'targets: {name: {...}}'")
    if not spec["targets"]:
        raise ConfigError(key, str(path), "at least one target")
    for name in spec["targets"]:
        if not isinstance(name, str) or not name.strip() or not name.isprintable():
            raise ConfigError("targets", name, "names of printable text")
    return [target(name, entry) for name, entry in spec["targets"].items()]


class _UniqueKeys(yaml.SafeLoader):
    """YAML's safe loader, refusing a key written twice in one mapping (a second target of
    the same name would silently replace the first)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.YAMLError(f"{key!r} written twice in one mapping")
            if isinstance(key, Hashable):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def target(name: str, entry: Any) -> Target:
    key = f"targets.{name}"
    if not isinstance(entry, Mapping):
        raise ConfigError(key, entry, "a mapping of " + ", ".join(sorted(FIELDS)))
    extra = sorted(set(entry) - FIELDS)
    if extra:
        raise ConfigError(f"{key}.{extra[0]}", entry[extra[0]], ", ".join(sorted(FIELDS)))
    statistic = entry.get("statistic")
    if not isinstance(statistic, str) or statistic not in STATISTICS:
        raise ConfigError(f"{key}.statistic", statistic, ", ".join(STATISTICS))
    args = entry.get("args") or {}
    allowed = STATISTICS[statistic].args
    if not isinstance(args, Mapping) or not all(isinstance(a, str) for a in args):
        raise ConfigError(f"{key}.args", args, "arguments " + (", ".join(allowed) or "none"))
    if set(args) - set(allowed):
        raise ConfigError(f"{key}.args", args, "arguments " + (", ".join(allowed) or "none"))
    missing = [a for a in STATISTICS[statistic].required if a not in args]
    if missing:
        raise ConfigError(f"{key}.args.{missing[0]}", None, f"a value ({statistic} needs it)")
    scenario = entry.get("scenario", "baseline")
    if not isinstance(scenario, str):
        raise ConfigError(f"{key}.scenario", scenario, "a scenario name")
    overrides = _overrides(f"{key}.overrides", entry.get("overrides", []))
    versus = entry.get("versus")
    compare = entry.get("compare")
    if versus is not None:
        versus = _overrides(f"{key}.versus", versus)
        if compare not in COMPARISONS:
            raise ConfigError(f"{key}.compare", compare, ", ".join(COMPARISONS))
    elif compare is not None:
        raise ConfigError(f"{key}.compare", compare, "a comparison only with 'versus'")
    baseline, baseline_versus = entry.get("baseline"), entry.get("baseline_versus")
    if (baseline is None) != (baseline_versus is None) or (baseline is not None and versus is None):
        raise ConfigError(
            f"{key}.baseline", baseline, "both baseline and baseline_versus, with versus"
        )
    if baseline is not None:
        baseline = _overrides(f"{key}.baseline", baseline)
        baseline_versus = _overrides(f"{key}.baseline_versus", baseline_versus)
    for overrides_ in [o for o in (overrides, versus, baseline, baseline_versus) if o is not None]:
        cfg = _composed(scenario, overrides_)  # ConfigError for a bad scenario or override
        # the months a statistic reads by default must be in the run too
        defaults = {k: v for k, v in STATISTICS[statistic].defaults.items() if v is not None}
        _check_args(key, statistic, defaults | dict(args), cfg)
    observed, sd, lower, upper = (
        _number(key, entry, f) for f in ("observed", "sd", "lower", "upper")
    )
    if observed is not None:
        if sd is None or sd <= 0 or lower is not None or upper is not None:
            raise ConfigError(f"{key}.sd", sd, "a positive sd with 'observed' (and no bounds)")
    elif lower is None and upper is None:
        raise ConfigError(key, dict(entry), "'observed' with 'sd', or 'lower' and/or 'upper'")
    elif lower is not None and upper is not None and not lower < upper:
        raise ConfigError(f"{key}.upper", upper, f"a bound above lower ({lower})")
    use = entry.get("use", "calibration")
    if use not in USES:
        raise ConfigError(f"{key}.use", use, ", ".join(USES))
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ConfigError(f"{key}.source", source, "the figure's source (author, year, title)")
    return Target(
        name, statistic, dict(args), scenario, overrides, versus, compare, observed, sd,
        lower, upper, source.strip(), use, baseline, baseline_versus,
    )  # fmt: skip


@functools.lru_cache(maxsize=1024)
def _composed(scenario: str, overrides: tuple[str, ...]) -> Tree:
    return plain(compose(scenario, list(overrides)))


def _check_args(key: str, statistic: str, args: Mapping[str, Any], cfg: Tree) -> None:
    """Arguments that name things must name what the run has."""
    if "variable" in args and args["variable"] not in RECORDED:
        raise ConfigError(f"{key}.args.variable", args["variable"], ", ".join(RECORDED))
    actors = actor_names(cfg.ngos.principled, cfg.ngos.multi_mandate)
    if "actor" in args and args["actor"] not in actors:
        raise ConfigError(f"{key}.args.actor", args["actor"], ", ".join(actors))
    if "region" in args and args["region"] not in region_names(cfg):
        raise ConfigError(f"{key}.args.region", args["region"], ", ".join(region_names(cfg)))
    for name in ("month", "months", "first", "last", "start", "end"):
        value = args.get(name)
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= cfg.run.months
        ):
            raise ConfigError(f"{key}.args.{name}", value, f"a month in [0, {cfg.run.months}]")
    for first, last in (("first", "last"), ("start", "end")):
        if isinstance(args.get(first), int) and isinstance(args.get(last), int):
            if args[first] > args[last]:
                allowed = f"a month no later than {last} ({args[last]})"
                raise ConfigError(f"{key}.args.{first}", args[first], allowed)
    if "cause" in args and args["cause"] not in CAUSES:
        raise ConfigError(f"{key}.args.cause", args["cause"], ", ".join(CAUSES))


def _overrides(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise ConfigError(key, value, 'a list of "key=value" overrides')
    if not all(isinstance(v, str) for v in value):
        raise ConfigError(key, value, 'a list of "key=value" overrides')
    return tuple(value)


def _number(key: str, entry: Mapping, field: str) -> float | None:
    value = entry.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(f"{key}.{field}", value, "a finite number")
    return float(value)
