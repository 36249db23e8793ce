"""The actors as Mesa agents, thin: each calls its decision rule from
``imsim.core`` on its own slice of the model's state (a batch of one, and one
region or actor row where the agent is rooted there) and writes the group of
decisions the rule returns. Nothing is decided here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa

from ...core import force, humanitarian, leadership, local_actors
from ...core.actors import OCHA
from ...core.arrays import put, take
from ...core.decisions import Decisions

if TYPE_CHECKING:
    from .model import MissionModel


class Actor(mesa.Agent):
    """Base class: an actor that decides once a month."""

    role = "actor"
    model: MissionModel

    def __init__(self, model: MissionModel, label: str):
        super().__init__(model)
        self.label = label

    def decide(self, d: Decisions) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class HumanitarianActor(Actor):
    """An agency, NGO or the mission's civilians: follows ``humanitarian.conduct`` for its row."""

    def __init__(self, model: MissionModel, label: str, row: int):
        super().__init__(model, label)
        self.row = row

    def conduct(self, d: Decisions) -> None:
        s, p = self.model.state, self.model.params
        mine = humanitarian.conduct(
            take(s, "H", self.row), take(p, "H", self.row), s.neutrality[:, OCHA]
        )
        put(d.conduct, "H", self.row, mine)

    def decide(self, d: Decisions) -> None:
        self.conduct(d)


class SRSG(HumanitarianActor):
    """Head of mission and Designated Official; speaks for the mission's civilian staff row."""

    role = "srsg"

    def decide(self, d: Decisions) -> None:
        d.srsg = leadership.decide_srsg(self.model.state, self.model.params)
        self.conduct(d)


class DSRSG(Actor):
    """The multi-hatted DSRSG/RC/HC: splits attention and screens QIPs."""

    role = "dsrsg"

    def decide(self, d: Decisions) -> None:
        d.hc = leadership.decide_hc(self.model.state, self.model.params)


class Force(Actor):
    role = "force"

    def decide(self, d: Decisions) -> None:
        d.force = force.decide(self.model.state, self.model.params)


class Ocha(HumanitarianActor):
    role = "ocha"

    def decide(self, d: Decisions) -> None:
        d.ocha = humanitarian.decide_ocha(self.model.state, self.model.params)
        self.conduct(d)


class Unhcr(HumanitarianActor):
    role = "unhcr"

    def decide(self, d: Decisions) -> None:
        d.unhcr = humanitarian.decide_unhcr(self.model.state, self.model.params)
        self.conduct(d)


class NGO(HumanitarianActor):
    role = "ngo"


class RegionalActor(Actor):
    """An actor rooted in one region, deciding on that region's slice."""

    def __init__(self, model: MissionModel, label: str, region: int):
        super().__init__(model, label)
        self.region = region

    def view(self) -> tuple[Any, Any]:
        return (take(self.model.state, "R", self.region), take(self.model.params, "R", self.region))


class LocalAuthority(RegionalActor):
    role = "local_authority"

    def decide(self, d: Decisions) -> None:
        put(d.authorities, "R", self.region, local_actors.decide_authority(*self.view()))


class ArmedGroup(RegionalActor):
    role = "armed_group"

    def decide(self, d: Decisions) -> None:
        put(d.armed_groups, "R", self.region, local_actors.decide_armed_groups(*self.view()))
