"""Figures of results, each a matplotlib Figure in one house style.

Every figure draws on axes of the caller's (``ax=``: one Axes, or a sequence for a
figure of several panels) or on a new figure, and returns the figure drawn on. National
figures are ``results.summary.national``'s (population-weighted, over the regions chosen
with ``regions=``); bands are the spread over replicates, labelled, and left out when a run
has one replicate; colours and dash patterns come from ``views.palette`` (colour-blind
safe, shared by the dashboard, the classroom and the animation).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt  # the backend is the user's (inline in notebooks, Agg headless)
import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..core.options import Phase
from ..results.storage import save_figure  # noqa: F401  (imsim.plot.save_figure, as before)
from ..results.summary import humanitarians, metric, national
from .palette import (  # noqa: F401  (imsim.plot.PHASE_COLOURS, as before)
    BAND_ALPHA,
    DASHES,
    GREY,
    PHASE_COLOURS,
    actor_colour,  # noqa: F401  (imsim.plot.actor_colour, as before)
    actor_style,
    phase_cmap,
    setting_colour,
)

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
PHASE_NAMES = Phase.names()
Ax = Axes | Sequence[Axes] | None


def axes_for(ax: Ax, panels: int, figsize: tuple[float, float], **kw) -> tuple[Figure, list]:
    """The axes to draw on: the caller's (``panels`` of them), else a new figure's."""
    if ax is None:
        fig, grid = plt.subplots(1, panels, figsize=figsize, squeeze=False, **kw)
        return fig, list(grid[0])
    axes = [ax] if isinstance(ax, Axes) else list(ax)
    if len(axes) != panels or not all(isinstance(a, Axes) for a in axes):
        raise ValueError(f"ax: {panels} matplotlib Axes for this figure's panels, got {ax!r}")
    return axes[0].figure, axes


def select(ds: xr.Dataset, regions: Sequence[str] | None = None,
           actors: Sequence[str] | None = None) -> xr.Dataset:  # fmt: skip
    """The regions and actors chosen (all when None); ValueError naming what there is."""
    for dim, chosen in (("region", regions), ("actor", actors)):
        if chosen is None:
            continue
        chosen = [chosen] if isinstance(chosen, str) else list(chosen)
        known = [str(v) for v in ds[dim].values]
        unknown = [c for c in chosen if c not in known]
        if unknown or not chosen:
            raise ValueError(
                f"{dim}s: bad value {unknown or chosen!r}; allowed: {', '.join(known)}"
            )
        ds = ds.sel({dim: chosen})
    return ds


def draw_band(
    ax: Axes, x, series: xr.DataArray, quantiles: tuple[float, float], colour: str
) -> None:
    """The spread over replicates between two quantiles (none for one replicate)."""
    if series.sizes.get("replicate", 1) < 2:
        return
    lo, hi = series.quantile(list(quantiles), "replicate")
    ax.fill_between(x, lo, hi, color=colour, alpha=BAND_ALPHA, lw=0)


def band_label(quantiles: tuple[float, float]) -> Patch:
    """The legend's entry for the bands."""
    lo, hi = (round(100 * q) for q in quantiles)
    return Patch(color=GREY, alpha=2 * BAND_ALPHA, label=f"{lo}–{hi}% of replicates")


def legend(ax: Axes, quantiles: tuple[float, float] | None, **kw) -> None:
    """Lines' labels, and the bands' entry when bands were drawn."""
    handles, labels = ax.get_legend_handles_labels()
    if quantiles is not None:
        entry = band_label(quantiles)
        handles, labels = [*handles, entry], [*labels, entry.get_label()]
    ax.legend(handles, labels, **kw)


