"""Outcomes in people: people in need and reached, deaths from violence (civilians killed by
armed groups, battle deaths) and from unmet needs; and what structure alone does to the
information operations can share. Each mechanism's direction, on the pure function and
in whole runs with paired replicates (margins of three standard errors, tests/helpers.py).
No test here says which integration setting is better overall."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from helpers import assert_greater, run

import imsim
from imsim.compile.run import default_world
from imsim.compile.timeline import shared_information
from imsim.core.conflict import battle_deaths, civilian_harm
from imsim.core.local_actors import assistance, impediments
from imsim.core.needs import deaths_from_unmet_needs, people_in_need, reached_share
from imsim.results.summary import SUMMARY

MONTHS = ["run.months=36"]


def national(ds, variable, months=slice(1, None)):
    """Per replicate: the national total a month, averaged over ``months``."""
    return ds[variable].sum("region").isel(month=months).mean("month").values


def test_deaths_from_unmet_needs_fall_with_reach_and_rise_with_displacement():
    s, p = default_world(30, 2)
    need = people_in_need(s.violence, s.hosted, p)
    full, half, none = (np.full_like(need, r) for r in (1.0, 0.5, 0.0))
    deaths = {
        r: deaths_from_unmet_needs(need=need, displaced=s.hosted, reached=r, p=p)
        for r in (1.0, 0.5, 0.0)
    }
    assert (deaths[1.0] == 0).all()  # aid that reaches everyone in need leaves no excess
    assert (deaths[0.5] < deaths[0.0]).all() and (deaths[0.5] > 0).all()
    # the same people in need, more of them displaced: more deaths
    more = s.hosted * 2 + 1.0
    need_more = people_in_need(s.violence, more, p)
    assert (
        deaths_from_unmet_needs(need=need_more, displaced=more, reached=half, p=p) > deaths[0.5]
    ).all()


def test_national_authorities_and_qips_reach_some_of_those_humanitarians_miss():
    s, p = default_world(30, 2)
    zero, incoherent = np.zeros_like(s.violence), np.zeros(2)

    def share(access, assistance=zero, qips=zero, coherence=incoherent):
        return reached_share(
            access=np.full_like(s.access, access),
            assistance=assistance,
            qips=qips,
            coherence=coherence,
            p=p,
        )

    assert np.allclose(share(1.0, assistance=zero + 0.5), 1.0)  # nobody left to fill in for
    assert np.allclose(share(0.4), 0.4)
    assert (share(0.4, assistance=zero + 0.5) > share(0.4)).all()
    assert np.allclose(share(0.4, assistance=zero + 1.0), 1.0)
    # QIPs fill in only as far as integration makes them fit needs (guidance ¶41-42)
    assert np.allclose(share(0.4, qips=zero + 1.0), 0.4)
    assert (share(0.4, qips=zero + 1.0, coherence=np.ones(2)) > share(0.4)).all()


def test_an_able_impartial_authority_assists_and_an_abusive_one_impedes():
    s, p = default_world(30, 2)
    zero = np.zeros_like(s.violence)
    able = dataclasses.replace(s, capacity=zero + 0.8, control=zero)
    weak = dataclasses.replace(s, capacity=zero + 0.2, control=zero)
    held = dataclasses.replace(able, control=zero + 0.9)
    assert (assistance(able, zero, p) > assistance(weak, zero, p)).all()
    assert (assistance(able, zero + 0.5, p) < assistance(able, zero, p)).all()  # not impartial
    assert (assistance(held, zero, p) < assistance(able, zero, p)).all()  # armed groups' ground
    assert (impediments(zero + 0.5, p) > impediments(zero, p)).all()


def test_battle_deaths_and_killings_of_civilians_answer_troops_differently():
    s, p = default_world(30, 2)
    v = np.full_like(s.violence, 0.5)
    zero = np.zeros_like(v)
    full = zero + 1.0
    battle = [battle_deaths(violence=v, protection=x, p=p) for x in (zero, full)]
    killed = [
        civilian_harm(
            violence=v,
            hosted=s.hosted,
            recent_returns=zero,
            demined=zero,
            protection=x,
            policing=zero,
            camp_cover=zero,
            p=p,
        )
        for x in (zero, full)
    ]
    assert (battle[1] < battle[0]).all() and (killed[1] < killed[0]).all()
    # HKS 2013 (killings of civilians) finds a larger cut than HKS 2014 (battle deaths)
    assert (killed[1] / killed[0] < battle[1] / battle[0]).all()
    assert (battle_deaths(violence=zero, protection=zero, p=p) == 0).all()


def test_troops_cut_battle_deaths_in_a_whole_run():
    with_troops = run("baseline", "mission.initial_strength=1.0", "force.troops=10000", *MONTHS)
    without = run("baseline", "mission.initial_strength=1.0", "force.troops=0", *MONTHS)
    assert_greater(national(without, "battle_deaths"), national(with_troops, "battle_deaths"))
    assert_greater(national(without, "civilian_harm"), national(with_troops, "civilian_harm"))


def test_less_access_means_fewer_people_reached_and_more_deaths():
    base = run("baseline", *MONTHS)
    denied = run("baseline", "coefficients.access_denial=3.0", *MONTHS)
    assert_greater(national(base, "people_reached"), national(denied, "people_reached"))
    assert_greater(national(denied, "deaths_unmet_needs"), national(base, "deaths_unmet_needs"))
    for ds in (base, denied):
        assert (ds.people_reached <= ds.people_in_need * (1 + 1e-12)).all()
        assert (ds.people_reached >= 0).all() and (ds.deaths_unmet_needs >= 0).all()


def test_more_displacement_means_more_deaths_from_unmet_needs():
    base = run("baseline", *MONTHS)
    fleeing = run("baseline", "coefficients.displacement_rate=0.008", *MONTHS)
    assert_greater(national(fleeing, "deaths_unmet_needs"), national(base, "deaths_unmet_needs"))


@pytest.mark.parametrize("apart", [0.0, 0.5, 1.0])
def test_structure_limits_the_information_operations_can_share(apart):
    setting = np.array([0.8])
    inside, one, outside = (
        shared_information(setting, np.array([h]), np.array([o]), apart)[0]
        for h, o in ((1.0, 1.0), (1.0, 0.0), (0.0, 0.0))
    )
    assert inside == 0.8  # co-located: the setting is what is shared
    if apart == 0.0:
        assert inside == one == outside  # no effect: structure does nothing by itself
    else:
        assert inside > one > outside == pytest.approx(0.8 * (1 - apart))


def test_structure_alone_changes_early_warning_when_sharing_needs_trust():
    """Operations held fixed, HC and OCHA outside: with no trust lost (sharing_apart=0) the
    mission gets the information it would inside; with all lost it gets none, and its
    troops' early warning goes with it: violence is higher."""
    common = ("integration.hc_location=two_feet_out", "mission.initial_strength=1.0", *MONTHS)
    kept = run("baseline", *common, "coefficients.sharing_apart=0.0")
    lost = run("baseline", *common, "coefficients.sharing_apart=1.0")
    assert_greater(
        lost.violence.isel(month=slice(1, None)).mean(["month", "region"]).values,
        kept.violence.isel(month=slice(1, None)).mean(["month", "region"]).values,
    )


