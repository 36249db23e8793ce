"""The dashboard's live run and its narrative, without a browser."""

from __future__ import annotations

import numpy as np

import imsim
from imsim.engines.mesa.live import Live
from imsim.results.narrative import Snapshot, narrate


def test_live_run_with_injected_events_equals_a_batch_run_of_the_same_events():
    live = Live("drc_relapse", ("world.regions=8",), seed=3)
    for _ in range(5):
        live.step()
    assert live.inject("ceasefire collapse") == "month 6: the ceasefire collapses"
    for _ in range(8):
        live.step()
    live.inject("HC out of the mission")
    for _ in range(6):
        live.step()
    assert live.month == 19 and len(live.cfg.events) >= 2
    batch = imsim.simulate(live.cfg)  # the batched engine, the config with both events
    for name in ("neutrality", "access", "phase", "displaced"):
        np.testing.assert_allclose(
            live.series(name),
            batch[name].isel(replicate=0, month=slice(0, 20)).values,
            rtol=0,
            atol=1e-9,
            err_msg=name,
        )


def test_reset_starts_again_from_month_zero():
    live = Live("baseline", ("world.regions=5",))
    for _ in range(3):
        live.step()
    live.reset()
    assert live.month == 0 and len(live.history) == 1 and live.log[0].startswith("month 0")


def _snap(month, phase, escorts, neutrality=0.8, presence=1.0, displaced=100.0, elections=0.0):
    R = len(phase)
    return Snapshot(
        month,
        np.array(phase),
        np.full((3, R), neutrality),
        np.full((3, R), presence),
        np.full(R, displaced),
        np.array(escorts, float),
        elections,
    )


def test_narrative_names_phase_moves_escorts_withdrawals_and_elections():
    regions, actors = ["north", "south", "east"], ["ocha", "ngo_p1", "mission"]
    before = _snap(13, [1, 1, 0], [0, 0, 0])
    after = _snap(
        14, [0, 2, 0], [0, 0, 1], neutrality=0.7, presence=0.3, displaced=150.0, elections=1.0
    )
    words = narrate(before, after, regions, actors, escort_mode=2)
    assert words[0] == "month 14: national elections are held"
    assert "month 14: north slips back into conflict" in words
    assert "month 14: south moves from transition to consolidation" in words
    assert "month 14: the Force starts routine escorts in east; NGO neutrality there falls" in words
    assert "month 14: NGOs pull out of north, south and east" in words


def test_a_quiet_month_says_nothing():
    regions, actors = ["north", "south"], ["ocha", "ngo_p1", "mission"]
    quiet = narrate(_snap(3, [1, 1], [0, 0]), _snap(4, [1, 1], [0, 0]), regions, actors, 0)
    assert quiet == []
