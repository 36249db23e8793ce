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

from functools import lru_cache

import networkx as nx
import numpy as np


def coordination_network(
    actors: tuple[str, ...],
    hc_location: str,
    information_sharing: float,
    shared_assets: float,
    branding: float,
    mission_security: bool,
    joint_plan: bool,
) -> nx.Graph:
    g = nx.Graph()
    hc_inside = hc_location != "two_feet_out"
    ocha_inside = hc_location == "two_feet_in"
    core = [
        ("srsg", "political", 1.0),
        ("srsg", "force", 1.0),
        ("srsg", "mission", 1.0),
        ("political", "mission", 0.5),
        ("force", "mission", 0.5),
        ("dsrsg", "srsg", 1.0 if hc_inside else 0.1),
        ("dsrsg", "ocha", 1.0),
    ]
    g.add_weighted_edges_from(core)
    if ocha_inside:  # OCHA in the mission's premises and reporting line (guidance ¶40)
        g.add_weighted_edges_from([("ocha", "mission", 1.0), ("ocha", "srsg", 0.5)])
    for name in actors:
        if name in ("ocha", "mission"):
            continue
        un = name == "unhcr"
        g.add_edge(name, "dsrsg", weight=0.5 if un else 0.2)  # UNCT / HCT under the RC/HC
        g.add_edge(name, "ocha", weight=0.5 if un else 0.4)  # clusters
        if shared_assets > 0:
            g.add_edge(name, "force", weight=shared_assets * (0.5 if un else 0.2))
        if branding > 0:
            g.add_edge(name, "mission", weight=branding * (0.5 if un else 0.15))
    for name in ("ocha", "unhcr"):
        g.add_edge(
            name,
            "srsg",
            weight=g.get_edge_data(name, "srsg", {"weight": 0.0})["weight"]
            + (0.4 if mission_security else 0.1),
        )  # the SRSG as Designated Official
        if joint_plan:
            g.add_edge(
                name,
                "force",
                weight=g.get_edge_data(name, "force", {"weight": 0.0})["weight"] + 0.3,
            )
    if information_sharing > 0:  # two-way sharing with the political side (report ¶70-76)
        g.add_edge("unhcr", "political", weight=0.6 * information_sharing)
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
) -> tuple[float, ...]:
    """Association in [0, 1] of each actor with the political and military components."""
    g = coordination_network(
        actors,
        hc_location,
        information_sharing,
        shared_assets,
        branding,
        mission_security,
        joint_plan,
    )
    rank = nx.pagerank(
        g,
        alpha=0.85,
        personalization={"political": 0.5, "force": 0.5},
        weight="weight",
        tol=1e-12,
        max_iter=1000,
    )
    return tuple(float(np.clip(rank[a] / rank["mission"], 0.0, 1.0) ** 2) for a in actors)
