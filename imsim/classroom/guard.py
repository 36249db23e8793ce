"""What the classroom's server lets in: a room on a shared network.

Anyone on the network can reach the server, so every request is checked before the
session sees it (README, "The classroom on a network"):

- the ``Host`` header must name this machine (a page elsewhere cannot rebind a name of
  its own to this server), and a request that changes anything must say it is JSON (a
  form on another site cannot post to the API);
- a body is at most ``MAX_BODY`` bytes and ``MAX_DEPTH`` deep, and each route's fields
  have one type (pydantic models below): a bad request is a 4xx with a message, never
  a 500;
- a client may try ``JOINS_PER_MINUTE`` wrong codes a minute (all clients together
  ``JOINS_PER_MINUTE_ALL``), a session takes at most
  ``MAX_PLAYERS`` players, and a name is 1 to 40 printable characters (no control,
  direction or zero-width characters, which make one name look like another).
"""

from __future__ import annotations

import json
import socket
import threading
import time
import unicodedata
from collections import defaultdict, deque
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

MAX_BODY = 16_384  # bytes: a decision with every lever and a few shocks is under 2 KB
MAX_DEPTH = 6
MAX_SHOCKS = 4
MAX_PLAYERS = 60  # the largest room
JOINS_PER_MINUTE = 10  # wrong codes per client
JOINS_PER_MINUTE_ALL = 60  # wrong codes from all clients together (guessing from many)
NAME_LENGTH = 40
# Unicode categories a name may not hold: controls, format characters (direction marks and
# overrides, zero-width joiners), unassigned, private use, surrogates.
BANNED_CATEGORIES = {"Cc", "Cf", "Cn", "Co", "Cs"}


class Rejected(ValueError):
    """A request refused before the session sees it: its HTTP status and its message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Join(_Body):
    code: StrictStr = Field(max_length=20)
    name: StrictStr = Field(max_length=200)


class Take(_Body):
    token: StrictStr = Field(max_length=64)
    role: StrictStr = Field(max_length=40)


class Decide(_Body):
    token: StrictStr = Field(max_length=64)
    turn: StrictInt
    changes: dict[str, Any] = Field(default_factory=dict, max_length=20)
    shocks: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_SHOCKS)


class Clock(_Body):
    key: StrictStr | None = None
    months: StrictInt


class Pause(_Body):
    key: StrictStr | None = None
    paused: StrictBool


class Rewind(_Body):
    key: StrictStr | None = None
    turn: StrictInt


class Event(_Body):
    key: StrictStr | None = None
    event: StrictStr = Field(max_length=60)


class Trainer(_Body):
    key: StrictStr | None = None


def parse(model: type[BaseModel], raw: bytes) -> BaseModel:
    """A request body as ``model``; Rejected (400, 413 or 422) with a one-line message."""
    if len(raw) > MAX_BODY:
        raise Rejected(413, f"the request body is over {MAX_BODY} bytes")
    try:
        body = json.loads(raw or b"{}")
    except (ValueError, RecursionError):
        raise Rejected(400, "the request body is not JSON") from None
    if not isinstance(body, dict):
        raise Rejected(400, "the request body is not a JSON object")
    if _depth(body) > MAX_DEPTH:
        raise Rejected(400, f"the request body nests deeper than {MAX_DEPTH} levels")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        given = repr(first.get("input"))[:60]
        raise Rejected(422, f"{where}: bad value {given}; {first['msg'].lower()}") from None


def _depth(value: Any) -> int:
    """How deeply containers nest in ``value`` (iteratively: no recursion limit to hit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def clean_name(name: str) -> str:
    """A player's name as shown to others: 1 to 40 printable characters, trimmed."""
    name = unicodedata.normalize("NFC", name).strip()
    if not name or len(name) > NAME_LENGTH:
        raise Rejected(422, f"enter a name of 1 to {NAME_LENGTH} characters")
    if any(unicodedata.category(ch) in BANNED_CATEGORIES for ch in name):
        raise Rejected(422, "a name may hold letters, digits, spaces and punctuation only")
    return name


class JoinLimit:
    """At most ``per_client`` wrong codes a minute from one client, and ``per_session``
    from all of them together (the 31^5 codes cannot be guessed from many machines)."""

    def __init__(self, per_client: int = JOINS_PER_MINUTE, per_session: int = JOINS_PER_MINUTE_ALL):
        self.limits = {"client": per_client, "session": per_session}
        self.attempts: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def check(self, client: str) -> None:
        now = time.monotonic()
        with self.lock:
            buckets = {"client": self.attempts[f"client {client}"], "session": self.attempts[""]}
            for seen in buckets.values():
                while seen and now - seen[0] > 60:
                    seen.popleft()
            if len(buckets["client"]) >= self.limits["client"]:
                raise Rejected(429, "too many attempts to join from here; wait a minute")
            if len(buckets["session"]) >= self.limits["session"]:
                raise Rejected(429, "too many attempts to join this session; wait a minute")
            for seen in buckets.values():
                seen.append(now)


def local_names(host: str, port: int) -> set[str]:
    """The Host headers that name this server: loopback, the bound address and, when bound
    to every interface, this machine's name and addresses, each with and without the port."""
    names = {"localhost", "127.0.0.1", "[::1]", host}
    if host in ("0.0.0.0", "::", ""):
        hostname = socket.gethostname()
        names |= {hostname, socket.getfqdn()}
        try:
            names |= set(socket.gethostbyname_ex(hostname)[2])
        except OSError:
            pass
        names |= set(lan_addresses())
    return names | {f"{n}:{port}" for n in names}


def lan_addresses() -> list[str]:
    """This machine's address on its network (the one a trainee's phone reaches)."""
    found = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: no packet is sent for a UDP connect
        found.append(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    return [a for a in found if not a.startswith("127.")]


def join_address(host: str, port: int) -> str:
    """The address trainees type: this machine's network address when the server listens
    on every interface (0.0.0.0 reaches nobody's phone), else the address it is bound to."""
    if host in ("0.0.0.0", "::", ""):
        found = lan_addresses()
        host = found[0] if found else socket.gethostname()
    return f"http://{host}:{port}"


def join_qr(address: str, code: str) -> str:
    """A QR code of the join address with the code filled in, as an SVG data URI (a phone's
    camera opens the page ready to join)."""
    import segno

    return segno.make(f"{address}/?code={code}", error="m").svg_data_uri(scale=6, border=2)
