"""Figures of results, each a matplotlib Figure in one house style."""

from __future__ import annotations

import matplotlib.pyplot as plt  # the backend is the user's (inline in notebooks, Agg headless)
import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure

from ..core.options import Phase
from ..results.storage import save_figure  # noqa: F401  (imsim.plot.save_figure, as before)
from ..results.summary import humanitarians, metric, national

# Resolve pyplot's backend now, outside any rc_context: resolving it inside one (the first
# figure) lets the context's exit undo what the backend set, e.g. the notebook's inline
# display, after which figures stop showing.
plt.close(plt.figure())

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


def actor_colour(actor: str, i: int) -> str:
    return ACTOR_COLOURS.get(actor, NGO_PALETTE[i % len(NGO_PALETTE)])


def erosion(ds: xr.Dataset, band: tuple[float, float] = (0.1, 0.9)) -> Figure:
    """Perceived neutrality and access per actor over time, national (population-weighted
    over regions), with the replicates' spread as a band."""
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 3, figsize=(11, 3.4), sharex=True)
        for ax, var in zip(axes[:2], ("neutrality", "access"), strict=True):
            regional = national(ds, var, by_actor=True)
            for i, actor in enumerate(ds.actor.values):
                series = regional.sel(actor=actor)
                colour = actor_colour(str(actor), i)
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


def compare(
    runs: dict[str, xr.Dataset], variable: str, band: tuple[float, float] = (0.1, 0.9)
) -> Figure:
    """A variable over time for several runs (one line each, replicate band): means over
    regions (summed for people counts) and over humanitarian actors where per actor."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(6.4, 3.6))
        for i, (label, ds) in enumerate(runs.items()):
            series = national(ds, variable)
            colour = NGO_PALETTE[i % len(NGO_PALETTE)]
            ax.plot(ds.month, series.mean("replicate"), color=colour, lw=1.6, label=label)
            lo, hi = series.quantile(list(band), "replicate")
            ax.fill_between(ds.month, lo, hi, color=colour, alpha=0.15, lw=0)
        ax.set(xlabel="month", ylabel=variable.replace("_", " "))
        ax.legend(fontsize=8)
        fig.tight_layout()
    return fig


PHASE_COLOURS = ("#d7301f", "#fdae61", "#1a9850")  # conflict, transition, consolidation
PHASE_NAMES = Phase.names()


def phase_timeline(ds: xr.Dataset, replicate: int | None = None) -> Figure:
    """Region-by-month phase map: one replicate's phases, or the mean over replicates."""
    from matplotlib.colors import LinearSegmentedColormap, ListedColormap

    phase = ds.phase if replicate is None else ds.phase.isel(replicate=[replicate])
    value = phase.mean("replicate").transpose("region", "month")
    discrete = replicate is not None or phase.sizes["replicate"] == 1
    if discrete:
        cmap = ListedColormap(PHASE_COLOURS)
    else:
        cmap = LinearSegmentedColormap.from_list("phases", PHASE_COLOURS)
    with plt.rc_context({**STYLE, "axes.grid": False}):
        fig, ax = plt.subplots(figsize=(9, 0.9 + 0.16 * ds.sizes["region"]))
        image = ax.pcolormesh(
            ds.month,
            np.arange(ds.sizes["region"]),
            value,
            cmap=cmap,
            vmin=-0.5,
            vmax=2.5,
            shading="nearest",
        )
        ax.set_yticks(np.arange(ds.sizes["region"]), [str(r) for r in ds.region.values])
        ax.invert_yaxis()
        ax.set(xlabel="month")
        bar = fig.colorbar(image, ax=ax, ticks=[0, 1, 2], fraction=0.03, pad=0.01)
        bar.ax.set_yticklabels(PHASE_NAMES)
        which = "mean over replicates" if not discrete else f"replicate {replicate or 0}"
        ax.set_title(f"Mission phase by region ({which}): {ds.attrs.get('scenario', '')}")
        fig.tight_layout()
    return fig


def region_map(
    ds: xr.Dataset, month: int = -1, variable: str = "phase", layout_seed: int = 0
) -> Figure:
    """The region graph at one month, coloured by ``phase``, ``access`` (humanitarians'
    mean) or ``control``, sized by population; means over replicates."""
    from ..compile.world import build_world

    world = build_world(run_config(ds))
    step = ds.isel(month=month)
    da = step[variable]
    if "actor" in da.dims:
        da = da.sel(actor=humanitarians(ds)).mean("actor")
    values = da.mean("replicate").sel(region=list(world.names)).values
    cmap, limits = {
        "phase": ("RdYlGn", (0, 2)),
        "access": ("viridis", (0, 1)),
        "control": ("Reds", (0, 1)),
    }.get(variable, ("viridis", (float(values.min()), float(values.max()))))
    with plt.rc_context({**STYLE, "axes.grid": False}):
        fig, ax = plt.subplots(figsize=(6, 5))
        nodes = draw_regions(ax, world, values, cmap, limits, labels=True, layout_seed=layout_seed)
        bar = fig.colorbar(nodes, ax=ax, fraction=0.04)
        if variable == "phase":
            bar.set_ticks([0, 1, 2], labels=PHASE_NAMES)
        ax.set_axis_off()
        ax.set_title(f"{variable} at month {int(step.month)}: {ds.attrs.get('scenario', '')}")
        fig.tight_layout()
    return fig


