"""Displacement and returns on the region graph; people are conserved.

``displaced`` counts people by the region they fled; ``hosted`` says where
they live: most in sites and camps of their own region, a share with hosts
in neighbouring regions, drawn to the safer ones (MODEL.md: adjacency carries
displacement flows). Violence displaces residents, and returnees not yet
re-established far more (secondary displacement). Returns need safety, and
go faster with UNHCR's support and access, cleared routes, information on
areas of return (guidance ¶52) and a joint force-humanitarian plan with a
mobile operating base (001 §3a, Katanga); many return on their own. The
political side can push returns to regions it declares post-conflict; UNHCR
resists where it is not safe (004 report ¶78-79, rec. (ii); guidance ¶58),
and returns pushed where security is not there end in displacement again.
"""

from __future__ import annotations

import numpy as np

from .force import cover
from .namespace import xp
from .params import Params
from .util import col


def hosting(displaced: np.ndarray, violence: np.ndarray, p: Params) -> np.ndarray:
    """Displaced people living in each region (B, R): those who stayed in their own
    region's sites, plus those who crossed to neighbours, weighted by the neighbours' safety.

    A share w_rs = a_rs s_s / z_r of those who cross from r go to s (a: adjacency, s:
    safety, z_r = sum_s a_rs s_s); summed without forming the (B, R, R) shares."""
    c = p.coef
    safety = 1.0 - violence
    reach = xp.einsum("brs,bs->br", p.neighbours, safety)  # z_r
    crossed = xp.where(reach > 0, col(c.flee_neighbours) * displaced, 0.0)
    sent = crossed / xp.where(reach > 0, reach, 1.0)
    return displaced - crossed + safety * xp.einsum("brs,br->bs", p.neighbours, sent)


def flows(
    *,
    displaced: np.ndarray,
    recent_returns: np.ndarray,
    violence: np.ndarray,
    return_support: np.ndarray,
    unhcr_access: np.ndarray,
    resisted: np.ndarray,
    demined: np.ndarray,
    protection: np.ndarray,
    pushed: np.ndarray,
    p: Params,
) -> tuple[np.ndarray, np.ndarray]:
    """(newly displaced, returned) this month, people per region of origin."""
    c = p.coef
    residents = xp.maximum(p.population - displaced, 0.0)
    exposed = residents + col(c.returnee_vulnerability) * xp.minimum(recent_returns, residents)
    new = col(c.displacement_rate) * violence**2 * exposed
    # the plan's weight where the mobile operating base is
    mob = col(c.joint_plan_spread) + col(c.joint_plan_focus) * col(p.mobile_base) * p.focal
    joint = 1.0 + col(c.joint_plan_returns * p.joint_plan) * cover(protection, p) * mob
    voluntary = (
        col(c.return_rate)
        * (1.0 - violence)
        * (col(c.returns_spontaneous) + (1.0 - col(c.returns_spontaneous)) * return_support)
        * (col(c.returns_without_access) + col(c.returns_access) * unhcr_access)
        * (col(c.returns_uncleared) + col(c.returns_cleared) * demined)
        * joint
        # information on areas of return shared with UNHCR (guidance ¶52)
        * col(1.0 + c.return_info * p.info_sharing)
    )
    forced = col(c.pushed_return_rate) * pushed * (1.0 - col(c.unhcr_resistance) * resisted)
    returned = displaced * xp.clip(voluntary + forced, 0.0, col(c.returns_max))
    return new, returned


def settle_returns(
    recent: np.ndarray, returned: np.ndarray, new: np.ndarray, p: Params
) -> np.ndarray:
    """Returnees not yet re-established: this month's returns join, some settle, and those
    displaced again leave (at most all of them)."""
    again = xp.minimum(recent, new)
    return xp.maximum(0.0, recent * (1.0 - col(p.coef.resettle_rate)) + returned - again)


def settled_returns(returned: np.ndarray, new: np.ndarray, p: Params) -> np.ndarray:
    """Where ``settle_returns`` comes to rest under constant monthly returns and new
    displacement: (returned - new) / resettle_rate where that leaves at least ``new``
    returnees to be displaced again, else returned / (1 + resettle_rate); infinite where
    none re-establish (rate 0) and more return than are displaced again: they pile up
    without rest. Month 0 settles with it: at 0.1 a month, iterating takes ~175 months."""
    rate = col(p.coef.resettle_rate)
    staying = (returned - new) / xp.where(rate > 0, rate, 1.0)
    rest = xp.where(staying >= new, staying, returned / (1.0 + rate))
    return xp.where((rate > 0) | (returned <= new), rest, xp.inf)
