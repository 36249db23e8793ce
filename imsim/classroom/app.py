"""The classroom's pages: a trainee's (``/``) and the trainer's wall screen (``/trainer``).

Every page reads the one session the server holds and re-renders when it
changes (it polls the session's version twice a second), so a decision,
a closed turn or a rewind shows on every screen at once. A trainee's
address carries their player token: a reload, or a phone that lost the
connection, comes back to the same role.
"""

from __future__ import annotations

import asyncio
import html
import urllib.parse
from typing import Any

import solara
import solara.lab

from ..engines.mesa.live import EVENTS
from .branch import ALTERNATIVES
from .debrief import write_debrief
from .figures import fan_chart, national_curves, room_map
from .guard import join_qr
from .roles import OBSERVER, ROLES, Lever
from .server import Classroom, current, debrief_folder
from .session import TURN_MONTHS, Refused, Session

POLL = 0.5  # seconds between checks for a change
CSS = """
.v-application, .v-application .v-input, .v-application .v-btn { font-size: 20px !important; }
.imsim-title { font-size: 34px; font-weight: 700; }
.imsim-code { font-size: 64px; font-weight: 800; letter-spacing: 0.12em; color: #0072B2; }
.imsim-log { font-size: 19px; line-height: 1.45; }
.imsim-seats { border-collapse: collapse; font-size: 18px; }
.imsim-seats td, .imsim-seats th { padding: 4px 12px; text-align: left; }
.imsim-error, .imsim-ok { font-size: 20px; padding: 10px 14px; margin: 8px 0; border-radius: 4px; }
.imsim-error { background: #fbe3d6; border-left: 6px solid #D55E00; }
.imsim-ok { background: #d8f0e8; border-left: 6px solid #009E73; }
/* the trainer's controls wrap within their column (a 1024-px projector) */
.imsim-controls .d-flex { flex-wrap: wrap; gap: 6px; }
.imsim-controls .v-btn { max-width: 100%; white-space: normal; height: auto !important;
  min-height: 40px; }
.imsim-controls .v-btn__content { white-space: normal; }
@media (max-width: 1200px) {
  .imsim-controls, .imsim-controls .v-btn { font-size: 16px !important; }
}
/* a phone: the page's columns stack, charts and controls take the whole width */
@media (max-width: 700px) {
  .v-application, .v-application .v-input, .v-application .v-btn { font-size: 17px !important; }
  .imsim-stack { flex-direction: column; }
  .imsim-stack > .v-col { max-width: 100% !important; flex-basis: auto !important; }
  .imsim-stack img, .imsim-stack svg { max-width: 100%; height: auto; }
  .imsim-title { font-size: 24px; }
  .v-btn { white-space: normal; height: auto !important; min-height: 44px; }
  .v-btn__content { white-space: normal; flex-wrap: wrap; }
  .v-select__selections, .v-label { white-space: normal !important; overflow: visible !important; }
}
"""


def use_query() -> dict[str, str]:
    router = solara.use_router()
    return {k: v[-1] for k, v in urllib.parse.parse_qs(router.search or "").items()}


def use_session_version(session: Session) -> int:
    """The session's version, polled: a page passes it to every component that shows the
    session, so each re-renders when anyone changes it (equal arguments would not)."""
    version = solara.use_reactive(session.version)

    async def watch() -> None:
        while True:
            await asyncio.sleep(POLL)
            if session.version != version.value:
                version.value = session.version

    solara.lab.use_task(watch, dependencies=[session], prefer_threaded=False)
    return version.value


@solara.component
def Note(text: str, ok: bool = False) -> None:
    """A message in the page: what was refused and why, or what was done (solara's Alert
    does not build with this ipyvuetify)."""
    solara.HTML(tag="div", unsafe_innerHTML=html.escape(text),
                classes=["imsim-ok" if ok else "imsim-error"])  # fmt: skip


@solara.component
def Clock(s: Session, version: int) -> None:
    paused = " (paused)" if s.paused else ""
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f"{s.live.cfg.scenario_name}: turn {s.turn}, month {s.month}{paused}",
        classes=["imsim-title"],
    )


@solara.component
def Seats(s: Session, version: int) -> None:
    """Who plays which role, and who has decided this turn."""
    seats = s.seats()
    rows = []
    for name, r in ROLES.items():
        who = seats[name] or "nobody (the model's own rule)"
        mark = "✔ decided" if name in s.pending else ("…" if seats[name] else "")
        rows.append("".join(f"<td>{html.escape(cell)}</td>" for cell in (r.title, who, mark)))
    head = "<tr><th>role</th><th>player</th><th>this turn</th></tr>"
    body = "".join(f"<tr>{row}</tr>" for row in rows)  # players' names as text, never HTML
    solara.HTML(tag="table", unsafe_innerHTML=head + body, classes=["imsim-seats"])


