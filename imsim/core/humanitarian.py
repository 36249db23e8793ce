"""Decision rules of the humanitarian actors: agencies, NGOs, OCHA and UNHCR.

``conduct`` is the one rule every humanitarian actor (and the mission's
civilian staff) follows; OCHA and UNHCR add their specialist rules.
"""

from __future__ import annotations

import numpy as np

from .actors import OCHA, UNHCR
from .decisions import Conduct, OchaDecisions, UnhcrDecisions
from .mission import civilian_presence
from .options import SecurityManagement
from .params import Params
from .state import State
from .util import col, row, sigmoid, step_up


def conduct(s: State, p: Params, ocha_neutrality: np.ndarray) -> Conduct:
    """Escorts, assets, clusters and presence for the actors in ``s`` (B, H, R).

    Principled NGOs refuse escorts and mission assets; multi-mandate NGOs and
    UN agencies accept them (guidance ¶39; report ¶63). NGOs join clusters
    less when OCHA is seen as part of the mission (guidance ¶38-40), and
    withdraw from regions whose risk exceeds their tolerance; UN agencies stay
    and are bound by the UN security system instead.
    """
    ngo = row(1.0 - p.un_agency - p.is_mission)
    principled = row(p.principled)
    un = row(p.un_agency)
    mission = row(p.is_mission)
    mission_led = p.security_management[:, None, None] == SecurityManagement.MISSION
    accept = (1.0 - principled) * (ngo * 0.8 + un * np.where(mission_led, 1.0, 0.6))
    assets = p.shared_assets[:, None, None] * (1.0 - principled) * (ngo * 0.5 + un)
    in_cluster = (
        un + ngo * (1.0 - 0.3 * principled) * step_up(ocha_neutrality, 0.55, 0.08)[:, None, :]
    )
    risk = s.violence[:, None, :] * (1.0 - s.neutrality) + 0.5 * np.minimum(
        1.0, s.aid_incidents / 2.0
    )
    stay = sigmoid((row(p.tolerance) - risk) / 0.05)
    office = civilian_presence(s.strength)[:, None, None]
    presence = ngo * stay + un + mission * office
    ones = np.ones_like(s.neutrality)
    return Conduct(
        accept_escorts=accept * ones,
        use_assets=assets * ones,
        cluster=in_cluster * ones,
        presence_target=presence * ones,
    )


def negotiate_access(
    s: State, p: Params, ocha_neutrality: np.ndarray, hc_attention: np.ndarray
) -> np.ndarray:
    """OCHA's access negotiation per region: as good as its neutrality and the
    HC's attention, and freer with parallel contacts to non-state actors when
    OCHA sits outside the mission (001 §3a; guidance ¶40)."""
    outside = 1.0 - 0.5 * p.ocha_inside
    return ocha_neutrality * col(hc_attention * outside)


def support_returns(s: State, p: Params, unhcr_presence: np.ndarray) -> np.ndarray:
    """UNHCR supports voluntary returns only where it is safe, resisting
    premature ones (report ¶78-79)."""
    return step_up(-s.violence, -0.4, 0.06) * unhcr_presence


def request_camp_security(s: State, p: Params) -> np.ndarray:
    """UNHCR asks for camp security where many are displaced amid violence (report ¶64-69)."""
    return step_up(s.displaced / p.population, 0.03, 0.01) * step_up(s.violence, 0.25, 0.05)


def decide_ocha(s: State, p: Params) -> OchaDecisions:
    """OCHA's specialist decision (its conduct is ``conduct``)."""
    return OchaDecisions(negotiation=negotiate_access(s, p, s.neutrality[:, OCHA], s.hc_attention))


def decide_unhcr(s: State, p: Params) -> UnhcrDecisions:
    """UNHCR's specialist decisions (its conduct is ``conduct``)."""
    return UnhcrDecisions(
        return_support=support_returns(s, p, s.presence[:, UNHCR]),
        camp_request=request_camp_security(s, p),
    )
