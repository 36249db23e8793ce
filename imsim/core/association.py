"""A humanitarian actor's association with the mission, per region.

Structural association comes from the coordination network (imsim.network,
computed once per setting); monthly operational links add to it: escorts
used, mission assets and flights, military QIPs near the actor's work
without HC coordination, shared "UN" branding, information sharing and
cluster membership under an OCHA inside the mission (MODEL.md mechanism 1).
Armed groups lump humanitarians together, so part of the region's mean
operational link sticks to every actor (guidance ¶39; report ¶35 finds people
do tell humanitarians apart, so the share is an assumption). The links add
up to an exposure, and association saturates smoothly with it: more links
always mean more association, but never more than the mission's own.
"""

from __future__ import annotations

import numpy as np

from .actors import humanitarian_mean
from .decisions import Decisions
from .namespace import xp
from .params import Params
from .state import State
from .util import col, row


def escort_use(d: Decisions, presence: np.ndarray) -> np.ndarray:
    """Escorts each actor takes per region: offered, accepted and present (B, H, R)."""
    return d.force.escorts_offered[:, None, :] * d.conduct.accept_escorts * presence


def operational_links(p: Params, d: Decisions, presence: np.ndarray) -> dict[str, np.ndarray]:
    """Each operational link per actor and region, in [0, 1] (B, H, R)."""
    ngo = row(1.0 - p.un_agency - p.is_mission)
    civilian = 1.0 - row(p.is_mission)
    qip_unscreened = d.force.qips * col(1.0 - d.hc.qip_screening)
    return {
        "escort": escort_use(d, presence),
        "assets": d.conduct.use_assets * presence,
        "qip": qip_unscreened[:, None, :] * presence * civilian,
        "branding": p.branding[:, None, None]
        * (row(p.un_agency) + p.coef.branding_ngo[:, None, None] * ngo),
        "info": p.info_sharing[:, None, None] * row(p.is_unhcr),
        "cluster": d.conduct.cluster * p.ocha_inside[:, None, None] * ngo,
    }


def associate(s: State, p: Params, d: Decisions, presence: np.ndarray) -> np.ndarray:
    """Total association of each actor with the mission, in [0, 1) (B, H, R)."""
    c = p.coef
    links = operational_links(p, d, presence)
    weights = {
        "escort": c.assoc_escort,
        "assets": c.assoc_assets,
        "qip": c.assoc_qip,
        "branding": c.assoc_branding,
        "info": c.assoc_info,
        "cluster": c.assoc_cluster,
    }
    first, *rest = links
    own = weights[first][:, None, None] * links[first]  # (B, H, R): escorts are per region
    for k in rest:
        own += weights[k][:, None, None] * links[k]
    others = humanitarian_mean(own, p.is_mission)[:, None, :]
    exposure = row(p.stickiness) * (
        p.structural[..., None] + own + c.collective_image[:, None, None] * others
    )
    # Saturating, never clipped: each further link still adds, though less (assumption).
    total = 1.0 - xp.exp(-c.association_scale[:, None, None] * exposure)
    return xp.where(row(p.is_mission) > 0, 1.0, total)
