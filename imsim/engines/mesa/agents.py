"""The actors as Mesa agents, thin: each calls its decision rule from
``imsim.core`` on its own slice of the model's state (a batch of one, and one
region or actor row where the agent is rooted there) and writes the group of
decisions the rule returns. Nothing is decided here.

What an agent reports (``AGENT_REPORTERS``) is read from the model's state:
a humanitarian actor's national neutrality and access, a regional actor's
region and its phase; what does not apply to an agent is None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa
from mesa.discrete_space import FixedAgent

from ...core import force, humanitarian, leadership, local_actors
from ...core.actors import OCHA
from ...core.arrays import put, take
from ...core.decisions import Decisions

if TYPE_CHECKING:
    from .model import MissionModel
    from .region import Region

# What each agent reports every month (Mesa's agent reporters): attribute names.
AGENT_REPORTERS = {
    name: name
    for name in ("label", "role", "neutrality", "access", "aid_incidents", "region", "phase")
}


class Actor(mesa.Agent):
    """Base class: an actor that decides once a month."""

    role = "actor"
    model: MissionModel

    def __init__(self, model: MissionModel, label: str):
        super().__init__(model)
        self.label = label

    # Reported for every agent (None where it does not apply), see AGENT_REPORTERS.
    neutrality: float | None = None
    access: float | None = None
    aid_incidents: float | None = None
    region: str | None = None
    phase: str | None = None

    def decide(self, d: Decisions) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class HumanitarianActor(Actor):
    """An agency, NGO or the mission's civilians: follows ``humanitarian.conduct`` for its row."""

    def __init__(self, model: MissionModel, label: str, row: int):
        super().__init__(model, label)
        self.row = row

    def _national(self, name: str) -> float:
        return float(self.model.national(name)[self.row])

    @property
    def neutrality(self) -> float:
        """National (population-weighted) perceived neutrality this month."""
        return self._national("neutrality")

    @property
    def access(self) -> float:
        """National share of people in need reached this month."""
        return self._national("access")

    @property
    def aid_incidents(self) -> float:
        """Victims of major attacks among the actor's staff this month, nationally."""
        return self._national("aid_incidents")

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


class RegionalActor(Actor, FixedAgent):
    """An actor rooted in one region (it sits on the region's cell), deciding on that
    region's slice."""

    def __init__(self, model: MissionModel, label: str, cell: Region):
        super().__init__(model, label)
        self.cell = cell

    @property
    def index(self) -> int:
        return self.cell.index

    @property
    def region(self) -> str:
        return self.cell.name

    @property
    def phase(self) -> str:
        return self.cell.phase

    def view(self) -> tuple[Any, Any]:
        return (take(self.model.state, "R", self.index), take(self.model.params, "R", self.index))


class LocalAuthority(RegionalActor):
    role = "local_authority"

    def decide(self, d: Decisions) -> None:
        put(d.authorities, "R", self.index, local_actors.decide_authority(*self.view()))


class ArmedGroup(RegionalActor):
    role = "armed_group"

    def decide(self, d: Decisions) -> None:
        put(d.armed_groups, "R", self.index, local_actors.decide_armed_groups(*self.view()))
