"""Figures of results, each a matplotlib Figure in one house style."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

STYLE = {
    "figure.dpi": 110,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 9,
    "axes.titlesize": 10,
    "legend.frameon": False,
}
ACTOR_COLOURS = {"ocha": "#1f77b4", "unhcr": "#2ca02c", "mission": "#7f7f7f"}


NGO_PALETTE = ("#d62728", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf")


def _colour(actor: str, i: int) -> str:
    return ACTOR_COLOURS.get(actor, NGO_PALETTE[i % len(NGO_PALETTE)])


def erosion(ds: xr.Dataset, band: tuple[float, float] = (0.1, 0.9)) -> Figure:
    """Perceived neutrality and access per actor over time, mean over regions,
    with the replicates' spread as a band."""
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 3, figsize=(11, 3.4), sharex=True)
        for ax, var in zip(axes[:2], ("neutrality", "access"), strict=True):
            regional = ds[var].mean("region")
            for i, actor in enumerate(ds.actor.values):
                series = regional.sel(actor=actor)
                colour = _colour(str(actor), i)
                ax.plot(ds.month, series.mean("replicate"), color=colour, lw=1.5, label=actor)
                lo, hi = series.quantile(list(band), "replicate")
                ax.fill_between(ds.month, lo, hi, color=colour, alpha=0.15, lw=0)
            ax.set(
                title=f"perceived {var}" if var == "neutrality" else var,
                xlabel="month",
                ylim=(0, 1),
            )
        hs = ds.humanitarian_space
        axes[2].plot(ds.month, hs.mean("replicate"), color="k", lw=1.5)
        lo, hi = hs.quantile(list(band), "replicate")
        axes[2].fill_between(ds.month, lo, hi, color="k", alpha=0.15, lw=0)
        axes[2].set(title="humanitarian space", xlabel="month", ylim=(0, 1))
        axes[0].legend(fontsize=7, ncol=2, loc="lower left")
        fig.suptitle(f"Humanitarian-space erosion: {ds.attrs.get('scenario', '')}", fontsize=11)
        fig.tight_layout()
    return fig


def sensitivity(table: pd.DataFrame) -> Figure:
    """Sensitivity indices per parameter with their confidence intervals, a panel per output.

    ``table`` is ``imsim.sensitivity``'s: Sobol first-order and total indices
    (S1, ST) or Morris mu* with sigma.
    """
    sobol = "ST" in table.columns
    bars = (("S1", "first order"), ("ST", "total")) if sobol else (("mu_star", "mu*"),)
    outputs = list(dict.fromkeys(table["output"]))
    with plt.rc_context(STYLE):
        height = 0.9 + 0.32 * table["parameter"].nunique()
        fig, axes = plt.subplots(
            1, len(outputs), figsize=(3.6 * len(outputs) + 1.6, height), sharey=True, squeeze=False
        )
        for ax, output in zip(axes[0], outputs, strict=True):
            rows = table[table["output"] == output]
            y = np.arange(len(rows))
            width = 0.8 / len(bars)
            for k, (column, label) in enumerate(bars):
                ax.barh(
                    y + (k - (len(bars) - 1) / 2) * width,
                    rows[column],
                    height=width,
                    xerr=rows[f"{column}_conf"],
                    label=label,
                    color=("#9ecae1", "#08519c")[k] if sobol else "#08519c",
                    error_kw={"lw": 0.8, "capsize": 2},
                )
            ax.set_yticks(y, rows["parameter"])
            ax.invert_yaxis()
            ax.axvline(0, color="k", lw=0.6)
            ax.set(title=output, xlabel="Sobol index" if sobol else "Morris mu* (output units)")
        axes[0][0].legend(loc="lower right", fontsize=7)
        fig.suptitle("Sensitivity, with 95% confidence intervals", fontsize=11)
        fig.tight_layout()
    return fig


def save_figure(fig: Figure, path) -> None:
    from .io import atomic_write

    atomic_write(path, lambda tmp: fig.savefig(tmp, format="png", dpi=130))
    plt.close(fig)