def region_positions(world, seed: int = 0) -> dict[str, np.ndarray]:
    """Where a map draws each region: named regions with a place (``world.named.<r>.lon``,
    ``.lat``) at it, west to east and south to north, and the others laid out around them
    by their links (a spring layout, which alone puts the Kivus anywhere)."""
    import networkx as nx

    located = {n: world.locations[n] for n in world.names if n in world.locations}
    if not located:
        return nx.spring_layout(world.graph, seed=seed)
    lonlat = np.array(list(located.values()), dtype=float)
    centre, span = lonlat.mean(axis=0), np.ptp(lonlat, axis=0).max() or 1.0
    fixed = {n: (np.array(p) - centre) / span * 1.6 for n, p in located.items()}
    start = nx.spring_layout(world.graph, seed=seed) | fixed
    return nx.spring_layout(world.graph, pos=start, fixed=list(fixed), seed=seed)


def draw_regions(
    ax,
    world,
    values,
    cmap: str,
    limits: tuple[float, float],
    size: float = 600,
    labels: bool = False,
    layout_seed: int = 0,
):
    """The region graph on ``ax``: nodes coloured by ``values``, sized by population,
    labelled when asked and there are at most 30 regions (named regions by their names)."""
    import networkx as nx

    positions = region_positions(world, layout_seed)
    nx.draw_networkx_edges(world.graph, positions, ax=ax, alpha=0.3)
    nodes = nx.draw_networkx_nodes(
        world.graph,
        positions,
        nodelist=list(world.names),
        node_color=values,
        cmap=cmap,
        vmin=limits[0],
        vmax=limits[1],
        node_size=size * world.population / world.population.max(),
        ax=ax,
        edgecolors="k",
        linewidths=0.4,
    )
    if labels and len(world.names) <= 30:
        short = {n: n.replace("region_", "") for n in world.names}
        named = {n: n.replace("_", " ").title() for n in world.locations}
        unnamed = {n: s for n, s in short.items() if n not in named}
        nx.draw_networkx_labels(world.graph, positions, unnamed, font_size=6, ax=ax)
        nx.draw_networkx_labels(
            world.graph, positions, named, font_size=9, font_weight="bold", ax=ax,
            verticalalignment="bottom",
        )  # fmt: skip
    ax.set_axis_off()
    return nodes


def run_config(ds: xr.Dataset) -> dict:
    import yaml

    if "config" not in ds.attrs:
        raise ValueError("region_map needs a Dataset from imsim.simulate (its config attribute)")
    return yaml.safe_load(ds.attrs["config"])


def sweep(
    ds: xr.Dataset,
    metric_name: str = "humanitarian_space",
    x: str | None = None,
    hue: str | None = None,
    col: str | None = None,
) -> Figure:
    """A metric across swept settings: ``x`` on the axis, a line per ``hue``, a panel per
    ``col`` (swept keys of a sweep.nc); means over the other keys and replicates, with
    bars of two standard errors over replicates."""
    keys = [k for k in ds.attrs.get("swept_keys", "").split() if k in ds.coords]
    x = x or keys[0]
    frame = metric(ds, metric_name).to_dataframe(name="value").reset_index()
    for key in {x, hue, col} - {None}:
        frame[key] = ds[key].values[frame["point"].to_numpy()]
    panels = list(dict.fromkeys(frame[col])) if col else [None]
    lines = list(dict.fromkeys(frame[hue])) if hue else [None]
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(
            1, len(panels), figsize=(3.4 * len(panels) + 0.8, 3.2), sharey=True, squeeze=False
        )
        for ax, panel in zip(axes[0], panels, strict=True):
            part = frame if col is None else frame[frame[col] == panel]
            for i, line in enumerate(lines):
                rows = part if hue is None else part[part[hue] == line]
                per_rep = rows.groupby([x, "replicate"], sort=False)["value"].mean()
                stats = per_rep.groupby(level=0, sort=False).agg(["mean", "std", "count"])
                xs = [str(v) for v in stats.index] if stats.index.dtype == object else stats.index
                ax.errorbar(
                    xs,
                    stats["mean"],
                    yerr=2 * stats["std"] / np.sqrt(stats["count"]),
                    marker="o",
                    ms=4,
                    lw=1.4,
                    capsize=2,
                    label=None if hue is None else str(line),
                    color=NGO_PALETTE[i % len(NGO_PALETTE)] if hue else "k",
                )
            ax.set(xlabel=x, title="" if col is None else f"{col} = {panel}")
        axes[0][0].set_ylabel(metric_name.replace("_", " "))
        if hue:
            axes[0][-1].legend(title=hue, fontsize=7, title_fontsize=7)
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
