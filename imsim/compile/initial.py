"""Month 0: the state every replicate of a point starts from.

The world's slow conditions (phases, violence, control, settlement, local
capacity, the displaced, the mission's strength) come from the config. The
fast ones — where actors are present, their association, neutrality and
access, the Force's deployment, the DSRSG's attention, coherence — are
settled to the equilibrium the rules hold in that world: the month-0
decisions and transition are repeated, with no noise and the slow
conditions held, until they stop changing. So month 1 continues month 0
instead of jumping from hand-set values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from ..core.aid_workers import GRADES
from ..core.arrays import map_arrays, take
from ..core.coherence import coherence_target
from ..core.displacement import hosting, settled_returns
from ..core.namespace import xp
from ..core.neutrality import neutrality_target
from ..core.params import Params
from ..core.state import State, variables
from ..core.step import Noise, decide, transition
from .world import World

# The settling stops when no fast variable moves by more than this in a month (relative to
# its size, for a count) ...
SETTLED = 1e-9
# ... or after this many months (the slowest, returnees re-establishing, need under 200).
SETTLE_MONTHS = 600

# What the config sets and settling holds, and the monthly flows that count from month 1.
HELD = tuple(name for name, v in variables().items() if v.settling == "held")
FLOWS = tuple(name for name, v in variables().items() if v.settling == "flow")
FAST = tuple(name for name, v in variables().items() if v.settling == "fast")


def initial_state(
    worlds: list[World],
    replicates: int,
    p0: Params,
    initial_strength: np.ndarray,
    settle: Callable[[State, Params], State] | None = None,
) -> State:
    """Stack each point's world over its replicates, its fast variables settled (by
    ``settle``; the JAX engine passes its own, which gives the same month 0)."""
    R = worlds[0].phase.shape[0]
    H = p0.is_mission.shape[-1]
    points = take(p0, "B", slice(None, None, replicates))  # replicates share month 0
    raw = raw_state(worlds, points, initial_strength * points.deployed, H, R)
    settled = (settle or settle_points)(raw, points)
    return map_arrays(settled, lambda a, spec: np.repeat(a, replicates, axis=0))


def raw_state(
    worlds: list[World], p: Params, strength: np.ndarray, actors: int, regions: int
) -> State:
    """The config's world with every fast variable at a neutral start (before settling):
    each variable's declared ``start``, a number or one of the sources below."""
    n = len(worlds)
    sources = {
        "structural": lambda: p.structural[..., None],  # association the network gives
        "strength": lambda: strength,
        # coherence at its equilibrium: the mission's strength and integration are held
        # while month 0 settles, so its target is known (and the slowest fast variable
        # starts where it would end)
        "coherence": lambda: coherence_target(strength, p),
    }
    shapes = {"B": (n,), "BR": (n, regions), "BHR": (n, actors, regions)}
    arrays = {}
    for name, v in variables().items():
        if isinstance(v.start, str):
            source = sources.get(v.start)
            value = source() if source else np.stack([getattr(w, v.start) for w in worlds])
        else:
            value = v.start
        arrays[name] = np.broadcast_to(np.asarray(value, float), shapes[v.axes]).astype(v.dtype)
    return State(**arrays)


def settle_points(s: State, p: Params) -> State:
    """Repeat month 0's decisions and transition, slow conditions held and no noise, with
    neutrality at its target 1 - A x P each month, until the fast variables stand still.

    Each point stops on its own: once none of its fast variables moves by more than
    ``SETTLED`` it is set aside and the others go on, so a point settles to the same month 0
    whatever batch it shares (and a batch costs the months its points need, not its
    slowest point's months for every one)."""
    settled = map_arrays(s, lambda a, spec: np.array(a))  # every point's, written as it stops
    rows = np.arange(s.neutrality.shape[0])  # the points still settling, in ``settled``
    for _ in range(SETTLE_MONTHS):
        new = settling_month(s, p)
        done = movement(s, new) < SETTLED
        if done.all():
            put_rows(settled, rows, new)
            break
        if done.any():
            put_rows(settled, rows[done], take(new, "B", np.flatnonzero(done)))
            going = np.flatnonzero(~done)
            rows, new, p = rows[going], take(new, "B", going), take(p, "B", going)
        s = new
    else:  # SETTLE_MONTHS spent: the points still moving keep where they got to
        put_rows(settled, rows, s)
    return without_flows(settled)


def without_flows(s: State) -> State:
    """Month 0 counts no monthly flow: they count from month 1."""
    return dataclasses.replace(s, **{name: xp.zeros_like(getattr(s, name)) for name in FLOWS})


def movement(s: State, new: State) -> np.ndarray:
    """How far each point's fast variables moved in a settling month, (B,): the largest
    change of any, each relative to its size where that exceeds one (a count of people),
    absolute for a share or an index (up to one)."""
    B = s.neutrality.shape[0]
    change = xp.zeros(B)
    for name in FAST:
        moved = xp.abs(getattr(new, name) - getattr(s, name)).reshape(B, -1)
        size = xp.abs(getattr(new, name)).reshape(B, -1).max(axis=1, initial=1.0)
        change = xp.maximum(change, moved.max(axis=1, initial=0.0) / size)
    return change


def settling_month(s: State, p: Params) -> State:
    """One month of settling: month 0's decisions and transition with no noise, the slow
    conditions held, neutrality at its target and returnees at theirs."""
    B, H, R = s.neutrality.shape
    quiet = Noise(
        phase=xp.full((B, R), 0.5),  # no phase moves (hazards are far below 0.5)
        violence=xp.zeros((B, R)),
        incidents=xp.zeros((B, len(GRADES), H, R)),  # no victims drawn
    )
    held = {name: getattr(s, name) for name in HELD}
    d = decide(s, p)
    # the SRSG holds the mission where it is and calls no elections while settling
    d.srsg = dataclasses.replace(d.srsg, target_strength=s.strength, hold_elections=xp.zeros(B))
    moved = transition(s, d, p, quiet)
    target = neutrality_target(moved.association, d.armed_groups.partisanship)
    hosted = hosting(held["displaced"], held["violence"], p)  # where the held displaced live
    # returnees straight to where this month's flows would bring them (the slowest mode)
    rest = settled_returns(
        moved.returned - s.returned, moved.newly_displaced - s.newly_displaced, p
    )
    recent = xp.where(xp.isfinite(rest), rest, moved.recent_returns)  # none: iterate
    return dataclasses.replace(
        moved,
        neutrality=target,
        hosted=hosted,
        recent_returns=recent,
        presence=xp.broadcast_to(d.conduct.presence_target, moved.presence.shape),
        **held,
    )


def put_rows(target: State, rows: np.ndarray, part: State) -> None:
    """Write ``part``'s points into ``target``'s arrays at ``rows`` (the batch axis)."""
    for f in dataclasses.fields(State):
        getattr(target, f.name)[rows] = getattr(part, f.name)
