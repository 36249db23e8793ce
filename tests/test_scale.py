"""Per-capita and scale invariance: cutting the same country into 15, 30 or 60 regions
changes its national totals by at most 10% (issue: a model whose answers are earned, item 4)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from helpers import run

SIZES = (15, 30, 60)


def national(ds: xr.Dataset) -> dict[str, np.ndarray]:
    """Per replicate: totals over the run, and the share of people whose region relapsed."""
    later = {"month": slice(1, None)}
    phase = ds.phase
    relapsed = ((phase.shift(month=1) > 0) & (phase == 0)).any("month")
    w = ds.population
    return {
        "aid_incidents": ds.aid_incidents.sum(["actor", "region"]).isel(later).sum("month").values,
        "civilian_harm": ds.civilian_harm.sum("region").isel(later).sum("month").values,
        "displaced": ds.displaced.sum("region").isel(later).mean("month").values,
        "relapsed_share": ((relapsed * w).sum("region") / w.sum()).values,
    }


@pytest.mark.parametrize(
    "scenario, overrides",
    [("baseline", ()), ("baseline", ("world.initial_phase=transition",))],
    ids=["conflict", "transition"],
)
def test_national_totals_do_not_depend_on_how_the_country_is_cut(scenario, overrides):
    runs = {
        r: national(run(scenario, f"world.regions={r}", *overrides, replicates=384)) for r in SIZES
    }
    for name in runs[SIZES[0]]:
        means = {r: runs[r][name].mean() for r in SIZES}
        ses = {r: runs[r][name].std(ddof=1) / np.sqrt(runs[r][name].size) for r in SIZES}
        centre = np.mean(list(means.values()))
        assert centre > 0, name
        # precise enough for a 10% criterion to mean something
        assert max(ses.values()) < 0.05 * centre, (name, ses, centre)
        spread = (max(means.values()) - min(means.values())) / centre
        assert spread <= 0.10, f"{name}: {means} differ by {spread:.1%}"
