"""The Mesa engine as a Mesa user meets it: a one-line model, Mesa's DataCollector frames,
regions as cells of a Network, and ``mesa.batch_run`` agreeing with ``imsim.simulate``."""

from __future__ import annotations

import mesa
import numpy as np
import pytest

import imsim
from imsim.engines.mesa.model import MissionModel


def test_the_mesa_users_example_runs_and_reads_like_mesa():
    model = MissionModel("drc_relapse", integration="two_feet_in", rng=42, months=24)
    for _ in range(12):
        model.step()
    model.run_for(12)
    assert model.month == 24 and model.steps == 24 and not model.running
    frame = model.datacollector.get_model_vars_dataframe()
    assert list(frame.month) == list(range(25))
    assert {"humanitarian_space", "displaced", "conflict", "civilian_harm"} <= set(frame)
    agents = model.datacollector.get_agent_vars_dataframe()
    assert agents.index.names == ["Step", "AgentID"]
    last = agents.xs(24.0, level="Step")
    ocha = last[last.role == "ocha"].iloc[0]
    assert 0.0 < ocha.neutrality < 1.0 and 0.0 < ocha.access < 1.0
    authorities = last[last.role == "local_authority"]
    assert set(authorities.region) == set(model.regions)
    assert set(authorities.phase) <= {"conflict", "transition", "consolidation"}
    assert authorities.neutrality.isna().all()


def test_regions_are_network_cells_holding_their_actors_and_state():
    model = MissionModel("katanga_mob", rng=1, months=2)
    assert isinstance(model.space, mesa.discrete_space.Network)
    assert len(model.space.all_cells) == len(model.regions) == 30
    graph = model.timeline.worlds[0].graph
    for name in model.regions:
        cell = model.space[name]
        assert {a.role for a in cell.agents} == {"local_authority", "armed_group"}
        assert {n.coordinate for n in cell.neighborhood} == set(graph.neighbors(name))
    model.step()
    r = 3
    cell = model.space[model.regions[r]]
    assert cell.violence == model.state.violence[0, r]
    assert cell.displaced == model.state.displaced[0, r]
    assert cell.access("ocha") == model.state.access[0, 0, r]
    assert cell.phase == ("conflict", "transition", "consolidation")[model.state.phase[0, r]]


def test_a_model_equals_the_same_replicate_of_simulate():
    cfg = imsim.compose(
        "katanga_mob", ["run.months=12", "run.seed=5", "run.replicates=3", "force.escorts=never"]
    )
    ds = imsim.simulate(cfg)
    model = MissionModel("katanga_mob", rng=5, months=12, replicate=2, force__escorts="never")
    model.run_for(12)
    for name in ("violence", "displaced", "neutrality", "access", "phase"):
        got = getattr(model.state, name)[0]
        np.testing.assert_allclose(got, ds[name].values[2, -1], rtol=0, atol=1e-9)


def test_batch_run_rows_equal_simulate():
    rows = mesa.batch_run(
        MissionModel,
        parameters={"scenario": "katanga_mob", "integration": ["two_feet_in", "two_feet_out"]},
        rng=[7],
        max_steps=24,
        display_progress=False,
    )
    assert len({row["RunId"] for row in rows}) == 2
    for integration in ("two_feet_in", "two_feet_out"):
        row = next(r for r in rows if r["integration"] == integration and r["role"] == "ocha")
        assert row["Step"] == 24
        cfg = imsim.compose(
            "katanga_mob",
            [f"integration={integration}", "run.seed=7", "run.replicates=1", "run.months=24"],
        )
        ds = imsim.simulate(cfg)
        assert row["humanitarian_space"] == pytest.approx(
            float(ds.humanitarian_space.values[0, -1]), abs=1e-9
        )
        assert row["displaced"] == pytest.approx(float(ds.displaced.values[0, -1].sum()), abs=1e-6)
        w = ds.population.values / ds.population.values.sum()
        ocha = float((ds.neutrality.sel(actor="ocha").values[0, -1] * w).sum())
        assert row["neutrality"] == pytest.approx(ocha, abs=1e-9)


def test_rng_none_draws_a_seed_that_reproduces_the_run():
    a = MissionModel("baseline", months=3)
    b = MissionModel("baseline", months=3, rng=a.seed)
    a.run_for(3)
    b.run_for(3)
    np.testing.assert_array_equal(a.state.violence, b.state.violence)


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"scenario": "no_such_place"}, "scenario"),
        ({"integration": "three_feet_in"}, "integration"),
        ({"force__escorts": "sometimes"}, "force.escorts"),
        ({"months": -3}, "run.months"),
        ({"no_such_key": 1}, "no_such_key"),
        ({"replicate": -1}, "replicate"),
    ],
)
def test_bad_input_is_a_one_line_config_error(kwargs, key):
    with pytest.raises(imsim.ConfigError) as err:
        MissionModel(**kwargs)
    assert key in str(err.value) and "\n" not in str(err.value)


def test_keywords_take_python_values_lists_and_mappings():
    events = [{"month": 2, "shock": "ceasefire_collapse", "regions": ["region_1"]}]
    model = MissionModel("baseline", rng=3, months=6, events=events, world__graph_seed=np.int64(9))
    cfg = imsim.compose(
        "baseline",
        [
            "run.months=6",
            "run.seed=3",
            "world.graph_seed=9",
            "events=[{month:2,shock:ceasefire_collapse,regions:[region_1]}]",
        ],
    )
    assert model.cfg.events == cfg.events and model.cfg.world == cfg.world


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"rng": "abc"}, "rng"),
        ({"rng": -1}, "rng"),
        ({"rng": 1.5}, "rng"),
        ({"rng": True}, "rng"),
        ({"cfg": "notacfg", "scenario": None}, "cfg"),
        ({"run__replicates": 4}, "run.replicates"),
    ],
)
def test_a_models_bad_arguments_are_one_line(kwargs, key):
    args = {"scenario": "baseline", **kwargs}
    with pytest.raises(imsim.ConfigError) as err:
        MissionModel(**args)
    assert str(err.value).startswith(key) and "\n" not in str(err.value)


def test_simulate_refuses_an_on_month_that_is_not_a_function():
    cfg = imsim.compose("baseline", ["run.months=2", "run.replicates=1"])
    with pytest.raises(imsim.ConfigError, match="on_month"):
        imsim.simulate(cfg, on_month=5)
