"""Security management: what a UN security phase costs each actor's access.

A raised security phase restricts UN country-team staff but not mission
staff on mission status, nor NGOs outside the UN system (guidance ¶46-48);
humanitarian-led, area-based management keeps part of the access (report,
recommendations (iii)-(iv) after ¶63).
"""

from __future__ import annotations

import numpy as np

from .options import HIGHEST_SECURITY_PHASE, LOWEST_SECURITY_PHASE, SecurityManagement
from .params import Params
from .util import row


def restriction(level: np.ndarray, p: Params) -> np.ndarray:
    """Share of access each actor loses to the security phase (B, H, R)."""
    c = p.coef
    humanitarian_led = p.security_management == SecurityManagement.HUMANITARIAN
    relief = 1.0 - c.area_based_relief * humanitarian_led
    span = HIGHEST_SECURITY_PHASE - LOWEST_SECURITY_PHASE
    per_region = ((level - LOWEST_SECURITY_PHASE) / span) * (c.security_restriction * relief)[
        :, None
    ]
    return per_region[:, None, :] * row(p.un_agency)
