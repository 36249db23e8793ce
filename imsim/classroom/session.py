"""A classroom session: who plays which role, the turns, and the live run they move.

The session is a record of what the room did (its scenario, seed and, for
every closed turn, the decisions by role and the trainer's events) and the
live run (Mesa engine, one replicate) that the record produces. A turn's
decisions and events become config events at the turn's first month, so the
record replays exactly: a rewind or a reopened session file runs it again,
and a batch run of the same config and events gives the same numbers
(``batch_config``). The record is written atomically after every change.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf

from ..config.errors import ConfigError
from ..config.events import check_event
from ..config.keys import region_names
from ..config.validate import validate
from ..engines.mesa.live import EVENTS, Live
from ..results.storage import atomic_write
from ..results.summary import NationalRecorder
from .branch import ALTERNATIVES, FAN_SERIES, ROOM, Fan, branch, humanitarian_mean
from .guard import MAX_PLAYERS
from .record_file import FORMAT, check_record
from .roles import OBSERVER, ROLES, check_changes, role

TURN_MONTHS = (1, 3, 6)  # record_file's Literal[1, 3, 6] too
_CODE = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on phones


class Refused(ValueError):
    """A request the session refuses, in words for the page that made it."""


@dataclass
class Decision:
    """One role's choices for one turn: settings and the events it calls."""

    role: str
    player: str
    changes: dict[str, Any] = field(default_factory=dict)
    shocks: list[dict[str, Any]] = field(default_factory=list)

    def events(self, month: int) -> list[dict[str, Any]]:
        out = [{"month": month, "set": dict(self.changes)}] if self.changes else []
        return out + [{"month": month, **s} for s in self.shocks]

    def words(self) -> str:
        parts = [
            f"{plain_words(k.split('.')[-1])} {plain_words(v)}" for k, v in self.changes.items()
        ]
        parts += [s["shock"].replace("_", " ") for s in self.shocks]
        return ", ".join(parts) or "no change"


@dataclass
class Turn:
    number: int
    month: int  # the first month its decisions act in
    months: int
    decisions: dict[str, Decision]
    events: list[str]  # the trainer's events (labels of engines.mesa.live.EVENTS)

    def config_events(self) -> list[dict[str, Any]]:
        out = [
            e for r in ROLES if r in self.decisions for e in self.decisions[r].events(self.month)
        ]
        return out + [{"month": self.month, **EVENTS[label][0]} for label in self.events]


@dataclass
class Player:
    name: str
    role: str = OBSERVER


def _turn_months(months: int) -> int:
    if months not in TURN_MONTHS:
        raise Refused(f"a turn lasts {', '.join(map(str, TURN_MONTHS))} months, not {months}")
    return months


def _chosen(settings: Mapping[str, Any], in_force: Mapping[str, Any]) -> bool:
    """Whether every setting of an alternative is already what the room has in force."""
    return all(key in in_force and in_force[key] == value for key, value in settings.items())


def plain_words(v: Any) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v).replace("_", " ")


