"""The world: named regions, the region graph, populations and month-0 conditions."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

import imsim
from imsim.compile.world import _world, build_world, start_by_phase
from imsim.config.schema import RegionSpec
from imsim.core.coefficients import Coefficients
from imsim.core.options import Phase

START = start_by_phase(vars(Coefficients()))  # the default month-0 conditions by phase


def world(*overrides: str, scenario: str = "baseline", named: dict | None = None):
    cfg = imsim.compose(scenario, ["world.regions=6", *overrides])
    if named is not None:
        cfg.world.named = named
    return build_world(cfg)


def test_named_regions_keep_their_names_and_order_and_come_first():
    w = world(named={"zulu": RegionSpec(), "alpha": RegionSpec()})
    assert w.names == ("zulu", "alpha", "region_3", "region_4", "region_5", "region_6")
    assert list(w.graph.nodes) == list(w.names)


def test_named_regions_take_their_overrides_and_the_rest_follow_the_phase():
    w = world(
        named={
            "zulu": RegionSpec(phase="consolidation", capacity=0.9),
            "alpha": RegionSpec(population=1000.0, violence=0.3),
            "mike": RegionSpec(displaced=5000.0),
            "tiny": RegionSpec(population=1000.0, displaced=5000.0),
        }
    )
    c = Phase.CONSOLIDATION
    assert w.phase.tolist() == [c, 0, 0, 0, 0, 0]
    assert (w.violence[0], w.control[0], w.settlement[0]) == (
        START["violence"][c],
        START["control"][c],
        START["settlement"][c],
    )
    assert w.capacity.tolist() == [0.9] + [0.25] * 5
    assert w.displaced[0] == pytest.approx(w.population[0] * START["displaced_share"][c])
    assert (w.population[1], w.violence[1], w.control[1]) == (1000.0, 0.3, START["control"][0])
    assert w.displaced[1] == pytest.approx(1000.0 * START["displaced_share"][0])
    assert w.displaced[2] == 5000.0
    assert w.displaced[3] == 1000.0  # never more displaced than people


def test_population_adds_up_to_the_national_population():
    w = world("world.population=2250000", "world.regions=9")
    assert w.population.sum() == pytest.approx(2_250_000.0)
    assert len(set(w.population.round(3))) == 9  # regions differ
    assert (w.population > 0).all()
    named = world("world.population=2250000", "world.regions=9", "world.named={a:{population:1e6}}")
    assert named.population.sum() == pytest.approx(2_250_000.0)
    assert named.population[0] == 1e6


def test_cutting_a_country_finer_keeps_its_people():
    for regions in (15, 30, 60):
        assert world(f"world.regions={regions}").population.sum() == pytest.approx(12e6)


def test_named_regions_must_leave_people_for_the_others():
    with pytest.raises(imsim.ConfigError, match="world.population.*at least 1,008,000"):
        world("world.population=1e6", "world.regions=9", "world.named={a:{population:1e6}}")


@pytest.mark.parametrize("regions", [1, 2, 3, 6, 25])
def test_graph_is_connected_and_neighbours_are_row_normalised(regions):
    w = world(f"world.regions={regions}")
    assert nx.is_connected(w.graph) and w.graph.number_of_nodes() == regions
    np.testing.assert_allclose(w.neighbours.sum(axis=1), 1.0)
    if regions == 1:
        np.testing.assert_array_equal(w.neighbours, [[1.0]])
        return
    adj = nx.to_numpy_array(w.graph, nodelist=list(w.names))
    np.testing.assert_array_equal(w.neighbours > 0, adj > 0)
    np.testing.assert_allclose(w.neighbours, adj / adj.sum(axis=1, keepdims=True))
    assert np.trace(w.neighbours) == 0


def test_same_graph_seed_gives_the_same_world_and_another_seed_another():
    a = world("world.graph_seed=3")
    _world.cache_clear()  # built afresh, not the cached world
    b = world("world.graph_seed=3")
    assert a is not b
    assert sorted(a.graph.edges) == sorted(b.graph.edges)
    np.testing.assert_array_equal(a.population, b.population)
    np.testing.assert_array_equal(a.neighbours, b.neighbours)
    c = world("world.graph_seed=4", "world.regions=12")
    d = world("world.graph_seed=5", "world.regions=12")
    assert sorted(c.graph.edges) != sorted(d.graph.edges)
    assert not np.allclose(c.population, d.population)


def test_focal_region_is_flagged():
    w = world(scenario="katanga_mob")
    assert w.names[0] == "katanga"
    assert w.focal.tolist() == [1.0, 0, 0, 0, 0, 0]
    assert w.focal.dtype == float
    assert world().focal.tolist() == [0.0] * 6


@pytest.mark.parametrize("phase", list(Phase))
def test_initial_phase_sets_every_region_and_its_starting_conditions(phase):
    w = world(f"world.initial_phase={phase.label}", "world.capacity=0.9")
    assert (w.phase == phase).all()
    for key in ("violence", "control", "settlement"):
        np.testing.assert_array_equal(getattr(w, key), START[key][phase])
    np.testing.assert_allclose(w.capacity, min(1.0, 0.9 + START["capacity_bonus"][phase]))
    np.testing.assert_allclose(w.displaced, w.population * START["displaced_share"][phase])


def test_arrays_are_read_only():
    w = world()
    for a in (w.neighbours, w.population, w.focal, w.phase, w.violence, w.capacity, w.displaced):
        with pytest.raises(ValueError, match="read-only"):
            a[0] = 0
