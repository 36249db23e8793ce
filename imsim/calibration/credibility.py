"""``imsim experiment=credibility``: does each finding survive the coefficients we are unsure of?

Draws parameter sets from a calibration's posterior (resampled by weight)
and, for comparison, from the prior of the same coefficients; runs every
finding of a findings file (``configs/targets/findings.yaml``: the stylized
facts and the studies' headline findings, stated as checks) under each draw
through the batched engine; and reports the share of draws in which each
holds, with a 95% Wilson interval. A finding that holds in fewer than 80% of
posterior draws is fragile.
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
from ..results.tables import markdown_table, write_csv
from .checks import check_study_overrides, output_folder, study_node
from .simulator import TargetSimulator
from .targets import load_targets

FRAGILE = 0.8  # a finding holding in fewer posterior draws than this is fragile


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
        names = [f.name for f in fields(Coefficients) if f.name.startswith(str(prefix))]
        if not names:
            raise ConfigError("credibility.vary", prefix, "prefixes of coefficient names")
        out += [prior(name) for name in names if name not in {p.name for p in out}]
    return out


def check_credibility(cred: Mapping) -> None:
    read_posterior(cred["posterior"])
    load_targets(cred["findings"], "credibility.findings")
    varied(cred.get("vary") or [])
    check_study_overrides("credibility", cred.get("overrides") or [])


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
    # coefficients no data constrains vary over their priors in every draw
    free = [p for p in varied(cred.get("vary") or []) if p.name not in post.columns]
    priors = calibrated + free
    unsure = np.column_stack([p.sample(rng, n) for p in free]) if free else np.empty((n, 0))
    draws = {
        "posterior": np.hstack([post[[p.name for p in calibrated]].to_numpy()[rows], unsure]),
        "prior": np.column_stack([p.sample(rng, n) for p in priors]),
        "default": np.array([[getattr(Coefficients(), p.name) for p in priors]]),
    }
    sim = TargetSimulator.from_settings(findings, priors, cred)
    total = sum(len(theta) for theta in draws.values()) * sim.runs_per_set
    with tqdm(
        total=total, desc="imsim credibility", unit=" runs", disable=None if progress else True
    ) as bar:
        held = {name: _holds(findings, sim(theta, bar.update)) for name, theta in draws.items()}
    table = []
    for j, f in enumerate(findings):
        row = {"finding": f.name, "check": f.describe()}
        for name in ("posterior", "prior"):
            k = held[name][:, j].sum()
            low, high = wilson(np.array(k, float), n)
            row |= {name: k / n, f"{name}_low": float(low), f"{name}_high": float(high)}
        row["default"] = bool(held["default"][0, j])
        row["fragile"] = row["posterior"] < FRAGILE
        row["source"] = f.source
        row["use"] = f.use  # 'calibration': the coefficients were also fitted to it
        table.append(row)
    frame = pd.DataFrame(table)
    out.mkdir(parents=True, exist_ok=True)
    written = [write_csv(frame, out / "credibility.csv")]
    written.append(_markdown(frame, out / "credibility.md", cred, n))
    return [*written, save_figure(_figure(frame), out / "credibility.png")]


def _holds(findings: list, values: np.ndarray) -> np.ndarray:
    return np.column_stack([f.holds(values[:, j]) for j, f in enumerate(findings)])


def _markdown(frame: pd.DataFrame, path: Path, cred: Mapping, n: int) -> Path:
    shown = frame[["finding", "check", "posterior", "posterior_low", "posterior_high", "prior"]]
    shown = shown.assign(verdict=np.where(frame.fragile, "**fragile**", "robust"))
    fitted = (frame["use"] == "calibration").to_numpy()
    shown.loc[fitted, "verdict"] += " (also a calibration target: not evidence)"
    fragile = ", ".join(frame.finding[frame.fragile]) or "none"
    lines = [
        "# Credibility: the share of parameter draws in which each finding holds",
        "",
        f"{n} draws from the posterior `{cred['posterior']}` (resampled by weight), the "
        f"{len(cred.get('vary') or [])} families of coefficients no target constrains "
        f"({', '.join(cred.get('vary') or []) or 'none'}) drawn from their priors, and {n} "
        f"draws of all of them from their priors; {cred['replicates']} replicates per draw; "
        f"95% Wilson intervals. Fragile: holds in fewer than {FRAGILE:.0%} of posterior "
        f"draws. Fragile findings: {fragile}.",
        "",
        markdown_table(shown),
        "",
    ]
    return atomic_write(path, lambda tmp: tmp.write_text("\n".join(lines)))


def _figure(frame: pd.DataFrame) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(frame) + 1.5))
    y = np.arange(len(frame))[::-1]
    for name, colour, shift in (("posterior", "#0072B2", 0.15), ("prior", "#E69F00", -0.15)):
        share = frame[name].to_numpy()
        err = np.maximum([share - frame[f"{name}_low"], frame[f"{name}_high"] - share], 0.0)
        ax.errorbar(share, y + shift, xerr=err, fmt="o", color=colour, label=name, ms=4)
    ax.axvline(FRAGILE, color="grey", ls="--", lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels(frame.finding, fontsize=7)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("share of draws in which the finding holds (95% interval)")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig
