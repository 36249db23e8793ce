"""The result contract: recorded arrays as a labelled xarray.Dataset."""

from __future__ import annotations

import numpy as np
import xarray as xr
from omegaconf import DictConfig, OmegaConf

from ..core.state import variables as state_variables
from ..version import __version__
from .conventions import coordinate_attrs, global_attrs, label, variable_attrs

DIMS = {"B": "replicate", "H": "actor", "R": "region"}


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
        people = np.asarray(population, dtype=float)
        ds = ds.assign_coords(population=("region", people, coordinate_attrs("population")))
    title = f"imsim run: scenario {cfg.scenario_name}"
    ds.attrs.update(global_attrs(title, " ".join(str(cfg.get("description") or "").split())))
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
    declared = state_variables()
    variables = {}
    for name, array in data.items():
        dims = lead + ("month",) + tuple(DIMS[a] for a in axes[name][1:])
        variables[name] = xr.Variable(dims, array, variable_attrs(declared[name]))
    ds = xr.Dataset(
        variables,
        coords={
            lead[-1]: np.arange(first.shape[n - 1]),
            "month": np.arange(first.shape[n]),
            "region": list(regions),
            "actor": list(actors),
        },
    )
    return label(ds.transpose(*lead, "month", "actor", "region"))
