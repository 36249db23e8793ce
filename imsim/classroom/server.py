"""The classroom server: the trainer's and trainees' pages (Solara) and a JSON API.

    imsim-classroom --scenario drc_relapse [--turn-months 3] [--seed 0] [--port 8766]
    imsim-classroom --open results/classroom/ABCDE.json      (reopen a saved session)

It prints the trainer's address (with a key only the trainer holds) and
the address and code trainees join with. One process holds the session;
the pages and the API (``/api/...``, used by scripts and the load test)
call the same ``Session`` methods, and the session file is rewritten
atomically after every change.
"""

from __future__ import annotations

import gzip
import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route

from ..config.errors import ConfigError
from ..config.files import group_options
from ..console import OneLineParser, fail
from . import guard
from .roles import ROLES
from .session import TURN_MONTHS, Refused, Session


@dataclass
class Classroom:
    """The one session this server holds, and the trainer's key."""

    session: Session
    key: str
    address: str = ""
    debrief: tuple[Path, ...] = ()  # the files of the last debrief written
    joins: guard.JoinLimit = field(default_factory=guard.JoinLimit)
    hosts: frozenset[str] = frozenset()  # the Host headers that name this server

    def trainer(self, key: str | None) -> None:
        if key != self.key:
            raise Refused("this needs the trainer's key (the address printed at start)")


ROOM: dict[str, Classroom] = {}


def current() -> Classroom:
    return ROOM["room"]


def state(session: Session, trainer: bool = False) -> dict[str, Any]:
    """What every page shows: the clock, the seats, who has decided, the log's end; the
    join code only to the trainer (who shows it on the wall)."""
    with session.lock:
        return ({"code": session.code} if trainer else {}) | {
            "scenario": str(session.live.cfg.scenario_name),
            "turn": session.turn,
            "month": session.month,
            "turn_months": session.turn_months,
            "paused": session.paused,
            "done": session.done,
            "version": session.version,
            "seats": session.seats(),
            "decided": sorted(session.pending),
            "in_force": session.in_force(),
            "log": session.live.log[-12:],
        }


async def _body(request: Request) -> bytes:
    """The request's body, read no further than MAX_BODY bytes (Rejected beyond)."""
    if int(request.headers.get("content-length") or 0) > guard.MAX_BODY:
        raise guard.Rejected(413, f"the request body is over {guard.MAX_BODY} bytes")
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > guard.MAX_BODY:
            raise guard.Rejected(413, f"the request body is over {guard.MAX_BODY} bytes")
    return raw


def _call(
    method: Callable[..., Any], model: type[BaseModel] = guard.Trainer, trainer: bool = False
) -> Callable:
    """An endpoint calling ``method(room, body, request)`` off the event loop, its body
    checked by ``model``; refusals are 4xx with a message, never a 500."""

    async def endpoint(request: Request) -> JSONResponse:
        room = current()
        try:
            raw = await _body(request) if request.method == "POST" else b"{}"
            body = guard.parse(model, raw)
            if trainer:
                room.trainer(getattr(body, "key", None) or request.query_params.get("key"))
            out = await run_in_threadpool(method, room, body, request)
        except guard.Rejected as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.status)
        except Refused as exc:
            return JSONResponse({"error": str(exc)}, status_code=409)
        except ConfigError as exc:  # a field naming what does not exist (a role, say)
            return JSONResponse({"error": str(exc)}, status_code=422)
        return JSONResponse(out)

    return endpoint


def _state(room: Classroom, b: Any, request: Request) -> dict:
    return state(room.session, trainer=request.query_params.get("key") == room.key)


def _join(room: Classroom, b: guard.Join, request: Request) -> dict:
    client = request.client.host if request.client else "unknown"
    if b.code.strip().upper() != room.session.code:
        room.joins.check(client)  # wrong codes a minute, from one client
    return {"token": room.session.join(b.code, guard.clean_name(b.name))}


