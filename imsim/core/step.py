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
from .access import flight_share, funding, reach
from .actors import OCHA, UNHCR
from .aid_workers import GRADES, draw_victims, expected_victims, staff, victim_rate
from .association import associate, escort_use
from .capacity import update_capacity
from .coherence import humanitarian_space, update_coherence
from .conflict import battle_deaths, civilian_harm, fighting, update_control, update_violence
from .decisions import Decisions
from .displacement import flows, hosting, settle_returns
from .mission import civilian_presence, update_strength
from .namespace import xp
from .needs import deaths_from_unmet_needs, people_in_need, reached_share
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


# The stages of a month's transition, in order (docs/ODD.md §3). Each is a pure function
# of the state at the start of the month, the decisions and what earlier stages moved, and
# returns the state variables it moves; ``transition`` runs them and assembles the state.


def move_mission(s: State, d: Decisions, p: Params) -> dict[str, np.ndarray]:
    """The mission's strength follows the SRSG's target; elections, once held, stay held."""
    held = xp.maximum(xp.maximum(s.elections_held, d.srsg.hold_elections), p.elections.max(axis=-1))
    strength = update_strength(s.strength, d.srsg.target_strength, held, p)
    return {"elections_held": held, "strength": strength}


def move_perception(s: State, d: Decisions, p: Params) -> dict[str, np.ndarray]:
    """Humanitarians' presence, their association with the mission and, from it and the
    mission's partisanship, their perceived neutrality."""
    c = p.coef
    presence = s.presence + c.ngo_withdraw_speed[:, None, None] * (
        d.conduct.presence_target - s.presence
    )
    association = associate(s, p, d, presence)
    neutrality = update_neutrality(s.neutrality, association, d.armed_groups.partisanship, p)
    return {"presence": presence, "association": association, "neutrality": neutrality}


