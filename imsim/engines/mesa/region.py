"""A region as a cell of the mission's ``mesa.discrete_space.Network``.

The cell holds no numbers of its own: each property reads the region's entry
of the model's current state, so it is always this month's and the batched
engine's arrays stay the only state there is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa.discrete_space import Cell

from ...core.options import Phase
from ...results.dataset import DESCRIPTIONS

if TYPE_CHECKING:
    from .model import MissionModel


def _reads(variable: str) -> property:
    """A property giving ``variable``'s value in this region this month."""

    def read(cell: Region) -> float:
        return float(getattr(cell.model.state, variable)[0, cell.index])

    return property(read, doc=DESCRIPTIONS[variable])


class Region(Cell):
    """One region: its name, its people and its state this month."""

    __slots__ = ("index", "model")

    def attach(self, model: MissionModel, index: int) -> None:
        self.model, self.index = model, index

    @property
    def name(self) -> str:
        return self.model.regions[self.index]

    @property
    def population(self) -> float:
        """People living in the region."""
        return float(self.model.population[self.index])

    @property
    def phase(self) -> str:
        """The region's phase this month: conflict, transition or consolidation."""
        return Phase(int(self.model.state.phase[0, self.index])).label

    violence = _reads("violence")
    control = _reads("control")
    settlement = _reads("settlement")
    local_capacity = _reads("capacity")  # (Cell.capacity is how many agents it holds)
    displaced = _reads("displaced")
    hosted = _reads("hosted")
    civilian_harm = _reads("civilian_harm")
    troops = _reads("troops")

    def access(self, actor: str) -> float:
        """The share of people in need ``actor`` (e.g. "ocha") reaches here this month."""
        return float(self.model.state.access[0, self.model.actors.index(actor), self.index])

    def neutrality(self, actor: str) -> float:
        """How neutral armed groups here perceive ``actor`` this month."""
        row = self.model.actors.index(actor)
        return float(self.model.state.neutrality[0, row, self.index])

    def __repr__(self) -> str:
        return f"Region({self.name!r})"
