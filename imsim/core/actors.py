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
    for i in range(principled_ngos):
        names.append(f"ngo_p{i + 1}")
        principled.append(1)
        un.append(0)
        tol.append(float(np.interp(i, [0, max(principled_ngos - 1, 1)], [0.22, 0.32])))
        stick.append(0.7)
        distinct.append(1.0)
    for i in range(multi_mandate_ngos):
        names.append(f"ngo_m{i + 1}")
        principled.append(0)
        un.append(0)
        tol.append(float(np.interp(i, [0, max(multi_mandate_ngos - 1, 1)], [0.3, 0.42])))
        stick.append(0.8)
        distinct.append(0.8)
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
