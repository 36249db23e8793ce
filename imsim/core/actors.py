"""The humanitarian actors along the ``actor`` axis and their traits.

Order: OCHA, UNHCR, the NGOs, and last the mission's own civilian staff.
UN agencies cannot aspire to NGOs' independence and association sticks to
them more (004 report ¶34-35; guidance ¶39); principled NGOs guard their
neutrality hardest and tolerate least risk once it is gone. NGOs share
what the UN agencies leave of the humanitarian workforce equally. The
traits' values are calibration coefficients (``coefficients.stickiness_*``, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

OCHA, UNHCR = 0, 1


@dataclass(frozen=True)
class ActorTraits:
    names: tuple[str, ...]
    principled: np.ndarray
    un_agency: np.ndarray
    is_mission: np.ndarray
    is_unhcr: np.ndarray
    is_ocha: np.ndarray
    stickiness: np.ndarray
    tolerance: np.ndarray
    distinctness: np.ndarray  # OCHA's depends on its premises, set by the timeline
    workforce_share: np.ndarray  # share of the humanitarian workforce; the mission's is 0


@dataclass(frozen=True)
class NgoKind:
    """A kind of NGO and the calibration coefficients of its traits."""

    prefix: str
    principled: int
    stickiness: str
    distinctness: str
    tolerance: tuple[str, str]  # low and high ends of the kind's range


NGO_KINDS = (
    NgoKind(
        "ngo_p",
        1,
        "stickiness_principled",
        "distinctness_principled",
        ("tolerance_principled_low", "tolerance_principled_high"),
    ),
    NgoKind(
        "ngo_m",
        0,
        "stickiness_multi_mandate",
        "distinctness_multi_mandate",
        ("tolerance_multi_mandate_low", "tolerance_multi_mandate_high"),
    ),
)


def actor_names(principled_ngos: int, multi_mandate_ngos: int) -> tuple[str, ...]:
    counts = (principled_ngos, multi_mandate_ngos)
    kinds = zip(NGO_KINDS, counts, strict=True)
    ngos = [f"{kind.prefix}{i + 1}" for kind, count in kinds for i in range(count)]
    return ("ocha", "unhcr", *ngos, "mission")


def actor_traits(principled_ngos: int, multi_mandate_ngos: int, cal: Mapping) -> ActorTraits:
    """Traits of OCHA, UNHCR, the NGOs and the mission; NGOs of a kind spread evenly
    in risk tolerance over the kind's range (assumption)."""
    principled, un, tol = [0, 0], [1, 1], [1.0, 1.0]
    stick = [1.0, cal["stickiness_unhcr"]]
    distinct = [1.0, cal["distinctness_unhcr"]]
    counts = (principled_ngos, multi_mandate_ngos)
    for kind, count in zip(NGO_KINDS, counts, strict=True):
        lo, hi = (cal[name] for name in kind.tolerance)
        for i in range(count):
            principled.append(kind.principled)
            un.append(0)
            tol.append(float(np.interp(i, [0, max(count - 1, 1)], [lo, hi])))
            stick.append(cal[kind.stickiness])
            distinct.append(cal[kind.distinctness])
    principled.append(0)
    un.append(0)
    tol.append(1.0)
    stick.append(1.0)
    distinct.append(cal["distinctness_mission"])
    ngos = principled_ngos + multi_mandate_ngos
    agencies = (cal["workforce_ocha"], cal["workforce_unhcr"])
    ngo_share = max(0.0, 1.0 - sum(agencies)) / max(ngos, 1)
    workforce = [*agencies, *[ngo_share] * ngos, 0.0]
    names = actor_names(principled_ngos, multi_mandate_ngos)
    onehot = np.eye(len(names))
    return ActorTraits(
        names,
        np.array(principled, float),
        np.array(un, float),
        onehot[-1],
        onehot[UNHCR],
        onehot[OCHA],
        np.array(stick, float),
        np.array(tol),
        np.array(distinct, float),
        np.array(workforce, float),
    )


def humanitarian_mean(x: np.ndarray, is_mission: np.ndarray) -> np.ndarray:
    """The mean of ``x`` (B, H, R) over the humanitarian actors, all but the mission's own
    civilians: (B, R). Summed actor by actor in their order, on (B, R) slices: the numbers
    numpy's reduction over the actor axis gives, at a third of its time (that reduction
    strides through the whole (B, H, R) array after masking it)."""
    humanitarian = 1.0 - is_mission
    total = x[:, 0] * humanitarian[0]
    for h in range(1, x.shape[1]):
        total += x[:, h] * humanitarian[h]
    return total / humanitarian.sum()
