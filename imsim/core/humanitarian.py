"""Decision rules of the humanitarian actors: agencies, NGOs, OCHA and UNHCR.

``conduct`` is the one rule every humanitarian actor (and the mission's
civilian staff) follows; OCHA and UNHCR add their specialist rules.
"""

from __future__ import annotations

import numpy as np

from .actors import OCHA, UNHCR
from .aid_workers import victim_rate
from .decisions import Conduct, OchaDecisions, UnhcrDecisions
from .mission import civilian_presence
from .namespace import xp
from .options import SecurityManagement
from .params import Params
from .state import State
from .util import col, row, sigmoid, step_up

# The coefficients of ``conduct``, each (B, 1, 1) there.
CONDUCT = (
    "escorts_ngo",
    "escorts_un_humanitarian_led",
    "assets_ngo",
    "cluster_principled_reluctance",
    "cluster_ocha_neutrality",
    "cluster_width",
    "withdraw_width",
)


def conduct(s: State, p: Params, ocha_neutrality: np.ndarray) -> Conduct:
    """Escorts, assets, clusters and presence for the actors in ``s`` (B, H, R).

    Principled NGOs refuse escorts and mission assets; multi-mandate NGOs and
    UN agencies accept them (the trade-off: report ¶63; the typology is assumed).
    NGOs join clusters less when OCHA is seen as part of the mission (assumed:
    guidance ¶39 calls this effect unexamined), and withdraw from regions where
    the expected attacks on their staff exceed their tolerance (assumed; AWSR
    2011 finds presence shrinks as insecurity grows); UN agencies stay and are
    bound by the UN security system instead (guidance ¶46-48).
    """
    ngo = row(1.0 - p.un_agency - p.is_mission)
    principled = row(p.principled)
    un = row(p.un_agency)
    mission = row(p.is_mission)
    c = {name: getattr(p.coef, name)[:, None, None] for name in CONDUCT}
    mission_led = p.security_management[:, None, None] == SecurityManagement.MISSION
    un_accept = xp.where(mission_led, 1.0, c["escorts_un_humanitarian_led"])
    accept = (1.0 - principled) * (ngo * c["escorts_ngo"] + un * un_accept)
    assets = p.shared_assets[:, None, None] * (1.0 - principled) * (ngo * c["assets_ngo"] + un)
    ocha_trusted = step_up(
        ocha_neutrality[:, None, :], c["cluster_ocha_neutrality"], c["cluster_width"]
    )
    in_cluster = un + ngo * (1.0 - c["cluster_principled_reluctance"] * principled) * ocha_trusted
    risk = victim_rate(
        violence=s.violence, neutrality=s.neutrality, info_sharing=p.info_sharing, p=p
    )
    stay = sigmoid((row(p.tolerance) - risk) / c["withdraw_width"])
    office = civilian_presence(s.strength, p)[:, None, None]
    presence = ngo * stay + un + mission * office
    shape = s.neutrality.shape  # each as (B, H, R), a view where it does not vary by region
    return Conduct(
        accept_escorts=xp.broadcast_to(accept, shape),
        use_assets=xp.broadcast_to(assets, shape),
        cluster=xp.broadcast_to(in_cluster, shape),
        presence_target=xp.broadcast_to(presence, shape),
    )


def negotiate_access(
    s: State, p: Params, ocha_neutrality: np.ndarray, hc_attention: np.ndarray
) -> np.ndarray:
    """OCHA's access negotiation per region: as good as its neutrality and the
    HC's attention, and freer with parallel contacts to non-state actors when
    OCHA sits outside the mission (001 §3a; guidance ¶40)."""
    outside = 1.0 - p.coef.negotiation_inside_loss * p.ocha_inside
    return ocha_neutrality * col(hc_attention * outside)


def safe_to_return(s: State, p: Params) -> np.ndarray:
    """Where UNHCR judges it safe to return, 0..1 per region (report ¶78-79)."""
    c = p.coef
    return step_up(-s.violence, -col(c.safe_return_violence), col(c.safe_return_width))


def request_camp_security(s: State, p: Params) -> np.ndarray:
    """UNHCR asks for camp security where a region hosts far more displaced people than
    the country does on average, amid violence (report ¶64-69): a relative threshold,
    so it picks the regions that host the most however the country is cut."""
    c = p.coef
    national = s.hosted.sum(axis=-1, keepdims=True) / p.population.sum(axis=-1, keepdims=True)
    relative = (s.hosted / p.population) / xp.maximum(national, xp.finfo(float).tiny)
    crowded = step_up(relative, col(c.camp_relative), col(c.camp_relative_width))
    return crowded * step_up(s.violence, col(c.camp_violence), col(c.camp_violence_width))


def decide_ocha(s: State, p: Params) -> OchaDecisions:
    """OCHA's specialist decision (its conduct is ``conduct``)."""
    return OchaDecisions(negotiation=negotiate_access(s, p, s.neutrality[:, OCHA], s.hc_attention))


def decide_unhcr(s: State, p: Params) -> UnhcrDecisions:
    """UNHCR's specialist decisions (its conduct is ``conduct``)."""
    safe, present = safe_to_return(s, p), s.presence[:, UNHCR]
    return UnhcrDecisions(
        return_support=safe * present,  # voluntary returns only where it is safe
        resist_returns=(1.0 - safe) * present,  # and resisting premature ones
        camp_request=request_camp_security(s, p),
    )
