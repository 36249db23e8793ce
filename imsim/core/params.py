"""Parameters of one month for a batch: settings, shocks, world and actors.

Categorical settings hold the integer codes of their enums in ``options``.
"""

from __future__ import annotations

from dataclasses import dataclass, make_dataclass

import numpy as np

from .arrays import axes
from .coefficients import COEFFICIENT_FIELDS

# Calibration coefficients as (B,) arrays, one field per coefficients.Coefficients field.
CoefficientArrays = make_dataclass(
    "CoefficientArrays", [(name, np.ndarray, axes("B")) for name in COEFFICIENT_FIELDS]
)


@dataclass
class Params:
    # mission settings, (B,)
    deployed: np.ndarray = axes("B")
    stance: np.ndarray = axes("B")  # options.Stance
    exit_after_elections: np.ndarray = axes("B")
    drawdown_share: np.ndarray = axes("B")
    push_returns: np.ndarray = axes("B")
    partner_force: np.ndarray = axes("B")  # a non-UN force beside the mission, 0..1
    post_conflict_label: np.ndarray = axes("B")  # the situation called 'post-conflict'
    troops: np.ndarray = axes("B")
    police: np.ndarray = axes("B")
    ramp_months: np.ndarray = axes("B")
    deployment_share: np.ndarray = axes("B")
    escorts: np.ndarray = axes("B")  # options.Escorts
    qips: np.ndarray = axes("B")  # options.Qips
    joint_plan: np.ndarray = axes("B")
    mobile_base: np.ndarray = axes("B")
    protection_mandate: np.ndarray = axes("B")
    support_office: np.ndarray = axes("B")
    hc_inside: np.ndarray = axes("B")  # from options.HcLocation
    ocha_inside: np.ndarray = axes("B")
    security_management: np.ndarray = axes("B")  # options.SecurityManagement
    posture: np.ndarray = axes("B")  # options.Posture
    info_sharing: np.ndarray = axes("B")  # what is shared: the setting, as structure allows
    shared_assets: np.ndarray = axes("B")
    branding: np.ndarray = axes("B")
    # humanitarian funding per person in need at the start, US$ million a year (world)
    funding_per_need: np.ndarray = axes("B")
    # per actor
    structural: np.ndarray = axes("BH")  # association from the coordination network
    distinctness: np.ndarray = axes("BH")  # own premises, identity, air service
    principled: np.ndarray = axes("H")
    un_agency: np.ndarray = axes("H")
    is_mission: np.ndarray = axes("H")
    is_unhcr: np.ndarray = axes("H")
    is_ocha: np.ndarray = axes("H")
    stickiness: np.ndarray = axes("BH")
    tolerance: np.ndarray = axes("BH")
    workforce_share: np.ndarray = axes("BH")  # share of the humanitarian workforce
    # per region
    population: np.ndarray = axes("BR")
    focal: np.ndarray = axes("BR")
    violence_shock: np.ndarray = axes("BR")
    settlement_shock: np.ndarray = axes("BR")
    phase_floor: np.ndarray = axes("BR")  # a peace agreement lifts regions to transition
    phase_cap: np.ndarray = axes("BR")  # a ceasefire collapse throws them back to conflict
    elections: np.ndarray = axes("BR")  # shock: elections called in these regions this month
    security_floor: np.ndarray = axes("BR")  # 0: none, else a minimum security phase
    neighbours: np.ndarray = axes("BXX")  # row-normalised adjacency, not sliced by region
    coef: CoefficientArrays = None  # type: ignore[valid-type,assignment]
