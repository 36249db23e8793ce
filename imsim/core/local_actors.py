"""Decision rules of the actors rooted in each region: local authorities and armed groups."""

from __future__ import annotations

import numpy as np

from .decisions import ArmedGroupDecisions, AuthorityDecisions
from .mission import civilian_presence
from .namespace import xp
from .options import Phase, Stance
from .params import Params
from .state import State
from .util import col


def authority_abuse(s: State, p: Params) -> np.ndarray:
    """A weak local authority at war may be party to abuses (001 §4b; report ¶34)."""
    return (s.phase == Phase.CONFLICT) * col(p.coef.abuse_at_war) * (1.0 - s.capacity)


def impediments(abuse: np.ndarray, p: Params) -> np.ndarray:
    """Share of humanitarian access a host authority's bureaucratic impediments take
    (B, R): visas, permits and travel authorisations everywhere, more where it abuses or
    intimidates (001 §4b; 004 report ¶58); no published share of access lost (docs/ODD.md
    §8: state actors were 43% of South Sudan's reported access incidents in 2018)."""
    c = p.coef
    return xp.clip(col(c.impediments_base) + col(c.impediments_abuse) * abuse, 0.0, 1.0)


def assistance(s: State, abuse: np.ndarray, p: Params) -> np.ndarray:
    """Share of the need humanitarians leave unmet that national authorities meet (B, R):
    only as far as they can assist impartially (004 report ¶58): with local capacity,
    where they do not abuse, and not where armed groups hold the ground."""
    return col(p.coef.national_assistance) * s.capacity * (1.0 - abuse) * (1.0 - s.control)


def partisanship(s: State, p: Params) -> np.ndarray:
    """How partisan the armed groups of a region judge the mission (report ¶31;
    guidance ¶36, ¶38): by its stance, weighted by phase, plus last month's
    robust operations, its failure to deliver the security it promised, its
    backing of an abusive authority, and a non-UN force at war that it works
    beside (guidance ¶5, ¶36: worse where a UN political mission is linked to a
    non-UN military presence). No mission, no partisanship."""
    c = p.coef
    # backing one party is never judged less partisan than impartiality (guidance ¶36,
    # ¶38 give the direction): a drawn value below impartiality's is no effect, not a gain
    backing = xp.maximum(c.partisanship_backs_government, c.partisanship_impartial)
    stance = col(xp.where(p.stance == Stance.BACKS_GOVERNMENT, backing, c.partisanship_impartial))
    # integration's dilemmas are greater at war than after it (report ¶30): a phase's weight
    # is never above an earlier phase's, whatever values the priors draw
    transition = xp.minimum(c.phase_partisanship_transition, c.phase_partisanship_conflict)
    consolidation = xp.minimum(c.phase_partisanship_consolidation, transition)
    by_phase = xp.stack([c.phase_partisanship_conflict, transition, consolidation], axis=-1)
    weight = xp.take_along_axis(by_phase, s.phase.astype(xp.int64), axis=-1)
    present = col(civilian_presence(s.strength, p))
    failure = (
        xp.maximum(0.0, s.violence - col(c.failure_violence))
        * col(c.failure_scale)
        * col(xp.minimum(1.0, s.strength))
    )
    value = (
        (stance + col(c.partisanship_partner * p.partner_force)) * weight
        + col(c.partisanship_robust) * s.robust
        + col(c.partisanship_failure) * failure
        + col(c.partisanship_authority * (p.stance == Stance.BACKS_GOVERNMENT)) * s.abuse
    )
    return xp.clip(value, 0.0, 1.0) * present


def decide_authority(s: State, p: Params) -> AuthorityDecisions:
    abuse = authority_abuse(s, p)
    return AuthorityDecisions(
        abuse=abuse, impediments=impediments(abuse, p), assistance=assistance(s, abuse, p)
    )


def decide_armed_groups(s: State, p: Params) -> ArmedGroupDecisions:
    return ArmedGroupDecisions(partisanship=partisanship(s, p))
