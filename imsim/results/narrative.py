"""The story of a run in plain words, month by month, for the trainers' dashboard.

``snapshot`` keeps what the story needs from one replicate's state (and the
month's decisions); ``narrate`` compares two consecutive snapshots and says
what changed that a room would notice: a region moving between phases, the
Force starting or stopping escorts, NGOs pulling out, neutrality falling,
elections, surges of displacement. Thresholds are presentation choices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.options import Escorts, Phase

NEUTRALITY_DROP = 0.03  # a fall in NGO neutrality worth a sentence, in one month
DISPLACEMENT_SURGE = 0.10  # a monthly rise in the displaced worth a sentence
MOST = 5  # sentences a month, at most


@dataclass(frozen=True)
class Snapshot:
    month: int
    phase: np.ndarray  # (R,)
    neutrality: np.ndarray  # (H, R)
    presence: np.ndarray  # (H, R)
    displaced: np.ndarray  # (R,)
    escorts: np.ndarray  # (R,) escorts offered by the Force, 0 none
    elections_held: float


def snapshot(month: int, state: object, decisions: object | None) -> Snapshot:
    """What the story needs from a batch of one (the Mesa engine's state)."""
    R = state.phase.shape[-1]
    escorts = decisions.force.escorts_offered[0] if decisions is not None else np.zeros(R)
    return Snapshot(
        month,
        state.phase[0].copy(),
        state.neutrality[0].copy(),
        state.presence[0].copy(),
        state.displaced[0].copy(),
        np.asarray(escorts).copy(),
        float(state.elections_held[0]),
    )


def narrate(
    before: Snapshot, after: Snapshot, regions: list[str], actors: list[str], escort_mode: Escorts
) -> list[str]:
    """Sentences for the month from ``before`` to ``after``, most important first."""
    m = after.month
    ngo = np.array([a.startswith("ngo") for a in actors])
    words: list[str] = []
    if after.elections_held > before.elections_held:
        words.append(f"month {m}: national elections are held")
    moves: dict[tuple[int, int], np.ndarray] = {}
    for r in range(len(regions)):
        old, new = int(before.phase[r]), int(after.phase[r])
        if new != old:
            moves.setdefault((old, new), np.zeros(len(regions), bool))[r] = True
    for (old, new), mask in sorted(moves.items(), key=lambda kv: kv[0][1]):
        verb = "slip" if mask.sum() > 1 else "slips"
        if new == 0:
            words.append(f"month {m}: {_places(regions, mask)} {verb} back into conflict")
        else:
            move = "move" if mask.sum() > 1 else "moves"
            words.append(
                f"month {m}: {_places(regions, mask)} {move} from {Phase(old).label} "
                f"to {Phase(new).label}"
            )
    drop = before.neutrality[ngo].mean(0) - after.neutrality[ngo].mean(0)
    started = (after.escorts > 0) & (before.escorts == 0)
    if started.any() and escort_mode != Escorts.NEVER:
        mode = Escorts(escort_mode).label.replace("_", "-")
        falls = "; NGO neutrality there falls" if drop[started].mean() > 0 else ""
        words.append(
            f"month {m}: the Force starts {mode} escorts in {_places(regions, started)}{falls}"
        )
    stopped = (after.escorts == 0) & (before.escorts > 0)
    if stopped.any():
        words.append(f"month {m}: the Force stops escorts in {_places(regions, stopped)}")
    left = ((before.presence[ngo] >= 0.5) & (after.presence[ngo] < 0.5)).any(axis=0)
    if left.any():
        words.append(f"month {m}: NGOs pull out of {_places(regions, left)}")
    falling = [r for r in np.argsort(-drop) if drop[r] >= NEUTRALITY_DROP]
    if falling:
        level = after.neutrality[ngo].mean(0)
        named = ", ".join(f"{regions[r]} (to {level[r]:.2f})" for r in falling[:2])
        more = f" and {_more(len(falling) - 2)}" if len(falling) > 2 else ""
        words.append(f"month {m}: NGO neutrality falls in {named}{more}")
    total_before, total_after = before.displaced.sum(), after.displaced.sum()
    if total_after > total_before * (1 + DISPLACEMENT_SURGE):
        words.append(f"month {m}: displacement surges to {total_after:,.0f} people")
    return words[:MOST]


def _places(regions: list[str], mask: np.ndarray, most: int = 3) -> str:
    """'north_kivu', 'north_kivu and ituri', or 'a, b, c and 4 more regions'."""
    names = [r for r, m in zip(regions, mask, strict=True) if m]
    if len(names) <= most:
        return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return f"{', '.join(names[:most])} and {_more(len(names) - most)}"


def _more(n: int) -> str:
    return f"{n} more region{'s' if n > 1 else ''}"
