"""People in need, the people humanitarians reach, and the deaths when aid does not reach them.

Humanitarian space matters because of what access is for: people in need who are not
reached die of hunger, disease and exposure at a higher rate than people who are (MODEL.md
mechanism 4; 004 report ¶58, ¶63). A region's people in need are a baseline share of its
residents, more with violence, and the displaced it hosts; the share reached is the mean
access of the humanitarian actors (the same share whose shortfall raises relapse, phase.py).
Deaths from unmet needs are an excess over the baseline death rate, among the people in
need who are not reached; the displaced among them die at a higher rate than residents
(docs/ODD.md §8 gives the published rates these are calibrated to).
"""

from __future__ import annotations

import numpy as np

from .actors import humanitarian_mean
from .namespace import xp
from .params import Params
from .util import col


def people_in_need(violence: np.ndarray, displaced: np.ndarray, p: Params) -> np.ndarray:
    """People in need per region (B, R): a baseline share, more with violence, and the displaced."""
    return in_need(p.population, col(p.coef.need_baseline), violence, displaced)


def in_need(
    population: np.ndarray,
    baseline: np.ndarray | float,
    violence: np.ndarray,
    displaced: np.ndarray,
) -> np.ndarray:
    """``people_in_need`` from its arrays: also what a country's funding is given for at
    the start (compile.timeline), before there are Params."""
    return population * (baseline + violence) + displaced


def humanitarian_reach(access: np.ndarray, p: Params) -> np.ndarray:
    """Share of a region's people in need that humanitarians reach (B, R): their mean access."""
    return humanitarian_mean(access, p.is_mission)


def reached_share(
    *,
    access: np.ndarray,
    assistance: np.ndarray,
    qips: np.ndarray,
    coherence: np.ndarray,
    p: Params,
) -> np.ndarray:
    """Share of a region's people in need that someone reaches (B, R): humanitarians, then,
    of those they miss, national authorities that can assist impartially (004 report ¶58;
    local_actors.assistance) and the mission's quick-impact projects, which work where
    humanitarians have no access and fit needs better the more coherent the UN presence
    (004 guidance ¶41-42; ``qip_reach``)."""
    reached = humanitarian_reach(access, p)
    qip = col(p.coef.qip_reach * coherence) * qips
    return reached + (1.0 - reached) * (1.0 - (1.0 - assistance) * (1.0 - qip))


def deaths_from_unmet_needs(
    *, need: np.ndarray, displaced: np.ndarray, reached: np.ndarray, p: Params
) -> np.ndarray:
    """Excess deaths this month among the people in need who are not reached (B, R).

    ``unmet_mortality`` is the monthly excess death rate of a resident in need without
    assistance; a displaced person's is ``displaced_mortality`` times that. Both the
    displaced and residents in need are reached in the same share.
    """
    c = p.coef
    residents = xp.maximum(need - displaced, 0.0)
    exposed = residents + col(c.displaced_mortality) * displaced
    return col(c.unmet_mortality) * (1.0 - reached) * exposed
