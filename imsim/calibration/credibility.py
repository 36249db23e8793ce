"""``imsim experiment=credibility``: does each finding survive the coefficients we are unsure of?

Draws parameter sets from a calibration's posterior (resampled by weight)
and, for comparison, from the prior of the same coefficients; runs every
finding of a findings file (``configs/targets/findings.yaml``: the stylized
facts and the studies' headline findings, stated as checks) under each draw
through the batched engine; and reports the share of draws in which each
holds, with a 95% Wilson interval. A finding that holds in at least 80% of
posterior draws is robust. One that holds in fewer is *undecided* where a few
coefficients decide it (``breakeven``: the rule, validated on held-out draws, and
the sentence that states it), else *fragile*; for either, the coefficients and the
calibration targets whose measurement would most narrow it are ranked by their
value of information (``information``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from tqdm import tqdm

from ..config.errors import ConfigError
from ..config.keys import check_value
from ..config.ranges import Prior, prior
from ..core.coefficients import Coefficients
from ..results.storage import atomic_write, save_figure
from ..results.tables import markdown_table, write_csv, write_gzip_csv
from .breakeven import break_even
from .checks import check_measurable, check_study_overrides, output_folder, study_node
from .information import ranking
from .simulator import TargetSimulator
from .targets import load_targets

ROBUST = 0.8  # a finding holding in at least this share of posterior draws is robust
SHOWN = 3  # the unknowns and targets named for a finding that is not robust


def read_posterior(path: str | Path) -> tuple[pd.DataFrame, list[Prior]]:
    """A calibration's posterior.csv and the priors of its coefficients (ConfigError if it
    is not one)."""
    path = Path(path)
    allowed = "a posterior.csv written by imsim experiment=calibration"
    if not path.is_file():
        raise ConfigError("credibility.posterior", str(path), allowed)
    try:
        post = pd.read_csv(path)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        raise ConfigError("credibility.posterior", str(path), allowed) from None
    names = [c for c in post.columns if c != "weight"]
    if "weight" not in post or not names or len(post) == 0:
        raise ConfigError("credibility.posterior", str(path), allowed)
    weight = pd.to_numeric(post["weight"], errors="coerce").to_numpy()
    if not np.isfinite(weight).all() or (weight < 0).any() or weight.sum() <= 0:
        raise ConfigError("credibility.posterior", str(path), allowed + " (weights >= 0)")
    try:
        priors = [prior(name) for name in names]
    except ConfigError as exc:  # a column that is no coefficient
        columns = f"{allowed}: coefficients and weight ({exc.value!r} is no coefficient)"
        raise ConfigError("credibility.posterior", str(path), columns) from None
    for p in priors:  # every value must be one the command line takes for the coefficient
        for value in pd.unique(post[p.name]):
            try:
                check_value(f"coefficients.{p.name}", float(value))
            except (ConfigError, TypeError, ValueError) as exc:
                allowed = getattr(exc, "allowed", "a number")
                where = f"credibility.posterior ({path}): {p.name}"
                shown = value.item() if hasattr(value, "item") else value
                raise ConfigError(where, shown, allowed) from None
    return post, priors


def varied(prefixes: list[str]) -> list[Prior]:
    """The coefficients whose names start with one of ``prefixes`` (ConfigError for a
    prefix that names none)."""
    out = []
    for prefix in prefixes:
        start = "" if prefix == "*" else str(prefix)  # *: every coefficient
        names = [f.name for f in fields(Coefficients) if f.name.startswith(start)]
        if not names:
            raise ConfigError("credibility.vary", prefix, "prefixes of coefficient names")
        out += [prior(name) for name in names if name not in {p.name for p in out}]
    return out


def check_credibility(cred: Mapping) -> None:
    read_posterior(cred["posterior"])
    findings = load_targets(cred["findings"], "credibility.findings")
    measures = load_targets(cred["targets"], "credibility.targets")
    varied(cred.get("vary") or [])
    check_study_overrides("credibility", cred.get("overrides") or [])
    check_measurable("credibility", findings + measures, cred.get("overrides") or [])


def wilson(k: np.ndarray, n: int, z: float = 1.96) -> tuple[np.ndarray, np.ndarray]:
    """The 95% Wilson score interval of a share k / n."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def credibility(cfg: Any, out: Path, progress: bool = True) -> list[Path]:
    cred, out = study_node(cfg, "credibility", check_credibility), output_folder(out)
    post, calibrated = read_posterior(cred["posterior"])
    findings = load_targets(cred["findings"], "credibility.findings")
    n, seed = int(cred["draws"]), int(cred["seed"])
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(post), size=n, p=post["weight"].to_numpy() / post["weight"].sum())
    # copies of one particle (a resample-move step leaves a few where they were copied) are
    # one particle: break-even splits draws by it, so no value sits on both sides
    cols = [p.name for p in calibrated]
    particle = np.unique(post[cols].to_numpy(), axis=0, return_inverse=True)[1].reshape(-1)
    # coefficients no data constrains vary over their priors in every draw
    free = [p for p in varied(cred.get("vary") or []) if p.name not in post.columns]
    priors = calibrated + free
    unsure = np.column_stack([p.sample(rng, n) for p in free]) if free else np.empty((n, 0))
    draws = {
        "posterior": np.hstack([post[cols].to_numpy()[rows], unsure]),
        "prior": np.column_stack([p.sample(rng, n) for p in priors]),
        "default": np.array([[getattr(Coefficients(), p.name) for p in priors]]),
    }
    sim = TargetSimulator.from_settings(findings, priors, cred)
    measures = load_targets(cred["targets"], "credibility.targets")
    measured = TargetSimulator.from_settings(measures, priors, cred)
    total = sum(len(theta) for theta in draws.values()) * sim.runs_per_set
    total += n * measured.runs_per_set
    with tqdm(
        total=total, desc="imsim credibility", unit=" runs", disable=None if progress else True
    ) as bar:
        values = {name: sim(theta, bar.update) for name, theta in draws.items()}
        held = {name: _holds(findings, v) for name, v in values.items()}
        # what each target's statistic would read under each posterior draw
        statistics = measured(draws["posterior"], bar.update)
    names = [p.name for p in priors]
    deciding = {
        f.name: _deciding(
            f.name,
            draws["posterior"],
            names,
            held["posterior"][:, j],
            statistics,
            measures,
            seed,
            particle[rows],  # the distinct posterior particle each draw was resampled from
            len(calibrated),  # its own columns, first; the free ones are drawn afresh
        )
        for j, f in enumerate(findings)
    }
    table = []
    for j, f in enumerate(findings):
        row = {"finding": f.name, "check": f.describe()}
        for name in ("posterior", "prior"):
            k = held[name][:, j].sum()
            low, high = wilson(np.array(k, float), n)
            row |= {name: k / n, f"{name}_low": float(low), f"{name}_high": float(high)}
        row["default"] = bool(held["default"][0, j])
        row |= deciding[f.name] if row["posterior"] < ROBUST else {"verdict": "robust"}
        row["source"] = f.source
        row["use"] = f.use  # 'calibration': the coefficients were also fitted to it
        table.append(row)
    frame = pd.DataFrame(table)
    out.mkdir(parents=True, exist_ok=True)
    written = [write_csv(frame, out / "credibility.csv")]
    # each posterior draw: its coefficients, each finding's value and each target's
    # statistic (what a researcher needs to redo the break-even analysis with their data)
    per_draw = pd.DataFrame(draws["posterior"], columns=names)
    per_draw = per_draw.join(pd.DataFrame(values["posterior"], columns=[f.name for f in findings]))
    per_draw = per_draw.join(
        pd.DataFrame(statistics, columns=[f"target:{t.name}" for t in measures])
    )
    written.append(write_gzip_csv(per_draw, out / "credibility_draws.csv.gz"))
    written.append(_markdown(frame, out / "credibility.md", cred, n, len(free)))
    return [*written, save_figure(_figure(frame), out / "credibility.png")]


