"""The humanitarian actors along the ``actor`` axis and their traits.

Order: OCHA, UNHCR, the NGOs, and last the mission's own civilian staff.
UN agencies cannot aspire to NGOs' independence and association sticks to
them more (004 report ¶34-35; guidance ¶39); principled NGOs guard their
neutrality hardest and tolerate least risk once it is gone.
"""

from __future__ import annotations

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
    distinctness: np.ndarray  # before OCHA's premises are known


def actor_traits(principled_ngos: int, multi_mandate_ngos: int) -> ActorTraits:
    """Traits of OCHA, UNHCR, the NGOs and the mission, heterogeneous NGOs spread
    evenly in risk tolerance (assumption)."""
    names = ["ocha", "unhcr"]
    principled, un, tol, stick, distinct = [0, 0], [1, 1], [1.0, 1.0], [1.0, 0.9], [0.6, 0.9]
    # (prefix, count, principled, tolerance range, stickiness, distinctness)
    kinds = (
        ("ngo_p", principled_ngos, 1, (0.22, 0.32), 0.7, 1.0),
        ("ngo_m", multi_mandate_ngos, 0, (0.3, 0.42), 0.8, 0.8),
    )
    for prefix, count, is_principled, (lo, hi), stickiness, distinctness in kinds:
        for i in range(count):
            names.append(f"{prefix}{i + 1}")
            principled.append(is_principled)
            un.append(0)
            tol.append(float(np.interp(i, [0, max(count - 1, 1)], [lo, hi])))
            stick.append(stickiness)
            distinct.append(distinctness)
    names.append("mission")
    principled.append(0)
    un.append(0)
    tol.append(1.0)
    stick.append(1.0)
    distinct.append(0.2)
    n = len(names)
    onehot = np.zeros(n)
    is_mission = onehot.copy()
    is_mission[-1] = 1.0
    is_unhcr = onehot.copy()
    is_unhcr[UNHCR] = 1.0
    is_ocha = onehot.copy()
    is_ocha[OCHA] = 1.0
    return ActorTraits(
        tuple(names),
        np.array(principled, float),
        np.array(un, float),
        is_mission,
        is_unhcr,
        is_ocha,
        np.array(stick),
        np.array(tol),
        np.array(distinct),
    )
