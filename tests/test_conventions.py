"""Results files follow the CF conventions: the IOOS compliance checker (PyPI's
compliance-checker, CF-1.10, strict) passes a run file and a sweep file, and each says
what it holds (long names, units, the phase as flags, its config, seed and history)."""

from __future__ import annotations

import json

import h5py
import numpy as np
import pytest
import xarray as xr
import yaml
from sweeping import imsim

import imsim as api
from imsim.core.options import Phase


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("cf")
    imsim("run.replicates=2", "run.months=12", f"hydra.run.dir={root / 'run'}", cwd=root)
    imsim(
        "-m", "hydra/sweeper=imsim", f"hydra.sweep.dir={root / 'sweep'}",
        "integration=two_feet_in,two_feet_out", "force.troops=0,5000", "run.replicates=2",
        "run.months=12", cwd=root,
    )  # fmt: skip
    return {"run": root / "run" / "trajectories.nc", "sweep": root / "sweep" / "sweep.nc"}


def cf_report(path, tmp_path) -> dict:
    from compliance_checker.runner import CheckSuite, ComplianceChecker

    CheckSuite.load_all_available_checkers()
    out = tmp_path / f"{path.stem}.json"
    ComplianceChecker.run_checker(
        str(path), ["cf:1.10"], 0, "strict", output_filename=str(out), output_format="json"
    )
    return json.loads(out.read_text())["cf:1.10"]


@pytest.mark.parametrize("kind", ["run", "sweep"])
def test_the_cf_checker_passes_results_files(files, kind, tmp_path):
    report = cf_report(files[kind], tmp_path)
    failed = [
        f"{check['name']}: {check['msgs']}"
        for check in report["all_priorities"]
        if check["value"][0] < check["value"][1]
    ]
    assert not failed
    assert report["scored_points"] == report["possible_points"] > 100


@pytest.mark.parametrize("kind", ["run", "sweep"])
def test_every_variable_and_coordinate_says_what_it_is(files, kind):
    with xr.open_dataset(files[kind]) as ds:
        for name, v in ds.data_vars.items():
            assert v.attrs["long_name"], name
            assert v.attrs.get("units") == "1" or "flag_values" in v.attrs, name
        for name in ds.coords:
            assert ds[name].attrs["long_name"], name
        assert ds.attrs["Conventions"] == "CF-1.10"
        assert ds.attrs["history"].split(" ", 1)[1].startswith("imsim ")
        assert ds.attrs["date_created"] and ds.attrs["imsim_version"] == api.__version__
        assert yaml.safe_load(ds.attrs["config"])["run"]["months"] == 12
        assert ds.attrs["seed"] == 0 and ds.attrs["scenario"] == "baseline"
        assert "population" in ds.variables
        if "phase" in ds:
            assert list(ds.phase.attrs["flag_values"]) == [p.value for p in Phase]
            assert ds.phase.attrs["flag_meanings"] == "conflict transition consolidation"


def test_a_swept_keys_coordinate_has_a_cf_name_in_the_file_and_its_key_when_loaded(files):
    with xr.open_dataset(files["sweep"]) as raw:
        assert "force_troops" in raw.coords and "force.troops" not in raw.variables
    ds = api.load_dataset(files["sweep"])
    assert sorted(ds["force.troops"].values.tolist()) == [0, 0, 5000, 5000]
    assert "force_troops" not in ds.variables


def test_a_ragged_sweep_keeps_its_phase_flags_of_the_phase_variables_type(tmp_path):
    out = tmp_path / "ragged"
    imsim("-m", "hydra/sweeper=imsim", f"hydra.sweep.dir={out}", "world.regions=3,4",
          "run.replicates=1", "run.months=6", cwd=tmp_path)  # fmt: skip
    with xr.open_dataset(out / "sweep.nc", mask_and_scale=False) as ds:
        assert ds.phase.dtype == ds.phase.attrs["flag_values"].dtype == np.float64


@pytest.mark.parametrize("kind", ["run", "sweep"])
def test_results_files_are_compressed(files, kind):
    with h5py.File(files[kind]) as f:
        assert f["neutrality"].compression == "gzip" and f["neutrality"].shuffle
