"""The state of a batch of missions at one month."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import axes


@dataclass
class State:
    # regions, (B, R)
    phase: np.ndarray = axes("BR")
    violence: np.ndarray = axes("BR")
    control: np.ndarray = axes("BR")
    settlement: np.ndarray = axes("BR")
    capacity: np.ndarray = axes("BR")
    displaced: np.ndarray = axes("BR")  # by the region they fled
    hosted: np.ndarray = axes("BR")  # displaced people living in the region
    recent_returns: np.ndarray = axes("BR")  # returnees not yet re-established
    newly_displaced: np.ndarray = axes("BR")  # cumulative since month 0
    returned: np.ndarray = axes("BR")  # cumulative since month 0
    demined: np.ndarray = axes("BR")
    civilian_harm: np.ndarray = axes("BR")
    troops: np.ndarray = axes("BR")
    camp_request: np.ndarray = axes("BR")
    partisanship: np.ndarray = axes("BR")
    robust: np.ndarray = axes("BR")  # last month's robust operations, as armed groups saw them
    abuse: np.ndarray = axes("BR")  # last month's abuses by the local authority
    # actors in regions, (B, H, R)
    neutrality: np.ndarray = axes("BHR")
    access: np.ndarray = axes("BHR")
    presence: np.ndarray = axes("BHR")
    aid_incidents: np.ndarray = axes("BHR")  # victims of major attacks among staff
    aid_incidents_national: np.ndarray = axes("BHR")  # ... of them national staff
    staff: np.ndarray = axes("BHR")  # aid workers (the mission's: its civilians)
    association: np.ndarray = axes("BHR")
    # the mission as a whole, (B,)
    strength: np.ndarray = axes("B")  # deployed share of authorised troops
    coherence: np.ndarray = axes("B")
    coordination_cost: np.ndarray = axes("B")
    hc_attention: np.ndarray = axes("B")
    elections_held: np.ndarray = axes("B")
    humanitarian_space: np.ndarray = axes("B")

    def copy(self) -> State:
        from .arrays import map_arrays

        return map_arrays(self, lambda a, _: a.copy())
