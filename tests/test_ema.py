"""imsim through the EMA workbench: outcomes equal imsim.simulate, whole batches per call,
PRIM and robust search studies, and bad input refused in one line."""

from __future__ import annotations

import numpy as np
import pytest

import imsim
from imsim.core.options import Escorts, HcLocation
from imsim.ema import BatchedEvaluator, mission_model
from imsim.ema import evaluator as evaluator_module
from imsim.ema.studies import discover, robust_search
from imsim.results.summary import metric, summarise

SMALL = ["run.months=24", "run.replicates=2", "world.regions=8"]
UNCERTAINTIES = {
    "world.initial_phase": ["conflict", "transition"],
    "mission.partner_force": [0.0, 1.0],
    "force.troops": [2000, 20000],
    "coefficients.association_scale": "declared",
}
LEVERS = {
    "integration.hc_location": list(HcLocation.names()),
    "force.escorts": list(Escorts.names()),
    "integration.branding": [0.0, 1.0],
}
OUTCOMES = {"humanitarian_space_mean": "max", "consolidation_share": "max"}


def small_model():
    return mission_model("baseline", SMALL, UNCERTAINTIES, LEVERS, OUTCOMES)


def run(model, scenarios=12, policies=2, chunk_size=512):
    with BatchedEvaluator(model, chunk_size=chunk_size) as evaluator:
        return evaluator.perform_experiments(
            scenarios,
            policies,
            uncertainty_sampling_kwargs={"rng": 4},
            lever_sampling_kwargs={"rng": 5},
            log_progress=True,
        )


def test_an_experiments_outcomes_equal_simulate_of_its_config():
    experiments, outcomes = run(small_model())
    assert len(experiments) == 24
    for i in (0, 17):
        row = experiments.iloc[i]
        overrides = [
            f"world.initial_phase={row.world__initial_phase}",
            f"mission.partner_force={float(row.mission__partner_force)!r}",
            f"force.troops={int(row.force__troops)}",
            f"coefficients.association_scale={float(row.coefficients__association_scale)!r}",
            f"integration.hc_location={LEVERS['integration.hc_location'][row.integration__hc_location]}",
            f"force.escorts={LEVERS['force.escorts'][row.force__escorts]}",
            f"integration.branding={float(row.integration__branding)!r}",
        ]
        ds = imsim.simulate(imsim.compose("baseline", [*SMALL, *overrides]))
        summary = summarise(ds, ds.population.values).expand_dims("point")
        for name in OUTCOMES:
            expected = float(metric(summary, name).mean())
            assert outcomes[name][i] == pytest.approx(expected, abs=1e-12)


def test_the_evaluator_hands_whole_chunks_to_the_engine(monkeypatch):
    calls = []
    real = evaluator_module.evaluate

    def counting(points, store, **kwargs):
        calls.append(len(points))
        return real(points, store, **kwargs)

    monkeypatch.setattr(evaluator_module, "evaluate", counting)
    run(small_model(), scenarios=10, policies=3)
    assert calls == [30]
    calls.clear()
    run(small_model(), scenarios=10, policies=3, chunk_size=16)
    assert calls == [16, 14]


def test_same_seeds_same_experiments_and_outcomes():
    a_exp, a_out = run(small_model(), scenarios=6)
    b_exp, b_out = run(small_model(), scenarios=6)
    names = [c for c in a_exp.columns if c not in ("scenario", "policy", "model")]
    assert a_exp[names].equals(b_exp[names])
    for name in OUTCOMES:
        np.testing.assert_array_equal(a_out[name], b_out[name])


STUDY = {
    "scenario": "baseline",
    "overrides": ["run.months=12", "run.replicates=1", "world.regions=6"],
    "presets": ["two_feet_in", "one_foot_in", "two_feet_out"],
    "uncertainties": UNCERTAINTIES,
    "seed": 2,
}


