"""The world a config describes: regions, their graph and people, and month 0.

Geography (the region graph and populations) comes from ``world.graph_seed``
and is shared by every replicate; named regions keep their names and
overrides. Everything here is built once per run, outside the numeric core.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np

from ..config.keys import region_names
from ..config.plain import plain
from ..core.coefficients import Coefficients
from ..core.options import Phase

# Month-0 conditions by phase (conflict, transition, consolidation): the calibration fields
# that hold them (004 guidance ¶22 orders them; the values are assumptions).
START = {
    "violence": (
        "start_violence_conflict",
        "start_violence_transition",
        "start_violence_consolidation",
    ),
    "control": (
        "start_control_conflict",
        "start_control_transition",
        "start_control_consolidation",
    ),
    "settlement": (
        "start_settlement_conflict",
        "start_settlement_transition",
        "start_settlement_consolidation",
    ),
    "displaced_share": (
        "start_displaced_conflict",
        "start_displaced_transition",
        "start_displaced_consolidation",
    ),
    "capacity_bonus": (
        "start_capacity_conflict",
        "start_capacity_transition",
        "start_capacity_consolidation",
    ),
}


def start_by_phase(cal: Mapping) -> dict[str, tuple[float, ...]]:
    """Each month-0 condition's value in conflict, transition and consolidation."""
    return {key: tuple(float(cal[name]) for name in names) for key, names in START.items()}


@dataclass(frozen=True)
class World:
    names: tuple[str, ...]
    graph: nx.Graph
    neighbours: np.ndarray  # (R, R), row-normalised
    population: np.ndarray  # (R,)
    focal: np.ndarray  # (R,) 1 for the focal region
    phase: np.ndarray  # (R,) int
    violence: np.ndarray
    control: np.ndarray
    settlement: np.ndarray
    capacity: np.ndarray
    displaced: np.ndarray
    # named regions with a place on the map: name -> (longitude, latitude)
    locations: dict[str, tuple[float, float]] = dataclasses.field(default_factory=dict)


def region_graph(n: int, seed: int) -> nx.Graph:
    """A connected small-world graph of regions (adjacency carries spill-over)."""
    if n <= 3:
        return nx.path_graph(n)
    return nx.connected_watts_strogatz_graph(n, k=4, p=0.3, seed=seed, tries=1000)


def populations(w: Mapping, names: tuple[str, ...]) -> np.ndarray:
    """People per region: named regions keep their own number; the rest of the national
    population (``world.population``) is shared by log-normal weights (σ = 0.5) drawn
    from the geography seed, so that cutting a country finer never changes its people."""
    weights = np.random.default_rng(w.graph_seed).lognormal(0.0, 0.5, len(names))
    own = [((w.named or {}).get(name) or {}).get("population") for name in names]
    fixed = np.array([x is not None for x in own])
    population = np.array([x if x is not None else 0.0 for x in own], dtype=float)
    if not fixed.all():
        rest = w.population - population.sum()
        population[~fixed] = rest * weights[~fixed] / weights[~fixed].sum()
    return population


def build_world(cfg: Mapping) -> World:
    """The world of a config; points of a sweep that share ``world`` (and the month-0
    conditions of their calibration) share one (read-only)."""
    cfg = plain(cfg)
    cal = cfg.get("coefficients") or {}
    defaults = Coefficients()
    values = {n: cal.get(n, getattr(defaults, n)) for names in START.values() for n in names}
    # key order matters: named regions come first
    return _world(json.dumps(cfg.world), json.dumps(start_by_phase(values)))


@functools.lru_cache(maxsize=64)
def _world(text: str, start_text: str) -> World:
    w = plain(json.loads(text))
    start = json.loads(start_text)
    names = tuple(region_names(plain({"world": w})))
    n = len(names)
    graph = nx.relabel_nodes(region_graph(n, w.graph_seed), dict(enumerate(names)))
    adj = nx.to_numpy_array(graph, nodelist=list(names))
    degree = adj.sum(axis=1, keepdims=True)
    neighbours = np.where(degree > 0, adj / np.maximum(degree, 1.0), 0.0)
    neighbours[degree[:, 0] == 0] = np.eye(n)[degree[:, 0] == 0]
    population = populations(w, names)
    phase = np.full(n, Phase.parse(w.initial_phase))
    columns: dict[str, np.ndarray] = {}
    for key in ("violence", "control", "settlement"):
        columns[key] = np.array(start[key])[phase]
    columns["capacity"] = np.minimum(1.0, w.capacity + np.array(start["capacity_bonus"])[phase])
    columns["displaced"] = population * np.array(start["displaced_share"])[phase]
    for i, name in enumerate(names):
        spec = (w.named or {}).get(name)
        if spec is None:
            continue
        if spec.phase is not None:
            phase[i] = Phase.parse(spec.phase)
            for key in ("violence", "control", "settlement"):
                columns[key][i] = start[key][phase[i]]
        columns["displaced"][i] = population[i] * start["displaced_share"][phase[i]]
        for key in ("violence", "control", "settlement", "capacity", "displaced"):
            if spec[key] is not None:
                columns[key][i] = spec[key]
    columns["displaced"] = np.minimum(columns["displaced"], population)
    located = {
        name: (float(spec.lon), float(spec.lat))
        for name, spec in (w.named or {}).items()
        if spec.get("lon") is not None and spec.get("lat") is not None
    }
    focal = np.array([name == w.focal_region for name in names], dtype=float)
    arrays = dict(neighbours=neighbours, population=population, focal=focal, phase=phase)
    for a in (*arrays.values(), *columns.values()):
        a.flags.writeable = False
    return World(names, graph, **arrays, **columns, locations=located)
