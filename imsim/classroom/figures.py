"""Figures for a wall: large type, few colours (Okabe-Ito, safe for colour-blind eyes),
whole months on every axis, shares from 0 to 1."""

from __future__ import annotations

import networkx as nx
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from ..core.options import Phase
from ..views.palette import BLUE, SERIES
from ..views.palette import PHASE_COLOURS as PHASE_CODES
from ..views.plot import region_positions
from .branch import Fan
from .session import Session

PHASE_COLOURS = {p: PHASE_CODES[p.value] for p in Phase}
BRANCH_COLOURS = SERIES
WALL = {
    "font.size": 15,
    "axes.titlesize": 18,
    "axes.labelsize": 15,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
TITLES = {
    "humanitarian_space": "humanitarian space",
    "neutrality": "perceived neutrality",
    "access": "people reached",
    "displaced": "people displaced",
    "civilian_harm": "civilians harmed a month",
    "consolidation": "people in consolidation",
}
SHARES = ("humanitarian_space", "neutrality", "access", "consolidation")


def _axis(ax, name: str, months: np.ndarray, top: float) -> None:
    ax.set_title(TITLES[name])
    ax.set_xlabel("month")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.set_xlim(months[0], max(months[-1], months[0] + 1))
    if name in SHARES:
        ax.set_ylim(0, 1)
    else:
        ax.set_ylim(0, max(top * 1.15, 1.0))
        ax.yaxis.set_major_formatter(lambda v, _: f"{v / 1e6:g}M" if top > 2e5 else f"{v:g}")


def national_curves(
    session: Session,
    names: tuple[str, ...] = ("neutrality", "access", "displaced", "civilian_harm"),
) -> Figure:
    """The live run's national curves so far, a panel each; turns as thin lines."""
    series = session.national()
    months = np.arange(len(series[names[0]]))
    fig = Figure(figsize=(12, 6.5), dpi=80, layout="constrained")
    with _style():
        for ax, name in zip(fig.subplots(2, 2).flat, names, strict=True):
            for t in session.turns:
                ax.axvline(t.month - 1, color="#cccccc", lw=1)
            ax.plot(months, series[name], color=BLUE, lw=3, marker="o" if len(months) < 3 else "")
            _axis(ax, name, months, float(series[name].max()))
    return fig


def room_map(session: Session) -> Figure:
    """The regions now: colour the phase, size the people, the label the share reached;
    a thick ring where aid workers were attacked in the last turn."""
    world = session.live.model.world
    state = session.live.states[-1]
    since = session.turns[-1].month - 1 if session.turns else 0
    before = session.live.states[since]
    phase = state.phase[0]
    access = state.access[0, :-1].mean(axis=0)  # humanitarians (the mission comes last)
    attacked = (state.aid_incidents[0] - before.aid_incidents[0]).sum(axis=0) > 0
    positions = region_positions(world)
    fig = Figure(figsize=(8, 6.5), dpi=80, layout="constrained")
    with _style():
        ax = fig.subplots()
        nx.draw_networkx_edges(world.graph, positions, ax=ax, edge_color="#bbbbbb", width=1.5)
        names = list(world.names)
        nx.draw_networkx_nodes(
            world.graph,
            positions,
            nodelist=names,
            node_color=[PHASE_COLOURS[Phase(int(p))] for p in phase],
            node_size=300 + 2200 * world.population / world.population.max(),
            edgecolors=["black" if a else "white" for a in attacked],
            linewidths=[4 if a else 1 for a in attacked],
            ax=ax,
        )
        labels = {  # the share reached; a named region's name above it
            n: (f"{n.replace('_', ' ').title()}\n" if n in world.locations else "")
            + f"{access[i]:.0%}"
            for i, n in enumerate(names)
        }
        nx.draw_networkx_labels(world.graph, positions, labels, font_size=11, ax=ax)
        handles = [
            Line2D([], [], marker="o", ls="", ms=14, color=c, label=Phase(p).label)
            for p, c in PHASE_COLOURS.items()
        ]
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                ms=14,
                mfc="white",
                mec="black",
                mew=3,
                label="aid workers attacked",
            )  # fmt: skip
        )
        ax.legend(handles=handles, loc="lower center", ncol=4, frameon=False,
                  bbox_to_anchor=(0.5, -0.08), fontsize=12)  # fmt: skip
        ax.set_title(f"month {session.month}: phase, people (size), share reached (label)")
        ax.set_axis_off()
    return fig


def fan_chart(
    fan: Fan, names: tuple[str, ...] = ("humanitarian_space", "access", "displaced")
) -> Figure:
    """Each branch's median and 5-95% band on shared axes; the room's own line bold."""
    fig = Figure(figsize=(14, 5), dpi=80, layout="constrained")
    with _style():
        axes = fig.subplots(1, len(names))
        for ax, name in zip(axes, names, strict=True):
            band = fan.band(name)
            for i, label in enumerate(fan.labels):
                colour = BRANCH_COLOURS[i % len(BRANCH_COLOURS)]
                ax.fill_between(fan.months, band[i, 0], band[i, 2], color=colour, alpha=0.18, lw=0)
                ax.plot(fan.months, band[i, 1], color=colour, lw=4 if i == 0 else 2.5, label=label)
            _axis(ax, name, fan.months, float(band[:, 2].max()))
        axes[0].legend(loc="lower left", fontsize=12, frameon=False)
    return fig


def _style():
    import matplotlib.pyplot as plt

    return plt.rc_context(WALL)
