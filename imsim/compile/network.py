"""The coordination network and each humanitarian actor's structural association.

Nodes are the mission's components (SRSG, political, Force, civilian staff)
and the humanitarian actors; edges are reporting lines, co-location, shared
branding, cluster links, information sharing, shared assets and security
management, weighted by the integration settings (MODEL.md mechanism 1;
004 guidance ¶40, ¶52-55). Structural association is a random walk with
restart from the political and military nodes (personalised PageRank),
relative to the mission's own civilian staff and squared, so that the
mission scores one and loosely tied actors score near zero (assumption).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import networkx as nx
import numpy as np

from ..core.coefficients import Coefficients
from ..core.options import HcLocation

# The edge weights and PageRank damping, calibration coefficients (``coefficients.network_*``).
NETWORK_FIELDS = tuple(
    name for name in Coefficients.__dataclass_fields__ if name.startswith("network_")
)


def network_weights(cal: Mapping | None = None) -> tuple[float, ...]:
    """The network's coefficients from a config's calibration (defaults if none), hashable."""
    if cal is None:
        defaults = Coefficients()
        return tuple(getattr(defaults, name) for name in NETWORK_FIELDS)
    return tuple(float(cal[name]) for name in NETWORK_FIELDS)


def coordination_network(
    actors: tuple[str, ...],
    hc_location: str,
    information_sharing: float,
    shared_assets: float,
    branding: float,
    mission_security: bool,
    joint_plan: bool,
    weights: tuple[float, ...] | None = None,
) -> nx.Graph:
    w = dict(zip(NETWORK_FIELDS, weights or network_weights(), strict=True))
    g = nx.Graph()
    where = HcLocation.parse(hc_location)
    hc_inside, ocha_inside = where.hc_inside, where.ocha_inside
    core = [
        ("srsg", "political", 1.0),
        ("srsg", "force", 1.0),
        ("srsg", "mission", 1.0),
        ("political", "mission", w["network_staff_line"]),
        ("force", "mission", w["network_staff_line"]),
        ("dsrsg", "srsg", 1.0 if hc_inside else w["network_hc_outside"]),
        ("dsrsg", "ocha", 1.0),
    ]
    g.add_weighted_edges_from(core)
    if ocha_inside:  # OCHA in the mission's premises and reporting line (guidance ¶40)
        g.add_weighted_edges_from(
            [("ocha", "mission", 1.0), ("ocha", "srsg", w["network_ocha_srsg"])]
        )
    for name in actors:
        if name in ("ocha", "mission"):
            continue
        un = name == "unhcr"
        unct = w["network_unct_unhcr"] if un else w["network_unct_ngo"]
        cluster = w["network_cluster_unhcr"] if un else w["network_cluster_ngo"]
        assets = w["network_assets_unhcr"] if un else w["network_assets_ngo"]
        brand = w["network_branding_unhcr"] if un else w["network_branding_ngo"]
        g.add_edge(name, "dsrsg", weight=unct)  # UNCT / HCT under the RC/HC
        g.add_edge(name, "ocha", weight=cluster)  # clusters
        if shared_assets > 0:
            g.add_edge(name, "force", weight=shared_assets * assets)
        if branding > 0:
            g.add_edge(name, "mission", weight=branding * brand)
    for name in ("ocha", "unhcr"):
        g.add_edge(
            name,
            "srsg",
            weight=g.get_edge_data(name, "srsg", {"weight": 0.0})["weight"]
            + (w["network_do_mission"] if mission_security else w["network_do_humanitarian"]),
        )  # the SRSG as Designated Official
        if joint_plan:
            g.add_edge(
                name,
                "force",
                weight=g.get_edge_data(name, "force", {"weight": 0.0})["weight"]
                + w["network_joint_plan"],
            )
    if information_sharing > 0:  # two-way sharing with the political side (report ¶70-76)
        g.add_edge("unhcr", "political", weight=w["network_info"] * information_sharing)
    return g


@lru_cache(maxsize=4096)
def structural_association(
    actors: tuple[str, ...],
    hc_location: str,
    information_sharing: float,
    shared_assets: float,
    branding: float,
    mission_security: bool,
    joint_plan: bool,
    weights: tuple[float, ...] | None = None,
) -> tuple[float, ...]:
    """Association in [0, 1] of each actor with the political and military components."""
    weights = weights or network_weights()
    g = coordination_network(
        actors,
        hc_location,
        information_sharing,
        shared_assets,
        branding,
        mission_security,
        joint_plan,
        weights,
    )
    rank = nx.pagerank(
        g,
        alpha=dict(zip(NETWORK_FIELDS, weights, strict=True))["network_damping"],
        personalization={"political": 0.5, "force": 0.5},  # the two sides equally
        weight="weight",
        tol=1e-12,
        max_iter=1000,
    )
    return tuple(float(np.clip(rank[a] / rank["mission"], 0.0, 1.0) ** 2) for a in actors)
