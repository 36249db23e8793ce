"""The actors as Mesa agents, thin: each calls its batched decision rule on its
own slice of the model's state (a batch of one, and one region or actor row
where the agent is rooted there) and writes the result into the month's
Decisions. The rules live in imsim.core; nothing is decided here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from ...core import humanitarian, leadership, local_actors
from ...core.actors import OCHA, UNHCR
from ...core.arrays import take
from ...core.decisions import Decisions
from ...core.step import decide_agencies, decide_force, decide_leadership

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

    def _write(
        self, d: Decisions, values: dict, region: int | None = None, actor: int | None = None
    ) -> None:
        for name, value in values.items():
            target = getattr(d, name)
            if actor is not None:
                target[:, actor : actor + 1] = value
            elif region is not None:
                target[..., region : region + 1] = value
            else:
                target[...] = value


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
        self._write(d, mine, actor=self.row)

    def decide(self, d: Decisions) -> None:
        self.conduct(d)


class SRSG(HumanitarianActor):
    """Head of mission and Designated Official; speaks for the mission's civilian staff row."""

    role = "srsg"

    def decide(self, d: Decisions) -> None:
        lead = decide_leadership(self.model.state, self.model.params)
        self._write(
            d,
            {
                k: lead[k]
                for k in (
                    "security_level",
                    "robust",
                    "hold_elections",
                    "target_strength",
                    "push_returns",
                )
            },
        )
        self.conduct(d)


class DSRSG(Actor):
    """The multi-hatted DSRSG/RC/HC: splits attention and screens QIPs."""

    role = "dsrsg"

    def decide(self, d: Decisions) -> None:
        hc, rc = leadership.attention(self.model.state, self.model.params)
        self._write(
            d,
            {
                "hc_attention": hc,
                "rc_attention": rc,
                "qip_screening": leadership.qip_screening(hc, self.model.params),
            },
        )


class Force(Actor):
    role = "force"

    def decide(self, d: Decisions) -> None:
        self._write(d, decide_force(self.model.state, self.model.params))


class OCHA_(HumanitarianActor):
    role = "ocha"

    def decide(self, d: Decisions) -> None:
        self._write(
            d, {"negotiation": decide_agencies(self.model.state, self.model.params)["negotiation"]}
        )
        self.conduct(d)


class UNHCR_(HumanitarianActor):
    role = "unhcr"

    def decide(self, d: Decisions) -> None:
        own = decide_agencies(self.model.state, self.model.params)
        self._write(d, {k: own[k] for k in ("return_support", "camp_request")})
        self.conduct(d)


class NGO(HumanitarianActor):
    role = "ngo"


class RegionalActor(Actor):
    """An actor rooted in one region, deciding on that region's slice."""

    def __init__(self, model: MissionModel, label: str, region: int):
        super().__init__(model, label)
        self.region = region

    def view(self):
        return (take(self.model.state, "R", self.region), take(self.model.params, "R", self.region))


class LocalAuthority(RegionalActor):
    role = "local_authority"

    def decide(self, d: Decisions) -> None:
        s, p = self.view()
        self._write(d, {"abuse": local_actors.authority_abuse(s, p)}, region=self.region)


class ArmedGroup(RegionalActor):
    role = "armed_group"

    def decide(self, d: Decisions) -> None:
        s, p = self.view()
        self._write(d, {"partisanship": local_actors.partisanship(s, p)}, region=self.region)


__all__ = [
    "SRSG",
    "DSRSG",
    "Force",
    "OCHA_",
    "UNHCR_",
    "NGO",
    "LocalAuthority",
    "ArmedGroup",
    "UNHCR",
    "OCHA",
]