def _holds(findings: list, values: np.ndarray) -> np.ndarray:
    return np.column_stack([f.holds(values[:, j]) for j, f in enumerate(findings)])


def _deciding(
    finding: str,
    x: np.ndarray,
    names: list[str],
    holds: np.ndarray,
    statistics: np.ndarray,
    measures: list,
    seed: int,
    particles: np.ndarray,
    shared: int,
) -> dict[str, Any]:
    """A finding that is not robust: undecided (a rule of a few coefficients, validated on
    held-out draws, decides it) or fragile (none does); the unknowns and the targets whose
    measurement would remove most of the doubt (value of information)."""
    rule = break_even(x, names, holds, seed, groups=particles, shared=shared)
    unknowns = ranking(dict(zip(names, x.T, strict=True)), holds)[:SHOWN]
    targets = ranking({t.name: statistics[:, k] for k, t in enumerate(measures)}, holds)
    best = next(t for t in measures if t.name == targets[0][0])
    return {
        "verdict": "undecided" if rule.decided else "fragile",
        "break_even": rule.sentence(finding),
        "deciders": "; ".join(rule.deciders),
        "coverage": rule.coverage if rule.decided else np.nan,
        "density": rule.density if rule.decided else np.nan,
        "held_out_accuracy": rule.accuracy,
        "unknowns": "; ".join(f"{name} ({share:.0%})" for name, share in unknowns),
        # no target informs it at all: say so rather than name an arbitrary one
        "settle_with": best.name if targets[0][1] > 0 else "none",
        "settle_share": targets[0][1],
        "settle_source": best.source if targets[0][1] > 0 else "",
    }


