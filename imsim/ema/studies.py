"""The two exploratory studies of ``make experiments`` built on the workbench.

- ``discover``: scenario discovery. For each integration setting, sample the
  uncertain conditions, find with PRIM the box of conditions under which that
  setting's humanitarian space is in its worst share, and report the box.
- ``robust_search``: robust multi-objective search over the integration levers,
  each candidate scored by a low quantile of each objective over a fixed set
  of sampled scenarios; the search starts from the three integration presets
  (and random candidates), which are also scored for comparison.

Both read a study spec (``experiments/*.yaml``) and write into ``out``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from ema_workbench import Sample, ScalarOutcome
from ema_workbench.analysis import prim
from ema_workbench.em_framework.samplers import LHSSampler
from platypus import EpsNSGAII

from ..config.compose import compose
from ..config.errors import ConfigError
from ..results.storage import atomic_write, save_figure
from ..results.tables import markdown_table, write_csv
from .evaluator import BatchedEvaluator
from .model import MissionProblem, mission_model

# Where the HC sits, in the Okabe-Ito colour-blind-safe palette.
HC_COLOURS = {"two_feet_in": "#D55E00", "one_foot_in": "#E69F00", "two_feet_out": "#0072B2"}
DENSE = 0.8  # PRIM: the box chosen is the one of most coverage with at least this density


def presets(problem: MissionProblem, scenario: str, names: list[str]) -> list[Sample]:
    """The integration presets (``integration=<name>``) as workbench policies."""
    samples = []
    for name in names:
        preset = compose(scenario, [f"integration={name}"]).integration
        values = {}
        for lever in problem.levers:
            group, key = lever.key.split(".", 1)
            value = preset[key] if group == "integration" else problem.base[group][key]
            values[lever.name] = lever.options.index(value) if lever.options else value
        samples.append(Sample(name, **values))
    return samples


def _model(spec: Mapping, levers: Mapping, outcomes: Mapping) -> Any:
    return mission_model(
        spec.get("scenario", "baseline"),
        spec.get("overrides", []),
        uncertainties=spec["uncertainties"],
        levers=levers,
        outcomes=outcomes,
    )


def _scenarios(model: Any, n: int, seed: int) -> list[Sample]:
    return list(LHSSampler().generate_samples(model.uncertainties, n, rng=seed))


def discover(spec: Mapping, out: Path) -> list[Path]:
    """Scenario discovery for each integration preset; boxes.csv/.md and figures."""
    outcome, worst = spec["outcome"], float(spec["worst"])
    if not 0.0 < worst < 1.0:
        raise ConfigError("worst", worst, "a share in (0, 1)")
    goal = spec.get("goal", "higher")  # is more of the outcome better, or less (deaths)?
    if goal not in GOALS:
        raise ConfigError("goal", goal, ", ".join(GOALS))
    integration = {f"integration.{k}": v for k, v in INTEGRATION_LEVERS.items()}
    model = _model(spec, integration, {outcome: "info"})
    problem = model.imsim
    policies = presets(problem, spec.get("scenario", "baseline"), spec["presets"])
    scenarios = _scenarios(model, int(spec["experiments"]), int(spec["seed"]))
    with BatchedEvaluator(model, progress=True, engine=spec.get("engine", "batched")) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(
            scenarios, policies, log_progress=True
        )
    names = [u.name for u in problem.uncertainties]
    x = experiments[experiments["policy"] == spec["presets"][0]][names].reset_index(drop=True)
    x = x.astype({c: float for c in x.select_dtypes("integer").columns})
    level = {  # each preset's outcome, scenario by scenario (same order for every preset)
        p: outcomes[outcome][(experiments["policy"] == p).to_numpy()] for p in spec["presets"]
    }
    better = {p: GOALS[goal] * v for p, v in level.items()}  # higher is better
    reference = spec.get("reference")
    rows, written = [], []
    for policy in spec["presets"]:
        measures = {"worst level": better[policy] <= np.quantile(better[policy], worst)}
        if reference and policy != reference:
            loss = better[reference] - better[policy]  # paired: common random numbers
            measures[f"most lost vs {reference}"] = loss >= np.quantile(loss, 1.0 - worst)
        for measure, bad in measures.items():
            box, stats = _box(x, bad)
            for condition, (low, high) in _restricted(box, problem).items():
                rows.append(
                    {"integration": policy, "measure": measure, "condition": condition}
                    | {"low": low, "high": high}
                    | {k: float(stats[k]) for k in ("coverage", "density", "mass")}
                )
            name = f"tradeoff_{policy}_{measure.split()[0]}.png"
            written.append(save_figure(box.show_tradeoff(), out / name))
    frame = pd.DataFrame(rows)
    written.append(write_csv(frame, out / "boxes.csv"))
    table = pd.DataFrame({f"{outcome} ({p})": level[p] for p in spec["presets"]}).join(x)
    written.append(write_csv(table, out / "experiments.csv"))
    written.append(_md(frame, out / "boxes.md", _discovery_header(spec, outcome, worst)))
    return written


# Whether more of a scenario discovery's outcome is better (space, people reached) or
# worse (deaths), as the sign that makes higher better.
GOALS = {"higher": 1.0, "lower": -1.0}

# The integration levers: what the three presets set (configs/integration/*.yaml).
INTEGRATION_LEVERS: dict[str, Any] = {
    "hc_location": ["two_feet_in", "one_foot_in", "two_feet_out"],
    "information_sharing": [0.0, 1.0],
    "shared_assets": [0.0, 1.0],
    "branding": [0.0, 1.0],
}


def _box(x: pd.DataFrame, bad: np.ndarray) -> tuple[Any, pd.Series]:
    """PRIM's box for ``bad`` over conditions ``x``: the most coverage at density >= DENSE
    on the peeling trajectory, else the densest."""
    with warnings.catch_warnings():  # the workbench's own pandas deprecations
        warnings.simplefilter("ignore", DeprecationWarning)
        box = prim.Prim(x, bad, peel_alpha=0.05, mass_min=0.05).find_box()
    trajectory = box.peeling_trajectory
    dense = trajectory[trajectory.density >= DENSE]
    chosen = int(dense.coverage.idxmax() if len(dense) else trajectory.density.idxmax())
    box.select(chosen)
    return box, trajectory.iloc[chosen]


def _restricted(box: Any, problem: MissionProblem) -> dict[str, tuple[Any, Any]]:
    """The box's limits on the conditions it restricts (config key -> (low, high) or
    (options, ""))."""
    full, here = box.box_lims[0], box.box_lim
    keys = {u.name: u.key for u in problem.uncertainties}
    out = {}
    for name in here.columns:
        low, high = here[name].iloc[0], here[name].iloc[1]
        if isinstance(low, set):
            if low != full[name].iloc[0]:
                out[keys[name]] = (" or ".join(sorted(map(str, low))), "")
        elif low != full[name].iloc[0] or high != full[name].iloc[1]:
            out[keys[name]] = (float(low), float(high))
    return out


def robust_search(spec: Mapping, out: Path) -> list[Path]:
    """The Pareto front of integration levers over robust objectives; pareto.csv/.png."""
    objectives, q = spec["objectives"], float(spec["quantile"])
    model = _model(spec, spec["levers"], objectives)
    problem = model.imsim
    scenarios = _scenarios(model, int(spec["scenarios"]), int(spec["seed"]))
    robust = [_robustness(name, kind, q) for name, kind in objectives.items()]
    archives = out / "archives"
    archives.mkdir(exist_ok=True)
    named = presets(problem, spec.get("scenario", "baseline"), spec["presets"])
    with BatchedEvaluator(model, engine=spec.get("engine", "batched")) as evaluator:
        front, convergence = evaluator.robust_optimize(
            robust,
            scenarios,
            algorithm=EpsNSGAII,
            nfe=int(spec["nfe"]),
            rng=int(spec["seed"]),
            population_size=int(spec["population"]),
            epsilons=list(spec["epsilons"]),
            convergence_freq=int(spec["population"]),
            directory=str(archives),
            filename="archive.tar.gz",
            initial_population=named,  # the search starts from the presets (and random)
        )
        experiments, outcomes = evaluator.perform_experiments(scenarios, named)
    scored = []
    for policy in spec["presets"]:
        rows = (experiments["policy"] == policy).to_numpy()
        scored.append(
            {"integration": policy}
            | {o.name: o.function(outcomes[o.variable_name[0]][rows]) for o in robust}
        )
    front = _decoded(front, problem)
    written = [
        write_csv(front, out / "pareto.csv"),
        write_csv(pd.DataFrame(scored), out / "presets.csv"),
    ]
    written.append(write_csv(convergence, out / "convergence.csv"))
    figure = _pareto_figure(front, pd.DataFrame(scored), [o.name for o in robust], q)
    written.append(save_figure(figure, out / "pareto.png"))
    return written


def _robustness(name: str, kind: str, q: float) -> ScalarOutcome:
    """A robustness score: the q-quantile of an outcome to maximise over the scenarios
    (its 1 - q quantile if minimised): how it does in the worse scenarios."""
    if kind not in ("max", "min"):
        raise ConfigError(f"objectives.{name}", kind, "max or min")
    if not 0.0 < q < 0.5:
        raise ConfigError("quantile", q, "a share in (0, 0.5)")
    level = q if kind == "max" else 1.0 - q
    sense = ScalarOutcome.MAXIMIZE if kind == "max" else ScalarOutcome.MINIMIZE
    return ScalarOutcome(
        f"{name}_q{round(level * 100):02d}",
        kind=sense,
        variable_name=name,
        function=lambda values, level=level: float(np.quantile(values, level)),
    )


def _decoded(front: pd.DataFrame, problem: MissionProblem) -> pd.DataFrame:
    """The front with config keys and option names instead of the workbench's indices."""
    out = front.copy()
    for lever in problem.levers:
        column = out.pop(lever.name)
        out[lever.key] = [lever.value(v, True) for v in column]
    return out


