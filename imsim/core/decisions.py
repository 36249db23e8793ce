"""What the actors decide in one month, before the world moves.

Each actor's rule returns its own small group of decisions; ``Decisions``
holds one group per actor. Every decision reads only the state at the start
of the month, so agents act simultaneously and their order never changes
the numbers. The Mesa engine starts from ``Decisions.empty`` and each agent
writes its group (or its region's or row's slice of it, ``arrays.put``).
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from dataclasses import dataclass

import numpy as np

from .arrays import axes


@dataclass
class SrsgDecisions:
    security_level: np.ndarray = axes("BR")  # 1..5, UN security phase as Designated Official
    robust: np.ndarray = axes("BR")  # robust operations against spoilers
    hold_elections: np.ndarray = axes("B")
    target_strength: np.ndarray = axes("B")
    push_returns: np.ndarray = axes("BR")  # returns pushed to regions declared post-conflict


@dataclass
class HcDecisions:
    """The multi-hatted DSRSG/RC/HC."""

    hc_attention: np.ndarray = axes("B")
    rc_attention: np.ndarray = axes("B")
    qip_screening: np.ndarray = axes("B")  # share of QIP association the HC's review removes


@dataclass
class ForceDecisions:
    troops: np.ndarray = axes("BR")
    protection: np.ndarray = axes("BR")
    escorts_offered: np.ndarray = axes("BR")
    qips: np.ndarray = axes("BR")
    demining: np.ndarray = axes("BR")
    policing: np.ndarray = axes("BR")  # protection UN police give civilians


@dataclass
class OchaDecisions:
    negotiation: np.ndarray = axes("BR")


@dataclass
class UnhcrDecisions:
    return_support: np.ndarray = axes("BR")
    resist_returns: np.ndarray = axes("BR")  # pushed returns UNHCR resists where unsafe
    camp_request: np.ndarray = axes("BR")


@dataclass
class Conduct:
    """What each humanitarian actor (and the mission's civilian staff) does, per region."""

    accept_escorts: np.ndarray = axes("BHR")
    use_assets: np.ndarray = axes("BHR")
    cluster: np.ndarray = axes("BHR")
    presence_target: np.ndarray = axes("BHR")


@dataclass
class AuthorityDecisions:
    abuse: np.ndarray = axes("BR")
    impediments: np.ndarray = axes("BR")  # share of humanitarian access its red tape takes
    assistance: np.ndarray = axes("BR")  # share of unreached need it meets impartially


@dataclass
class ArmedGroupDecisions:
    partisanship: np.ndarray = axes("BR")  # how partisan they judge the mission


@dataclass
class Decisions:
    srsg: SrsgDecisions
    hc: HcDecisions
    force: ForceDecisions
    ocha: OchaDecisions
    unhcr: UnhcrDecisions
    conduct: Conduct
    authorities: AuthorityDecisions
    armed_groups: ArmedGroupDecisions

    @classmethod
    def empty(cls, batch: int, actors: int, regions: int) -> Decisions:
        """Zeroed groups for agents to fill, group by group or slice by slice."""
        shapes = {"B": (batch,), "BR": (batch, regions), "BHR": (batch, actors, regions)}
        groups = {}
        for name, group in _group_types().items():
            groups[name] = group(
                **{g.name: np.zeros(shapes[g.metadata["axes"]]) for g in dataclasses.fields(group)}
            )
        return cls(**groups)


@functools.cache
def _group_types() -> dict[str, type]:
    """Each field of Decisions and the group class it holds."""
    return typing.get_type_hints(Decisions)