def erosion(
    ds: xr.Dataset,
    band: tuple[float, float] = (0.1, 0.9),
    *,
    regions: Sequence[str] | None = None,
    actors: Sequence[str] | None = None,
    ax: Ax = None,
) -> Figure:
    """Perceived neutrality and access per actor over time, national (population-weighted
    over ``regions``), and humanitarian space, with the replicates' spread as a band.
    ``ax``: three Axes (neutrality, access, humanitarian space)."""
    part = select(ds, regions, actors)
    spread = band if ds.sizes["replicate"] > 1 else None
    with plt.rc_context(STYLE):
        fig, axes = axes_for(ax, 3, (11, 3.4), sharex=True)
        for panel, var in zip(axes[:2], ("neutrality", "access"), strict=True):
            by_actor = national(part, var, by_actor=True)
            for actor in part.actor.values:
                i = list(ds.actor.values).index(actor)  # an actor's style whatever is chosen
                style = actor_style(str(actor), i)
                series = by_actor.sel(actor=actor)
                panel.plot(ds.month, series.mean("replicate"), lw=1.5, label=actor, **style)
                draw_band(panel, ds.month, series, band, style["color"])
            where = "" if regions is None else f" ({', '.join(map(str, part.region.values))})"
            title = "perceived neutrality" if var == "neutrality" else "access"
            panel.set(title=title + where, xlabel="month", ylim=(0, 1))
        hs = part.humanitarian_space
        axes[2].plot(ds.month, hs.mean("replicate"), color="k", lw=1.5, label="mean")
        draw_band(axes[2], ds.month, hs, band, "k")
        axes[2].set(title="humanitarian space (national)", xlabel="month", ylim=(0, 1))
        legend(axes[0], spread, fontsize=7, ncol=2, loc="lower left")
        if ax is None:
            fig.suptitle(f"Humanitarian-space erosion: {ds.attrs.get('scenario', '')}", fontsize=11)
            fig.tight_layout()
    return fig