def move_conflict(
    s: State, d: Decisions, p: Params, noise: Noise, spike: np.ndarray
) -> dict[str, np.ndarray]:
    """Violence (with an election's spike) and armed groups' control."""
    protection, robust = d.force.protection, d.srsg.robust
    violence = xp.clip(
        update_violence(
            violence=s.violence,
            phase=s.phase,
            control=s.control,
            protection=protection,
            robust=robust,
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
        protection=protection,
        robust=robust,
        p=p,
    )
    return {"violence": violence, "control": control}


def move_access(
    s: State, d: Decisions, p: Params, moved: dict[str, np.ndarray], restricted: np.ndarray
) -> dict[str, np.ndarray]:
    """Routes demined, and the share of people in need each actor reaches."""
    demined = xp.minimum(1.0, s.demined + d.force.demining)
    presence = moved["presence"]
    access = reach(
        neutrality=moved["neutrality"],
        violence=moved["violence"],
        presence=presence,
        restricted=restricted,
        escort_use=escort_use(d, presence),
        asset_use=d.conduct.use_assets * presence,
        demined=demined,
        negotiation=d.ocha.negotiation,
        protection=d.force.protection,
        impediments=d.authorities.impediments,
        flights=flight_share(moved["strength"], p),
        p=p,
    )
    return {"demined": demined, "access": access}


def move_aid_workers(
    s: State,
    d: Decisions,
    p: Params,
    noise: Noise,
    moved: dict[str, np.ndarray],
    restricted: np.ndarray,
) -> dict[str, np.ndarray]:
    """Aid workers where people are in need, and the victims of attacks on them."""
    violence = moved["violence"]
    workers = staff(
        need=people_in_need(violence, s.hosted, p),
        presence=moved["presence"],
        civilian_presence=civilian_presence(moved["strength"], p),
        funding=funding(p),
        p=p,
    )
    victims = draw_victims(
        expected_victims(
            rate=victim_rate(
                violence=violence, neutrality=moved["neutrality"], info_sharing=p.info_sharing, p=p
            ),
            workers=workers,
            restricted=restricted,
            protection=d.force.protection,
            p=p,
        ),
        noise.incidents,
    )
    return {
        "staff": workers,
        "aid_incidents": victims.sum(axis=1),
        "aid_incidents_national": victims[:, 0],
    }


def move_people(
    s: State, d: Decisions, p: Params, moved: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Displacement, where the displaced live, returns, and the harm civilians suffer."""
    violence, demined, protection = moved["violence"], moved["demined"], d.force.protection
    new, returned = flows(
        displaced=s.displaced,
        recent_returns=s.recent_returns,
        violence=violence,
        return_support=d.unhcr.return_support,
        unhcr_access=moved["access"][:, UNHCR],
        resisted=d.unhcr.resist_returns,
        demined=demined,
        protection=protection,
        pushed=d.srsg.push_returns,
        p=p,
    )
    displaced = s.displaced + new - returned
    hosted = hosting(displaced, violence, p)
    recent = settle_returns(s.recent_returns, returned, new, p)
    # camps guarded by troops under the mandate and, where asked, by UN police supporting
    # the host's camp security (004 guidance ¶51; report ¶66)
    troops_cover = col(force.camp_mandate(p)) * protection
    police_cover = col(p.coef.police_camps) * d.force.policing
    camp_cover = d.unhcr.camp_request * (1.0 - (1.0 - troops_cover) * (1.0 - police_cover))
    harm = civilian_harm(
        violence=violence,
        hosted=hosted,
        recent_returns=recent,
        demined=demined,
        protection=protection,
        policing=d.force.policing,
        camp_cover=camp_cover,
        p=p,
    )
    return {
        "displaced": displaced,
        "hosted": hosted,
        "recent_returns": recent,
        "newly_displaced": s.newly_displaced + new,
        "returned": s.returned + returned,
        "civilian_harm": harm,
        "battle_deaths": battle_deaths(violence=violence, protection=protection, p=p),
    }


def move_needs(
    s: State, d: Decisions, p: Params, moved: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """The people in need, those reached (by humanitarians, national authorities and
    QIPs), and the deaths among those who are not."""
    hosted = moved["hosted"]
    need = people_in_need(moved["violence"], hosted, p)
    reached = reached_share(
        access=moved["access"],
        assistance=d.authorities.assistance,
        qips=d.force.qips,
        coherence=s.coherence,
        p=p,
    )
    deaths = deaths_from_unmet_needs(need=need, displaced=hosted, reached=reached, p=p)
    return {"people_in_need": need, "people_reached": need * reached, "deaths_unmet_needs": deaths}


def move_peace(
    s: State,
    d: Decisions,
    p: Params,
    noise: Noise,
    moved: dict[str, np.ndarray],
    settle_gain: np.ndarray,
) -> dict[str, np.ndarray]:
    """Each region's phase, the settlement's progress, local capacity and the UN's
    coherence."""
    violence, strength = moved["violence"], moved["strength"]
    protection = d.force.protection
    war = fighting(violence, protection, p)
    phase = move_phase(
        phase=s.phase,
        violence=violence,
        fighting=war,
        settlement=s.settlement,
        capacity=s.capacity,
        unmet=1.0 - moved["people_reached"] / moved["people_in_need"],
        protection=protection,
        u=noise.phase,
        p=p,
    )
    settlement = xp.clip(
        update_settlement(
            settlement=s.settlement,
            fighting=war,
            phase=s.phase,
            strength=strength,
            coherence=s.coherence,
            p=p,
        )
        + settle_gain,
        0.0,
        1.0,
    )
    handover = xp.clip((s.strength - strength) * p.coef.handover_speed, 0.0, 1.0)
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
    return {
        "phase": phase,
        "settlement": settlement,
        "capacity": capacity,
        "coherence": coherence,
        "coordination_cost": cost,
    }


def transition(s: State, d: Decisions, p: Params, noise: Noise) -> State:
    """Move the world one month given the actors' decisions: the stages in order."""
    moved = move_mission(s, d, p) | move_perception(s, d, p)
    settle_gain, spike = election_effects(d.srsg.hold_elections, s.capacity, p)
    moved |= move_conflict(s, d, p, noise, spike)
    restricted = restriction(d.srsg.security_level, p)
    moved |= move_access(s, d, p, moved, restricted)
    moved |= move_aid_workers(s, d, p, noise, moved, restricted)
    moved |= move_people(s, d, p, moved)
    moved |= move_needs(s, d, p, moved)
    moved |= move_peace(s, d, p, noise, moved, settle_gain)
    space = humanitarian_space(
        neutrality=moved["neutrality"],
        access=moved["access"],
        need=moved["people_in_need"],  # computed once, in move_needs
        p=p,
    )
    return State(
        **moved,
        troops=d.force.troops,
        camp_request=d.unhcr.camp_request,
        partisanship=d.armed_groups.partisanship,
        robust=d.srsg.robust,
        abuse=d.authorities.abuse,
        hc_attention=d.hc.hc_attention,
        humanitarian_space=space,
    )


def step(s: State, p: Params, noise: Noise, decisions: Decisions | None = None) -> State:
    """One month: the actors decide (or ``decisions``, made by agents), then the world moves."""
    return transition(s, decide(s, p) if decisions is None else decisions, p, noise)
