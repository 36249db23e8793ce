"""Month 0: the state every replicate of a point starts from."""

from __future__ import annotations

import numpy as np

from ..core.access import reach
from ..core.coherence import humanitarian_space
from ..core.mission import civilian_presence
from ..core.params import Params
from ..core.state import State
from .world import World

NEUTRALITY_START = 0.9  # humanitarians before the mission arrives (assumption)
MISSION_NEUTRALITY_START = 0.6


def initial_state(
    worlds: list[World], replicates: int, p0: Params, initial_strength: np.ndarray
) -> State:
    """Stack each point's world over its replicates; derive access from month-0 params."""

    def rep(name: str) -> np.ndarray:
        return np.repeat(np.stack([getattr(w, name) for w in worlds]), replicates, axis=0)

    phase = rep("phase").astype(np.int8)
    B, R = phase.shape
    H = p0.is_mission.shape[0]
    strength = np.repeat(initial_strength, replicates) * p0.deployed
    office = civilian_presence(strength, p0)
    presence = np.ones((B, H, R))
    presence[:, -1, :] = office[:, None]
    neutrality = np.where(p0.is_mission[:, None] > 0, MISSION_NEUTRALITY_START, NEUTRALITY_START)
    neutrality = np.broadcast_to(neutrality, (B, H, R)).copy()
    zeros = np.zeros((B, R))
    violence, displaced = rep("violence"), rep("displaced")
    none = np.zeros((B, H, R))  # no escorts, assets or restrictions before the mission acts
    access = reach(
        neutrality=neutrality,
        violence=violence,
        presence=presence,
        restricted=none,
        escort_use=none,
        asset_use=none,
        demined=zeros,
        negotiation=zeros,
        protection=zeros,
        p=p0,
    )
    return State(
        phase=phase,
        violence=violence,
        control=rep("control"),
        settlement=rep("settlement"),
        capacity=rep("capacity"),
        displaced=displaced,
        newly_displaced=zeros.copy(),
        returned=zeros.copy(),
        demined=zeros.copy(),
        civilian_harm=zeros.copy(),
        troops=zeros.copy(),
        camp_request=zeros.copy(),
        partisanship=zeros.copy(),
        robust=zeros.copy(),
        abuse=zeros.copy(),
        neutrality=neutrality,
        access=access,
        presence=presence,
        aid_incidents=np.zeros((B, H, R)),
        aid_incidents_national=np.zeros((B, H, R)),
        staff=np.zeros((B, H, R)),
        association=np.broadcast_to(p0.structural[..., None], (B, H, R)).copy(),
        strength=strength,
        coherence=np.zeros(B),
        coordination_cost=np.zeros(B),
        hc_attention=np.ones(B),
        elections_held=np.zeros(B),
        humanitarian_space=humanitarian_space(
            neutrality=neutrality, access=access, violence=violence, displaced=displaced, p=p0
        ),
    )