def _decide(room: Classroom, b: guard.Decide, request: Request) -> dict:
    decision = room.session.submit(b.token, b.turn, b.changes, b.shocks)
    return asdict(decision)


def _close(room: Classroom, b: Any, request: Request) -> dict:
    turn = room.session.close_turn()
    return {"closed": turn.number, "month": room.session.month}


API = [
    Route("/state", _call(_state), methods=["GET"]),
    Route("/roles", _call(lambda room, b, r: {n: role.title for n, role in ROLES.items()})),
    Route("/join", _call(_join, guard.Join), methods=["POST"]),
    Route(
        "/take",
        _call(
            lambda room, b, r: room.session.take(b.token, b.role) or {"role": b.role}, guard.Take
        ),
        methods=["POST"],
    ),
    Route("/decide", _call(_decide, guard.Decide), methods=["POST"]),
    Route("/close", _call(_close, trainer=True), methods=["POST"]),
]


# The trainer's controls, as the trainer's page has them: name -> action on (session, body).
TRAINER = {
    "clock": (guard.Clock, lambda s, b: s.set_turn_months(b.months)),
    "pause": (guard.Pause, lambda s, b: s.pause(b.paused)),
    "rewind": (guard.Rewind, lambda s, b: s.rewind(b.turn)),
    "event": (guard.Event, lambda s, b: s.queue_event(b.event)),
}
API += [
    Route(
        f"/{name}",
        _call(lambda room, b, r, act=act: act(room.session, b) or {}, model, trainer=True),
        methods=["POST"],
    )
    for name, (model, act) in TRAINER.items()
]
SAVE = Path("results/classroom")  # where sessions are saved unless --save says otherwise


def debrief_folder(session: Session) -> Path:
    """Where the session's debrief is written: beside its file."""
    return (session.path.parent if session.path else SAVE) / f"{session.code}-debrief"


async def _debrief(request: Request) -> Response:
    """The debrief's files, for the trainer (the links on the trainer's page)."""
    room = current()
    name = request.path_params["name"]
    path = debrief_folder(room.session) / name
    if request.query_params.get("key") != room.key or name not in DEBRIEF or not path.exists():
        return JSONResponse({"error": "no such debrief here, or not the trainer's key"}, 404)
    return FileResponse(path, media_type=DEBRIEF[name])


DEBRIEF = {"debrief.html": "text/html", "debrief.pdf": "application/pdf"}
API.append(Route("/debrief/{name}", _debrief, methods=["GET"]))


class Checked:
    """ASGI middleware in front of everything: the Host must name this server, and a POST
    to the API must say it is JSON (a cross-site form cannot)."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            hosts = current().hosts
            problem = None
            if hosts and headers.get("host", "").lower() not in hosts:
                problem = (421, "this server does not answer to that host name")
            elif (
                scope["type"] == "http"
                and scope["method"] == "POST"
                and scope["path"].startswith("/api/")
                and headers.get("content-type", "").split(";")[0].strip() != "application/json"
            ):
                problem = (415, "send the request body as application/json")
            if problem:
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                response = JSONResponse({"error": problem[1]}, status_code=problem[0])
                await response(scope, receive, send)
                return
        if scope["type"] == "http":
            await self.app(scope, receive, with_policy(send))
            return
        await self.app(scope, receive, send)


# The pages' Content-Security-Policy: scripts only from this server, or inline with this
# response's nonce (Solara's page holds a few); no inline event handler (an injected
# ``<img onerror=...>`` does not run); eval for the widgets' templates (Vue compiles them
# in the page); nothing framed, posted or fetched elsewhere.
POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'strict-dynamic' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)


def with_policy(send: Callable) -> Callable:
    """``send`` that gives every response the policy and, in an HTML page, every inline
    script this response's nonce."""
    nonce = secrets.token_urlsafe(16)
    started: dict = {}
    body: list[bytes] = []

    async def policed(message: dict) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", [])]
            kind = dict(headers).get(b"content-type", b"")
            headers.append((b"content-security-policy", POLICY.format(nonce=nonce).encode()))
            headers.append((b"x-content-type-options", b"nosniff"))
            if not kind.startswith(b"text/html"):
                await send({**message, "headers": headers})
                return
            started.update(message, headers=headers)
            return
        if not started:
            await send(message)
            return
        body.append(message.get("body", b""))
        if message.get("more_body"):
            return
        page = b"".join(body)
        zipped = dict(started["headers"]).get(b"content-encoding") == b"gzip"
        page = gzip.decompress(page) if zipped else page
        page = page.replace(b"<script", f'<script nonce="{nonce}"'.encode())
        page = gzip.compress(page) if zipped else page
        headers = [(k, v) for k, v in started["headers"] if k != b"content-length"]
        headers.append((b"content-length", str(len(page)).encode()))
        await send({**started, "headers": headers})
        await send({"type": "http.response.body", "body": page})

    return policed


