"""A real room's load: twelve trainees as HTTP clients and a trainer, ten turns.

Every client joins with the code and grabs a free role at the same moment
(seven roles: seven win, five are refused and watch); each turn every
player sends a decision at once, the observers' attempts are refused, the
trainer closes the turn, and a decision sent after the close is refused.
At the end the session's file holds every accepted decision, turn by turn:
none was lost. Every request and every turn is bounded in time.
"""

from __future__ import annotations

import json
import random
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from classroom_server import serve

from imsim.classroom.roles import ROLES
from imsim.classroom.session import Session

TRAINEES, TURNS, SECONDS = 12, 10, 60


def call(base: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base + "/api" + path, data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=SECONDS) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def decision(role: str, rng: random.Random) -> dict:
    """A valid random choice of one or two of the role's levers."""
    levers = rng.sample(ROLES[role].levers, k=min(2, len(ROLES[role].levers)))
    changes = {}
    for lever in levers:
        if lever.kind == "option":
            changes[lever.key] = rng.choice(lever.options)
        elif lever.kind == "bool":
            changes[lever.key] = rng.random() < 0.5
        elif lever.kind == "int":
            changes[lever.key] = rng.randrange(int(lever.low), int(lever.high) + 1, 1000)
        else:
            changes[lever.key] = round(rng.random(), 2)
    return changes


def test_twelve_trainees_ten_turns_no_decision_lost(tmp_path):
    with serve(tmp_path, "--scenario", "baseline", "--turn-months", "1") as room:
        base, code, key = room["base"], room["code"], room["key"]
        pool = ThreadPoolExecutor(TRAINEES)

        def arrive(i: int) -> tuple[str, str | None, int]:
            status, joined = call(base, "/join", {"code": code, "name": f"trainee {i}"})
            assert status == 200, joined
            token, refused = joined["token"], 0
            for role in random.Random(i).sample(list(ROLES), len(ROLES)):
                status, out = call(base, "/take", {"token": token, "role": role})
                if status == 200:
                    return token, role, refused
                assert status == 409 and "is taken by" in out["error"], out
                refused += 1
            return token, None, refused

        players = [
            f.result(timeout=SECONDS) for f in [pool.submit(arrive, i) for i in range(TRAINEES)]
        ]
        # malformed requests are refused with a message, and the session goes on
        broken = urllib.request.Request(
            base + "/api/decide", data=b"{not json", headers={"Content-Type": "application/json"}
        )
        try:
            urllib.request.urlopen(broken, timeout=SECONDS)
            raise AssertionError("a body that is not JSON was accepted")
        except urllib.error.HTTPError as exc:
            assert exc.code == 400 and "not JSON" in json.loads(exc.read())["error"]
        assert call(base, "/decide", {"turn": 1})[0] == 422  # no token
        assert call(base, "/take", {"token": "forged", "role": "srsg"})[0] == 409
        roles = [role for _, role, _ in players if role]
        assert sorted(roles) == sorted(ROLES)  # every role taken once, by one trainee
        assert sum(role is None for _, role, _ in players) == TRAINEES - len(ROLES)
        seats = call(base, "/state")[1]["seats"]
        assert all(seats[r] is not None for r in ROLES)

        holder = next(token for token, role, _ in players if role)
        sent: list[dict[str, dict]] = []
        for turn in range(1, TURNS + 1):

            def decide(i: int, turn: int = turn) -> tuple[str | None, dict, int]:
                token, role, _ = players[i]
                changes = decision(role, random.Random(turn * 100 + i)) if role else {}
                status, out = call(
                    base, "/decide", {"token": token, "turn": turn, "changes": changes}
                )
                return role, changes, status

            results = [
                f.result(timeout=SECONDS) for f in [pool.submit(decide, i) for i in range(TRAINEES)]
            ]
            accepted = {role: changes for role, changes, status in results if status == 200}
            assert set(accepted) == set(ROLES)
            assert all(status == 409 for role, _, status in results if role is None)
            assert sorted(call(base, "/state")[1]["decided"]) == sorted(ROLES)
            status, closed = call(base, "/close", {"key": key})
            assert status == 200 and closed == {"closed": turn, "month": turn}, closed
            late = call(base, "/decide", {"token": holder, "turn": turn, "changes": {}})
            assert late[0] == 409 and f"turn {turn} is closed" in late[1]["error"]
            sent.append(accepted)
        assert call(base, "/close", {"key": "not the key"})[0] == 409
        pool.shutdown()

    (record,) = tmp_path.glob("*.json")
    turns = json.loads(record.read_text())["turns"]
    assert len(turns) == TURNS
    for turn, accepted in zip(turns, sent, strict=True):
        assert {r: d["changes"] for r, d in turn["decisions"].items()} == accepted
    # the server is gone; its file reopens the session where it was, players in their seats
    again = Session.open(record)
    assert again.turn == TURNS + 1 and again.month == TURNS
    assert {again.players[token].role for token, role, _ in players if role} == set(ROLES)
