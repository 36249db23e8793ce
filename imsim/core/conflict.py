"""Violence, territorial control by armed groups, and civilian harm."""

from __future__ import annotations

import numpy as np

from .namespace import xp
from .options import Phase
from .params import Params
from .util import col


def update_violence(
    *,
    violence: np.ndarray,
    phase: np.ndarray,
    control: np.ndarray,
    protection: np.ndarray,
    robust: np.ndarray,
    noise: np.ndarray,
    p: Params,
) -> np.ndarray:
    """Violence relaxes towards its phase's level, raised by armed-group control
    and robust operations, lowered by troop presence, the more so when the mission
    gets early warning from the information humanitarians share (004 report
    ¶70-75: two-way sharing); it spills over to neighbouring regions (MODEL.md,
    time and space) and takes scheduled shocks."""
    c = p.coef
    base = xp.where(
        phase == Phase.CONFLICT,
        col(c.violence_conflict),
        xp.where(
            phase == Phase.TRANSITION, col(c.violence_transition), col(c.violence_consolidation)
        ),
    )
    target = (
        base
        + col(c.violence_control) * control
        - held_down(protection, p)
        + col(c.violence_robust) * robust
    )
    neighbours = xp.einsum("brs,bs->br", p.neighbours, violence)
    new = (
        violence
        + col(c.violence_speed) * (target - violence)
        + col(c.spillover) * (neighbours - violence)
        + col(c.violence_noise) * noise
        + p.violence_shock
    )
    return xp.clip(new, 0.0, 1.0)


def held_down(protection: np.ndarray, p: Params) -> np.ndarray:
    """The violence troops' presence holds down (B, R), more with the early warning shared
    information gives them (004 report ¶70-75)."""
    c = p.coef
    return col(c.violence_protection * (1.0 + c.early_warning * p.info_sharing)) * protection


def fighting(violence: np.ndarray, protection: np.ndarray, p: Params) -> np.ndarray:
    """The fighting between the parties (B, R): violence with what troops hold down put
    back. Troops deter violence where they are (report ¶67), but a mission sent while a
    war goes on does not end it sooner (Gilligan & Sergenti 2008; Hultman, Kathman &
    Shannon 2014: troops cut the killing, not the war), so the war's end and the
    settlement's progress answer to the fighting, and the mission works on them through
    its good offices (phase.py) and, once the war is over, its shield against relapse."""
    return xp.clip(violence + held_down(protection, p), 0.0, 1.0)


def update_control(
    *,
    control: np.ndarray,
    violence: np.ndarray,
    phase: np.ndarray,
    settlement: np.ndarray,
    protection: np.ndarray,
    robust: np.ndarray,
    p: Params,
) -> np.ndarray:
    """Armed groups gain ground with violence where troops are thin and the
    region is at war; they lose it to robust operations and as the settlement
    takes hold (assumption; troops deter: report ¶67, guidance ¶45)."""
    c = p.coef
    gain = (
        col(c.control_growth)
        * violence
        * (1.0 - protection)
        * (1.0 - control)
        * (phase == Phase.CONFLICT)
    )
    loss = (
        col(c.control_robust) * robust * protection
        + col(c.control_decline)
        * (col(c.control_decline_consolidated) * (phase == Phase.CONSOLIDATION) + settlement)
    ) * control
    return xp.clip(control + gain - loss, 0.0, 1.0)


def civilian_harm(
    *,
    violence: np.ndarray,
    hosted: np.ndarray,
    recent_returns: np.ndarray,
    demined: np.ndarray,
    protection: np.ndarray,
    policing: np.ndarray,
    camp_cover: np.ndarray,
    p: Params,
) -> np.ndarray:
    """Civilians killed by armed groups this month (one-sided violence): violence times
    people exposed, less troop protection (report ¶64-69) and UN police's (HKS 2013).
    The displaced a region hosts are twice as exposed unless their camps are guarded;
    returnees on routes not yet cleared are more exposed too (001 §3a: de-mining the
    routes of return)."""
    c = p.coef
    exposed = (
        p.population
        + hosted * (1.0 - camp_cover)
        + col(c.returnee_exposure) * recent_returns * (1.0 - demined)
    )
    return (
        col(c.harm_rate)
        * violence
        * exposed
        * (1.0 - col(c.harm_protection) * protection)
        * (1.0 - col(c.police_harm) * policing)
    )


def battle_deaths(*, violence: np.ndarray, protection: np.ndarray, p: Params) -> np.ndarray:
    """People killed in fighting this month, combatants and civilians caught in it: a rate
    per person-month at violence 1, less what troops' protection prevents (Hultman,
    Kathman & Shannon 2014: UN troops cut battle deaths). Counted apart from the killings
    of civilians by armed groups, whose published response to troops differs (HKS 2013)."""
    c = p.coef
    return (
        col(c.battle_death_rate)
        * violence
        * p.population
        * (1.0 - col(c.battle_protection) * protection)
    )
