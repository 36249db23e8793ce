"""Security management and aid-worker incidents.

A raised security phase restricts UN country-team staff but not mission
staff on mission status, nor NGOs outside the UN system (guidance ¶46-48);
humanitarian-led, area-based management keeps part of the access (report,
recommendations (iii)-(iv) after ¶63). Incidents follow exposure, violence
and low neutrality (report ¶59; guidance ¶36).
"""

from __future__ import annotations

import numpy as np

from .options import HIGHEST_SECURITY_PHASE, LOWEST_SECURITY_PHASE, SecurityManagement
from .params import Params
from .streams import poisson
from .util import row


def restriction(level: np.ndarray, p: Params) -> np.ndarray:
    """Share of access each actor loses to the security phase (B, H, R)."""
    c = p.cal
    humanitarian_led = p.security_management == SecurityManagement.HUMANITARIAN
    relief = 1.0 - c.area_based_relief * humanitarian_led
    span = HIGHEST_SECURITY_PHASE - LOWEST_SECURITY_PHASE
    per_region = ((level - LOWEST_SECURITY_PHASE) / span) * (c.security_restriction * relief)[
        :, None
    ]
    return per_region[:, None, :] * row(p.un_agency)


def incident_rate(
    *,
    violence: np.ndarray,
    neutrality: np.ndarray,
    presence: np.ndarray,
    restricted: np.ndarray,
    protection: np.ndarray,
    p: Params,
) -> np.ndarray:
    """Expected aid-worker incidents per actor and region this month."""
    c = p.cal
    exposure = presence * (1.0 - c.restricted_exposure[:, None, None] * restricted)
    guarded = 1.0 - c.guarded_mission[:, None, None] * protection[:, None, :] * row(p.is_mission)
    return (
        c.incident_rate[:, None, None]
        * exposure
        * violence[:, None, :]
        * (1.0 - neutrality) ** 2
        * guarded
    )


def draw_incidents(rate: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
    return poisson(rate, uniforms)