@solara.component
def Log(s: Session, version: int, lines: int = 10) -> None:
    text = "<br>".join(html.escape(line) for line in s.live.log[-lines:])  # names as text
    solara.HTML(tag="div", unsafe_innerHTML=text, classes=["imsim-log"])


@solara.component
def Join(code: str) -> None:
    room = current()
    router = solara.use_router()
    entered = solara.use_reactive(code)
    name = solara.use_reactive("")
    error = solara.use_reactive("")

    def join() -> None:
        try:
            token = room.session.join(entered.value, name.value)
        except Refused as exc:
            error.value = str(exc)
            return
        router.push(f"/?player={token}")

    solara.HTML(tag="div", unsafe_innerHTML="Join the exercise", classes=["imsim-title"])
    solara.InputText("session code", value=entered)
    solara.InputText("your name", value=name)
    solara.Button("Join", on_click=join, color="primary")
    if error.value:
        Note(error.value)


@solara.component
def RolePicker(s: Session, token: str, version: int) -> None:
    error = solara.use_reactive("")

    def take(name: str) -> None:
        try:
            s.take(token, name)
            error.value = ""
        except Refused as exc:
            error.value = str(exc)

    solara.Markdown("### Pick a free role")
    seats = s.seats()
    with solara.Row(style={"flex-wrap": "wrap"}):
        for name, r in ROLES.items():
            label = r.title if seats[name] is None else f"{r.title} ({seats[name]})"
            solara.Button(label, on_click=lambda n=name: take(n), disabled=seats[name] is not None)
    if error.value:
        Note(error.value)


def lever_input(lever: Lever, value: Any, on_value: Any) -> None:
    kind = lever.kind
    if kind == "option":
        solara.Select(lever.label, values=list(lever.options), value=value, on_value=on_value)
    elif kind == "bool":
        solara.Switch(label=lever.label, value=bool(value), on_value=on_value)
    elif kind == "int":
        solara.InputInt(f"{lever.label} ({lever.low:g} to {lever.high:g})", value=int(value),
                        on_value=on_value, continuous_update=False)  # fmt: skip
    else:
        solara.InputFloat(f"{lever.label} (0 to 1)", value=float(value), on_value=on_value,
                          continuous_update=False)  # fmt: skip


@solara.component
def Levers(s: Session, token: str, role_name: str, version: int) -> None:
    """The role's levers, set to what is in force, and the turn's decision."""
    r = ROLES[role_name]
    now = s.in_force()
    values, set_values = solara.use_state({lv.key: now[lv.key] for lv in r.levers})
    elections = solara.use_reactive(False)
    raise_phase = solara.use_reactive(False)
    level = solara.use_reactive("4")
    message = solara.use_reactive("")
    error = solara.use_reactive("")
    turn = s.turn

    def submit() -> None:
        changes = {k: v for k, v in values.items() if v != now[k]}
        shocks = [{"shock": "elections"}] if elections.value else []
        if raise_phase.value:
            shocks.append({"shock": "security_phase_raise", "level": int(level.value),
                           "months": 12})  # fmt: skip
        try:
            d = s.submit(token, turn, changes, shocks)
        except Refused as exc:
            error.value, message.value = str(exc), ""
            return
        error.value, message.value = "", f"Decision for turn {turn} sent: {d.words()}"

    solara.Markdown(f"### {r.title}: your decision for turn {turn}\n\n{r.brief}")
    for lever in r.levers:
        lever_input(lever, values[lever.key], lambda v, k=lever.key: set_values({**values, k: v}))
    if "elections" in r.shocks:
        solara.Checkbox(label="call elections at the start of the next turn", value=elections)
    if "security_phase_raise" in r.shocks:
        with solara.Row():
            solara.Checkbox(label="raise the security phase for a year", value=raise_phase)
            solara.Select("to phase", values=["2", "3", "4", "5"], value=level)
    solara.Button(f"Send decision for turn {turn}", on_click=submit, color="primary",
                  disabled=s.paused or s.done)  # fmt: skip
    if message.value:
        Note(message.value, ok=True)
    if error.value:
        Note(error.value)


@solara.component
def Trainee() -> None:
    s = current().session
    query = use_query()
    version = use_session_version(s)
    solara.Style(CSS)
    solara.Title("imsim classroom")
    token = query.get("player")
    if token is None or token not in s.players:
        Join(query.get("code", ""))
    else:
        Player(s, token, version)


@solara.component
def Player(s: Session, token: str, version: int) -> None:
    me = s.players[token]
    curves = solara.use_memo(lambda: national_curves(s), dependencies=[s.month, len(s.turns)])
    Clock(s, version)
    playing = f", playing <b>{ROLES[me.role].title}</b>" if me.role != OBSERVER else ""
    solara.HTML(tag="div", unsafe_innerHTML=f"You are <b>{html.escape(me.name)}</b>{playing}.")
    with solara.Columns([2, 3], classes=["imsim-stack"]):
        with solara.Column():
            if me.role == OBSERVER:
                RolePicker(s, token, version)
            else:
                Levers(s, token, me.role, version).key(f"{me.role}-{s.turn}")
        with solara.Column():
            solara.FigureMatplotlib(curves)
            Log(s, version, 8)


