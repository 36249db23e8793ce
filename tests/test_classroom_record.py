"""A session file is trusted no more than a request, and a change is kept only once the
file holds it (issue "The room")."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import imsim
from imsim.classroom.session import Refused, Session


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A session file with players, a closed turn, a pending decision and a queued event."""
    path = tmp_path_factory.mktemp("record") / "session.json"
    s = Session("baseline", seed=2, turn_months=1, path=path)
    ana = s.join(s.code, "Ana")
    s.take(ana, "force")
    s.submit(ana, 1, {"force.escorts": "never"})
    s.close_turn()
    s.submit(ana, 2, {"force.escorts": "routine"})
    s.queue_event("elections")
    return json.loads(path.read_text())


def broken(record: dict, change) -> dict:
    copy = json.loads(json.dumps(record))
    change(copy)
    return copy


BAD = {
    "a missing key": (lambda r: r.pop("turns"), "session.turns"),
    "a seed as text": (lambda r: r.update(seed="x"), "session.seed"),
    "a negative seed": (lambda r: r.update(seed=-1), "session.seed"),
    "an unknown event": (lambda r: r.update(queued=["meteor"]), "session.queued"),
    "an unknown role": (
        lambda r: next(iter(r["players"].values())).update(role="king"),
        "role",
    ),
    "a code that is a path": (lambda r: r.update(code="../../../x"), "session.code"),
    "a hostile name": (
        lambda r: next(iter(r["players"].values())).update(name="a\u202eb"),
        "name",
    ),
    "a turn out of order": (lambda r: r["turns"][0].update(number=3), "session.turns[0]"),
    "another role's lever": (
        lambda r: r["pending"]["force"]["changes"].update({"integration.branding": 1.0}),
        "integration.branding",
    ),
    "an unknown scenario": (lambda r: r.update(scenario="atlantis"), "session.scenario"),
}


@pytest.mark.parametrize("what", sorted(BAD))
def test_a_malformed_session_file_is_one_line_naming_the_field(saved, tmp_path, what):
    change, key = BAD[what]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(broken(saved, change)))
    with pytest.raises(imsim.ConfigError) as err:
        Session.open(path)
    assert key in str(err.value) and "\n" not in str(err.value)


def test_the_command_refuses_a_malformed_file_in_one_line(saved, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(broken(saved, lambda r: r.update(code="../../../x"))))
    proc = subprocess.run(
        [sys.executable, "-m", "imsim.classroom.server", "--open", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "session.code" in lines[0]


def test_a_good_file_reopens(saved, tmp_path):
    path = tmp_path / "good.json"
    path.write_text(json.dumps(saved))
    s = Session.open(path)
    assert len(s.turns) == 1 and s.queued == ["elections"] and "force" in s.pending


def test_a_change_the_file_cannot_hold_is_not_made(tmp_path):
    s = Session("baseline", seed=2, turn_months=1, path=tmp_path / "s.json")
    ana = s.join(s.code, "Ana")
    s.take(ana, "force")
    s.submit(ana, 1, {"force.escorts": "never"})
    (tmp_path / "blocked").write_text("a file, not a folder")
    s.path = tmp_path / "blocked" / "s.json"  # every write fails now
    month, players = s.month, dict(s.players)
    with pytest.raises(Refused, match="cannot be written.*nothing changed"):
        s.close_turn()
    assert (s.turn, s.month, s.players) == (1, month, players)
    assert s.pending["force"].changes == {"force.escorts": "never"}
    with pytest.raises(Refused, match="nothing changed"):
        s.join(s.code, "Ben")
    assert list(s.players) == list(players)
    s.path = tmp_path / "s.json"  # writable again: the same close now goes through
    s.close_turn()
    assert s.turn == 2 and s.month == month + 1
