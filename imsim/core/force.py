"""Decision rules of the Force: where troops go, escorts, QIPs and de-mining."""

from __future__ import annotations

import numpy as np

from .decisions import ForceDecisions
from .namespace import xp
from .options import Escorts, Phase
from .params import Params
from .state import State
from .util import PER_100K, col, step_up


def deploy(s: State, p: Params) -> tuple[np.ndarray, np.ndarray]:
    """Troops per region and the protection they give civilians.

    The Force weighs regions by their people, violence and armed-group control
    (troops per head, so cutting a country finer changes nothing), by UNHCR's
    camp-security requests where the mandate covers camps (report ¶64-69),
    and concentrates on the focal region under a mobile operating base
    (001 §3a, Katanga). Protection saturates with troops per head.
    Returns (troops, protection), each (B, R).
    """
    c = p.coef
    weight = (
        p.population
        * (col(c.deploy_base) + s.violence + s.control)
        * (1.0 + col(c.camp_priority * camp_mandate(p)) * s.camp_request)
        * (1.0 + col(c.mob_priority * p.mobile_base) * p.focal)
    )
    total = col(p.troops * s.strength)
    troops = total * weight / weight.sum(axis=-1, keepdims=True)
    protection = 1.0 - xp.exp(-troops / (col(c.troop_scale) * p.population / PER_100K))
    return troops, protection


def policing(s: State, p: Params) -> np.ndarray:
    """Protection UN police give civilians (B, R). Police deploy with the mission's
    strength, beside host-state police in the towns and camps where people are (003 ¶7;
    004 guidance ¶25, ¶51), so by population; it saturates with police per head, at the
    scale Hultman, Kathman & Shannon 2013 give (200 police cut one-sided killings by
    ≈ 85%; docs/ODD.md §8)."""
    c = p.coef
    people = p.population.sum(axis=-1, keepdims=True)
    per_head = col(p.police * s.strength) / (people / PER_100K)
    return xp.broadcast_to(1.0 - xp.exp(-per_head / col(c.police_scale)), p.population.shape)


def camp_mandate(p: Params) -> np.ndarray:
    """How far the Force answers UNHCR's camp-security requests (B,): fully under a
    protection mandate (report ¶64-69), in part under a joint force-humanitarian plan,
    which tells it where the displaced need protection (001 §3a)."""
    return xp.minimum(1.0, p.protection_mandate + p.coef.joint_plan_protection * p.joint_plan)


def cover(protection: np.ndarray, p: Params) -> np.ndarray:
    """How much of a region the Force can operate in (escort, build, clear), from its protection."""
    return xp.minimum(1.0, col(p.coef.force_cover) * protection)


def escorts_offered(s: State, p: Params, protection: np.ndarray) -> np.ndarray:
    """Escort cover offered per region (report ¶63; guidance ¶45): routinely
    wherever troops are, or as a last resort only where violence blocks all
    other access."""
    c = p.coef
    last_resort = col(c.last_resort_cover) * step_up(
        s.violence, col(c.last_resort_violence), col(c.last_resort_width)
    )
    policy = xp.where(
        col(p.escorts == Escorts.ROUTINE),
        1.0,
        xp.where(col(p.escorts == Escorts.LAST_RESORT), last_resort, 0.0),
    )
    return policy * cover(protection, p)


def quick_impact_projects(s: State, p: Params, protection: np.ndarray) -> np.ndarray:
    """'Hearts and minds' QIPs where troops operate before consolidation (guidance ¶37)."""
    return cover(protection, p) * (s.phase < Phase.CONSOLIDATION)


def demining(s: State, p: Params, protection: np.ndarray) -> np.ndarray:
    """Monthly progress clearing return routes; a joint plan doubles it (001 §3a)."""
    return col(p.coef.demining_rate * (1.0 + p.joint_plan)) * cover(protection, p)


def decide(s: State, p: Params) -> ForceDecisions:
    """The Force's decisions of the month."""
    troops, protection = deploy(s, p)
    return ForceDecisions(
        troops=troops,
        protection=protection,
        escorts_offered=escorts_offered(s, p, protection),
        qips=quick_impact_projects(s, p, protection),
        demining=demining(s, p, protection),
        policing=policing(s, p),
    )
