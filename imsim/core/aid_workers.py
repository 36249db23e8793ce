"""Aid workers: how many each actor has in a region, and the attacks on them.

Staff follow funded presence: the country's humanitarian funding pays a
workforce (aid workers per US$1 million), which goes where people are in need,
grows and shrinks with them, and is shared among the actors by their presence;
the mission's civilians follow its footprint. Victims of major attacks arise
from two causes (MODEL.md mechanism 6): general insecurity and crime, which
strike any aid worker whatever their image, and targeted attacks, which rise as an actor's
perceived neutrality falls (004 report ¶59; guidance ¶36). Rates are per
aid worker, so national totals do not depend on how a country is cut into
regions; national staff, most of the workforce, bear most of the victims.
The magnitudes are calibrated to the Aid Worker Security Database (docs/ODD.md §8).
"""

from __future__ import annotations

import numpy as np

from .namespace import xp
from .params import Params
from .streams import poisson
from .util import MONTHS_PER_YEAR, PER_10K, col, col3, row

# Victims are drawn separately for each grade of staff.
GRADES = ("national", "international")


def staff(
    *,
    need: np.ndarray,
    presence: np.ndarray,
    civilian_presence: np.ndarray,
    funding: np.ndarray,
    p: Params,
) -> np.ndarray:
    """Aid workers of each actor per region (B, H, R).

    Humanitarian actors share the workforce the country's funding pays
    (``workers_per_million`` × ``world.aid_funding``), spread over the people in need:
    funding is given for the people in need at the start (``p.funding_per_need``) and
    follows them as their number changes, less where donors call the situation
    post-conflict (``funding``, access.funding). Each actor has its share
    (``p.workforce_share``) where it is present. The mission's civilians
    (``mission_civilian_staff`` for the country) are spread by population and scaled
    by the mission's civilian presence.
    """
    c = p.coef
    per_need = c.workers_per_million * p.funding_per_need * funding
    humanitarian = row(p.workforce_share) * (col3(per_need) * need[:, None, :])
    people = p.population / p.population.sum(axis=-1, keepdims=True)
    mission = col(c.mission_civilian_staff * civilian_presence) * people
    return presence * humanitarian + row(p.is_mission) * mission[:, None, :]


def victim_rate(
    *,
    violence: np.ndarray,
    neutrality: np.ndarray,
    info_sharing: np.ndarray,
    p: Params,
) -> np.ndarray:
    """Expected victims of major attacks per 10,000 aid workers a year (B, H, R),
    before the exposure that security rules and guards remove.

    Crime strikes everywhere, insecurity grows with violence, and targeted attacks
    grow with violence times lost neutrality. Security information shared by the
    mission (report ¶70-75; guidance ¶52) warns humanitarians of part of the
    insecurity, but not of attacks aimed at them.
    """
    c = p.coef
    v = violence[:, None, :]
    warned = 1.0 - col3(c.security_info * info_sharing) * (1.0 - row(p.is_mission))
    return (
        col3(c.incidents_crime)
        + col3(c.incidents_insecurity) * v * warned
        + col3(c.incidents_targeted) * v * (1.0 - neutrality)
    )


def expected_victims(
    *,
    rate: np.ndarray,
    workers: np.ndarray,
    restricted: np.ndarray,
    protection: np.ndarray,
    p: Params,
) -> tuple[np.ndarray, np.ndarray]:
    """Expected victims this month among national and international staff (B, H, R) each.

    A restricted UN agency exposes its staff less; troops guard the mission's
    own civilians; international staff run ``international_risk`` times the
    national staff's risk (AWSD: ~87% of victims national, >90% of the workforce).
    """
    c = p.coef
    exposure = 1.0 - col3(c.restricted_exposure) * restricted
    guarded = 1.0 - col3(c.guarded_mission) * protection[:, None, :] * row(p.is_mission)
    per_worker = rate / (PER_10K * MONTHS_PER_YEAR) * exposure * guarded
    national = col3(c.national_staff_share)
    international = (1.0 - national) * col3(c.international_risk)
    return per_worker * workers * national, per_worker * workers * international


def draw_victims(expected: tuple[np.ndarray, np.ndarray], uniforms: np.ndarray) -> np.ndarray:
    """Victims among (national, international) staff, (B, 2, H, R) from (B, 2, H, R) uniforms."""
    return poisson(xp.stack(expected, axis=1), uniforms)
