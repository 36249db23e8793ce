"""The classroom's session: roles, turns, replay, counterfactual branches and the debrief."""

from __future__ import annotations

import html
import json

import numpy as np
import pytest

import imsim
from imsim.classroom.branch import FAN_SERIES, ROOM
from imsim.classroom.debrief import pivotal, write_debrief
from imsim.classroom.roles import ROLES
from imsim.classroom.session import Refused, Session


def played(path=None) -> Session:
    """Three players, two turns of decisions with a shock and a trainer's event."""
    s = Session("drc_relapse", seed=5, turn_months=3, path=path)
    ana, ben, cleo = (s.join(s.code, n) for n in ("Ana", "Ben", "Cleo"))
    s.take(ana, "force")
    s.take(ben, "hc")
    s.take(cleo, "srsg")
    s.submit(ana, 1, {"force.escorts": "routine", "force.deployment_share": 0.5})
    s.submit(ben, 1, {"integration.hc_location": "two_feet_in"})
    s.submit(cleo, 1, {"mission.stance": "backs_government"}, [{"shock": "elections"}])
    s.queue_event("ceasefire collapse")
    s.close_turn()
    s.submit(ben, 2, {"integration.hc_location": "two_feet_out", "force.qips": "joint_pool"})
    s.set_turn_months(6)
    s.close_turn()
    return s


@pytest.fixture(scope="module")
def session() -> Session:
    return played()


def test_a_live_classroom_run_equals_a_batch_run_of_its_decisions_and_events(session):
    assert session.month == 9 and [t.months for t in session.turns] == [3, 6]
    cfg = session.batch_config()
    kinds = [e.get("shock") or sorted(e.get("set", {})) for e in cfg.events]
    assert "elections" in kinds and "ceasefire_collapse" in kinds
    ds = imsim.simulate(cfg)
    for name in ("neutrality", "access", "displaced", "phase", "humanitarian_space"):
        np.testing.assert_allclose(ds[name].values[0], session.live.series(name), atol=1e-9)
    # the decisions changed the run: without them it is another run
    alone = ["run.months=24", "run.replicates=1", "run.seed=5"]
    plain = imsim.simulate(imsim.compose("drc_relapse", alone)).neutrality.values[0, :10]
    assert np.abs(plain - session.live.series("neutrality")).max() > 0.01


def test_the_rooms_own_branch_is_the_live_line(tmp_path):
    s = played()
    fan = s.counterfactual(["escorts as a last resort", "HC outside the mission"], 12, 32)
    assert fan.labels[0] == ROOM and fan.series["access"].shape == (3, 32, 13)
    for _ in range(4):  # twelve months more, with no new decision
        s.close_turn()
    live = s.national()
    for name in FAN_SERIES:
        np.testing.assert_allclose(fan.series[name][0, 0], live[name][9:22], atol=1e-9)
    # a fan; an alternative differs by its settings only: the room already had the HC out
    space = fan.series["humanitarian_space"]
    assert space[0, :, -1].std() > 0
    np.testing.assert_array_equal(space[2], space[0])
    assert np.abs(space[1] - space[0]).max() > 1e-3
    assert s.counterfactuals[0]["end"][ROOM]["humanitarian_space"][1] == pytest.approx(
        np.median(fan.series["humanitarian_space"][0, :, -1])
    )


def test_a_saved_session_reopens_and_replays_and_rewinds(tmp_path):
    path = tmp_path / "session.json"
    s = played(path)
    record = json.loads(path.read_text())
    assert len(record["turns"]) == 2 and record["code"] == s.code
    again = Session.open(path)
    np.testing.assert_array_equal(again.live.series("access"), s.live.series("access"))
    assert again.seats() == s.seats() and again.turn == 3
    again.rewind(2)  # back to the start of turn 2: turn 1 replayed
    assert again.month == 3 and again.turn == 2
    np.testing.assert_array_equal(again.live.series("access"), s.live.series("access")[:4])
    assert json.loads(path.read_text())["turns"].__len__() == 1


