"""The result contract: recorded arrays as a labelled xarray.Dataset."""

from __future__ import annotations

import numpy as np
import xarray as xr
from omegaconf import DictConfig, OmegaConf

from ..version import __version__

DIMS = {"B": "replicate", "H": "actor", "R": "region"}
DESCRIPTIONS = {
    "phase": "phase of each region: 0 conflict, 1 transition, 2 consolidation",
    "violence": "intensity of violence, 0..1",
    "control": "share of the region held by non-state armed groups",
    "displaced": "people displaced from the region",
    "hosted": "displaced people living in the region (own sites and camps, or hosts)",
    "civilian_harm": "civilians harmed this month",
    "neutrality": "perceived neutrality of the actor in the region, 0..1",
    "access": "share of people in need the actor reaches",
    "aid_incidents": "victims of major attacks (killed, injured, kidnapped) among its staff",
    "aid_incidents_national": "of those victims, the actor's national staff",
    "staff": "the actor's aid workers in the region (the mission's: its civilian staff)",
    "coherence": "coherence of the UN presence, 0..1",
    "hc_attention": "share of humanitarian coordination demand the HC meets",
    "humanitarian_space": "need-weighted mean of sqrt(neutrality x access) of humanitarians",
    "settlement": "political progress of the settlement, 0..1",
    "capacity": "local capacity, 0..1",
    "newly_displaced": "people displaced since month 0 (cumulative)",
    "returned": "people returned since month 0 (cumulative)",
    "troops": "troops deployed in the region",
    "presence": "actor's presence in the region, 0..1",
    "association": "actor's association with the mission, 0..1",
    "partisanship": "mission partisanship as the region's armed groups see it, 0..1",
    "strength": "deployed share of the authorised force",
    "coordination_cost": "coordination cost of integration",
    "elections_held": "1 once national elections have been held",
}


def to_dataset(
    data: dict[str, np.ndarray],
    axes: dict[str, str],
    cfg: DictConfig,
    regions: list[str],
    actors: tuple[str, ...],
    population: np.ndarray | None = None,
) -> xr.Dataset:
    """One point's (replicate, month, ...) arrays as the documented Dataset; ``population``
    (people per region) becomes a coordinate of ``region``, the weights of national figures."""
    ds = labelled(data, axes, ("replicate",), regions, actors)
    if population is not None:
        ds = ds.assign_coords(population=("region", np.asarray(population, dtype=float)))
        ds["population"].attrs["description"] = "people living in the region"
    ds.attrs.update(
        {
            "config": OmegaConf.to_yaml(cfg, resolve=True),
            "seed": int(cfg.run.seed),
            "imsim_version": __version__,
            "scenario": cfg.scenario_name,
        }
    )
    return ds


def labelled(
    data: dict[str, np.ndarray],
    axes: dict[str, str],
    lead: tuple[str, ...],
    regions: list[str],
    actors: tuple[str, ...],
) -> xr.Dataset:
    """Recorded arrays with dims ``lead + (month, actor, region)`` as a Dataset.

    ``lead`` names the axes the batch axis was reshaped into: (replicate,)
    for a run, (point, replicate) for a sweep chunk.
    """
    first = next(iter(data.values()))
    n = len(lead)
    variables = {}
    for name, array in data.items():
        dims = lead + ("month",) + tuple(DIMS[a] for a in axes[name][1:])
        variables[name] = xr.Variable(dims, array, {"description": DESCRIPTIONS[name]})
    ds = xr.Dataset(
        variables,
        coords={
            lead[-1]: np.arange(first.shape[n - 1]),
            "month": np.arange(first.shape[n]),
            "region": list(regions),
            "actor": list(actors),
        },
    )
    return ds.transpose(*lead, "month", "actor", "region")
