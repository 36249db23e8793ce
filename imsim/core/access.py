"""Access: the share of people in need an actor reaches in a region.

Two things stand between an actor and the people it serves (MODEL.md
mechanism 4; 004 report ¶63). Bullets, mines and roads block everyone,
neutral or not: insecurity grows with violence, eased by troops and escorts,
and logistics by uncleared routes, eased by de-mining and mission flights
(guidance ¶45, ¶66-67). Armed groups' consent is withheld from actors they
see as partisan: targeted denial grows with violence times lost neutrality,
eased by OCHA's negotiation. A UN security phase restricts UN agencies on top.
The host state takes its share of humanitarians' access with bureaucratic impediments
(local_actors.impediments), and what humanitarians can deliver follows their funding,
which a 'post-conflict' label cuts (004 report ¶24-25, ¶36).
"""

from __future__ import annotations

import numpy as np

from .namespace import xp
from .params import Params
from .util import col3, row


def funding(p: Params) -> np.ndarray:
    """Humanitarian funding relative to a situation called what it is (B,): donors fund
    humanitarian work less where the UN and donors call it 'post-conflict' (004 report
    ¶25, ¶36; Sierra Leone's appeal, 80% funded in 2001, 65% in 2002)."""
    return 1.0 - p.coef.label_funding_cut * p.post_conflict_label


def flight_share(strength: np.ndarray, p: Params) -> np.ndarray:
    """Share of the mission's flights humanitarians get (B,): they have no priority, so
    the larger the mission's own needs, the less is left (004 guidance ¶67: DRC, South
    Sudan)."""
    return 1.0 - p.coef.flight_priority * xp.minimum(1.0, strength)


def reach(
    *,
    neutrality: np.ndarray,
    violence: np.ndarray,
    presence: np.ndarray,
    restricted: np.ndarray,
    escort_use: np.ndarray,
    asset_use: np.ndarray,
    demined: np.ndarray,
    negotiation: np.ndarray,
    protection: np.ndarray,
    impediments: np.ndarray,
    flights: np.ndarray,
    p: Params,
) -> np.ndarray:
    """The share of people in need each actor reaches in each region (B, H, R)."""
    c = p.coef
    v = violence[:, None, :]
    shielded = (1.0 - col3(c.access_protection) * protection[:, None, :]) * (
        1.0 - col3(c.access_escort) * escort_use
    )
    insecurity = col3(c.access_insecurity) * v * shielded
    logistics = (
        col3(c.access_logistics)
        * (1.0 - demined[:, None, :])
        * (1.0 - col3(c.access_flights * flights) * asset_use)
    )
    physical = xp.clip(1.0 - insecurity - logistics, 0.0, 1.0)
    denial = (
        col3(c.access_denial)
        * v
        * (1.0 - neutrality)
        * (1.0 - col3(c.access_negotiation) * negotiation[:, None, :])
    )
    consent = xp.clip(1.0 - denial, 0.0, 1.0)
    humanitarian = row(1.0 - p.is_mission)
    host = 1.0 - impediments[:, None, :] * humanitarian
    funded = 1.0 - col3(1.0 - funding(p)) * humanitarian
    return presence * (1.0 - restricted) * physical * consent * host * funded