def _markdown(frame: pd.DataFrame, path: Path, cred: Mapping, n: int, free: int) -> Path:
    shown = frame[["finding", "check", "posterior", "posterior_low", "posterior_high", "prior"]]
    shown = shown.assign(
        verdict=frame.verdict.where(frame.verdict == "robust", "**" + frame.verdict + "**")
    )
    fitted = (frame["use"] == "calibration").to_numpy()
    shown.loc[fitted, "verdict"] += " (also a calibration target: not evidence)"
    lines = [
        "# Credibility: the share of parameter draws in which each finding holds",
        "",
        f"{n} draws from the posterior `{cred['posterior']}` (resampled by weight), with the "
        f"{free} coefficients no target constrains (those named by "
        f"{', '.join(map(str, cred.get('vary') or [])) or 'none'}) drawn from their priors, "
        f"and {n} draws of all of them from their priors; {cred['replicates']} replicates "
        f"per draw; 95% Wilson intervals. **Robust**: holds in at least {ROBUST:.0%} of "
        "posterior draws. **Undecided**: holds in fewer, and a rule of at most two "
        "conditions on the coefficients, fitted to half the draws, predicts the other half "
        "better than chance (the break-even point). **Fragile**: holds in fewer, and no "
        "such rule does.",
        "",
        markdown_table(shown),
        "",
        "## Break-even points, and what would settle each finding that is not robust",
        "",
        "The doubt a measurement is expected to remove is the mutual information between "
        "it and whether the finding holds, over the posterior draws, as a share of the "
        "finding's entropy (`imsim/calibration/information.py`).",
        "",
    ]
    for row in frame[frame.verdict != "robust"].itertuples():
        settle = (
            f"The calibration target whose measurement would remove most doubt: "
            f"`{row.settle_with}` ({row.settle_share:.0%}; {row.settle_source})."
            if row.settle_with != "none"
            else "No calibration target's measurement would narrow it."
        )
        lines += [
            f"- **{row.finding}** ({row.verdict}, holds in {row.posterior:.0%}): "
            f"{row.break_even} Unknowns that decide it: {row.unknowns}. {settle}",
        ]
    return atomic_write(path, lambda tmp: tmp.write_text("\n".join(lines) + "\n"))


def _figure(frame: pd.DataFrame) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(frame) + 1.5))
    y = np.arange(len(frame))[::-1]
    for name, colour, shift in (("posterior", "#0072B2", 0.15), ("prior", "#E69F00", -0.15)):
        share = frame[name].to_numpy()
        err = np.maximum([share - frame[f"{name}_low"], frame[f"{name}_high"] - share], 0.0)
        ax.errorbar(share, y + shift, xerr=err, fmt="o", color=colour, label=name, ms=4)
    ax.axvline(ROBUST, color="grey", ls="--", lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels(frame.finding, fontsize=7)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("share of draws in which the finding holds (95% interval)")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig
