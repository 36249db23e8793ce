"""A saved session file, checked as strictly as the API checks a request.

``imsim-classroom --open FILE`` trusts nothing in the file: every field has its type,
roles and events are known, players' names are what a join accepts, decisions are what
``Session.submit`` accepts, turns follow each other, and the code (which names the
debrief's folder) is five letters of the code alphabet, so no path can leave the
session's folder. A bad file is one ConfigError naming the field.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from ..config.errors import ConfigError
from ..config.files import group_options
from ..engines.mesa.live import EVENTS
from . import guard
from .roles import OBSERVER, ROLES, check_changes

FORMAT = 1
CODE = re.compile(r"^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{5}$")
TOKEN = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class PlayerRecord(_Strict):
    name: StrictStr
    role: StrictStr


class DecisionRecord(_Strict):
    role: StrictStr
    player: StrictStr
    changes: dict[str, Any]
    shocks: list[dict[str, Any]] = Field(max_length=guard.MAX_SHOCKS)


class TurnRecord(_Strict):
    number: StrictInt = Field(ge=1)
    month: StrictInt = Field(ge=1)
    months: Literal[1, 3, 6]
    decisions: dict[str, DecisionRecord]
    events: list[StrictStr]


class CounterfactualRecord(_Strict):
    turn: StrictInt = Field(ge=1)
    month: StrictInt = Field(ge=0)
    horizon: StrictInt
    replicates: StrictInt
    end: dict[str, dict[str, list[float]]]


class SessionRecord(_Strict):
    imsim_classroom: Literal[1]
    scenario: StrictStr
    overrides: list[StrictStr]
    seed: StrictInt = Field(ge=0, le=2**63 - 1)
    code: StrictStr
    turn_months: Literal[1, 3, 6]
    players: dict[str, PlayerRecord] = Field(max_length=guard.MAX_PLAYERS)
    turns: list[TurnRecord]
    pending: dict[str, DecisionRecord]
    queued: list[StrictStr]
    counterfactuals: list[CounterfactualRecord]


def check_record(data: Any, where: str) -> dict[str, Any]:
    """The record of a session file, checked; ConfigError naming the field otherwise."""
    if not isinstance(data, dict) or data.get("imsim_classroom") != FORMAT:
        raise ConfigError("session", where, f"an imsim classroom file (format {FORMAT})")
    try:
        record = SessionRecord.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        given = repr(first.get("input"))[:60]
        raise ConfigError(f"session.{key}", given, first["msg"].lower()) from None
    _semantics(record)
    return record.model_dump()


def _fail(key: str, value: Any, allowed: str) -> None:
    raise ConfigError(f"session.{key}", value, allowed)


def _semantics(r: SessionRecord) -> None:
    if r.scenario not in group_options("scenario"):
        _fail("scenario", r.scenario, ", ".join(group_options("scenario")))
    if not CODE.match(r.code):
        _fail("code", r.code, "five letters or digits of the session's code alphabet")
    seats: set[str] = set()
    for token, p in r.players.items():
        if not TOKEN.match(token):
            _fail(f"players.{token[:20]}", token[:20], "a player token (8-64 letters, digits, _-)")
        try:
            guard.clean_name(p.name)
        except guard.Rejected as exc:
            _fail(f"players.{token}.name", p.name, str(exc))
        if p.role != OBSERVER and (p.role not in ROLES or p.role in seats):
            _fail(f"players.{token}.role", p.role, "a free role of " + ", ".join(ROLES))
        seats.add(p.role)
    month = 1
    for i, t in enumerate(r.turns):
        if t.number != i + 1 or t.month != month:
            _fail(f"turns[{i}]", f"turn {t.number} at month {t.month}", f"turn {i + 1} at {month}")
        _decisions(f"turns[{i}].decisions", t.decisions)
        _events(f"turns[{i}].events", t.events)
        month += t.months
    _decisions("pending", r.pending)
    _events("queued", r.queued)


def _decisions(key: str, decisions: dict[str, DecisionRecord]) -> None:
    for name, d in decisions.items():
        if name not in ROLES or d.role != name:
            _fail(f"{key}.{name}", name, ", ".join(ROLES))
        check_changes(name, d.changes)
        for j, shock in enumerate(d.shocks):
            if (
                set(shock) - {"shock", "regions", "level", "months"}
                or shock.get("shock") not in ROLES[name].shocks
            ):
                _fail(f"{key}.{name}.shocks[{j}]", shock, "a shock the role may call")


def _events(key: str, labels: list[str]) -> None:
    for label in labels:
        if label not in EVENTS:
            _fail(key, label, ", ".join(EVENTS))
