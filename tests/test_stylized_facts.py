"""MODEL.md stylized facts 1-10 in the default calibration (fixed seeds, paired
replicates, margins of three standard errors of the measured spread)."""

from __future__ import annotations

import numpy as np
from helpers import HUMANITARIANS, NGOS, assert_greater, per_replicate, per_replicate_in, run

from imsim.core.options import Phase

WAR = slice(12, 61)


def test_fact1_two_feet_in_costs_neutrality_and_access_in_conflict():
    inside = run("baseline", "integration=two_feet_in")
    outside = run("baseline", "integration=two_feet_out")
    for group in (["ocha"], ["unhcr"], NGOS):
        for var in ("neutrality", "access"):  # over the region-months at war
            assert_greater(
                per_replicate_in(outside, var, group, Phase.CONFLICT, WAR),
                per_replicate_in(inside, var, group, Phase.CONFLICT, WAR),
            )


def test_fact2_in_consolidation_integration_costs_little_and_brings_coherence():
    opts = ("world.initial_phase=consolidation", "mission.initial_strength=0.5")
    inside = run("baseline", "integration=two_feet_in", *opts)
    outside = run("baseline", "integration=two_feet_out", *opts)
    cost = per_replicate(outside.neutrality.sel(actor=HUMANITARIANS), WAR) - per_replicate(
        inside.neutrality.sel(actor=HUMANITARIANS), WAR
    )
    war_cost = per_replicate(
        run("baseline", "integration=two_feet_out").neutrality.sel(actor=HUMANITARIANS), WAR
    ) - per_replicate(
        run("baseline", "integration=two_feet_in").neutrality.sel(actor=HUMANITARIANS), WAR
    )
    assert cost.mean() < 0.03
    assert cost.mean() < 0.25 * war_cost.mean()
    assert_greater(per_replicate(inside.coherence, WAR), per_replicate(outside.coherence, WAR))


def test_fact3_routine_escorts_buy_access_now_and_cost_it_later():
    routine = run("baseline", "force.escorts=routine")
    last = run("baseline", "force.escorts=last_resort")
    hum = {"actor": HUMANITARIANS}
    assert_greater(
        per_replicate(routine.access.sel(hum), slice(3, 7)),
        per_replicate(last.access.sel(hum), slice(3, 7)),
    )
    assert_greater(
        per_replicate(last.neutrality.sel(hum), 36), per_replicate(routine.neutrality.sel(hum), 36)
    )
    assert_greater(
        per_replicate(last.access.sel(hum), slice(33, 40)),
        per_replicate(routine.access.sel(hum), slice(33, 40)),
    )


def test_fact4_disintegrating_recovers_neutrality_slower_than_it_was_lost():
    separate = (
        "events=[{month:36,set:{integration.hc_location:two_feet_out,"
        "integration.branding:0.0,integration.shared_assets:0.0,"
        "integration.information_sharing:0.2}}]"
    )
    ds = run("baseline", "integration=two_feet_in", separate)
    ocha = ds.neutrality.sel(actor="ocha")
    lost = per_replicate(ocha, 0) - per_replicate(ocha, 36)
    regained = per_replicate(ocha, 72) - per_replicate(ocha, 36)
    assert_greater(regained, np.zeros_like(regained))  # it does recover ...
    assert_greater(lost, regained)  # ... but more slowly than it fell


def test_fact5_support_office_keeps_hc_attention_as_mission_demands_grow():
    without = run("baseline", "dsrsg.support_office=false")
    with_office = run("baseline", "dsrsg.support_office=true")
    # mission demands grow as the force deploys over the first six months
    assert_greater(
        per_replicate(without.hc_attention, 1), per_replicate(without.hc_attention, slice(6, 61))
    )
    assert per_replicate(without.hc_attention, slice(6, 61)).mean() < 0.5
    assert per_replicate(with_office.hc_attention, slice(6, 61)).mean() > 0.8
    assert_greater(
        per_replicate(with_office.hc_attention, slice(6, 61)),
        per_replicate(without.hc_attention, slice(6, 61)),
    )


def test_fact6_katanga_joint_plan_returns_the_displaced():
    plan = run("katanga_mob", replicates=32).displaced.sel(region="katanga")
    no_plan = run("katanga_mob", "force.joint_plan=false", replicates=32).displaced.sel(
        region="katanga"
    )
    assert abs(float(plan.isel(month=0).mean()) - 230_000) < 1
    at8 = plan.isel(month=8).values
    se = at8.std(ddof=1) / np.sqrt(at8.size)
    assert 12_000 < at8.mean() < 40_000, at8.mean()  # "about 24,000" (001 §3a)
    assert abs(at8.mean() - 24_000) < 16_000 + 3 * se
    assert no_plan.isel(month=8).mean() > 120_000  # far fewer return without the plan


def test_fact7_security_phase_raise_cuts_un_access_not_mission_access():
    raised = run("baseline", "events=[{month:24,shock:security_phase_raise,level:5}]")
    base = run("baseline")
    after = slice(25, 31)
    for agency in ("ocha", "unhcr"):
        assert_greater(
            per_replicate(base.access.sel(actor=agency), after),
            per_replicate(raised.access.sel(actor=agency), after),
        )
    un_cut = (
        per_replicate(base.access.sel(actor="unhcr"), after)
        - per_replicate(raised.access.sel(actor="unhcr"), after)
    ).mean()
    mission_cut = (
        per_replicate(base.access.sel(actor="mission"), after)
        - per_replicate(raised.access.sel(actor="mission"), after)
    ).mean()
    assert abs(mission_cut) < 0.1 * un_cut


def test_fact8_unilateral_qips_erode_neutrality_more():
    hum = {"actor": HUMANITARIANS}
    unilateral = per_replicate(run("baseline", "force.qips=unilateral").neutrality.sel(hum), WAR)
    for mitigated in ("hc_approved", "joint_pool"):
        other = run("baseline", f"force.qips={mitigated}").neutrality.sel(hum)
        assert_greater(per_replicate(other, WAR), unilateral)


def test_fact9_exit_right_after_elections_raises_relapse():
    opts = (
        "world.initial_phase=transition",
        "mission.initial_strength=1.0",
        "events=[{month:24,shock:elections}]",
    )
    stay = run("baseline", *opts, "mission.exit_after_elections=false")
    leave = run("baseline", *opts, "mission.exit_after_elections=true")
    later = slice(48, 97)
    assert_greater(per_replicate(leave.phase == 0, later), per_replicate(stay.phase == 0, later))


def test_fact10_regions_move_at_different_times_and_some_move_back():
    phase = run("baseline").phase.values  # (replicate, month, region)
    left = (phase > 0).any(axis=1)
    first = np.where(left, (phase > 0).argmax(axis=1), np.nan)
    spread = np.nanstd(first, axis=1)  # per replicate, across regions
    assert np.nanmean(spread) > 12  # months
    backwards = (np.diff(phase, axis=1) < 0).sum(axis=(1, 2))
    assert (backwards > 0).mean() >= 0.9
