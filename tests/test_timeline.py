"""The timeline: configs and their events compiled into month-indexed parameter arrays."""

from __future__ import annotations

import numpy as np
import pytest

import imsim
from imsim.compile.network import structural_association
from imsim.compile.timeline import compile_timeline
from imsim.compile.world import build_world
from imsim.core.coefficients import Coefficients
from imsim.core.options import Escorts, HcLocation, Phase, Posture, Qips, SecurityManagement, Stance

BASE = ["run.months=12", "run.replicates=2", "world.regions=6"]
CAL = Coefficients()


def cfg(*overrides: str, scenario: str = "baseline"):
    return imsim.compose(scenario, [*BASE, *overrides])


def compiled(*overrides: str, scenario: str = "baseline"):
    return compile_timeline([cfg(*overrides, scenario=scenario)])


def test_every_field_gains_a_leading_month_axis_over_the_batch():
    tl = compiled()
    p = tl.params
    assert (tl.months, tl.points, tl.replicates) == (12, 1, 2)
    assert tl.actors == ("ocha", "unhcr", "ngo_p1", "ngo_p2", "ngo_m1", "ngo_m2", "mission")
    assert p.deployed.shape == (13, 2) and p.coef.erosion_rate.shape == (13, 2)
    assert p.structural.shape == (13, 2, 7) and p.principled.shape == (13, 7)
    assert p.population.shape == (13, 2, 6) and p.neighbours.shape == (13, 2, 6, 6)
    np.testing.assert_array_equal(p.population[5, 1], tl.worlds[0].population)


def test_options_are_encoded_with_their_enums():
    p = compiled(
        "force.qips=joint_pool",
        "security.posture=enabling",
        "security.management=humanitarian",
        "mission.stance=backs_government",
        "force.escorts=routine",
        "force.joint_plan=true",
    ).params
    assert (p.qips == Qips.JOINT_POOL).all() and (p.posture == Posture.ENABLING).all()
    assert (p.security_management == SecurityManagement.HUMANITARIAN).all()
    assert (p.stance == Stance.BACKS_GOVERNMENT).all() and (p.escorts == Escorts.ROUTINE).all()
    assert (p.joint_plan == 1.0).all() and (p.deployed == 1.0).all() and (p.mobile_base == 0).all()
    assert (p.troops == 10_000).all()


@pytest.mark.parametrize(
    "location, hc_inside, ocha_inside",
    [
        (HcLocation.TWO_FEET_IN, 1, 1),
        (HcLocation.ONE_FOOT_IN, 1, 0),
        (HcLocation.TWO_FEET_OUT, 0, 0),
    ],
)
def test_hc_location_sets_where_the_hc_and_ocha_sit(location, hc_inside, ocha_inside):
    p = compiled(f"integration={location.label}").params
    assert (p.hc_inside == hc_inside).all() and (p.ocha_inside == ocha_inside).all()


def test_set_events_change_a_setting_from_their_month_on_in_month_order():
    p = compiled(
        "events=[{month:6,set:{force.troops:500}},"
        "{month:2,set:{force.troops:2000,mission.stance:backs_government}}]"
    ).params
    np.testing.assert_array_equal(p.troops[:, 0], [10_000] * 2 + [2000] * 4 + [500] * 7)
    np.testing.assert_array_equal(p.stance[:, 1], [0, 0] + [Stance.BACKS_GOVERNMENT] * 11)


def test_a_set_naming_a_whole_section_changes_its_keys():
    p = compiled("events=[{month:3,set:{force:{escorts:never}}}]").params
    np.testing.assert_array_equal(p.escorts[:, 0], [Escorts.LAST_RESORT] * 3 + [Escorts.NEVER] * 10)


def test_a_set_naming_the_integration_group_applies_its_option():
    tl = compiled("events=[{month:5,set:{integration:two_feet_out}}]")
    p = tl.params
    np.testing.assert_array_equal(p.hc_inside[:, 0], [1] * 5 + [0] * 8)
    # what is shared is the setting less what the structure cannot sustain (sharing_apart)
    apart = Coefficients().sharing_apart
    shared_before, shared_after = 0.5 * (1 - apart / 2), 0.2 * (1 - apart)
    np.testing.assert_allclose(p.info_sharing[:, 0], [shared_before] * 5 + [shared_after] * 8)
    np.testing.assert_array_equal(p.shared_assets[:, 0], [0.3] * 5 + [0.0] * 8)
    np.testing.assert_array_equal(p.branding[:, 0], [0.3] * 5 + [0.0] * 8)
    after = structural_association(tl.actors, "two_feet_out", shared_after, 0.0, 0.0, True, False)
    before = structural_association(tl.actors, "one_foot_in", shared_before, 0.3, 0.3, True, False)
    np.testing.assert_allclose(p.structural[4, 1], before)
    np.testing.assert_allclose(p.structural[5, 1], after)


def test_distinctness_of_ocha_inside_and_of_agencies_under_a_shared_brand():
    p = compiled("integration=two_feet_in").params  # branding 0.7
    brand = 1 - CAL.branding_distinctness_loss * 0.7
    expected = [CAL.distinctness_ocha_inside * brand, CAL.distinctness_unhcr * brand, 1.0, 1.0]
    expected += [CAL.distinctness_multi_mandate] * 2 + [CAL.distinctness_mission]
    np.testing.assert_allclose(p.distinctness[0, 0], expected)


