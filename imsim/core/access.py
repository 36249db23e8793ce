"""Access: the share of people in need an actor reaches in a region.

Rises with perceived neutrality and with enabling support (escorts, flights,
de-mining, troops, OCHA's negotiation), falls with violence and with the
security phase: "a need to balance the immediate objective of accessing
beneficiaries (for which military escorts may be desirable) against the mid
to long-term objective of maintaining humanitarian space" (004 report ¶63).
"""

from __future__ import annotations

import numpy as np

from .params import Params


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
    c = p.cal
    k = {
        name: getattr(c, name)[:, None, None]
        for name in (
            "access_base",
            "access_neutrality",
            "access_violence",
            "access_escort",
            "access_flights",
            "access_demining",
            "access_negotiation",
            "access_protection",
        )
    }
    v = violence[:, None, :]
    raw = (
        k["access_base"]
        + k["access_neutrality"] * neutrality
        - k["access_violence"] * v * (1.0 - neutrality)
        + k["access_escort"] * escort_use * v
        + k["access_flights"] * asset_use
        + k["access_demining"] * demined[:, None, :]
        + k["access_negotiation"] * negotiation[:, None, :]
        + k["access_protection"] * protection[:, None, :]
    )
    return presence * (1.0 - restricted) * np.clip(raw, 0.0, 1.0)
