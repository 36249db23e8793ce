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

import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route

from ..config.errors import ConfigError
from ..config.files import group_options
from ..console import OneLineParser, fail
from .roles import ROLES
from .session import TURN_MONTHS, Refused, Session


@dataclass
class Classroom:
    """The one session this server holds, and the trainer's key."""

    session: Session
    key: str
    address: str = ""
    debrief: tuple[Path, ...] = ()  # the files of the last debrief written

    def trainer(self, key: str | None) -> None:
        if key != self.key:
            raise Refused("this needs the trainer's key (the address printed at start)")


ROOM: dict[str, Classroom] = {}


def current() -> Classroom:
    return ROOM["room"]


def state(session: Session) -> dict[str, Any]:
    """What every page shows: the clock, the seats, who has decided, the log's end."""
    with session.lock:
        return {
            "code": session.code,
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


def _call(method: Callable[..., Any], trainer: bool = False) -> Callable:
    """An endpoint calling ``method(room, body)`` off the event loop; refusals are 409s."""

    async def endpoint(request: Request) -> JSONResponse:
        try:
            body = await request.json() if request.method == "POST" else {}
        except ValueError:
            return JSONResponse({"error": "the request body is not JSON"}, status_code=400)
        if not isinstance(body, dict):
            return JSONResponse({"error": "the request body is not a JSON object"}, 400)
        room = current()
        try:
            if trainer:
                room.trainer(body.get("key", request.query_params.get("key")))
            out = await run_in_threadpool(method, room, body)
        except Refused as exc:
            return JSONResponse({"error": str(exc)}, status_code=409)
        except (KeyError, TypeError) as exc:
            return JSONResponse({"error": f"missing or malformed field {exc}"}, status_code=400)
        return JSONResponse(out)

    return endpoint


def _decide(room: Classroom, b: dict) -> dict:
    decision = room.session.submit(
        b["token"], int(b["turn"]), b.get("changes"), b.get("shocks", ())
    )
    return asdict(decision)


def _close(room: Classroom, b: dict) -> dict:
    turn = room.session.close_turn()
    return {"closed": turn.number, "month": room.session.month}


API = [
    Route("/state", _call(lambda room, b: state(room.session)), methods=["GET"]),
    Route("/roles", _call(lambda room, b: {r.name: r.title for r in ROLES.values()})),
    Route(
        "/join",
        _call(lambda room, b: {"token": room.session.join(b["code"], b["name"])}),
        methods=["POST"],
    ),
    Route(
        "/take",
        _call(lambda room, b: room.session.take(b["token"], b["role"]) or {"role": b["role"]}),
        methods=["POST"],
    ),
    Route("/decide", _call(_decide), methods=["POST"]),
    Route("/close", _call(_close, trainer=True), methods=["POST"]),
]


# The trainer's controls, as the trainer's page has them: name -> action on (session, body).
TRAINER = {
    "clock": lambda s, b: s.set_turn_months(int(b["months"])),
    "pause": lambda s, b: s.pause(bool(b["paused"])),
    "rewind": lambda s, b: s.rewind(int(b["turn"])),
    "event": lambda s, b: s.queue_event(b["event"]),
}
API += [
    Route(
        f"/{name}",
        _call(lambda room, b, act=act: act(room.session, b) or {}, trainer=True),
        methods=["POST"],
    )
    for name, act in TRAINER.items()
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


def build_app() -> Starlette:
    """The API under /api and Solara's pages (``imsim.classroom.app``) everywhere else."""
    os.environ.setdefault("SOLARA_APP", "imsim.classroom.app")
    import solara.server.starlette

    solara_app = solara.server.starlette
    # Solara's own app (its middleware included) under everything that is not the API; its
    # lifespan, which a mounted app does not get, runs as this app's
    return Starlette(
        routes=[Mount("/api", routes=API), Mount("/", app=solara_app.app)],
        lifespan=solara_app.lifespan,
    )


def start(args: Any) -> Classroom:
    """The session the command line asks for; ConfigError (one line) on bad input."""
    if args.open:
        session = Session.open(Path(args.open))
    else:
        if args.scenario not in group_options("scenario"):
            raise ConfigError("--scenario", args.scenario, ", ".join(group_options("scenario")))
        session = Session(args.scenario, args.set or (), args.seed, args.turn_months)
        session.path = Path(args.save) / f"{session.code}.json"
        session.path.parent.mkdir(parents=True, exist_ok=True)
    return Classroom(session, secrets.token_urlsafe(9))


def main(argv: list[str] | None = None) -> None:
    """Console entry point: start a session and serve it."""
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
    room.address = f"http://{args.host}:{args.port}"
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