def compare(
    runs: dict[str, xr.Dataset],
    variable: str,
    band: tuple[float, float] = (0.1, 0.9),
    *,
    regions: Sequence[str] | None = None,
    actors: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """A variable over time for several runs (one line each, replicate band): national
    over ``regions`` (population-weighted, summed for people counts) and averaged over the
    humanitarian ``actors`` where per actor. Each run's line has its own colour and dash."""
    with plt.rc_context(STYLE):
        fig, (panel,) = axes_for(ax, 1, (6.4, 3.6))
        many = False
        for i, (label, ds) in enumerate(runs.items()):
            series = national(select(ds, regions, actors), variable)
            style = {"color": setting_colour(label, i), "linestyle": DASHES[i % len(DASHES)]}
            panel.plot(ds.month, series.mean("replicate"), lw=1.6, label=label, **style)
            draw_band(panel, ds.month, series, band, style["color"])
            many = many or ds.sizes["replicate"] > 1
        panel.set(xlabel="month", ylabel=variable.replace("_", " "))
        legend(panel, band if many else None, fontsize=8)
        if ax is None:
            fig.tight_layout()
    return fig


def phase_timeline(
    ds: xr.Dataset,
    replicate: int | None = None,
    *,
    regions: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Region-by-month phase map: one replicate's phases, or the mean over replicates."""
    part = select(ds, regions)
    phase = part.phase if replicate is None else part.phase.isel(replicate=[replicate])
    value = phase.mean("replicate").transpose("region", "month")
    discrete = replicate is not None or phase.sizes["replicate"] == 1
    rows = part.sizes["region"]
    with plt.rc_context({**STYLE, "axes.grid": False}):
        fig, (panel,) = axes_for(ax, 1, (9, 0.9 + 0.16 * rows))
        # steps centred on the codes; a blend whose ends are the first and last phase
        low, high = (-0.5, 2.5) if discrete else (0.0, 2.0)
        image = panel.pcolormesh(
            ds.month, np.arange(rows), value, cmap=phase_cmap(discrete), vmin=low, vmax=high,
            shading="nearest",
        )  # fmt: skip
        panel.set_yticks(np.arange(rows), [str(r) for r in part.region.values])
        panel.invert_yaxis()
        panel.set(xlabel="month")
        bar = fig.colorbar(image, ax=panel, ticks=[0, 1, 2], fraction=0.03, pad=0.01)
        bar.ax.set_yticklabels(PHASE_NAMES)
        which = "mean over replicates" if not discrete else f"replicate {replicate or 0}"
        panel.set_title(f"Mission phase by region ({which}): {ds.attrs.get('scenario', '')}")
        if ax is None:
            fig.tight_layout()
    return fig


def region_map(
    ds: xr.Dataset,
    month: int = -1,
    variable: str = "phase",
    layout_seed: int = 0,
    *,
    ax: Axes | None = None,
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
        "phase": (phase_cmap(discrete=False), (0, 2)),
        "access": ("viridis", (0, 1)),
        "control": ("Reds", (0, 1)),
    }.get(variable, ("viridis", (float(values.min()), float(values.max()))))
    with plt.rc_context({**STYLE, "axes.grid": False}):
        fig, (panel,) = axes_for(ax, 1, (6, 5))
        nodes = draw_regions(panel, world, values, cmap, limits, labels=True,
                             layout_seed=layout_seed)  # fmt: skip
        bar = fig.colorbar(nodes, ax=panel, fraction=0.04)
        if variable == "phase":
            bar.set_ticks([0, 1, 2], labels=PHASE_NAMES)
        panel.set_axis_off()
        panel.set_title(f"{variable} at month {int(step.month)}: {ds.attrs.get('scenario', '')}")
        if ax is None:
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


# the least distance between two labels of a map, as a share of the map's extent
LABEL_SPACING = 0.07


def draw_regions(
    ax,
    world,
    values,
    cmap,
    limits: tuple[float, float],
    size: float = 600,
    labels: bool = False,
    layout_seed: int = 0,
):
    """The region graph on ``ax``: nodes coloured by ``values``, sized by population,
    labelled when asked (named regions by their names, first; a numbered region's label
    only where it leaves room, so labels never overlap)."""
    import networkx as nx

    positions = region_positions(world, layout_seed)
    nx.draw_networkx_edges(world.graph, positions, ax=ax, alpha=0.3)
    nodes = nx.draw_networkx_nodes(
        world.graph, positions, nodelist=list(world.names), node_color=values, cmap=cmap,
        vmin=limits[0], vmax=limits[1], node_size=size * world.population / world.population.max(),
        ax=ax, edgecolors="k", linewidths=0.4,
    )  # fmt: skip
    if labels:
        named = {n: n.replace("_", " ").title() for n in world.names if n in world.locations}
        numbered = {n: n.replace("region_", "") for n in world.names if n not in named}
        shown = spaced(positions, [*named, *numbered])
        nx.draw_networkx_labels(world.graph, positions, {n: numbered[n] for n in numbered
                                if n in shown}, font_size=6, ax=ax)  # fmt: skip
        nx.draw_networkx_labels(
            world.graph, positions, named, font_size=9, font_weight="bold", ax=ax,
            verticalalignment="bottom",
        )  # fmt: skip
    ax.set_axis_off()
    return nodes


def spaced(positions: dict[str, np.ndarray], order: list[str]) -> set[str]:
    """The regions whose labels fit, in ``order``: each at least ``LABEL_SPACING`` of the
    map's extent from every label kept before it (the named regions come first)."""
    points = np.array([positions[n] for n in order], dtype=float)
    extent = float(np.ptp(points, axis=0).max()) or 1.0
    kept: list[np.ndarray] = []
    shown = set()
    for name, at in zip(order, points, strict=True):
        if all(np.hypot(*(at - other)) >= LABEL_SPACING * extent for other in kept):
            kept.append(at)
            shown.add(name)
    return shown


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
    *,
    ax: Ax = None,
) -> Figure:
    """A metric across swept settings: ``x`` on the axis, a line per ``hue``, a panel per
    ``col`` (swept keys of a sweep.nc, either store); means over the other keys and
    replicates, with bars of two standard errors over replicates. ``ax``: one Axes per
    panel."""
    keys = [k for k in ds.attrs.get("swept_keys", "").split() if k in ds.coords]
    x = x or keys[0]
    frame = metric(ds, metric_name).to_dataframe(name="value").reset_index()
    for key in {x, hue, col} - {None}:
        frame[key] = ds[key].values[frame["point"].to_numpy()]
    panels = list(dict.fromkeys(frame[col])) if col else [None]
    lines = list(dict.fromkeys(frame[hue])) if hue else [None]
    with plt.rc_context(STYLE):
        fig, axes = axes_for(ax, len(panels), (3.4 * len(panels) + 0.8, 3.2), sharey=True)
        for panel, value in zip(axes, panels, strict=True):
            part = frame if col is None else frame[frame[col] == value]
            for i, line in enumerate(lines):
                rows = part if hue is None else part[part[hue] == line]
                per_rep = rows.groupby([x, "replicate"], sort=False)["value"].mean()
                stats = per_rep.groupby(level=0, sort=False).agg(["mean", "std", "count"])
                xs = [str(v) for v in stats.index] if stats.index.dtype == object else stats.index
                colour = setting_colour(str(line), i) if hue else "k"
                panel.errorbar(
                    xs, stats["mean"], yerr=2 * stats["std"].fillna(0) / np.sqrt(stats["count"]),
                    marker="o", ms=4, lw=1.4, capsize=2, color=colour,
                    linestyle=DASHES[i % len(DASHES)], label=None if hue is None else str(line),
                )  # fmt: skip
            panel.set(xlabel=x, title="" if col is None else f"{col} = {value}")
        axes[0].set_ylabel(metric_name.replace("_", " "))
        if hue:
            axes[-1].legend(title=hue, fontsize=7, title_fontsize=7)
        if ax is None:
            fig.tight_layout()
    return fig


def sensitivity(table: pd.DataFrame, *, top: int | None = None, ax: Ax = None) -> Figure:
    """Sensitivity indices per parameter with their confidence intervals, a panel per output.

    ``table`` is ``imsim.sensitivity``'s: Sobol first-order and total indices
    (S1, ST) or Morris mu* with sigma. ``top``: each output's most influential parameters
    only (by total index or mu*), ranked, for a screening of many. ``ax``: one Axes per
    output.
    """
    sobol = "ST" in table.columns
    bars = (("S1", "first order"), ("ST", "total")) if sobol else (("mu_star", "mu*"),)
    outputs = list(dict.fromkeys(table["output"]))
    shown = {
        output: table[table["output"] == output].nlargest(top, bars[-1][0])
        if top else table[table["output"] == output]
        for output in outputs
    }  # fmt: skip
    with plt.rc_context(STYLE):
        height = 0.9 + 0.32 * max(len(rows) for rows in shown.values())
        size = (3.6 * len(outputs) + 1.6 + (1.6 * len(outputs) if top else 0), height)
        fig, axes = axes_for(ax, len(outputs), size, sharey=top is None)
        for panel, output in zip(axes, outputs, strict=True):
            rows = shown[output]
            y = np.arange(len(rows))
            width = 0.8 / len(bars)
            for k, (column, label) in enumerate(bars):
                panel.barh(
                    y + (k - (len(bars) - 1) / 2) * width, rows[column], height=width,
                    xerr=rows[f"{column}_conf"], label=label,
                    color=("#9ecae1", "#08519c")[k] if sobol else "#08519c",
                    error_kw={"lw": 0.8, "capsize": 2},
                )  # fmt: skip
            panel.set_yticks(y, [p.removeprefix("coefficients.") for p in rows["parameter"]])
            panel.invert_yaxis()
            panel.axvline(0, color="k", lw=0.6)
            panel.set(title=output, xlabel="Sobol index" if sobol else "Morris mu* (output units)")
        axes[0].legend(loc="lower right", fontsize=7)
        if ax is None:
            fig.suptitle("Sensitivity, with 95% confidence intervals", fontsize=11)
            fig.tight_layout()
    return fig