class Session:
    """A classroom: players, roles, turns and the live run; every method is thread-safe."""

    def __init__(
        self,
        scenario: str = "baseline",
        overrides: Sequence[str] = (),
        seed: int = 0,
        turn_months: int = 3,
        path: Path | None = None,
        code: str | None = None,
    ):
        self.scenario, self.overrides, self.seed = scenario, tuple(overrides), int(seed)
        self.path = Path(path) if path is not None else None
        self.code = code or "".join(secrets.choice(_CODE) for _ in range(5))
        self.lock = threading.RLock()
        self.players: dict[str, Player] = {}
        self.turns: list[Turn] = []
        self.pending: dict[str, Decision] = {}
        self.queued: list[str] = []
        self.counterfactuals: list[dict[str, Any]] = []
        self.version = 0  # bumped on every change; pages poll it
        self.paused = False
        self.turn_months = _turn_months(turn_months)
        self.live = Live(scenario, self.overrides, self.seed)
        self.regions = list(region_names(self.live.cfg))
        self._saved = self.record()  # what the session file holds (or would)

    # --- players and roles

    def join(self, code: str, name: str) -> str:
        """A new player's token (kept in the page's address: a reload keeps the role)."""
        name = str(name).strip()
        if str(code).strip().upper() != self.code:
            raise Refused("that code does not open this session; check the code on the screen")
        if not name or len(name) > 40:
            raise Refused("enter a name of 1 to 40 characters")
        with self.lock:
            if len(self.players) >= MAX_PLAYERS:
                raise Refused(f"the session is full ({MAX_PLAYERS} players)")
            token = secrets.token_urlsafe(12)
            self.players[token] = Player(name)
            self._changed()
            return token

    def player(self, token: str) -> Player:
        if token not in self.players:
            raise Refused("this page's player is not in the session; join again with the code")
        return self.players[token]

    def take(self, token: str, name: str) -> None:
        """Take a free role (or become an observer); refused if another player holds it."""
        with self.lock:
            me = self.player(token)
            if me.role != OBSERVER and me.role != name:  # no deciding for several roles
                held = ROLES[me.role].title
                raise Refused(f"you play {held}: one seat per player (the trainer can free it)")
            if name != OBSERVER:
                role(name)
                holder = self.holder(name)
                if holder is not None and holder != token:
                    title = ROLES[name].title
                    raise Refused(f"{title} is taken by {self.players[holder].name}")
            me.role = name
            self._changed()

    def holder(self, name: str) -> str | None:
        return next((t for t, p in self.players.items() if p.role == name), None)

    def seats(self) -> dict[str, str | None]:
        """Role -> the name of its player (None: the model's own rule decides)."""
        with self.lock:
            return {r: (self.players[t].name if (t := self.holder(r)) else None) for r in ROLES}

    # --- decisions and turns

    @property
    def turn(self) -> int:
        """The open turn's number (1 for the first)."""
        return len(self.turns) + 1

    @property
    def month(self) -> int:
        return self.live.month

    def submit(
        self,
        token: str,
        turn: int,
        changes: Mapping[str, Any] | None = None,
        shocks: Sequence[Mapping[str, Any]] = (),
    ) -> Decision:
        """A role's decision for the open turn; a later one replaces it until the turn closes."""
        with self.lock:
            me = self.player(token)
            if me.role == OBSERVER:
                raise Refused("observers do not decide; take a free role first")
            if self.paused:
                raise Refused("the trainer has paused the session; wait for it to resume")
            if turn != self.turn:
                raise Refused(f"turn {turn} is closed; the mission is in turn {self.turn} now")
            if self.done:
                raise Refused("the session has reached its last month")
            try:
                checked = check_changes(me.role, changes or {})
                events = [self._shock(me.role, i, s) for i, s in enumerate(shocks)]
            except ConfigError as exc:
                raise Refused(str(exc)) from None
            decision = Decision(me.role, me.name, checked, events)
            self.pending[me.role] = decision
            self._changed()
            return decision

    def _shock(self, name: str, i: int, shock: Mapping[str, Any]) -> dict[str, Any]:
        shock = dict(shock)
        if "month" in shock:  # a decision acts from the next open month, never earlier
            raise ConfigError(f"shocks[{i}].month", shock["month"], "none: it acts next month")
        if shock.get("shock") not in ROLES[name].shocks:
            allowed = ", ".join(ROLES[name].shocks) or "none for this role"
            raise ConfigError(f"shocks[{i}].shock", shock.get("shock"), allowed)
        check_event(i, {"month": self.month + 1, **shock}, self.live.model.months, self.regions)
        return shock

    def queue_event(self, label: str) -> None:
        """The trainer's event, at the first month of the next turn."""
        if label not in EVENTS:
            raise Refused(f"unknown event {label!r}; events: {', '.join(EVENTS)}")
        with self.lock:
            self.queued.append(label)
            self._changed()

    def set_turn_months(self, months: int) -> None:
        """The clock: how many months the next turns last."""
        with self.lock:
            self.turn_months = _turn_months(months)
            self._changed()

    def pause(self, paused: bool) -> None:
        """While paused (a discussion, say), decisions wait."""
        with self.lock:
            self.paused = bool(paused)
            self._changed()

    @property
    def done(self) -> bool:
        return self.live.done

    def close_turn(self) -> Turn:
        """Apply the open turn's decisions and events and advance everyone's clock."""
        with self.lock:
            if self.done:
                raise Refused("the session has reached its last month")
            turn = Turn(self.turn, self.month + 1, self.turn_months, self.pending, self.queued)
            self._play(turn)
            self.turns.append(turn)
            self.pending, self.queued = {}, []
            self._changed()
            return turn

    def _play(self, turn: Turn) -> None:
        words = [
            f"month {turn.month}: {ROLES[r].title} ({d.player}): {d.words()}"
            for r, d in turn.decisions.items()
        ]
        words += [f"month {turn.month}: {EVENTS[label][1]}" for label in turn.events]
        self.live.add_events(turn.config_events(), words)
        for _ in range(turn.months):
            if self.live.done:
                break
            self.live.step()

    def _replay(self, turns: Sequence[Turn]) -> None:
        for t in turns:
            self._play(t)
            self.turns.append(t)

    def rewind(self, turn: int) -> dict[str, list[str]]:
        """Back to the start of turn ``turn``: later turns are dropped and the run replays.
        The open turn's accepted decisions and queued events are dropped too, and said so
        in the log and in what this returns."""
        with self.lock:
            if not 1 <= turn <= self.turn:
                raise Refused(f"rewind to a turn in 1..{self.turn}, not {turn}")
            kept = self.turns[: turn - 1]
            later = [*self.turns[turn - 1 :]]
            dropped = [f"turn {self.turn}: {ROLES[r].title}" for r in self.pending]
            dropped += [f"turn {t.number}: {ROLES[r].title}" for t in later for r in t.decisions]
            self.live = Live(self.scenario, self.overrides, self.seed)
            self.turns, self.pending, self.queued = [], {}, []
            self._replay(kept)
            said = f"; decisions dropped: {', '.join(dropped)}" if dropped else ""
            self.live.log.append(f"month {self.month}: the trainer rewound to turn {turn}{said}")
            self.counterfactuals = [c for c in self.counterfactuals if c["turn"] < turn]
            self._changed()
            return {"dropped": dropped}

    # --- what the room sees

    def national(self) -> dict[str, np.ndarray]:
        """The live run's national series so far (FAN_SERIES), month 0 on, as the fans
        show them."""
        with self.lock:
            states = list(self.live.states)
        recorder = NationalRecorder(states[0], len(states) - 1, self.live.model.population)
        for month, state in enumerate(states[1:], start=1):
            recorder.record(month, state)
        return {n: humanitarian_mean(n, recorder.data[n])[0] for n in FAN_SERIES}

    def in_force(self, month: int | None = None) -> dict[str, Any]:
        """Every lever's setting at ``month`` (now by default): the scenario's, then every
        change made up to that month. Under the lock: a page may ask while a turn closes."""
        with self.lock:
            month = self.month if month is None else month
            cfg = self.live.cfg
            keys = [lv.key for r in ROLES.values() for lv in r.levers]
            values = {key: OmegaConf.select(cfg, key) for key in keys}
            for e in cfg.events:
                if "set" in e and e["month"] <= month:
                    values.update({k: v for k, v in e["set"].items() if k in values})
            return values

    def counterfactual(self, labels: Sequence[str], horizon: int = 24, replicates: int = 32) -> Fan:
        """The room's own decisions against ``labels`` (of ALTERNATIVES) from now on."""
        unknown = [x for x in labels if x not in ALTERNATIVES]
        if unknown:
            raise Refused(f"unknown alternative {unknown[0]!r}; try: {', '.join(ALTERNATIVES)}")
        if not 12 <= horizon <= 36:
            raise Refused(f"a horizon of 12 to 36 months, not {horizon}")
        with self.lock:
            cfg, state, month = self.live.cfg, self.live.states[-1], self.month
            now = self.in_force(month + 1)
            # an alternative the room has already chosen runs on the room's own line: say so
            alternatives = {ROOM: {}} | {
                (f"{x} (= the room's own)" if _chosen(ALTERNATIVES[x], now) else x): ALTERNATIVES[x]
                for x in labels
            }
            fan = branch(cfg, state, month, alternatives, horizon, replicates)
            self.counterfactuals.append(
                {
                    "turn": self.turn,
                    "month": month,
                    "horizon": horizon,
                    "replicates": replicates,
                    "end": {
                        label: {
                            name: [float(q) for q in fan.band(name)[i, :, -1]]
                            for name in ("humanitarian_space", "consolidation")
                        }
                        for i, label in enumerate(fan.labels)
                    },
                }
            )
            self._changed()
            return fan

    def batch_config(self) -> DictConfig:
        """The config whose batch run is the live run so far (one replicate, same events)."""
        cfg = OmegaConf.create(OmegaConf.to_container(self.live.cfg))
        cfg.events = [e for e in OmegaConf.to_container(cfg.events) if e["month"] <= self.month]
        cfg.run.months = max(self.month, 1)
        validate(cfg)
        return cfg

    # --- the record

    def record(self) -> dict[str, Any]:
        return {
            "imsim_classroom": FORMAT,
            "scenario": self.scenario,
            "overrides": list(self.overrides),
            "seed": self.seed,
            "code": self.code,
            "turn_months": self.turn_months,
            "players": {t: asdict(p) for t, p in self.players.items()},
            "turns": [asdict(t) for t in self.turns],
            "pending": {r: asdict(d) for r, d in self.pending.items()},
            "queued": list(self.queued),
            "counterfactuals": self.counterfactuals,
        }

    def notify(self) -> None:
        """Tell every page that something it shows changed (a debrief was written, say)."""
        with self.lock:
            self._changed()

    def _changed(self) -> None:
        """A change is kept only once the session file holds it: if the file cannot be
        written, the session goes back to what the file last held, and says so."""
        self.version += 1
        if self.path is None:
            return
        record = self.record()
        text = json.dumps(record, indent=1)
        try:
            atomic_write(self.path, lambda tmp: tmp.write_text(text))
        except OSError as exc:
            self._load(self._saved)
            why = exc.strerror or type(exc).__name__
            raise Refused(f"the session file cannot be written ({why}); nothing changed") from None
        self._saved = record

    @classmethod
    def open(cls, path: Path) -> Session:
        """Reopen a saved session: its players, turns and counterfactuals, replayed. The
        file is checked as strictly as the API checks a request (``record_file``)."""
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, ValueError, RecursionError) as exc:
            raise ConfigError("session", str(path), f"a readable session file ({exc})") from None
        data = check_record(data, str(path))
        s = cls(data["scenario"], data["overrides"], data["seed"], data["turn_months"])
        s._load(data)
        s.path = Path(path)
        return s

    def _load(self, data: dict[str, Any]) -> None:
        """The session a record describes: its run replayed from month 0."""
        self.scenario, self.overrides = data["scenario"], tuple(data["overrides"])
        self.seed, self.code = int(data["seed"]), data["code"]
        self.turn_months = data["turn_months"]
        self.live = Live(self.scenario, self.overrides, self.seed)
        self.players = {t: Player(**p) for t, p in data["players"].items()}
        self.turns = []
        self._replay(
            [
                Turn(**{**t, "decisions": {r: Decision(**d) for r, d in t["decisions"].items()}})
                for t in data["turns"]
            ]
        )
        self.pending = {r: Decision(**d) for r, d in data["pending"].items()}
        self.queued = list(data["queued"])
        self.counterfactuals = [dict(c) for c in data["counterfactuals"]]
        self._saved = data
