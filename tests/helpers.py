"""Test helpers: cached runs and a paired comparison with margins from the spread."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import xarray as xr

import imsim

HUMANITARIANS = ["ocha", "unhcr", "ngo_p1", "ngo_p2", "ngo_m1", "ngo_m2"]
NGOS = ["ngo_p1", "ngo_p2", "ngo_m1", "ngo_m2"]


def setting_choices() -> dict[str, list[str]]:
    """Every categorical and yes/no setting with all its options, read from the schema
    (whose options come from the enums) and the integration presets from their folder:
    a new option is drawn by the tests that use this without any edit to them."""
    import dataclasses

    from imsim.config.files import group_options
    from imsim.config.keys import type_hints
    from imsim.config.schema import ImsimConfig

    found: dict[str, list[str]] = {"integration": group_options("integration")}
    for section in dataclasses.fields(ImsimConfig):
        tp = type_hints(ImsimConfig)[section.name]
        if not (isinstance(tp, type) and dataclasses.is_dataclass(tp)):
            continue
        for f in dataclasses.fields(tp):
            key = f"{section.name}.{f.name}"
            if "choices" in f.metadata:
                found[key] = list(f.metadata["choices"])
            elif type_hints(tp)[f.name] is bool:
                found[key] = ["true", "false"]
    return found


@lru_cache(maxsize=64)
def _run(scenario: str, overrides: tuple[str, ...], engine: str) -> xr.Dataset:
    return imsim.simulate(imsim.compose(scenario, list(overrides)), engine=engine)


def run(
    scenario: str = "baseline", *overrides: str, replicates: int = 24, engine: str = "batched"
) -> xr.Dataset:
    """A cached run; tests must not modify the returned Dataset."""
    return _run(scenario, (f"run.replicates={replicates}", *overrides), engine)


def per_replicate(da: xr.DataArray, months=slice(None)) -> np.ndarray:
    """Mean over everything but the replicate axis, for the given months."""
    da = da.isel(month=months) if isinstance(months, slice | list) else da.isel(month=[months])
    return da.mean([d for d in da.dims if d != "replicate"]).values


def per_replicate_in(ds: xr.Dataset, var: str, actors: list[str], phase: int, months) -> np.ndarray:
    """Per replicate: the mean of ``var`` over ``actors`` and the region-months in ``phase``."""
    inside = (ds.phase == phase).isel(month=months)
    x = ds[var].sel(actor=actors).isel(month=months).mean("actor")
    return x.where(inside).mean(["month", "region"]).values


def assert_greater(a: np.ndarray, b: np.ndarray, k: float = 3.0) -> None:
    """a > b per replicate on average, by more than k standard errors of the paired
    difference (runs share seeds, so replicates are paired by common random numbers)."""
    d = np.asarray(a) - np.asarray(b)
    se = d.std(ddof=1) / np.sqrt(d.size) if d.size > 1 else 0.0
    assert d.mean() > k * se, f"mean difference {d.mean():.4g} not > {k} x SE {se:.3g}"
    assert d.mean() > 0
