"""Dataclasses of arrays with named axes: axes metadata, take, map_arrays and put."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import imsim
from imsim.compile.run import prepare_run
from imsim.core.arrays import field_axes, map_arrays, put, take
from imsim.core.decisions import Decisions
from imsim.core.params import Params
from imsim.core.state import State

B, H, R = 3, 7, 5


@pytest.fixture(scope="module")
def run():
    cfg = imsim.compose("baseline", ["run.months=4", f"run.replicates={B}", f"world.regions={R}"])
    return prepare_run([cfg])


def test_axes_metadata_names_each_fields_axes():
    state = field_axes(State)
    assert (state["phase"], state["association"], state["strength"]) == ("BR", "BHR", "B")
    params = field_axes(Params)
    assert (params["structural"], params["principled"], params["neighbours"]) == ("BH", "H", "BXX")
    assert params["coef"] == "" and set(field_axes(Decisions).values()) == {""}


def test_take_keeps_the_axis_with_length_one(run):
    s = run.state
    one = take(s, "B", 1)
    assert one.phase.shape == (1, R) and one.association.shape == (1, H, R)
    assert one.strength.shape == (1,)
    np.testing.assert_array_equal(one.violence, s.violence[1:2])
    row = take(s, "H", 2)
    assert row.access.shape == (B, 1, R) and row.phase is s.phase  # no H axis: untouched
    np.testing.assert_array_equal(row.access, s.access[:, 2:3])
    some = take(s, "R", slice(1, 3))
    assert some.violence.shape == (B, 2) and some.presence.shape == (B, H, 2)
    assert some.humanitarian_space is s.humanitarian_space


def test_take_handles_a_leading_month_axis(run):
    p = run.timeline.params
    T = run.timeline.months
    region = take(p, "R", 2)
    assert region.population.shape == (T + 1, B, 1)
    np.testing.assert_array_equal(region.population, p.population[:, :, 2:3])
    assert region.neighbours is p.neighbours  # X axes are not sliced by region
    actor = take(p, "H", 1)
    assert actor.principled.shape == (T + 1, 1) and actor.structural.shape == (T + 1, B, 1)
    np.testing.assert_array_equal(actor.structural, p.structural[:, :, 1:2])
    batch = take(p, "B", 2)
    assert batch.deployed.shape == (T + 1, 1) and batch.coef.erosion_rate.shape == (T + 1, 1)


def test_map_arrays_recurses_into_nested_dataclasses():
    d = Decisions.empty(B, H, R)
    seen = []

    def bump(a, spec):
        seen.append(spec)
        return a + 1

    out = map_arrays(d, bump)
    assert sorted(set(seen)) == ["B", "BHR", "BR"]
    assert len(seen) == sum(
        len(dataclasses.fields(getattr(d, f.name))) for f in dataclasses.fields(d)
    )
    assert (out.conduct.cluster == 1).all() and (out.srsg.hold_elections == 1).all()
    assert out.conduct is not d.conduct and (d.conduct.cluster == 0).all()


def test_put_writes_a_one_wide_slice_back_and_leaves_the_rest():
    d = Decisions.empty(B, H, R)
    part = map_arrays(take(d.conduct, "H", 2), lambda a, spec: np.full_like(a, 7.0))
    put(d.conduct, "H", 2, part)
    for name in ("accept_escorts", "use_assets", "cluster", "presence_target"):
        a = getattr(d.conduct, name)
        assert (a[:, 2] == 7).all() and a.sum() == 7 * B * R
    back = take(d.conduct, "H", 2)
    np.testing.assert_array_equal(back.cluster, part.cluster)


def test_put_along_regions_writes_whole_fields_without_that_axis_and_skips_none():
    d = Decisions.empty(B, H, R)
    part = map_arrays(take(d.srsg, "R", 4), lambda a, spec: np.full_like(a, 3.0))
    part = dataclasses.replace(part, robust=None)
    put(d.srsg, "R", 4, part)
    assert (d.srsg.security_level[:, 4] == 3).all() and d.srsg.security_level.sum() == 3 * B
    assert (d.srsg.hold_elections == 3).all()  # no R axis: written whole
    assert (d.srsg.robust == 0).all()


def test_put_is_the_inverse_of_take_on_a_state(run):
    s = run.state.copy()
    part = take(s, "B", 1).copy()
    part.violence[:] = 0.99
    part.phase[:] = 2
    before = run.state
    put(s, "B", 1, part)
    np.testing.assert_array_equal(s.violence[1], 0.99)
    np.testing.assert_array_equal(s.phase[1], 2)
    np.testing.assert_array_equal(s.violence[[0, 2]], before.violence[[0, 2]])
    np.testing.assert_array_equal(s.access, before.access)
    assert not np.shares_memory(s.violence, before.violence)