def test_roles_and_turns_refuse_what_a_room_gets_wrong():
    s = Session("baseline", seed=1, turn_months=1)
    with pytest.raises(Refused, match="code"):
        s.join("WRONG", "Dan")
    ana, ben = s.join(s.code.lower(), "Ana"), s.join(s.code, "Ben")
    s.take(ana, "force")
    with pytest.raises(Refused, match="Force Commander is taken by Ana"):
        s.take(ben, "force")
    with pytest.raises(Refused, match="observers do not decide"):
        s.submit(ben, 1, {"force.escorts": "never"})
    s.take(ben, "ngos")
    with pytest.raises(Refused, match="integration.hc_location"):  # another role's lever
        s.submit(ana, 1, {"integration.hc_location": "two_feet_out"})
    with pytest.raises(Refused, match="force.escorts: bad value 'sometimes'"):
        s.submit(ana, 1, {"force.escorts": "sometimes"})
    with pytest.raises(Refused, match=r"integration.shared_assets: bad value 1.5"):
        s.submit(ben, 1, {"integration.shared_assets": 1.5})
    with pytest.raises(Refused, match="shocks"):
        s.submit(ana, 1, {}, [{"shock": "elections"}])  # the SRSG's to call
    s.submit(ana, 1, {"force.escorts": "never"})
    s.close_turn()
    with pytest.raises(Refused, match="turn 1 is closed; the mission is in turn 2"):
        s.submit(ana, 1, {"force.escorts": "routine"})
    assert s.turns[0].decisions["force"].changes == {"force.escorts": "never"}
    assert s.in_force()["force.escorts"] == "never"
    with pytest.raises(Refused):
        s.set_turn_months(2)


def test_a_rewind_says_which_accepted_decisions_it_drops():
    s = Session("baseline", seed=1, turn_months=1)
    ana = s.join(s.code, "Ana")
    s.take(ana, "force")
    s.submit(ana, 1, {"force.escorts": "never"})
    s.close_turn()
    s.submit(ana, 2, {"force.escorts": "routine"})  # accepted, the turn still open
    answer = s.rewind(1)
    assert answer == {"dropped": ["turn 2: Force Commander", "turn 1: Force Commander"]}
    assert "decisions dropped: turn 2: Force Commander" in s.live.log[-1]
    assert s.rewind(s.turn) == {"dropped": []}
    with pytest.raises(Refused, match="one seat per player"):
        s.take(ana, "ngos")


def test_the_debrief_holds_decisions_events_and_computed_pivotal_moments(session, tmp_path):
    session.counterfactual(["HC outside the mission"], 12, 32)
    moments = pivotal(session, replicates=8)
    assert set(moments) == set(ROLES)
    for role, found in moments.items():
        assert len(found) <= 3
        sizes = [m.size for m in found]
        assert sizes == sorted(sizes, reverse=True)
        assert all(ROLES[role].lever(m.lever) and m.alternative != m.chosen for m in found)
        # only effects the replicates tell from none: an interval excludes zero
        assert all(m.clear and (m.space_half > 0 or m.consolidation_half > 0) for m in found)
    assert sum(len(found) for found in moments.values()) >= 3
    # a moment is an effect: the alternative at that turn, run, moves the end by that much
    m = moments["council"][0]
    assert m.lever == "force.troops" and abs(m.space) > 0.01
    html_path, pdf_path = write_debrief(session, tmp_path)
    page = html_path.read_text()
    expected = ["Force Commander", "escorts routine", "the ceasefire collapses", "elections"]
    expected += ["HC outside the mission", "Pivotal moments", moments["hc"][0].words()]
    for text in expected:
        assert html.escape(text) in page, text
    assert pdf_path.read_bytes()[:5] == b"%PDF-" and pdf_path.stat().st_size > 10_000
    # the PDF is typeset from the same page: its headings and tables, not a text dump
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(str(pdf_path)).pages)
    for heading in ("Decisions by role", "What-ifs asked during the session", "Pivotal moments"):
        assert heading in text
    assert "|" not in text


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (["--scenario", "atlantis"], "--scenario"),
        (["--turn-months", "2"], "--turn-months"),
        (["--set", "force.troops=-5"], "force.troops"),
        (["--open", "no_such_session.json"], "session"),
        (["--port", "70000"], "--port"),
    ],
)
def test_the_classroom_command_refuses_bad_input_in_one_line(args, key, tmp_path):
    import subprocess
    import sys

    save = tmp_path / "saved"
    proc = subprocess.run(
        [sys.executable, "-m", "imsim.classroom.server", "--save", str(save), *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and key in lines[0], proc.stderr
    assert not save.exists()


def test_a_what_if_the_room_already_chose_says_so():
    s = Session("baseline", seed=1, turn_months=1)  # escorts as a last resort, as scenario
    s.close_turn()
    fan = s.counterfactual(["escorts as a last resort", "no escorts"], 12, 4)
    assert fan.labels[1] == "escorts as a last resort (= the room's own)"
    assert fan.labels[2] == "no escorts"
    np.testing.assert_array_equal(
        fan.series["humanitarian_space"][0], fan.series["humanitarian_space"][1]
    )