def test_the_summary_counts_people_and_deaths():
    for name in (
        "people_reached_mean",
        "reached_share_mean",
        "deaths_total",
        "deaths_unmet_needs_total",
        "battle_deaths_total",
        "civilian_harm_total",
    ):
        assert name in SUMMARY
    ds = imsim.simulate(imsim.compose("baseline", ["run.replicates=2", "run.months=12"]))
    from imsim.results.summary import summarise

    summary = summarise(ds, ds.population.values)
    deaths = sum(
        ds[v].sum("region").isel(month=slice(1, None)).sum("month")
        for v in ("civilian_harm", "battle_deaths", "deaths_unmet_needs")
    )
    np.testing.assert_allclose(summary.deaths_total.values.ravel(), deaths.values.ravel())
    share = (
        (ds.people_reached.sum("region") / ds.people_in_need.sum("region"))
        .isel(month=slice(1, None))
        .mean("month")
    )
    np.testing.assert_allclose(summary.reached_share_mean.values.ravel(), share.values.ravel())


def test_un_police_cut_killings_of_civilians_not_battle_deaths():
    """HKS 2013: police cut one-sided killings; HKS 2014: not battle deaths."""
    police = run("baseline", "mission.initial_strength=1.0", "force.police=2000", *MONTHS)
    none = run("baseline", "mission.initial_strength=1.0", "force.police=0", *MONTHS)
    assert_greater(national(none, "civilian_harm"), national(police, "civilian_harm"))
    np.testing.assert_array_equal(police.battle_deaths.values, none.battle_deaths.values)


def test_a_post_conflict_label_costs_people_reached_and_lives():
    """Donors fund humanitarian work less in a situation called 'post-conflict' (004 report
    ¶24-25, ¶36): fewer aid workers, fewer people reached, more deaths from unmet needs."""
    labelled = run("baseline", "mission.labelled_post_conflict=true", *MONTHS)
    base = run("baseline", *MONTHS)
    assert_greater(national(base, "people_reached"), national(labelled, "people_reached"))
    assert_greater(national(labelled, "deaths_unmet_needs"), national(base, "deaths_unmet_needs"))
    hum = [a for a in base.actor.values if a != "mission"]
    assert (
        labelled.staff.sel(actor=hum).isel(month=slice(1, None)).sum()
        < base.staff.sel(actor=hum).isel(month=slice(1, None)).sum()
    )


def test_no_seats_on_the_mission_s_flights_costs_access():
    """Humanitarians without priority on the mission's flights lose the relief they give
    (004 guidance ¶67): with operations sharing assets, priority lost means less access."""
    common = ("operations=joint", "mission.initial_strength=1.0", *MONTHS)
    seats = run("baseline", *common, "coefficients.flight_priority=0.0")
    none = run("baseline", *common, "coefficients.flight_priority=1.0")
    assert_greater(national(seats, "people_reached"), national(none, "people_reached"))