@solara.component
def TrainerControls(room: Classroom, fan: solara.Reactive, version: int) -> None:
    s = room.session
    error = solara.use_reactive("")
    rewind_to = solara.use_reactive(1)
    chosen = solara.use_reactive(["escorts as a last resort", "HC outside the mission"])
    horizon = solara.use_reactive(24)

    def act(fn: Any) -> None:
        try:
            fn()
            error.value = ""
        except Refused as exc:
            error.value = str(exc)

    solara.Markdown(f"Join at **{room.address or 'this address'}/** with the code")
    solara.HTML(tag="div", unsafe_innerHTML=s.code, classes=["imsim-code"])
    if room.address:  # a phone's camera opens the page with the code filled in
        qr = join_qr(room.address, s.code)
        solara.HTML(tag="div", unsafe_innerHTML=f'<img alt="join QR code" src="{qr}">')
    solara.Markdown(f"**Clock**: months a turn ({s.turn_months} now)")
    solara.ToggleButtonsSingle(
        value=s.turn_months,
        values=list(TURN_MONTHS),
        on_value=lambda m: act(lambda: s.set_turn_months(int(m))),
    )
    with solara.Row():
        solara.Button(f"Close turn {s.turn}", on_click=lambda: act(s.close_turn),
                      color="primary", disabled=s.done)  # fmt: skip
        solara.Button("Resume" if s.paused else "Pause",
                      on_click=lambda: act(lambda: s.pause(not s.paused)))  # fmt: skip
    solara.Markdown("**Events** (at the start of the next turn)")
    with solara.Row(style={"flex-wrap": "wrap"}):
        for label in EVENTS:
            solara.Button(label, on_click=lambda x=label: act(lambda: s.queue_event(x)),
                          outlined=True)  # fmt: skip
    if s.queued:
        solara.Markdown("queued: " + ", ".join(s.queued))
    with solara.Row():
        solara.Select("rewind to turn", values=list(range(1, s.turn + 1)), value=rewind_to)
        solara.Button("Rewind", on_click=lambda: act(lambda: s.rewind(int(rewind_to.value))))
    solara.Markdown("**What if?** (the room's own decisions against)")
    solara.SelectMultiple("alternatives", all_values=list(ALTERNATIVES), values=chosen)
    solara.SliderInt("months ahead", value=horizon, min=12, max=36, step=6)
    solara.Button("Show what if", color="primary", on_click=lambda: act(
        lambda: fan.set(s.counterfactual(chosen.value, horizon.value, 32))))  # fmt: skip

    def write() -> None:
        # kept on the room, so the links stay for the trainer's page after a reload
        room.debrief = write_debrief(s, debrief_folder(s))
        s.notify()

    solara.Button("Write the debrief", on_click=lambda: act(write))
    if room.debrief:
        links = " ".join(
            f'<a href="/api/debrief/{p.name}?key={room.key}" target="_blank">open {p.name}</a>'
            for p in room.debrief
        )
        solara.HTML(tag="div", unsafe_innerHTML=links, classes=["imsim-log"])
    if error.value:
        Note(error.value)


@solara.component
def Trainer() -> None:
    room = current()
    query = use_query()
    version = use_session_version(room.session)
    solara.Style(CSS)
    solara.Title("imsim classroom: trainer")
    if query.get("key") != room.key:
        Note("This page needs the trainer's key: open the trainer address the server "
                     "printed when it started.")  # fmt: skip
    else:
        Wall(room, version)


@solara.component
def Wall(room: Classroom, version: int) -> None:
    """The trainer's screen, for a projector: controls left, the mission right."""
    s = room.session
    fan = solara.use_reactive(None)
    drawn = [s.month, len(s.turns)]
    regions = solara.use_memo(lambda: room_map(s), dependencies=drawn)
    curves = solara.use_memo(lambda: national_curves(s), dependencies=drawn)
    fans = solara.use_memo(lambda: fan.value and fan_chart(fan.value), dependencies=[fan.value])
    Clock(s, version)
    with solara.Columns([1, 3]):
        with solara.Column(classes=["imsim-controls"]):
            TrainerControls(room, fan, version)
        with solara.Column():
            Seats(s, version)
            with solara.Columns([2, 3]):
                solara.FigureMatplotlib(regions)
                solara.FigureMatplotlib(curves)
            if fans:
                solara.FigureMatplotlib(fans)
            Log(s, version, 12)


@solara.component
def Layout(children: list | None = None) -> None:
    """No navigation bar: each person has one page (Solara's tabs are not wanted here)."""
    solara.Column(children=children or [], style={"padding": "12px 20px"})


routes = [
    solara.Route(path="/", component=Trainee, label="trainee", layout=Layout),
    solara.Route(path="trainer", component=Trainer, label="trainer"),
]
