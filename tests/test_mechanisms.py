"""Unit tests, one or more per mechanism, on the pure functions of imsim.core."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import yaml

import imsim
from imsim.compile.network import structural_association
from imsim.compile.run import default_world, prepare_run
from imsim.core import force, humanitarian, leadership, local_actors
from imsim.core.access import reach
from imsim.core.aid_workers import expected_victims, staff, victim_rate
from imsim.core.association import associate
from imsim.core.capacity import update_capacity
from imsim.core.coherence import update_coherence
from imsim.core.conflict import civilian_harm, update_control, update_violence
from imsim.core.displacement import flows, hosting
from imsim.core.mission import update_strength
from imsim.core.needs import people_in_need
from imsim.core.neutrality import update_neutrality
from imsim.core.phase import move_phase
from imsim.core.security import restriction
from imsim.core.step import decide
from imsim.core.streams import batch_keys, poisson, uniform


def setup(*overrides, scenario="baseline"):
    """Month 0 and month 1's parameters: the baseline from the schema's defaults without
    Hydra (``default_world``), another scenario composed from its config."""
    if scenario == "baseline":
        settings = dict(o.split("=", 1) for o in overrides)
        return default_world(30, 2, **{k: yaml.safe_load(v) for k, v in settings.items()})
    cfg = imsim.compose(scenario, ["run.replicates=2", "run.months=12", *overrides])
    run = prepare_run([cfg])
    return run.state, run.timeline.at(1)


def with_(obj, **changes):
    return dataclasses.replace(obj, **changes)


def test_random_streams_are_keyed_not_positional():
    keys = batch_keys(3, np.arange(5))
    alone = batch_keys(3, np.arange(3, 4))
    np.testing.assert_array_equal(
        uniform(keys, 7, "phase", (4,))[3], uniform(alone, 7, "phase", (4,))[0]
    )
    assert not np.array_equal(uniform(keys, 7, "phase", (4,)), uniform(keys, 8, "phase", (4,)))
    u = uniform(batch_keys(0, np.arange(20000)), 0, "incidents", ())
    assert 0 < u.min() and u.max() < 1 and abs(u.mean() - 0.5) < 0.01
    assert abs(poisson(np.full(u.shape, 1.5), u).mean() - 1.5) < 0.05


def test_structural_association_follows_hc_location():
    actors = ("ocha", "unhcr", "ngo_p1", "mission")
    ocha = {
        h: structural_association(actors, h, 0.5, 0.3, 0.3, True, False)[0]
        for h in ("two_feet_in", "one_foot_in", "two_feet_out")
    }
    assert ocha["two_feet_in"] > ocha["one_foot_in"] > ocha["two_feet_out"] > 0
    assert structural_association(actors, "one_foot_in", 0.5, 0.3, 0.3, True, False)[3] == 1.0


def test_neutrality_erodes_fast_and_recovers_slowly():
    _, p = setup()
    n = np.full((2, 7, 30), 0.8)
    down = update_neutrality(n, np.full_like(n, 1.0), np.full((2, 30), 0.6), p)  # target 0.4
    up = update_neutrality(n, np.zeros_like(n), np.full((2, 30), 0.6), p)  # target 1.0
    assert (0.8 - down).min() > 5 * (up - 0.8).max() > 0


def test_escorts_and_unilateral_qips_raise_association():
    s, p = setup("force.escorts=routine", "force.qips=unilateral")
    s = with_(s, strength=np.ones(2))
    d = decide(s, p)
    routine = associate(s, p, d, s.presence)
    quiet = associate(
        s,
        p,
        with_(
            d,
            force=with_(
                d.force,
                escorts_offered=np.zeros_like(d.force.escorts_offered),
                qips=np.zeros_like(d.force.qips),
            ),
        ),
        s.presence,
    )
    assert (routine[:, :-1] >= quiet[:, :-1]).all() and (routine > quiet).any()
    assert (routine[:, -1] == 1.0).all()  # the mission is the mission


def test_principled_ngos_refuse_escorts_multi_mandate_accept():
    s, p = setup()
    c = humanitarian.conduct(s, p, s.neutrality[:, 0])
    names = imsim.compose("baseline").ngos
    assert names.principled == 2
    assert (c.accept_escorts[:, 2:4] == 0).all() and (c.accept_escorts[:, 4:6] > 0).all()


def test_access_rises_with_neutrality_falls_with_violence_and_restriction():
    s, p = setup()
    z = np.zeros_like(s.neutrality)
    zr = np.zeros_like(s.violence)

    def acc(n, v, r=z, **support):
        none = dict(
            escort_use=z,
            asset_use=z,
            demined=zr,
            negotiation=zr,
            protection=zr,
            impediments=zr,
            flights=np.ones(2),
        )
        n, v = np.full_like(z, n), np.full_like(zr, v)
        kw = none | support
        return reach(neutrality=n, violence=v, presence=np.ones_like(z), restricted=r, p=p, **kw)

    assert (acc(0.9, 0.5) > acc(0.4, 0.5)).all()
    assert (acc(0.6, 0.2) > acc(0.6, 0.8)).all()
    # neutrality removes targeted denial, not bullets, mines and roads (item 5)
    assert (acc(1.0, 0.2) > acc(1.0, 0.8) + 0.2).all()
    assert (acc(1.0, 0.0) < 1.0).all() and (acc(1.0, 0.0, demined=zr + 1) == 1.0).all()
    assert (acc(1.0, 0.6, escort_use=z + 1) > acc(1.0, 0.6)).all()
    assert (acc(1.0, 0.6, asset_use=z + 1) > acc(1.0, 0.6)).all()
    assert (acc(0.3, 0.6, negotiation=zr + 1) > acc(0.3, 0.6)).all()
    restricted = restriction(np.full_like(zr, 5.0), p)
    assert (restricted[:, :2] > 0).all() and (restricted[:, 2:] == 0).all()
    # flights help only as far as humanitarians get seats on them (guidance ¶67)
    grounded = acc(1.0, 0.6, asset_use=z + 1, flights=np.zeros(2))
    np.testing.assert_allclose(grounded, acc(1.0, 0.6))
    # a host's red tape takes humanitarians' access, not the mission's (report ¶58)
    taxed = acc(1.0, 0.3, impediments=zr + 0.2)
    np.testing.assert_allclose(taxed[:, :-1], 0.8 * acc(1.0, 0.3)[:, :-1])
    np.testing.assert_allclose(taxed[:, -1], acc(1.0, 0.3)[:, -1])
    # a 'post-conflict' label cuts what humanitarians' funding lets them deliver (report ¶25)
    labelled = with_(p, post_conflict_label=np.ones(2))
    kw = dict(escort_use=z, asset_use=z, demined=zr + 1, negotiation=zr, protection=zr)
    full = dict(neutrality=z + 1, violence=zr, presence=z + 1, restricted=z, **kw)
    funded = reach(impediments=zr, flights=np.ones(2), p=labelled, **full)
    cut = 1 - p.coef.label_funding_cut[:, None]
    np.testing.assert_allclose(
        funded[:, :-1], np.broadcast_to(cut[..., None], funded[:, :-1].shape)
    )


def test_mission_led_security_is_one_size_fits_all_and_shocks_set_a_floor():
    s, p = setup()
    v = np.linspace(0.05, 0.9, 30)[None].repeat(2, 0)
    s = with_(s, violence=v)
    _, ph = setup("security.management=humanitarian")
    mission = leadership.security_level(s, p)
    area = leadership.security_level(s, ph)
    assert mission.std() < area.std() and mission.min() > area.min()
    floor = leadership.security_level(s, with_(p, security_floor=np.full_like(v, 4.0)))
    assert floor.min() >= 4.0


def test_attacks_on_aid_workers_come_from_insecurity_and_from_lost_neutrality():
    s, p = setup()
    one, zero = np.ones_like(s.neutrality), np.zeros_like(s.violence)

    def rate(v, n, info=0.0):
        return victim_rate(
            violence=zero + v, neutrality=one * n, info_sharing=np.full(2, info), p=p
        )[:, :-1]  # humanitarians

    calm, war, trusted = rate(0.1, 0.5), rate(0.8, 0.5), rate(0.8, 1.0)
    assert (war > calm).all() and (war > trusted).all()
    assert (trusted > rate(0.1, 1.0)).all()  # insecurity strikes the fully neutral too
    assert (rate(0.0, 0.0) == rate(0.0, 1.0)).all() and (rate(0.0, 1.0) > 0).all()  # crime
    assert (rate(0.8, 1.0, info=1.0) < trusted).all()  # shared security information warns


def test_staff_follow_funded_need_and_national_staff_bear_most_victims():
    s, p = setup()
    need = people_in_need(s.violence, s.displaced, p)
    presence = np.ones_like(s.presence)
    workers = staff(
        need=need, presence=presence, civilian_presence=np.ones(2), funding=np.ones(2), p=p
    )
    fewer = staff(
        need=need, presence=presence, civilian_presence=np.ones(2), funding=np.full(2, 0.8), p=p
    )
    np.testing.assert_allclose(fewer[:, :-1], 0.8 * workers[:, :-1])  # funded presence
    np.testing.assert_allclose(fewer[:, -1], workers[:, -1])
    humanitarian = workers[:, :-1].sum(axis=1)
    per_need = p.coef.workers_per_million * p.funding_per_need
    np.testing.assert_allclose(humanitarian, per_need[:, None] * need)
    np.testing.assert_allclose(workers[:, -1].sum(axis=-1), p.coef.mission_civilian_staff)
    assert (workers[:, 0] < workers[:, 1]).all() and (workers[:, 1] < workers[:, 2]).all()
    national, international = expected_victims(
        rate=np.ones_like(workers),
        workers=workers,
        restricted=np.zeros_like(workers),
        protection=np.zeros_like(s.violence),
        p=p,
    )
    assert (national > 4 * international).all()  # AWSD: 81-93% of victims national
    assert (national[:, 2:-1].sum() > national[:, :2].sum() * 2).all()  # NGOs the most


def test_the_workforce_is_what_the_funding_pays_not_what_the_population_is():
    """The issue's DRC had 37,771 aid workers because the workforce grew with population
    and violence: now a country's workforce at the start is its funding × workers per
    US$1 million, however many people live there; it then follows the people in need."""
    from imsim.compile.run import default_run

    def national_staff(**settings):
        run = default_run(regions=6, **settings)
        p, s = run.timeline.at(1), run.state
        workers = staff(
            need=people_in_need(s.violence, s.hosted, p),
            presence=np.ones_like(s.presence),
            civilian_presence=np.zeros(1),
            funding=np.ones(1),
            p=p,
        )
        return workers[:, :-1].sum(), p.coef.workers_per_million[0]

    small, per_million = national_staff(world__population=2e6, world__aid_funding=200.0)
    large, _ = national_staff(world__population=60e6, world__aid_funding=200.0)
    richer, _ = national_staff(world__population=2e6, world__aid_funding=400.0)
    assert small == pytest.approx(200.0 * per_million) and large == pytest.approx(small)
    assert richer == pytest.approx(2 * small)


def test_troops_protect_civilians_and_lower_violence():
    s, p = setup()
    v, zero = np.full_like(s.violence, 0.6), np.zeros_like(s.violence)

    def harm(protection, cover=zero, recent=zero, demined=zero):
        return civilian_harm(
            violence=v,
            hosted=s.hosted,
            recent_returns=recent,
            demined=demined,
            protection=protection,
            policing=zero,
            camp_cover=cover,
            p=p,
        )

    assert (harm(zero + 0.8) < harm(zero)).all()
    assert (harm(zero, cover=zero + 1) < harm(zero)).all()  # guarded camps
    returnees = s.hosted + 1.0
    assert (harm(zero, recent=returnees) > harm(zero, recent=returnees, demined=zero + 1)).all()
    # diminishing returns: each further troop protects less (protection = 1 - exp(-density))
    troops = [
        force.deploy(with_(s, strength=np.full(2, k)), p)[1].mean() for k in (1 / 3, 2 / 3, 1.0)
    ]
    assert troops[1] - troops[0] > troops[2] - troops[1] > 0
    noise = np.zeros_like(v)
    given = dict(violence=v, phase=s.phase, control=s.control, robust=zero, noise=noise, p=p)
    calm = update_violence(protection=zero + 0.8, **given)
    assert (calm < update_violence(protection=zero, **given)).all()


def test_force_concentrates_on_the_mobile_base_and_camps():
    s, p = setup(scenario="katanga_mob")
    s = with_(s, strength=np.ones(2))
    troops, protection = force.deploy(s, p)
    assert troops[:, 0].min() > 5 * np.median(troops[:, 1:])
    np.testing.assert_allclose(troops.sum(axis=1), 18000)
    assert (protection[:, 0] > protection[:, 1:].max(axis=1)).all()


def test_returns_need_security_and_joint_plan_speeds_them():
    s, p = setup(scenario="katanga_mob")
    d, zero = s.displaced, np.zeros_like(s.violence)
    support = np.ones_like(zero)

    def flow(support, demined, protection, pushed, p, violence=0.1, resisted=zero, recent=zero):
        return flows(
            displaced=d,
            recent_returns=recent,
            violence=zero + violence,
            return_support=support,
            unhcr_access=zero + 0.6,
            resisted=resisted,
            demined=demined,
            protection=protection,
            pushed=pushed,
            p=p,
        )

    def returned(*args, **kw):
        return flow(*args, **kw)[1]

    safe = returned(support, zero + 0.5, zero + 0.6, zero, p)
    spontaneous = returned(zero, zero + 0.5, zero + 0.6, zero, p)
    no_plan = returned(support, zero + 0.5, zero + 0.6, zero, with_(p, joint_plan=np.zeros(2)))
    assert (spontaneous < safe).all() and (safe > no_plan).all() and (safe <= d).all()
    assert (returned(support, zero, zero, zero, p, violence=0.6) < no_plan).all()
    pushed = returned(zero, zero, zero, zero + 1, p, violence=0.6)
    assert (pushed > returned(zero, zero, zero, zero, p, violence=0.6)).all()
    resisted = returned(zero, zero, zero, zero + 1, p, violence=0.6, resisted=zero + 1)
    assert (resisted < pushed).all()  # UNHCR resists premature returns (report ¶78-79)
    # returnees not yet re-established are displaced again far more readily
    again = flow(support, zero, zero, zero, p, violence=0.6, recent=d * 0 + 1e4)[0]
    assert (again > flow(support, zero, zero, zero, p, violence=0.6)[0]).all()


def test_displaced_shelter_in_their_region_and_its_safer_neighbours():
    s, p = setup()
    hosted = hosting(s.displaced, s.violence, p)
    np.testing.assert_allclose(hosted.sum(axis=-1), s.displaced.sum(axis=-1))
    one = np.zeros_like(s.displaced)
    one[:, 0] = 1000.0
    violence = np.zeros_like(s.violence) + 0.5
    neighbours = np.flatnonzero(p.neighbours[0, 0])
    violence[:, neighbours[0]] = 0.9  # one neighbour at war, the others calmer
    spread = hosting(one, violence, p)
    assert spread[0, 0] == pytest.approx(1000.0 * (1 - p.coef.flee_neighbours[0]))
    assert (spread[:, neighbours[0]] < spread[:, neighbours[1]]).all()


def test_unhcr_supports_returns_only_where_safe_and_resists_elsewhere():
    s, p = setup()
    s = with_(s, violence=np.linspace(0, 1, 30)[None].repeat(2, 0))
    d = humanitarian.decide_unhcr(s, p)
    assert d.return_support[:, 0].min() > 0.9 and d.return_support[:, -1].max() < 0.01
    assert d.resist_returns[:, 0].max() < 0.1 and d.resist_returns[:, -1].min() > 0.9


def test_unhcr_asks_camp_security_where_a_region_hosts_far_more_than_the_country():
    s, p = setup()
    hosted = p.population * 0.05
    hosted[:, 3] = p.population[:, 3] * 0.3
    s = with_(s, hosted=hosted, violence=np.full_like(s.violence, 0.5))
    ask = humanitarian.request_camp_security(s, p)
    assert (ask[:, 3] > 0.9).all() and (np.delete(ask, 3, axis=1) < 0.1).all()
    # the same share everywhere is no reason for a request, however large
    even = humanitarian.request_camp_security(with_(s, hosted=p.population * 0.3), p)
    assert (even < 0.1).all()


def test_coherence_has_diminishing_returns_and_a_linear_cost():
    _, p = setup()
    gains, costs = [], []
    for level in (0.0, 0.5, 1.0):
        q = with_(p, hc_inside=np.full(2, level), ocha_inside=np.full(2, level))
        coherence, cost = update_coherence(np.zeros(2), np.ones(2), q)
        gains.append(coherence[0])
        costs.append(cost[0])
    assert gains[1] - gains[0] > gains[2] - gains[1] > 0
    assert costs[2] - costs[1] == pytest.approx(costs[1] - costs[0])


def test_support_office_and_mission_demands_shape_hc_attention():
    s, p = setup()
    light = leadership.attention(with_(s, strength=np.full(2, 0.1)), p)[0]
    heavy = leadership.attention(with_(s, strength=np.ones(2)), p)[0]
    office = leadership.attention(
        with_(s, strength=np.ones(2)), with_(p, support_office=np.ones(2))
    )[0]
    assert (heavy < light).all() and (office > heavy).all()
    outside = leadership.attention(with_(s, strength=np.ones(2)), with_(p, hc_inside=np.zeros(2)))
    assert (outside[0] > heavy).all()


def test_local_capacity_grows_with_rc_attention_and_drains_with_hiring():
    s, p = setup("world.initial_phase=transition")
    given = dict(capacity=s.capacity, phase=s.phase, violence=np.zeros_like(s.violence), p=p)
    more = update_capacity(
        coherence=np.zeros(2),
        rc_attention=np.ones(2),
        strength=np.zeros(2),
        handover=np.zeros(2),
        **given,
    )
    less = update_capacity(
        coherence=np.zeros(2),
        rc_attention=np.zeros(2),
        strength=np.ones(2),
        handover=np.zeros(2),
        **given,
    )
    assert (more > s.capacity).all() and (less < s.capacity).all()


def test_mission_ramps_up_and_exits_fast_after_elections():
    _, p = setup("mission.exit_after_elections=true", "force.ramp_months=4")
    up = update_strength(np.zeros(2), np.ones(2), np.zeros(2), p)
    np.testing.assert_allclose(up, 0.25)
    fast = update_strength(np.ones(2), np.zeros(2), np.ones(2), p)
    slow = update_strength(np.ones(2), np.zeros(2), np.zeros(2), p)
    assert (fast < slow).all()


def test_elections_trigger_exit_target_when_configured():
    s, p = setup("mission.exit_after_elections=true")
    s = with_(s, elections_held=np.ones(2), strength=np.ones(2))
    assert (leadership.target_strength(s, p) == 0).all()


def test_phase_moves_both_ways_and_shocks_cap_it():
    s, p = setup("world.initial_phase=transition")
    zero = np.zeros_like(s.violence)
    given = dict(
        phase=s.phase,
        violence=zero + 0.1,
        fighting=zero + 0.1,
        settlement=zero + 0.9,
        capacity=zero + 0.9,
        unmet=zero,
        protection=zero + 1.0,
    )
    forward = move_phase(u=np.full_like(zero, 1e-6), p=p, **given)
    back = move_phase(u=np.full_like(zero, 1 - 1e-9), p=p, **given)
    assert (forward == 2).all() and (back == 0).all()
    capped = move_phase(u=np.full_like(zero, 1e-6), p=with_(p, phase_cap=zero), **given)
    assert (capped == 0).all()


def test_armed_groups_see_partisanship_in_stance_robust_ops_and_phase():
    s, p = setup()
    s = with_(s, strength=np.ones(2))
    impartial = local_actors.partisanship(s, p)
    _, pb = setup("mission.stance=backs_government")
    backing = local_actors.partisanship(s, pb)
    robust = local_actors.partisanship(with_(s, robust=np.ones_like(s.robust)), p)
    calm = local_actors.partisanship(with_(s, phase=np.full_like(s.phase, 2)), p)
    assert (backing > impartial).all() and (robust > impartial).all()
    assert (calm < impartial).all()
    assert (local_actors.partisanship(with_(s, strength=np.zeros(2)), p) == 0).all()


def test_armed_groups_gain_ground_where_troops_are_thin():
    s, p = setup()
    zero = np.zeros_like(s.violence)
    given = dict(
        control=s.control, violence=zero + 0.6, phase=s.phase, settlement=s.settlement, p=p
    )
    thin = update_control(protection=zero, robust=zero, **given)
    guarded = update_control(protection=zero + 0.9, robust=zero + 1, **given)
    assert (thin > guarded).all()


def test_troops_hold_violence_down_but_do_not_end_the_fighting():
    """The war's end answers to the parties' fighting: violence with what troops hold down
    put back, so the mission counts once on the way out of war (Gilligan & Sergenti 2008)."""
    from imsim.core.conflict import fighting, held_down

    s, p = setup()
    v, zero = np.full_like(s.violence, 0.4), np.zeros_like(s.violence)
    assert (fighting(v, zero, p) == v).all()  # no troops: the fighting is the violence
    protected = zero + 0.8
    assert (fighting(v, protected, p) > v).all()
    np.testing.assert_allclose(fighting(v, protected, p), v + held_down(protected, p))
    # the war ends sooner where the parties fight less, whatever the violence people see
    given = dict(
        phase=np.zeros_like(s.phase),
        violence=v,
        settlement=zero + 0.9,
        capacity=zero,
        unmet=zero,
        protection=protected,
    )
    u = np.full_like(zero, 0.05)
    calm = move_phase(u=u, p=p, fighting=zero + 0.1, **given)
    fierce = move_phase(u=u, p=p, fighting=zero + 0.9, **given)
    assert (calm >= fierce).all() and (calm > fierce).any()


def test_backing_the_government_is_never_judged_less_partisan_than_impartiality():
    """Guidance ¶36, ¶38 give the direction; a drawn backing below impartiality is no effect."""
    from imsim.core.local_actors import partisanship

    def judged(stance, backing):
        s, p = setup(
            f"mission.stance={stance}",
            f"coefficients.partisanship_backs_government={backing}",
            scenario="drc_relapse",
        )
        return partisanship(s, p)

    # the stance's own term at impartiality's 0.35 (backing an abusive authority adds more)
    at_impartial = judged("backs_government", 0.35)
    assert np.array_equal(judged("backs_government", 0.1), at_impartial)  # below: no effect
    backing = judged("backs_government", 0.75)
    assert (backing >= at_impartial).all() and (backing > at_impartial).any()


@pytest.mark.parametrize("scenario", ["drc_relapse", "sierra_leone_consolidation"])
def test_a_later_phase_never_weighs_partisanship_more_than_an_earlier_one(scenario):
    """Report ¶30 gives the order; drawn weights that would invert it are no difference
    (drc_relapse starts in transition, Sierra Leone in consolidation)."""
    from imsim.core.local_actors import partisanship

    def judged(*weights):
        names = ("conflict", "transition", "consolidation")
        s, p = setup(
            *(
                f"coefficients.phase_partisanship_{n}={w}"
                for n, w in zip(names, weights, strict=True)
            ),
            scenario=scenario,
        )
        assert (s.phase > 0).all()  # after the war
        return partisanship(s, p)

    assert np.array_equal(judged(0.3, 0.9, 0.8), judged(0.3, 0.3, 0.3))
    assert (judged(1.0, 0.55, 0.4) > judged(1.0, 0.2, 0.2)).any()  # the weights do count
