"""A classroom's live run equals its replay, whatever the room does (issue "The room"):
any sequence of decisions, shocks, trainer's events, clock changes, closed turns and
rewinds leaves a session whose run is ``imsim.simulate(session.batch_config())``."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import imsim
from imsim.classroom.roles import ROLES
from imsim.classroom.session import TURN_MONTHS, Refused, Session
from imsim.config.keys import resolve_field
from imsim.engines.mesa.live import EVENTS

SERIES = ("neutrality", "access", "displaced", "phase", "humanitarian_space", "troops")

ACTIONS = st.one_of(
    st.tuples(st.just("decide"), st.sampled_from(sorted(ROLES)), st.integers(0, 2**31)),
    st.tuples(st.just("event"), st.sampled_from(sorted(EVENTS))),
    st.tuples(st.just("clock"), st.sampled_from(TURN_MONTHS)),
    st.tuples(st.just("close")),
    st.tuples(st.just("rewind"), st.integers(1, 5)),
    st.tuples(st.just("past shock"), st.sampled_from(sorted(ROLES))),
)


def a_decision(role: str, rng: random.Random) -> tuple[dict, list]:
    """A valid decision of ``role``: a random value for some of its levers, maybe a shock."""
    changes = {}
    for lever in ROLES[role].levers:
        if rng.random() < 0.5:
            continue
        if lever.kind == "option":
            changes[lever.key] = rng.choice(lever.options)
        elif lever.kind == "bool":
            changes[lever.key] = rng.random() < 0.5
        else:
            low, high = (
                (lever.low, lever.high)
                if lever.low is not None
                else resolve_field(lever.key)[1]["range"]
            )
            value = low + rng.random() * (high - low)
            changes[lever.key] = int(round(value)) if lever.kind == "int" else value
    shocks = [{"shock": rng.choice(ROLES[role].shocks)}] if ROLES[role].shocks else []
    return changes, (shocks if rng.random() < 0.3 else [])


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(st.lists(ACTIONS, min_size=1, max_size=8))
@example([("close",), ("past shock", "srsg"), ("close",)])
@example([("decide", "srsg", 1), ("event", "elections"), ("close",), ("rewind", 1), ("close",)])
def test_any_sequence_of_what_a_room_does_replays_exactly(actions):
    s = Session("baseline", ("world.regions=6",), seed=3, turn_months=1)
    tokens = {}
    for role in ROLES:
        tokens[role] = s.join(s.code, role)
        s.take(tokens[role], role)
    for action in actions:
        kind = action[0]
        try:
            if kind == "decide":
                changes, shocks = a_decision(action[1], random.Random(action[2]))
                s.submit(tokens[action[1]], s.turn, changes, shocks)
            elif kind == "event":
                s.queue_event(action[1])
            elif kind == "clock":
                s.set_turn_months(action[1])
            elif kind == "close":
                s.close_turn()
            elif kind == "rewind":
                s.rewind(action[1])
            else:  # a shock dated in the past is refused, never applied
                role = action[1]
                past = [{"shock": x, "month": s.month} for x in ROLES[role].shocks[:1]]
                if past and s.month >= 1:  # a month already played
                    shocks = past
                    try:
                        s.submit(tokens[role], s.turn, {}, shocks)
                        raise AssertionError("a shock in the past was accepted")
                    except Refused:
                        pass
        except Refused:
            pass  # a rewind past the open turn, say: refused, and nothing changed
    s.close_turn()  # at least one month played
    ds = imsim.simulate(s.batch_config())
    for name in SERIES:
        np.testing.assert_allclose(ds[name].values[0], s.live.series(name), atol=1e-9)
