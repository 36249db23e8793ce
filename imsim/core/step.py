"""One month of the model as a pure function: state in, state out.

``step`` first lets every actor decide (``decide``, each actor's rule on the
whole batch) and then moves the world (``transition``). The Mesa engine
calls the same ``step`` with the decisions its agents made, each on its own
slice; both read only the state at the start of the month, so agents act
simultaneously.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import force, humanitarian, leadership, local_actors
from .access import reach
from .actors import OCHA, UNHCR
from .aid_workers import GRADES, draw_victims, expected_victims, people_in_need, staff, victim_rate
from .association import associate, escort_use
from .capacity import update_capacity
from .coherence import humanitarian_space, unmet_needs, update_coherence
from .conflict import civilian_harm, update_control, update_violence
from .decisions import Decisions
from .displacement import flows, hosting, settle_returns
from .mission import civilian_presence, update_strength
from .neutrality import update_neutrality
from .params import Params
from .phase import election_effects, move_phase, update_settlement
from .security import restriction
from .state import State
from .streams import normal, uniform
from .util import col


@dataclass
class Noise:
    phase: np.ndarray  # U(0,1), (B, R)
    violence: np.ndarray  # N(0,1), (B, R)
    incidents: np.ndarray  # U(0,1), (B, 2, H, R): national and international staff


def draw_noise(keys: np.ndarray, month: int, actors: int, regions: int) -> Noise:
    """The random numbers of one month, each keyed by (seed, stream, replicate)."""
    return Noise(
        uniform(keys, month, "phase", (regions,)),
        normal(keys, month, "violence", (regions,)),
        uniform(keys, month, "incidents", (len(GRADES), actors, regions)),
    )


def decide(s: State, p: Params) -> Decisions:
    """Every actor's decisions for the whole batch, each rule called once."""
    return Decisions(
        srsg=leadership.decide_srsg(s, p),
        hc=leadership.decide_hc(s, p),
        force=force.decide(s, p),
        ocha=humanitarian.decide_ocha(s, p),
        unhcr=humanitarian.decide_unhcr(s, p),
        conduct=humanitarian.conduct(s, p, s.neutrality[:, OCHA]),
        authorities=local_actors.decide_authority(s, p),
        armed_groups=local_actors.decide_armed_groups(s, p),
    )


def transition(s: State, d: Decisions, p: Params, noise: Noise) -> State:
    """Move the world one month given the actors' decisions."""
    c = p.cal
    srsg, troops = d.srsg, d.force
    held = np.maximum(np.maximum(s.elections_held, srsg.hold_elections), p.elections.max(axis=-1))
    strength = update_strength(s.strength, srsg.target_strength, held, p)
    presence = s.presence + c.ngo_withdraw_speed[:, None, None] * (
        d.conduct.presence_target - s.presence
    )
    association = associate(s, p, d, presence)
    neutrality = update_neutrality(s.neutrality, association, d.armed_groups.partisanship, p)

    settle_gain, spike = election_effects(srsg.hold_elections, s.capacity, p)
    violence = np.clip(
        update_violence(
            violence=s.violence,
            phase=s.phase,
            control=s.control,
            protection=troops.protection,
            robust=srsg.robust,
            noise=noise.violence,
            p=p,
        )
        + spike,
        0.0,
        1.0,
    )
    control = update_control(
        control=s.control,
        violence=violence,
        phase=s.phase,
        settlement=s.settlement,
        protection=troops.protection,
        robust=srsg.robust,
        p=p,
    )

    restricted = restriction(srsg.security_level, p)
    demined = np.minimum(1.0, s.demined + troops.demining)
    access = reach(
        neutrality=neutrality,
        violence=violence,
        presence=presence,
        restricted=restricted,
        escort_use=escort_use(d, presence),
        asset_use=d.conduct.use_assets * presence,
        demined=demined,
        negotiation=d.ocha.negotiation,
        protection=troops.protection,
        p=p,
    )
    workers = staff(
        need=people_in_need(violence, s.hosted, p),
        presence=presence,
        civilian_presence=civilian_presence(strength, p),
        p=p,
    )
    victims = draw_victims(
        expected_victims(
            rate=victim_rate(
                violence=violence, neutrality=neutrality, info_sharing=p.info_sharing, p=p
            ),
            workers=workers,
            restricted=restricted,
            protection=troops.protection,
            p=p,
        ),
        noise.incidents,
    )

    new, returned = flows(
        displaced=s.displaced,
        recent_returns=s.recent_returns,
        violence=violence,
        return_support=d.unhcr.return_support,
        unhcr_access=access[:, UNHCR],
        resisted=d.unhcr.resist_returns,
        demined=demined,
        protection=troops.protection,
        pushed=srsg.push_returns,
        p=p,
    )
    displaced = s.displaced + new - returned
    hosted = hosting(displaced, violence, p)
    recent = settle_returns(s.recent_returns, returned, new, p)
    camp_cover = col(force.camp_mandate(p)) * d.unhcr.camp_request * troops.protection
    harm = civilian_harm(
        violence=violence,
        hosted=hosted,
        recent_returns=recent,
        demined=demined,
        protection=troops.protection,
        camp_cover=camp_cover,
        p=p,
    )

    phase = move_phase(
        phase=s.phase,
        violence=violence,
        settlement=s.settlement,
        capacity=s.capacity,
        unmet=unmet_needs(access, p),
        protection=troops.protection,
        u=noise.phase,
        p=p,
    )
    settlement = np.clip(
        update_settlement(
            settlement=s.settlement,
            violence=violence,
            phase=s.phase,
            strength=strength,
            coherence=s.coherence,
            p=p,
        )
        + settle_gain,
        0.0,
        1.0,
    )
    handover = np.clip((s.strength - strength) * c.handover_speed, 0.0, 1.0)
    capacity = update_capacity(
        capacity=s.capacity,
        phase=phase,
        violence=violence,
        rc_attention=d.hc.rc_attention,
        coherence=s.coherence,
        strength=strength,
        handover=handover,
        p=p,
    )
    coherence, cost = update_coherence(s.coherence, strength, p)
    return State(
        phase=phase,
        violence=violence,
        control=control,
        settlement=settlement,
        capacity=capacity,
        displaced=displaced,
        hosted=hosted,
        recent_returns=recent,
        newly_displaced=s.newly_displaced + new,
        returned=s.returned + returned,
        demined=demined,
        civilian_harm=harm,
        troops=troops.troops,
        camp_request=d.unhcr.camp_request,
        partisanship=d.armed_groups.partisanship,
        robust=srsg.robust,
        abuse=d.authorities.abuse,
        neutrality=neutrality,
        access=access,
        presence=presence,
        aid_incidents=victims.sum(axis=1),
        aid_incidents_national=victims[:, 0],
        staff=workers,
        association=association,
        strength=strength,
        coherence=coherence,
        coordination_cost=cost,
        hc_attention=d.hc.hc_attention,
        elections_held=held,
        humanitarian_space=humanitarian_space(
            neutrality=neutrality, access=access, violence=violence, displaced=hosted, p=p
        ),
    )


def step(s: State, p: Params, noise: Noise, decisions: Decisions | None = None) -> State:
    """One month: the actors decide (or ``decisions``, made by agents), then the world moves."""
    return transition(s, decide(s, p) if decisions is None else decisions, p, noise)
