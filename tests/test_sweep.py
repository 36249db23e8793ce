"""The imsim sweeper: grid order, coordinates, identity with single runs, shapes, storage."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from sweeping import GRID, SMALL, sweep, sweep_command
from sweeping import imsim as run_cli

import imsim
from imsim.compile.world import build_world
from imsim.results.summary import summarise
from imsim.sweep.grid import Grid


@pytest.fixture(scope="module")
def grid_sweep(tmp_path_factory) -> xr.Dataset:
    return sweep(tmp_path_factory.mktemp("grid") / "out", *GRID, *SMALL)


def test_sweep_has_point_and_replicate_dims_and_a_coordinate_per_key(grid_sweep):
    ds = grid_sweep
    assert ds.sizes["point"] == 24 and ds.sizes["replicate"] == 3
    assert ds["neutrality"].dims == ("point", "replicate", "month", "actor", "region")
    for key in ("integration", "force.escorts", "force.troops", "dsrsg.support_office"):
        assert ds[key].dims == ("point",)
    # values as given: strings, integers and booleans
    assert set(ds["force.escorts"].values) == {"never", "last_resort", "routine"}
    assert ds["force.troops"].dtype.kind == "i"
    assert ds["dsrsg.support_office"].dtype == bool


def test_points_keep_the_grid_order(grid_sweep):
    grid = Grid.parse([*GRID, *SMALL])
    for point in range(24):
        for key, value in grid.point(point).items():
            assert grid_sweep[key].values[point] == value
    # the last key varies fastest, as with Hydra's basic sweeper
    assert list(grid_sweep["dsrsg.support_office"].values[:4]) == [True, False, True, False]
    assert list(grid_sweep["integration"].values[[0, 11, 12, 23]]) == [
        "two_feet_in",
        "two_feet_in",
        "two_feet_out",
        "two_feet_out",
    ]


def test_every_point_is_identical_to_its_config_run_alone(grid_sweep):
    grid = Grid.parse([*GRID, *SMALL])
    for point in range(24):
        alone = imsim.simulate(imsim.compose(overrides=grid.overrides(point)))
        for name in alone.data_vars:
            np.testing.assert_array_equal(
                grid_sweep[name].isel(point=point).values, alone[name].values, err_msg=name
            )


def test_shape_changing_keys_split_into_batches_and_meet_on_the_union(tmp_path):
    ds = sweep(
        tmp_path / "out",
        "world.regions=3,5",
        "force.troops=0,9000",
        "run.months=10",
        "run.replicates=2",
    )
    assert ds.sizes["region"] == 5 and ds.sizes["point"] == 4
    assert list(ds["world.regions"].values) == [3, 3, 5, 5]
    grid = Grid.parse(
        ["world.regions=3,5", "force.troops=0,9000", "run.months=10", "run.replicates=2"]
    )
    for point in range(4):
        alone = imsim.simulate(imsim.compose(overrides=grid.overrides(point)))
        got = ds["access"].isel(point=point).sel(region=alone.region.values)
        np.testing.assert_array_equal(got.values, alone["access"].values)
        missing = ds["access"].isel(point=point).drop_sel(region=alone.region.values)
        assert bool(np.isnan(missing).all())
    assert (
        int(np.isnan(ds["phase"].isel(point=0, region=4)).sum())
        == ds["phase"].isel(point=0, region=4).size
    )


def test_summary_store_equals_the_summary_of_trajectories(tmp_path):
    args = ("force.escorts=never,routine", "mission.stance=impartial,backs_government", *SMALL)
    summary = sweep(tmp_path / "s", *args, "hydra.sweeper.store=summary")
    assert summary.attrs["store"] == "summary"
    assert set(summary["neutrality_mean"].dims) == {"point", "replicate", "actor"}
    assert "month" not in summary.dims and "region" not in summary.dims
    grid = Grid.parse(list(args))
    for point in range(4):
        cfg = imsim.compose(overrides=grid.overrides(point))
        offline = summarise(imsim.simulate(cfg), build_world(cfg).population)
        for name in offline.data_vars:
            np.testing.assert_allclose(
                summary[name].isel(point=point).values, offline[name].values, rtol=0, atol=0
            )


def test_rerun_of_a_finished_sweep_changes_nothing(tmp_path):
    first = sweep(tmp_path / "out", "force.troops=0,5000", *SMALL)
    again = sweep(tmp_path / "out", "force.troops=0,5000", *SMALL)
    xr.testing.assert_identical(first, again)


def test_a_different_sweep_in_the_same_folder_is_refused(tmp_path):
    sweep(tmp_path / "out", "force.troops=0,5000", *SMALL)
    proc = run_cli(
        *sweep_command(tmp_path / "out", "force.troops=0,7000", *SMALL), cwd=tmp_path, check=False
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.strip().splitlines() == [proc.stderr.strip()]
        and "hydra.sweep.dir" in proc.stderr
    )


@pytest.mark.parametrize(
    "bad, key",
    [
        ("hydra.sweeper.chunk_size=0", "hydra.sweeper.chunk_size"),
        ("hydra.sweeper.store=everything", "hydra.sweeper.store"),
        ("hydra.sweeper.colour=red", "hydra.sweeper.colour"),
        ("force.escorts=never,sometimes", "force.escorts"),
        ("integration=two_feet_in,three_feet", "integration"),
        ("world.regions=2,0", "world.regions"),
    ],
)
def test_bad_sweep_input_is_one_line_exit_2_nothing_written(tmp_path, bad, key):
    out = tmp_path / "out"
    proc = run_cli(*sweep_command(out, "force.troops=0,10", bad), cwd=tmp_path, check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and key in lines[0] and "allowed" in lines[0]
    assert not out.exists()


def test_event_months_written_are_checked_against_swept_run_lengths(tmp_path):
    out = tmp_path / "out"
    proc = run_cli(
        *sweep_command(out, "events=[{month: 30, shock: elections}]", "run.months=60,24"),
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "events[0].month: bad value 30; allowed: an integer in [1, 24]" in proc.stderr
    assert not out.exists()


def test_a_scenarios_own_events_past_a_swept_run_length_are_left_out(tmp_path):
    out = tmp_path / "out"
    proc = run_cli(
        *sweep_command(out, "scenario=afghanistan_relabelled", "run.months=60,24",
                       "run.replicates=1", "world.regions=4"),
        cwd=tmp_path,
    )  # fmt: skip
    notices = [line for line in proc.stderr.splitlines() if "notice" in line]
    assert notices == [
        "imsim: notice: afghanistan_relabelled's events after run.months=24 (at month 48) "
        "are left out; run.months=48 keeps them"
    ]
    ds = imsim.load_dataset(out / "sweep.nc")
    assert sorted(ds["run.months"].values.tolist()) == [24, 60]


def test_a_grid_declared_in_a_config_sweeps_like_one_on_the_command_line(tmp_path):
    ds = sweep(
        tmp_path / "out",
        "experiment=integration_grid",
        "run.months=6",
        "world.regions=4",
        "run.replicates=2",
    )
    assert ds.attrs["swept_keys"] == "integration force.escorts force.qips"
    assert ds.sizes["point"] == 27 and ds.attrs["store"] == "summary"
    alone = imsim.simulate(
        imsim.compose(
            overrides=[
                "experiment=integration_grid",
                "run.months=6",
                "world.regions=4",
                "run.replicates=2",
                "integration=one_foot_in",
                "force.escorts=never",
                "force.qips=hc_approved",
            ]
        )
    )
    point = 9 + 0 + 1  # one_foot_in (2nd of 3) x never (1st) x hc_approved (2nd)
    assert ds["integration"].values[point] == "one_foot_in"
    assert ds["force.qips"].values[point] == "hc_approved"
    hs = alone.humanitarian_space.isel(month=slice(1, None)).mean("month").values
    np.testing.assert_array_equal(ds["humanitarian_space_mean"].isel(point=point).values, hs)
