"""The coordination network and each actor's structural association with the mission."""

from __future__ import annotations

import itertools

import pytest

from imsim.compile.network import coordination_network, structural_association
from imsim.core.actors import actor_names
from imsim.core.options import HcLocation

ACTORS = actor_names(2, 2)
OCHA, UNHCR, NGOS = 0, 1, slice(2, 6)
# hc_location, information_sharing, shared_assets, branding, mission_security, joint_plan
DEFAULT = ("one_foot_in", 0.5, 0.3, 0.3, True, False)


def association(**changes) -> tuple[float, ...]:
    names = ("hc", "info", "assets", "branding", "mission_security", "joint_plan")
    args = dict(zip(names, DEFAULT, strict=True)) | changes
    return structural_association(ACTORS, *(args[n] for n in names))


def weights(g) -> dict[frozenset, float]:
    return {frozenset((u, v)): d["weight"] for u, v, d in g.edges(data=True)}


@pytest.mark.parametrize(
    "hc, level, security, joint",
    list(itertools.product(HcLocation.names(), [0.0, 1.0], [0, 1], [0, 1])),
)
def test_mission_scores_one_and_every_actor_lies_in_the_unit_interval(hc, level, security, joint):
    values = structural_association(ACTORS, hc, level, level, level, bool(security), bool(joint))
    assert len(values) == len(ACTORS)
    assert values[-1] == 1.0
    assert all(0.0 <= v <= 1.0 for v in values)


def test_ocha_is_more_associated_two_feet_in_than_two_feet_out():
    assert association(hc="two_feet_in")[OCHA] > association(hc="two_feet_out")[OCHA]
    assert association(hc="one_foot_in")[OCHA] > association(hc="two_feet_out")[OCHA]


def test_unhcr_association_rises_with_information_sharing():
    values = [association(info=x)[UNHCR] for x in (0.0, 0.5, 1.0)]
    assert values[0] < values[1] < values[2]


@pytest.mark.parametrize("key", ["assets", "branding"])
def test_ngo_association_rises_with_shared_assets_and_branding(key):
    values = [association(**{key: x})[NGOS] for x in (0.0, 0.3, 0.6)]
    for low, high in itertools.pairwise(values):
        assert all(a < b for a, b in zip(low, high, strict=True))
    assert len(set(values[1])) == 1  # NGOs are linked alike


def test_mission_led_security_raises_the_agencies_association():
    led, apart = association(mission_security=True), association(mission_security=False)
    assert led[OCHA] > apart[OCHA] and led[UNHCR] > apart[UNHCR]


def test_a_joint_plan_raises_ocha_and_unhcr_association():
    joint = association(hc="two_feet_out", joint_plan=True)
    alone = association(hc="two_feet_out", joint_plan=False)
    assert joint[OCHA] > alone[OCHA] and joint[UNHCR] > alone[UNHCR]


def test_network_has_the_mission_components_and_every_actor():
    g = coordination_network(ACTORS, *DEFAULT)
    assert set(g.nodes) == {"srsg", "political", "force", "dsrsg", *ACTORS}
    assert g.number_of_nodes() == 11


def test_network_apart_holds_only_reporting_and_cluster_links():
    w = weights(coordination_network(ACTORS, "two_feet_out", 0.0, 0.0, 0.0, False, False))
    assert len(w) == 19
    assert w[frozenset(("dsrsg", "srsg"))] == 0.1
    assert w[frozenset(("ocha", "srsg"))] == 0.1 and w[frozenset(("unhcr", "srsg"))] == 0.1
    assert w[frozenset(("ngo_p1", "dsrsg"))] == 0.2 and w[frozenset(("ngo_p1", "ocha"))] == 0.4
    assert frozenset(("ocha", "mission")) not in w
    assert frozenset(("unhcr", "political")) not in w
    assert not any("force" in e and ("ngo_m1" in e or "unhcr" in e) for e in w)


def test_network_integrated_adds_weighted_links():
    w = weights(coordination_network(ACTORS, "two_feet_in", 0.5, 0.3, 0.4, True, True))
    assert len(w) == 32
    assert w[frozenset(("dsrsg", "srsg"))] == 1.0
    assert w[frozenset(("ocha", "mission"))] == 1.0
    assert w[frozenset(("ocha", "srsg"))] == pytest.approx(0.5 + 0.4)
    assert w[frozenset(("ocha", "force"))] == pytest.approx(0.3)
    assert w[frozenset(("unhcr", "force"))] == pytest.approx(0.3 * 0.5 + 0.3)
    assert w[frozenset(("unhcr", "mission"))] == pytest.approx(0.4 * 0.5)
    assert w[frozenset(("ngo_m2", "force"))] == pytest.approx(0.3 * 0.2)
    assert w[frozenset(("ngo_m2", "mission"))] == pytest.approx(0.4 * 0.15)
    assert w[frozenset(("unhcr", "political"))] == pytest.approx(0.6 * 0.5)