def test_scenario_discovery_writes_boxes_for_each_setting(tmp_path):
    spec = STUDY | {
        "outcome": "humanitarian_space_mean",
        "worst": 0.2,
        "reference": "two_feet_out",
        "experiments": 80,
    }
    written = discover(spec, tmp_path)
    assert all(p.exists() for p in written)
    import pandas as pd

    boxes = pd.read_csv(tmp_path / "boxes.csv")
    assert set(boxes.integration) == set(spec["presets"])
    assert set(boxes.measure) == {"worst level", "most lost vs two_feet_out"}
    assert boxes.coverage.between(0, 1).all() and boxes.density.between(0, 1).all()
    assert set(boxes.condition) <= {f"{k}" for k in UNCERTAINTIES}
    table = pd.read_csv(tmp_path / "experiments.csv")
    assert len(table) == 80
    assert {f"humanitarian_space_mean ({p})" for p in spec["presets"]} <= set(table.columns)


def test_robust_search_scores_each_policy_on_its_own_scenarios(tmp_path):
    spec = STUDY | {
        "objectives": OUTCOMES,
        "quantile": 0.25,
        "scenarios": 4,
        "nfe": 40,
        "population": 8,
        "epsilons": [0.01, 0.01],
        "levers": LEVERS,
    }
    robust_search(spec, tmp_path)
    import pandas as pd

    front = pd.read_csv(tmp_path / "pareto.csv")
    assert len(front) >= 1 and (tmp_path / "pareto.png").stat().st_size > 10_000
    # re-evaluate the front's settings under the same scenarios: the scores must match
    # (the workbench 3.0.0 alone scores every policy on the whole generation)
    from ema_workbench import Sample

    from imsim.ema.studies import _scenarios

    model = mission_model("baseline", STUDY["overrides"], UNCERTAINTIES, LEVERS, OUTCOMES)
    policies = [
        Sample(
            f"p{i}",
            integration__hc_location=LEVERS["integration.hc_location"].index(
                row["integration.hc_location"]
            ),
            force__escorts=LEVERS["force.escorts"].index(row["force.escorts"]),
            integration__branding=row["integration.branding"],
        )
        for i, row in front.iterrows()
    ]
    with BatchedEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(
            _scenarios(model, 4, 2), policies, log_progress=True
        )
    for i, row in front.iterrows():
        mine = (experiments["policy"] == f"p{i}").to_numpy()
        for name in OUTCOMES:
            expected = np.quantile(outcomes[name][mine], 0.25)
            assert row[f"{name}_q25"] == pytest.approx(expected, abs=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"uncertainties": {"no.such_key": [0, 1]}}, "no.such_key"),
        ({"uncertainties": {"integration.branding": [0.0, 2.0]}}, "integration.branding"),
        ({"uncertainties": {"force.escorts": ["never", "always"]}}, "force.escorts"),
        ({"uncertainties": {"force.troops": "declared"}}, "force.troops"),
        ({"uncertainties": {"coefficients.erosion_rate": "plausible"}}, "coefficients.erosion"),
        ({"uncertainties": {"run.months": [12, 24]}}, "run.months"),
        ({"uncertainties": {"integration.branding": [0.8, 0.2]}}, "integration.branding"),
        ({"outcomes": {"happiness": "max"}}, "outcomes"),
        ({"outcomes": {"access_mean": "up"}}, "outcomes.access_mean"),
        (
            {"uncertainties": {"force.troops": [0, 10]}, "levers": {"force.troops": [0, 10]}},
            "levers",
        ),
        # a whole section is not one setting; an integer takes whole bounds; bounds are finite
        ({"uncertainties": {"force": [1, 2]}}, "force"),
        ({"levers": {"integration": ["two_feet_in", "two_feet_out"]}}, "integration"),
        ({"uncertainties": {"force.troops": [0.5, 3.7]}}, "force.troops"),
        ({"uncertainties": {"force.troops": [0, float("inf")]}}, "force.troops"),
        ({"uncertainties": {"integration.branding": [float("nan"), 1.0]}}, "integration.branding"),
        ({"overrides": "run.months=12"}, "overrides"),
        # found by tests/test_fuzz_studies.py: not a mapping, or keys that are not text
        ({"levers": True}, "levers"),
        ({"uncertainties": {5: [0, 1]}}, "uncertainties"),
    ],
)
def test_bad_input_is_a_one_line_config_error(kwargs, key):
    kwargs = {"overrides": SMALL} | kwargs
    with pytest.raises(imsim.ConfigError) as err:
        mission_model("baseline", **kwargs)
    message = str(err.value)
    assert message.startswith(key) and "\n" not in message
