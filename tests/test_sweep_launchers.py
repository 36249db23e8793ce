"""Chunk jobs on Hydra's joblib, Ray and submitit launchers give the basic launcher's numbers."""

from __future__ import annotations

import pytest
import xarray as xr
from sweeping import LAUNCHERS, SMALL, assert_same_results, sweep

ARGS = (
    "force.escorts=never,routine",
    "mission.stance=impartial,backs_government",
    "force.troops=0,6000,12000",
    *SMALL,
)


@pytest.fixture(scope="module")
def basic(tmp_path_factory) -> xr.Dataset:
    return sweep(tmp_path_factory.mktemp("basic") / "out", *ARGS, chunk_size=4)


@pytest.mark.parametrize("launcher", sorted(LAUNCHERS))
def test_launcher_gives_the_basic_launchers_numbers_in_the_same_order(launcher, basic, tmp_path):
    got = sweep(tmp_path / "out", *ARGS, *LAUNCHERS[launcher], chunk_size=4)
    assert_same_results(got, basic)
    assert list(got["force.troops"].values[:3]) == [0, 6000, 12000]
