"""What a calibration leaves in its folder, besides its history (``calibration.db``).

- ``posterior.csv``: the last generation's particles and weights;
- ``generations.csv``: each generation's epsilon and number of evaluations, and
  ``epsilon.png``, the acceptance threshold by generation (has it stopped falling?);
- ``marginals.png`` and ``pairs.png``: the posterior against the prior ranges;
- ``ppc.csv`` and ``ppc.png``: the posterior-predictive check, every target
  (calibration and held-out validation) observed against simulated, with the
  5-95% interval over posterior draws and the share of draws meeting it;
- ``coefficients.yaml``: the posterior medians as a ``coefficients`` config
  option (copy it to ``coefficients/<name>.yaml`` in a folder of one's own configs,
  ``$IMSIM_CONFIG_PATH`` or ``--config-dir``, to load it with ``coefficients=<name>``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pyabc

from ..config.ranges import Prior
from ..results.storage import atomic_write, save_figure
from ..results.tables import write_csv
from .run import DB, Setup
from .simulator import TargetSimulator

log = logging.getLogger(__name__)

# A coefficient "piles at a bound" when more than PILED of the posterior lies within the
# outer EDGE of its prior's range on one side (a flat posterior puts EDGE there); epsilon
# is "still falling" when the last generation cut it by more than STILL_FALLING.
EDGE, PILED, STILL_FALLING = 0.05, 0.25, 0.1
# The weights have collapsed when fewer than this share of the particles carry them.
DEGENERATE = 0.1


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    order = np.argsort(x)
    cdf = np.cumsum(w[order]) / w.sum()
    return float(np.interp(q, cdf, x[order]))


def draws(post: pd.DataFrame, priors: list[Prior], n: int, seed: int) -> np.ndarray:
    """``n`` parameter sets resampled from the posterior by weight, (n, D)."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(post), size=n, p=post["weight"].to_numpy())
    return post[[p.name for p in priors]].to_numpy()[rows]


def predictive(s: Setup, theta: np.ndarray, abc: Any) -> pd.DataFrame:
    """Every target simulated under ``theta``: one row per target."""
    targets = s.calibration + s.validation
    sim = TargetSimulator.from_settings(targets, s.priors, abc)
    values = sim(theta)
    rows = []
    for j, t in enumerate(targets):
        v = values[:, j]
        rows.append(
            {
                "target": t.name,
                "use": t.use,
                "observed": t.describe(),
                "median": float(np.median(v)),
                "q05": float(np.quantile(v, 0.05)),
                "q95": float(np.quantile(v, 0.95)),
                "holds": float(t.holds(v).mean()),
                "verdict": "met" if t.holds(np.median(v)) else "missed",
                "source": t.source,
            }
        )
    return pd.DataFrame(rows)


def write_report(out: Path, s: Setup, post: pd.DataFrame, abc: Any) -> list[Path]:
    written = [write_csv(post, out / "posterior.csv")]
    generations = _generations(out)
    written.append(write_csv(generations, out / "generations.csv"))
    floor = error_distance(s.calibration)
    written.append(save_figure(_epsilon_figure(generations, floor), out / "epsilon.png"))
    written.append(save_figure(_marginals(post, s.priors), out / "marginals.png"))
    written.append(save_figure(_pairs(post, s.priors), out / "pairs.png"))
    ppc = predictive(s, draws(post, s.priors, int(abc["draws"]), int(abc["seed"])), abc)
    written.append(write_csv(ppc, out / "ppc.csv"))
    written.append(save_figure(_ppc_figure(ppc, s), out / "ppc.png"))
    written.append(_coefficients_yaml(out / "coefficients.yaml", post, s.priors, abc))
    for message in cautions(ppc, post, s.priors, generations, floor):
        log.warning(message)
    return written


def error_distance(targets: list) -> float:
    """The distance a model true to every target would typically show from the targets'
    own errors: the root of the median of a chi-square with one degree of freedom per
    target with an observation and sd (a range met adds nothing). Epsilon below it fits
    the targets more tightly than their errors allow (Wilkinson 2013: ABC is exact under
    a model error of epsilon's size), so a calibration that reaches it has run far enough."""
    from scipy.stats import chi2

    k = sum(t.observed is not None for t in targets)
    return float(np.sqrt(chi2.median(k))) if k else 0.0


