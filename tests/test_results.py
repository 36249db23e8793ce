"""The result contract of imsim.simulate."""

from __future__ import annotations

import numpy as np
import yaml
from helpers import run

import imsim
from imsim.config.schema import RegionSpec

REGION_VARS = ("phase", "violence", "control", "displaced", "civilian_harm")
ACTOR_VARS = ("neutrality", "access", "aid_incidents")
MISSION_VARS = ("coherence", "hc_attention", "humanitarian_space")


def test_dims_coords_and_variables():
    ds = run("katanga_mob", replicates=4)
    assert ds.sizes["replicate"] == 4 and ds.sizes["month"] == 121
    np.testing.assert_array_equal(ds.month, np.arange(121))
    assert "katanga" in list(ds.region.values)
    actors = list(ds.actor.values)
    assert {"ocha", "unhcr", "mission"} <= set(actors)
    assert any(a.startswith("ngo") for a in actors)
    for name in REGION_VARS:
        assert ds[name].dims == ("replicate", "month", "region")
    for name in ACTOR_VARS:
        assert ds[name].dims == ("replicate", "month", "actor", "region")
    for name in MISSION_VARS:
        assert ds[name].dims == ("replicate", "month")


def test_attributes_hold_config_seed_and_version():
    ds = run("drc_relapse", replicates=3)
    cfg = yaml.safe_load(ds.attrs["config"])
    assert cfg["scenario_name"] == "drc_relapse" and cfg["run"]["replicates"] == 3
    assert ds.attrs["seed"] == 0
    assert ds.attrs["imsim_version"] == imsim.__version__


def test_dataset_round_trips_through_netcdf(tmp_path):
    ds = run("baseline", replicates=2)
    path = imsim.save_dataset(ds, tmp_path / "t.nc")
    back = imsim.load_dataset(path)
    for name in ds.data_vars:
        np.testing.assert_array_equal(ds[name].values, back[name].values)
    assert list(back.actor.values) == list(ds.actor.values)


def test_named_regions_keep_their_labels_and_settings():
    # named regions come first, in the order written (not sorted), with their own phase
    cfg = imsim.compose(
        "baseline",
        [
            "run.months=1",
            "run.replicates=1",
            "world.regions=5",
            "world.initial_phase=transition",
        ],
    )
    cfg.world.named = {
        "zulu": RegionSpec(phase="consolidation"),
        "alpha": RegionSpec(phase="conflict"),
    }
    ds = imsim.simulate(cfg)
    assert list(ds.region.values[:2]) == ["zulu", "alpha"]
    assert list(ds.phase.isel(month=0, replicate=0).values) == [2, 0, 1, 1, 1]


def test_results_are_written_with_the_usual_permissions(tmp_path):
    import os

    from imsim.results.storage import atomic_write

    path = atomic_write(tmp_path / "a.txt", lambda tmp: tmp.write_text("x"))
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
