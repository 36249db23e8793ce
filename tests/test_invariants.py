"""Invariants of every run: bounds, finiteness, people conserved; over random configs too."""

from __future__ import annotations

import numpy as np
from helpers import run, setting_choices
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imsim

SHARES = (
    "violence",
    "control",
    "neutrality",
    "access",
    "coherence",
    "hc_attention",
    "humanitarian_space",
    "presence",
    "association",
    "partisanship",
    "settlement",
    "capacity",
    "strength",
)
COUNTS = ("displaced", "civilian_harm", "aid_incidents", "newly_displaced", "returned", "troops")


def check_invariants(ds) -> None:
    for name in ds.data_vars:
        assert np.isfinite(ds[name].values).all(), name
    for name in SHARES:
        assert (ds[name] >= 0).all() and (ds[name] <= 1).all(), name
    for name in COUNTS:
        assert (ds[name] >= 0).all(), name
    assert set(np.unique(ds.phase.values)) <= {0, 1, 2}
    # people are conserved between the displaced and the returned
    start = ds.displaced.isel(month=0)
    balance = start + ds.newly_displaced - ds.returned
    balance = balance.transpose(*ds.displaced.dims)
    np.testing.assert_allclose(ds.displaced.values, balance.values, rtol=1e-9, atol=1e-6)
    assert (ds.aid_incidents == np.round(ds.aid_incidents)).all()


def test_invariants_of_every_scenario():
    for scenario in imsim.config.compose.group_options("scenario"):
        check_invariants(run(scenario, replicates=4))


CHOICES = setting_choices()
SHOCKS = ["ceasefire_collapse", "peace_agreement", "elections", "security_phase_raise"]


@st.composite
def configs(draw):
    overrides = [f"{k}={draw(st.sampled_from(v))}" for k, v in CHOICES.items()]
    months = draw(st.integers(2, 30))
    overrides += [
        f"run.months={months}",
        f"run.replicates={draw(st.integers(1, 3))}",
        f"run.seed={draw(st.integers(0, 2**32))}",
        f"world.regions={draw(st.integers(3, 9))}",  # chad names three
        f"force.troops={draw(st.integers(0, 40000))}",
        f"integration.branding={draw(st.floats(0, 1))}",
        f"mission.initial_strength={draw(st.floats(0, 1))}",
    ]
    shock = draw(st.sampled_from(SHOCKS))
    level = ",level:" + str(draw(st.integers(1, 5))) if shock == "security_phase_raise" else ""
    overrides.append(f"events=[{{month:{draw(st.integers(1, months))},shock:{shock}{level}}}]")
    return draw(st.sampled_from(["baseline", "katanga_mob", "chad_protection"])), overrides


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_invariants_hold_for_random_valid_configs(case):
    scenario, overrides = case
    check_invariants(imsim.simulate(imsim.compose(scenario, overrides)))


def test_no_mission_means_no_partisanship_and_no_troops():
    ds = run("baseline", "mission.deployed=false", replicates=4)
    assert float(ds.partisanship.max()) == 0.0
    assert float(ds.troops.max()) == 0.0
    assert float(ds.strength.max()) == 0.0
