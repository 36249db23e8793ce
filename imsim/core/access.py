"""Access: the share of people in need an actor reaches in a region.

Two things stand between an actor and the people it serves (MODEL.md
mechanism 4; 004 report ¶63). Bullets, mines and roads block everyone,
neutral or not: insecurity grows with violence, eased by troops and escorts,
and logistics by uncleared routes, eased by de-mining and mission flights
(guidance ¶45, ¶66-67). Armed groups' consent is withheld from actors they
see as partisan: targeted denial grows with violence times lost neutrality,
eased by OCHA's negotiation. A UN security phase restricts UN agencies on top.
"""

from __future__ import annotations

import numpy as np

from .params import Params
from .util import col3


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
    p: Params,
) -> np.ndarray:
    c = p.coef
    v = violence[:, None, :]
    shielded = (1.0 - col3(c.access_protection) * protection[:, None, :]) * (
        1.0 - col3(c.access_escort) * escort_use
    )
    insecurity = col3(c.access_insecurity) * v * shielded
    logistics = (
        col3(c.access_logistics)
        * (1.0 - demined[:, None, :])
        * (1.0 - col3(c.access_flights) * asset_use)
    )
    physical = np.clip(1.0 - insecurity - logistics, 0.0, 1.0)
    denial = (
        col3(c.access_denial)
        * v
        * (1.0 - neutrality)
        * (1.0 - col3(c.access_negotiation) * negotiation[:, None, :])
    )
    consent = np.clip(1.0 - denial, 0.0, 1.0)
    return presence * (1.0 - restricted) * physical * consent