def build_app() -> Starlette:
    """The API under /api and Solara's pages (``imsim.classroom.app``) everywhere else,
    behind the checks of ``Checked``."""
    os.environ.setdefault("SOLARA_APP", "imsim.classroom.app")
    import solara.server.starlette

    solara_app = solara.server.starlette
    # Solara's own app (its middleware included) under everything that is not the API; its
    # lifespan, which a mounted app does not get, runs as this app's
    return Starlette(
        routes=[Mount("/api", routes=API), Mount("/", app=solara_app.app)],
        lifespan=solara_app.lifespan,
        middleware=[Middleware(Checked)],
    )


def start(args: Any) -> Classroom:
    """The session the command line asks for; ConfigError (one line) on bad input."""
    from ..preflight import check_folder

    if args.open:
        session = Session.open(Path(args.open))
    else:
        if args.scenario not in group_options("scenario"):
            raise ConfigError("--scenario", args.scenario, ", ".join(group_options("scenario")))
        check_folder("--save", args.save)  # before the run is built: a writable folder
        session = Session(args.scenario, args.set or (), args.seed, args.turn_months)
        try:
            Path(args.save).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError("--save", args.save, f"a folder ({exc.strerror})") from None
        session.path = Path(args.save) / f"{session.code}.json"
    return Classroom(session, secrets.token_urlsafe(9))


def main(argv: list[str] | None = None) -> None:
    """Console entry point: start a session and serve it (Ctrl-C: one line, exit 130)."""
    try:
        _main(argv)
    except KeyboardInterrupt:
        fail("imsim-classroom", "interrupted", 130)


def _main(argv: list[str] | None) -> None:
    from ..views.dashboard import check_address

    ap = OneLineParser(prog="imsim-classroom", description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--set", nargs="*", help="config overrides, e.g. integration=two_feet_in")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--turn-months", type=int, default=3, choices=TURN_MONTHS)
    ap.add_argument("--open", help="a saved session file to reopen")
    ap.add_argument("--save", default=str(SAVE), help="folder for the session file")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8766)
    args = ap.parse_args(argv)
    try:
        check_address(args.host, args.port)
        room = start(args)
    except (ConfigError, Refused) as exc:
        fail("imsim-classroom", f"error: {exc}", 2)
    room.address = guard.join_address(args.host, args.port)
    room.hosts = frozenset(n.lower() for n in guard.local_names(args.host, args.port))
    ROOM["room"] = room
    print(f"trainer:  {room.address}/trainer?key={room.key}", flush=True)
    print(f"trainees: {room.address}/  code {room.session.code}", flush=True)
    print(f"session:  {room.session.path}", flush=True)
    import uvicorn

    try:
        uvicorn.run(build_app(), host=args.host, port=args.port, log_level="warning")
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    # the pages import this module by its name: run that one, not a second copy as __main__
    from imsim.classroom.server import main as serve

    serve()