def cautions(
    ppc: pd.DataFrame,
    post: pd.DataFrame,
    priors: list[Prior],
    generations: pd.DataFrame,
    floor: float = 0.0,
) -> list[str]:
    """One line for each thing a reader of the posterior should know: a calibration target
    missed, a coefficient piled at a bound of its prior, epsilon still falling (above
    ``floor``, the distance the targets' own errors give)."""
    out = [
        f"calibration target {row.target} missed: observed {row.observed}, posterior "
        f"median {row.median:.4g} (ppc.csv)"
        for row in ppc[(ppc["use"] == "calibration") & (ppc["verdict"] == "missed")].itertuples()
    ]
    weight = post["weight"].to_numpy() / post["weight"].sum()
    for p in priors:
        u = p.to_unit(post[p.name].to_numpy())  # 0 at the prior's low end, 1 at its high
        for side, near, bound in (("lower", u < EDGE, p.low), ("upper", u > 1 - EDGE, p.high)):
            share = float(weight[near].sum())
            if share > PILED:
                out.append(
                    f"{p.name} piles at its prior's {side} bound {bound:g} ({share:.0%} of the "
                    f"posterior within {EDGE:.0%} of its range): the data may want a value "
                    "beyond the prior, or the model lacks something"
                )
    ess = generations["effective_particles"].to_numpy()
    if len(ess) and ess[-1] < DEGENERATE * len(post):
        out.append(
            f"the posterior's weights rest on {ess[-1]:.1f} effective distinct particles of "
            f"{len(post)}: its weights have collapsed onto a few, so the posterior is "
            "close to a point and its intervals are too narrow (generations.csv)"
        )
    eps = generations["epsilon"].to_numpy()
    if len(eps) >= 2 and eps[-1] < (1 - STILL_FALLING) * eps[-2] and eps[-1] > floor:
        out.append(
            f"epsilon still falling at the last generation ({eps[-2]:.3g} -> {eps[-1]:.3g}): "
            "more generations (abc.generations) would narrow the posterior"
        )
    return out


def _generations(out: Path) -> pd.DataFrame:
    """Each generation's epsilon, evaluations and effective sample size (how many distinct
    particles the weights rest on)."""
    history = pyabc.History(f"sqlite:///{(out / DB).resolve()}", _id=1)
    frame = history.get_all_populations()
    frame = frame[frame.t >= 0][["t", "epsilon", "samples"]].rename(
        columns={"t": "generation", "samples": "evaluations"}
    )
    effective = []
    for t in frame["generation"]:
        particles, w = history.get_distribution(m=0, t=int(t))
        effective.append(effective_particles(particles, w))
    return frame.assign(effective_particles=effective)


def effective_particles(particles: pd.DataFrame, weights: np.ndarray) -> float:
    """Kish's effective sample size over distinct parameter sets: copies of one particle
    (a resample-move step leaves some where they were copied) count once, with their
    weights summed."""
    w = pd.Series(np.asarray(weights, float), index=pd.MultiIndex.from_frame(particles))
    w = w.groupby(level=list(range(particles.shape[1]))).sum().to_numpy()
    w = w / w.sum()
    return float(1.0 / np.sum(w**2))


def _epsilon_figure(generations: pd.DataFrame, floor: float = 0.0) -> plt.Figure:
    """The acceptance threshold by generation: a calibration has run long enough when the
    last generations no longer lower it by more than STILL_FALLING, or when it reaches the
    distance the targets' own errors give (``floor``, dashed)."""
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    g, eps = generations["generation"].to_numpy(), generations["epsilon"].to_numpy()
    ax.plot(g, eps, marker="o", color="#0072B2")
    if floor > 0:
        ax.axhline(floor, color="#0072B2", ls="--", lw=1)
        ax.annotate("the targets' own errors", (g[0], floor), fontsize=7, color="#0072B2",
                    xytext=(0, 3), textcoords="offset points")  # fmt: skip
    ax.set_yscale("log")
    ax.set_xlabel("generation")
    ax.set_ylabel("epsilon (acceptance threshold)", color="#0072B2")
    other = ax.twinx()  # and how many particles the weights rest on
    other.plot(g, generations["effective_particles"], marker="s", color="#D55E00", lw=1)
    other.set_yscale("log")
    other.set_ylabel("effective particles", color="#D55E00")
    if len(eps) >= 2:
        drop = 1 - eps[-1] / eps[-2]
        if floor > 0 and eps[-1] <= floor:
            state = "at the targets' own errors"
        else:
            state = "still falling" if drop > STILL_FALLING else "levelled off"
        ax.set_title(f"last generation cut it by {drop:.0%}: {state}", fontsize=9)
    fig.tight_layout()
    return fig