def _pareto_figure(front: pd.DataFrame, scored: pd.DataFrame, names: list[str], q: float):
    fig, ax = plt.subplots(figsize=(7, 5))
    where = front["integration.hc_location"] if "integration.hc_location" in front else None
    colours = HC_COLOURS
    for hc in sorted(set(where)) if where is not None else [None]:
        rows = front if hc is None else front[where == hc]
        ax.scatter(
            rows[names[0]], rows[names[1]], s=36, color=colours.get(hc), label=f"front: HC {hc}"
        )
    for _, row in scored.iterrows():
        ax.scatter(
            row[names[0]],
            row[names[1]],
            marker="*",
            s=220,
            edgecolor="black",
            color=colours.get(row["integration"]),
            label=f"preset {row['integration']}",
        )
    ax.set_xlabel(f"{names[0]} (q = {q:g} over scenarios)")
    ax.set_ylabel(names[1])
    ax.legend(fontsize=8, loc="best")
    ax.set_title("Robust integration settings: the Pareto front and the presets")
    fig.tight_layout()
    return fig


def _discovery_header(spec: Mapping, outcome: str, worst: float) -> list[str]:
    return [
        f"# {spec.get('title', 'Scenario discovery: where each integration setting does worst')}",
        "",
        f"PRIM boxes of the uncertain conditions under which `{outcome}` is in the worst "
        f"{worst:.0%} of each setting's {spec['experiments']} sampled scenarios (worst level), "
        f"and under which it loses the most against {spec.get('reference')} in the same "
        f"scenario (most lost); the box chosen has the most coverage at density >= {DENSE:g} "
        "(else the densest). Coverage: the share of the bad scenarios inside the box; "
        "density: the share of the box's scenarios that are bad.",
        "",
    ]


def _md(frame: pd.DataFrame, path: Path, header: list[str]) -> Path:
    text = "\n".join([*header, markdown_table(frame), ""])
    return atomic_write(path, lambda tmp: tmp.write_text(text))
