"""Global sensitivity analysis: Sobol or Morris indices through the batched engine.

SALib samples the declared parameter ranges; every sample is a point,
evaluated in chunks with the sweep's summary store; SALib turns the outputs
(means over replicates, and over humanitarian actors for per-actor
outputs) into indices with bootstrap confidence intervals. Categories and
bools are sampled as a uniform index over their options.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from ..config.errors import ConfigError
from ..config.files import GROUPS
from ..config.keys import FROZEN_IN_RUN, resolve_field
from ..config.plain import Tree, plain, with_values
from ..config.ranges import GRAMMAR, Range, parse_range
from ..config.validate import validate
from ..core.coefficients import Coefficients
from ..results.summary import SUMMARY, metric
from .evaluate import evaluate

COLUMNS = {
    "sobol": ["S1", "S1_conf", "ST", "ST_conf"],
    "morris": ["mu", "mu_star", "mu_star_conf", "sigma"],
}


def expand(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters with each coefficient pattern (``coefficients.*``,
    ``coefficients.network_*``: ``declared``) replaced by every coefficient it matches, in
    declaration order; a key written out keeps its own range."""
    out: dict[str, Any] = {}
    for key, spec in parameters.items():
        key = str(key)
        if not any(c in key for c in "*?["):
            out[key] = spec
            continue
        where = f"sensitivity.parameters.{key}"
        if not key.startswith("coefficients."):
            raise ConfigError(where, key, "a pattern over coefficients: coefficients.<pattern>")
        if spec != "declared":
            raise ConfigError(where, spec, "declared (a pattern stands for many coefficients)")
        names = [f"coefficients.{n}" for n in Coefficients.__dataclass_fields__]
        matched = [n for n in names if fnmatch.fnmatchcase(n, key)]
        if not matched:
            raise ConfigError(where, key, "a pattern matching a coefficient (docs/parameters.md)")
        for name in matched:
            out.setdefault(name, spec)
    return out


def ranges(parameters: Mapping[str, Any]) -> list[Range]:
    """Each parameter's range in the one grammar (``imsim.config.ranges``); ConfigError."""
    out = []
    for key, spec in expand(parameters).items():
        where = f"sensitivity.parameters.{key}"
        if str(key).split(".")[0] in FROZEN_IN_RUN[:3] or key in GROUPS:
            raise ConfigError(where, key, "a setting or coefficient key, not run, world or ngos")
        out.append(parse_range(str(key), spec, where))
    return out


def check(sa: Mapping) -> None:
    """Parameters must be known setting keys with valid ranges or options; outputs known."""
    if not sa.parameters:
        raise ConfigError("sensitivity.parameters", {}, f"at least one key: {GRAMMAR}")
    ranges(sa.parameters)
    if not sa.outputs:
        raise ConfigError("sensitivity.outputs", [], "one or more of " + ", ".join(SUMMARY))
    for name in sa.outputs:
        if name not in SUMMARY:
            raise ConfigError("sensitivity.outputs", name, ", ".join(SUMMARY))


def problem(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The SALib problem: uniform numbers on their [low, high], log-uniform ones on their
    quantiles [0, 1], options on [0, n)."""
    parameters = expand(parameters)
    bounds = []
    for r in ranges(parameters):
        if r.options:
            bounds.append([0.0, float(len(r.options))])
        elif r.distribution == "loguniform":
            bounds.append([0.0, 1.0])
        else:
            bounds.append([r.low, r.high])
    return {"num_vars": len(parameters), "names": list(parameters), "bounds": bounds}


def decode(row: np.ndarray, declared: list[Range]) -> dict[str, Any]:
    """One sampled row as config values, for the parameters' ranges (``ranges``)."""
    values = {}
    for x, r in zip(row, declared, strict=True):
        if r.options:
            values[r.name] = r.options[min(int(x), len(r.options) - 1)]
            continue
        value = float(r.from_unit(x)) if r.distribution == "loguniform" else float(x)
        values[r.name] = int(round(value)) if resolve_field(r.name)[0] is int else value
    return values


def sample(sa: Mapping, prob: dict[str, Any]) -> np.ndarray:
    if sa.method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(prob, sa.samples, calc_second_order=False, seed=sa.seed)
    from SALib.sample import morris

    return morris.sample(prob, sa.samples, num_levels=4, seed=sa.seed)


def outputs(ds: Any, names: list[str]) -> dict[str, np.ndarray]:
    """Per-point outputs: mean over replicates, and over humanitarians for per-actor ones."""
    return {name: metric(ds, name).mean("replicate").values for name in names}


def analyse(
    cfg: Any, on_points: Callable[[int], None] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indices (one row per output and parameter) and the samples with their outputs."""
    base: Tree = plain(cfg)
    validate(base)
    check(base.sensitivity)
    return _analyse(base, on_points)


def _analyse(
    base: Tree, on_points: Callable[[int], None] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    sa = base.sensitivity
    prob = problem(sa.parameters)
    X = sample(sa, prob)
    declared = ranges(sa.parameters)
    points = [with_values(base, decode(row, declared)) for row in X]
    Y: dict[str, list[np.ndarray]] = {name: [] for name in sa.outputs}
    for start in range(0, len(points), sa.chunk_size):
        chunk = points[start : start + sa.chunk_size]
        ds = evaluate(chunk, "summary", engine=str(sa.get("engine", "batched")))
        for name, y in outputs(ds, list(sa.outputs)).items():
            Y[name].append(y)
        if on_points is not None:
            on_points(len(chunk))
    rows = []
    for name in sa.outputs:
        y = np.concatenate(Y[name])
        indices = _indices(sa, prob, X, y)
        for i, parameter in enumerate(prob["names"]):
            rows.append(
                {
                    "output": name,
                    "parameter": parameter,
                    **{c: float(indices[c][i]) for c in COLUMNS[sa.method]},
                }
            )
    samples = pd.DataFrame(X, columns=prob["names"])
    for name in sa.outputs:
        samples[name] = np.concatenate(Y[name])
    return pd.DataFrame(rows), samples


def _indices(sa: Mapping, prob: dict[str, Any], X: np.ndarray, y: np.ndarray) -> Mapping:
    if sa.method == "sobol":
        from SALib.analyze import sobol

        return sobol.analyze(prob, y, calc_second_order=False, seed=sa.seed)
    from SALib.analyze import morris

    return morris.analyze(prob, X, y, num_levels=4, seed=sa.seed)


def run(cfg: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``analyse`` of a config the command line has validated, with a progress bar over
    points (quiet when not on a terminal)."""
    base = plain(cfg)
    sa = base.sensitivity
    total = sa.samples * (len(expand(sa.parameters)) + (2 if sa.method == "sobol" else 1))
    with tqdm(total=total, desc="imsim sensitivity", unit=" points", disable=None) as bar:
        return _analyse(base, on_points=bar.update)