def _marginals(post: pd.DataFrame, priors: list[Prior]) -> plt.Figure:
    cols = min(4, len(priors))
    rows = -(-len(priors) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.4 * rows), squeeze=False)
    w = post["weight"].to_numpy()
    for ax, p in zip(axes.flat, priors, strict=False):
        log = p.distribution == "loguniform"
        bins = np.geomspace(p.low, p.high, 21) if log else np.linspace(p.low, p.high, 21)
        ax.hist(post[p.name], bins=bins, weights=w, color="#0072B2", alpha=0.8)
        ax.axhline(1 / 20, color="grey", lw=1, ls="--")  # the prior's mass per bin
        ax.set_xscale("log" if log else "linear")
        ax.set_title(p.name, fontsize=9)
        ax.set_yticks([])
    for ax in list(axes.flat)[len(priors) :]:
        ax.set_visible(False)
    fig.suptitle("Posterior marginals over the prior range (dashed: the prior)", fontsize=10)
    fig.tight_layout()
    return fig


def _pairs(post: pd.DataFrame, priors: list[Prior], most: int = 5) -> plt.Figure:
    shown = priors[:most]
    n = len(shown)
    fig, axes = plt.subplots(n, n, figsize=(2.0 * n + 1, 2.0 * n + 1), squeeze=False)
    w = post["weight"].to_numpy()
    for i, a in enumerate(shown):
        for j, b in enumerate(shown):
            ax = axes[i][j]
            if i == j:
                ax.hist(post[a.name], bins=20, weights=w, color="#0072B2")
            else:
                ax.scatter(post[b.name], post[a.name], s=4 + 200 * w, color="#D55E00", alpha=0.5)
            ax.tick_params(labelsize=6)
            if i == n - 1:
                ax.set_xlabel(b.name, fontsize=7)
            if j == 0:
                ax.set_ylabel(a.name, fontsize=7)
    fig.tight_layout()
    return fig


def _ppc_figure(ppc: pd.DataFrame, s: Setup) -> plt.Figure:
    targets = {t.name: t for t in s.calibration + s.validation}
    fig, axes = plt.subplots(
        len(ppc), 1, figsize=(8, 0.55 * len(ppc) + 1.2), squeeze=False, sharex=False
    )
    for ax, (_, row) in zip(axes[:, 0], ppc.iterrows(), strict=True):
        t = targets[row["target"]]
        lo, hi = _observed_band(t)
        ax.axvspan(lo, hi, color="#009E73", alpha=0.3, lw=0)
        colour = "#0072B2" if t.use == "calibration" else "#D55E00"
        ax.plot([row["q05"], row["q95"]], [0, 0], color=colour, lw=3)
        ax.plot([row["median"]], [0], "o", color=colour)
        ax.set_yticks([])
        ax.set_ylabel(f"{row['target']} ({t.use[:5]})", rotation=0, ha="right", fontsize=7)
        ax.tick_params(labelsize=6)
    fig.suptitle(
        "Posterior-predictive check: observed (green band) vs simulated 5-95% (blue: "
        "calibration, orange: held out)",
        fontsize=9,
    )
    fig.tight_layout()
    return fig


def _observed_band(t: Any) -> tuple[float, float]:
    if t.observed is not None:
        return t.observed - 2 * t.sd, t.observed + 2 * t.sd
    lo = t.lower if t.lower is not None else t.upper - 4 * t.scale
    hi = t.upper if t.upper is not None else t.lower + 4 * t.scale
    return lo, hi


def _coefficients_yaml(path: Path, post: pd.DataFrame, priors: list[Prior], abc: Any) -> Path:
    w = post["weight"].to_numpy()
    lines = [
        "# @package coefficients",
        f"# Posterior medians of an ABC-SMC calibration against targets '{abc['targets']}'",
        f"# ({abc['generations']} generations of {abc['population']} particles, seed "
        f"{abc['seed']}); every other coefficient keeps its default.",
    ]
    for p in priors:
        lines.append(f"{p.name}: {weighted_quantile(post[p.name].to_numpy(), w, 0.5):.6g}")
    return atomic_write(path, lambda tmp: tmp.write_text("\n".join(lines) + "\n"))
