"""The classroom on a shared network: every abuse of the API is a 4xx with a message, and
the room keeps answering (issue "The room"). A real server, as a user starts it."""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse

import pytest
from classroom_server import serve

from imsim.classroom.guard import MAX_BODY


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("guard"), "--scenario", "baseline") as served:
        yield served


def send(room, method, path, body=None, headers=None, raw=None):
    """(status, JSON answer) of one request, headers as given (JSON by default)."""
    url = urllib.parse.urlsplit(room["base"])
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    sent = {"Content-Type": "application/json"} | (headers or {})
    conn.request(method, "/api" + path, body=data, headers=sent)
    response = conn.getresponse()
    answer = response.read()
    conn.close()
    return response.status, json.loads(answer or b"{}")


def join(room, name="Ana"):
    return send(room, "POST", "/join", {"code": room["code"], "name": name})


def assert_refused(result, status, words=""):
    code, answer = result
    assert code == status, answer
    assert words in answer["error"] and "\n" not in answer["error"]


def test_the_join_code_is_the_trainers_alone(room):
    assert "code" not in send(room, "GET", "/state")[1]
    assert send(room, "GET", f"/state?key={room['key']}")[1]["code"] == room["code"]


@pytest.mark.parametrize(
    ("name", "status", "words"),
    [
        (None, 422, "name"),
        ({"a": 1}, 422, "name"),
        (7, 422, "name"),
        ("", 422, "1 to 40"),
        ("x" * 41, 422, "1 to 40"),
        ("Ana\x00", 422, "letters, digits"),
        ("\u202eanA", 422, "letters, digits"),  # right-to-left override
        ("A\u200bna", 422, "letters, digits"),  # zero-width space
    ],
)
def test_a_name_is_short_printable_text(room, name, status, words):
    assert_refused(send(room, "POST", "/join", {"code": room["code"], "name": name}), status, words)


def test_a_hostile_name_is_kept_as_text(room):
    hostile = "<img src=x onerror=alert(1)>"
    status, joined = join(room, hostile)
    assert status == 200
    assert send(room, "POST", "/take", {"token": joined["token"], "role": "srsg"})[0] == 200
    # the name is data, kept as typed: the pages show it as text (the browser test)
    assert send(room, "GET", "/state")[1]["seats"]["srsg"] == hostile


def test_requests_from_elsewhere_are_refused(room):
    # another host name (DNS rebinding), and a cross-site form's content type
    assert_refused(send(room, "GET", "/state", headers={"Host": "evil.example"}), 421, "host")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert_refused(send(room, "POST", "/join", raw=b"code=X&name=Y", headers=form), 415, "json")


def test_bodies_are_bounded_in_size_depth_and_fields(room):
    token = join(room, "Ben")[1]["token"]
    big = json.dumps({"token": token, "turn": 1, "shocks": [{"shock": "elections"}] * 200_000})
    assert_refused(send(room, "POST", "/decide", raw=big.encode()), 413, str(MAX_BODY))
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    assert_refused(send(room, "POST", "/decide", raw=deep), 413, "bytes")
    nested = {"token": token, "turn": 1, "changes": {"a": [[[[[[[[1]]]]]]]]}}
    assert_refused(send(room, "POST", "/decide", nested), 400, "deeper")
    five = [{"shock": "elections"}] * 5
    assert_refused(send(room, "POST", "/decide", {"token": token, "turn": 1, "shocks": five}), 422)
    for turn in ("1", 1.9, True, None):
        assert_refused(send(room, "POST", "/decide", {"token": token, "turn": turn}), 422, "turn")
    nan = b'{"token": "%s", "turn": NaN}' % token.encode()
    assert_refused(send(room, "POST", "/decide", raw=nan), 422, "turn")
    bad_shocks = {"token": token, "turn": 1, "shocks": "elections"}
    assert_refused(send(room, "POST", "/decide", bad_shocks), 422, "shocks")
    assert_refused(send(room, "POST", "/take", {"token": token, "role": "king"}), 422, "role")
    months = {"key": room["key"], "months": "six"}
    assert_refused(send(room, "POST", "/clock", months), 422, "months")
    assert_refused(send(room, "POST", "/decide", raw=b"{not json"), 400, "not JSON")


def test_one_seat_per_player_and_no_shock_in_the_past(room):
    token = join(room, "Cleo")[1]["token"]
    assert send(room, "POST", "/take", {"token": token, "role": "ocha"})[0] == 200
    assert_refused(send(room, "POST", "/take", {"token": token, "role": "unhcr"}), 409, "one seat")
    past = {"token": token, "turn": 1, "shocks": [{"shock": "elections", "month": 0}]}
    decided = send(room, "POST", "/decide", past)
    assert decided[0] == 409 and "month" in decided[1]["error"]


def test_wrong_codes_are_limited_per_client_and_the_room_still_answers(room):
    for _ in range(10):
        assert send(room, "POST", "/join", {"code": "WRONG", "name": "Eve"})[0] == 409
    assert_refused(send(room, "POST", "/join", {"code": "WRONG", "name": "Eve"}), 429, "wait")
    start = time.monotonic()
    status, state = send(room, "GET", "/state")
    assert status == 200 and time.monotonic() - start < 1.0


def test_a_room_on_every_interface_shows_an_address_a_phone_reaches(tmp_path):
    from imsim.classroom.guard import join_address, join_qr

    assert "0.0.0.0" not in join_address("0.0.0.0", 8766)
    assert join_address("127.0.0.1", 8766) == "http://127.0.0.1:8766"
    assert join_qr("http://10.0.0.2:8766", "ABCDE").startswith("data:image/svg+xml")
    with serve(tmp_path, "--scenario", "baseline", "--host", "0.0.0.0") as everywhere:
        assert "0.0.0.0" not in everywhere["base"]
        assert send(everywhere, "GET", "/state")[0] == 200  # by the address it printed
        assert_refused(
            send(everywhere, "GET", "/state", headers={"Host": "evil.example"}), 421, "host"
        )


def test_wrong_codes_are_limited_per_session_too():
    from imsim.classroom.guard import JoinLimit, Rejected

    limit = JoinLimit(per_client=3, per_session=5)
    for i in range(5):  # five machines, one wrong code each
        limit.check(f"10.0.0.{i}")
    with pytest.raises(Rejected, match="this session"):
        limit.check("10.0.0.99")
    one = JoinLimit(per_client=3, per_session=100)
    for _ in range(3):
        one.check("a")
    with pytest.raises(Rejected, match="from here"):
        one.check("a")
    one.check("b")  # another client is not held up by the first
