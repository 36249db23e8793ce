"""What the actors decide in one month, before the world moves.

Every decision reads only the state at the start of the month, so agents
act simultaneously and their order never changes the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import axes


@dataclass
class Decisions:
    # SRSG
    security_level: np.ndarray = axes("BR")  # 1..5, UN security phase as Designated Official
    robust: np.ndarray = axes("BR")  # robust operations against spoilers
    hold_elections: np.ndarray = axes("B")
    target_strength: np.ndarray = axes("B")
    push_returns: np.ndarray = axes("B")
    # DSRSG/RC/HC
    hc_attention: np.ndarray = axes("B")
    rc_attention: np.ndarray = axes("B")
    qip_screening: np.ndarray = axes("B")  # share of QIP association the HC's review removes
    # Force
    troops: np.ndarray = axes("BR")
    protection: np.ndarray = axes("BR")
    escorts_offered: np.ndarray = axes("BR")
    qips: np.ndarray = axes("BR")
    demining: np.ndarray = axes("BR")
    # OCHA
    negotiation: np.ndarray = axes("BR")
    # UNHCR
    return_support: np.ndarray = axes("BR")
    camp_request: np.ndarray = axes("BR")
    # humanitarian actors (agencies, NGOs, mission civilians), per actor and region
    accept_escorts: np.ndarray = axes("BHR")
    use_assets: np.ndarray = axes("BHR")
    cluster: np.ndarray = axes("BHR")
    presence_target: np.ndarray = axes("BHR")
    # local authorities
    abuse: np.ndarray = axes("BR")
    # armed groups
    partisanship: np.ndarray = axes("BR")


def empty_decisions(batch: int, actors: int, regions: int) -> Decisions:
    """A zeroed Decisions buffer for agents to fill slice by slice."""
    shapes = {"B": (batch,), "BR": (batch, regions), "BHR": (batch, actors, regions)}
    from dataclasses import fields

    return Decisions(**{f.name: np.zeros(shapes[f.metadata["axes"]]) for f in fields(Decisions)})