def test_ceasefire_collapse_caps_phase_for_its_span_and_adds_violence_at_its_month():
    p = compiled("events=[{month:4,shock:ceasefire_collapse,regions:[region_2],months:3}]").params
    cap = np.full((13, 2, 6), float(Phase.CONSOLIDATION))
    cap[4:7, :, 1] = Phase.CONFLICT
    np.testing.assert_array_equal(p.phase_cap, cap)
    violence = np.zeros((13, 2, 6))
    violence[4, :, 1] = CAL.shock_collapse_violence
    np.testing.assert_array_equal(p.violence_shock, violence)
    settlement = np.zeros((13, 2, 6))
    settlement[4, :, 1] = -CAL.shock_settlement
    np.testing.assert_array_equal(p.settlement_shock, settlement)


def test_peace_agreement_floors_phase_at_transition_for_one_month_by_default():
    p = compiled("events=[{month:6,shock:peace_agreement}]").params
    floor = np.zeros((13, 2, 6))
    floor[6] = Phase.TRANSITION
    np.testing.assert_array_equal(p.phase_floor, floor)
    np.testing.assert_array_equal(p.violence_shock, -floor * CAL.shock_agreement_calm)
    np.testing.assert_array_equal(p.settlement_shock, floor * CAL.shock_settlement)
    assert (p.phase_cap == Phase.CONSOLIDATION).all()


def test_elections_flag_only_their_regions_at_their_month():
    p = compiled("events=[{month:7,shock:elections,regions:[region_1,region_3]}]").params
    assert p.elections.sum() == 2 * 2
    np.testing.assert_array_equal(p.elections[7, 0], [1, 0, 1, 0, 0, 0])


def test_security_phase_raise_lasts_the_rest_of_the_run_unless_given_months():
    # overlapping raises keep the higher floor, whatever their order
    p = compiled(
        "events=[{month:5,shock:security_phase_raise,level:4,months:2,regions:[region_1]},"
        "{month:3,shock:security_phase_raise,level:2}]"
    ).params
    np.testing.assert_array_equal(p.security_floor[:, 1, 1], [0] * 3 + [2] * 10)
    np.testing.assert_array_equal(p.security_floor[:, 1, 0], [0] * 3 + [2, 2, 4, 4] + [2] * 6)


def test_points_are_stacked_with_replicates_repeated_and_constant_fields_broadcast():
    a = cfg("force.escorts=never", "coefficients.erosion_rate=0.1")
    b = cfg("force.escorts=routine", "coefficients.erosion_rate=0.2", "world.graph_seed=7")
    tl = compile_timeline([a, b])
    p = tl.params
    assert tl.points == 2 and p.deployed.shape == (13, 4)
    np.testing.assert_array_equal(p.escorts[3], [Escorts.NEVER] * 2 + [Escorts.ROUTINE] * 2)
    np.testing.assert_array_equal(p.coef.erosion_rate[0], [0.1, 0.1, 0.2, 0.2])
    np.testing.assert_array_equal(p.population[0, 3], build_world(b).population)
    np.testing.assert_array_equal(p.population[0, 0], build_world(a).population)
    assert p.deployed.strides[1] == 0 and p.coef.recovery_rate.strides[1] == 0
    assert p.escorts.strides[1] != 0 and p.structural.strides[1] == 0


def test_at_drops_the_month_axis_and_batch_keeps_the_chosen_elements():
    a, b = cfg("force.escorts=never"), cfg("force.escorts=routine")
    tl = compile_timeline([a, b])
    month = tl.at(4)
    assert month.escorts.shape == (4,) and month.coef.erosion_rate.shape == (4,)
    assert month.principled.shape == (7,) and month.neighbours.shape == (4, 6, 6)
    one = tl.batch(3)
    assert one.params.escorts.shape == (13, 1) and (one.params.escorts == Escorts.ROUTINE).all()
    assert one.params.principled.shape == (13, 7) and one.params.coef.erosion_rate.shape == (13, 1)
    assert one.months == 12 and (one.points, one.replicates) == (2, 2)
    first = tl.batch(slice(0, 2)).params
    assert first.escorts.shape == (13, 2) and (first.escorts == Escorts.NEVER).all()


def test_a_set_naming_the_operations_group_changes_operations_only():
    p = compiled("events=[{month:4,set:{operations:joint}}]").params
    np.testing.assert_array_equal(p.hc_inside[:, 0], [1] * 13)
    np.testing.assert_array_equal(p.shared_assets[:, 0], [0.3] * 4 + [0.6] * 9)
    np.testing.assert_array_equal(p.branding[:, 0], [0.3] * 4 + [0.7] * 9)


def test_structural_association_is_each_months_own_though_computed_at_event_months():
    """The network is computed at month 0 and at each month an event sets something, and
    held between: every month equals the network of that month's own settings."""
    from imsim.compile.network import network_weights
    from imsim.compile.timeline import _values, changes
    from imsim.config.plain import plain

    c = cfg(
        "events=[{month:3,set:{integration:two_feet_out}},{month:7,set:{integration:"
        "two_feet_in}},{month:9,set:{integration.information_sharing:0.2}},"
        "{month:11,set:{operations:joint}}]"
    )
    tl = compile_timeline([c])
    p, tree = tl.params, plain(c)
    hc = _values(tree, "integration.hc_location", tl.months, changes(tree))
    weights = network_weights(tree.coefficients)
    for m in range(tl.months + 1):
        own = structural_association(
            tl.actors,
            hc[m],
            p.info_sharing[m, 0],
            p.shared_assets[m, 0],
            p.branding[m, 0],
            p.security_management[m, 0] == SecurityManagement.MISSION,
            bool(p.joint_plan[m, 0]),
            weights,
        )
        np.testing.assert_array_equal(p.structural[m, 0], own)
    assert len({tuple(row) for row in p.structural[:, 0]}) >= 3  # the events changed it
