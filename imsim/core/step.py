"""One month of the model as pure functions: decide, then transition.

``decide`` calls every actor's decision rule on the whole batch; the Mesa
engine instead lets each agent call its own rule on its slice, writing into
the same Decisions. ``transition`` then moves the world. Both read only the
state at the start of the month, so agents act simultaneously.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import force, humanitarian, leadership, local_actors
from .access import reach
from .actors import OCHA, UNHCR
from .association import associate
from .capacity import update_capacity
from .coherence import humanitarian_space, unmet_needs, update_coherence
from .conflict import civilian_harm, update_control, update_violence
from .decisions import Decisions
from .displacement import flows
from .mission import update_strength
from .neutrality import update_neutrality
from .params import Params
from .phase import election_effects, move_phase, update_settlement
from .security import draw_incidents, incident_rate, restriction
from .state import State
from .streams import normal, uniform
from .util import col


@dataclass
class Noise:
    phase: np.ndarray  # U(0,1), (B, R)
    violence: np.ndarray  # N(0,1), (B, R)
    incidents: np.ndarray  # U(0,1), (B, H, R)


def draw_noise(keys: np.ndarray, month: int, actors: int, regions: int) -> Noise:
    """The random numbers of one month, each keyed by (seed, stream, replicate)."""
    return Noise(
        uniform(keys, month, "phase", (regions,)),
        normal(keys, month, "violence", (regions,)),
        uniform(keys, month, "incidents", (actors, regions)),
    )


def decide_leadership(s: State, p: Params) -> dict[str, np.ndarray]:
    """SRSG and DSRSG/RC/HC decisions."""
    hc, rc = leadership.attention(s, p)
    return {
        "security_level": leadership.security_level(s, p),
        "robust": leadership.robust_operations(s, p),
        "hold_elections": leadership.hold_elections(s, p),
        "target_strength": leadership.target_strength(s, p),
        "push_returns": leadership.push_returns(s, p),
        "hc_attention": hc,
        "rc_attention": rc,
        "qip_screening": leadership.qip_screening(hc, p),
    }


def decide_force(s: State, p: Params) -> dict[str, np.ndarray]:
    troops, protection = force.deploy(s, p)
    return {
        "troops": troops,
        "protection": protection,
        "escorts_offered": force.escorts_offered(s, p, protection),
        "qips": force.quick_impact_projects(s, p, protection),
        "demining": force.demining(s, p, protection),
    }


def decide_agencies(s: State, p: Params) -> dict[str, np.ndarray]:
    """OCHA's and UNHCR's specialist decisions (their conduct is in ``conduct``)."""
    ocha_n = s.neutrality[:, OCHA]
    return {
        "negotiation": humanitarian.negotiate_access(s, p, ocha_n, s.hc_attention),
        "return_support": humanitarian.support_returns(s, p, s.presence[:, UNHCR]),
        "camp_request": humanitarian.request_camp_security(s, p),
    }


def decide_locals(s: State, p: Params) -> dict[str, np.ndarray]:
    return {
        "abuse": local_actors.authority_abuse(s, p),
        "partisanship": local_actors.partisanship(s, p),
    }


def decide(s: State, p: Params) -> Decisions:
    """Every actor's decision for the whole batch."""
    return Decisions(
        **decide_leadership(s, p),
        **decide_force(s, p),
        **decide_agencies(s, p),
        **humanitarian.conduct(s, p, s.neutrality[:, OCHA]),
        **decide_locals(s, p),
    )


def transition(s: State, d: Decisions, p: Params, noise: Noise) -> State:
    """Move the world one month given the actors' decisions."""
    c = p.cal
    held = np.maximum(np.maximum(s.elections_held, d.hold_elections), p.elections.max(axis=-1))
    strength = update_strength(s.strength, d.target_strength, held, p)
    presence = s.presence + c.ngo_withdraw_speed[:, None, None] * (d.presence_target - s.presence)
    association = associate(s, p, d, presence)
    neutrality = update_neutrality(s.neutrality, association, d.partisanship, p)

    settle_gain, spike = election_effects(d.hold_elections, s.capacity, p)
    violence = np.clip(
        update_violence(s.violence, s.phase, s.control, d.protection, d.robust, noise.violence, p)
        + spike,
        0.0,
        1.0,
    )
    control = update_control(s.control, violence, s.phase, s.settlement, d.protection, d.robust, p)

    restricted = restriction(d.security_level, p)
    escort_use = d.escorts_offered[:, None, :] * d.accept_escorts * presence
    demined = np.minimum(1.0, s.demined + d.demining)
    access = reach(
        neutrality,
        violence,
        presence,
        restricted,
        escort_use,
        d.use_assets * presence,
        demined,
        d.negotiation,
        d.protection,
        p,
    )
    incidents = draw_incidents(
        incident_rate(violence, neutrality, presence, restricted, d.protection, p), noise.incidents
    )

    new, returned = flows(
        s.displaced,
        violence,
        d.return_support,
        access[:, UNHCR],
        demined,
        d.protection,
        d.push_returns,
        p,
    )
    displaced = s.displaced + new - returned
    camp_cover = col(p.protection_mandate) * d.camp_request * d.protection
    harm = civilian_harm(violence, displaced, d.protection, camp_cover, p)

    phase = move_phase(
        s.phase,
        violence,
        s.settlement,
        s.capacity,
        unmet_needs(access, p),
        strength,
        noise.phase,
        p,
    )
    settlement = np.clip(
        update_settlement(s.settlement, violence, strength, p) + settle_gain, 0.0, 1.0
    )
    handover = np.clip((s.strength - strength) * 10.0, 0.0, 1.0)
    capacity = update_capacity(s.capacity, phase, violence, d.rc_attention, strength, handover, p)
    coherence, cost = update_coherence(s.coherence, strength, p)
    return State(
        phase=phase,
        violence=violence,
        control=control,
        settlement=settlement,
        capacity=capacity,
        displaced=displaced,
        newly_displaced=s.newly_displaced + new,
        returned=s.returned + returned,
        demined=demined,
        civilian_harm=harm,
        troops=d.troops,
        camp_request=d.camp_request,
        partisanship=d.partisanship,
        robust=d.robust,
        abuse=d.abuse,
        neutrality=neutrality,
        access=access,
        presence=presence,
        aid_incidents=incidents,
        association=association,
        strength=strength,
        coherence=coherence,
        coordination_cost=cost,
        hc_attention=d.hc_attention,
        elections_held=held,
        humanitarian_space=humanitarian_space(neutrality, access, violence, displaced, p),
    )


def step(s: State, p: Params, noise: Noise) -> State:
    """Pure step: state in, state out."""
    return transition(s, decide(s, p), p, noise)
