"""A region as a cell of the mission's ``mesa.discrete_space.Network``.

The cell holds no numbers of its own: each property reads the region's entry
of the model's current state, so it is always this month's and the batched
engine's arrays stay the only state there is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mesa.discrete_space import Cell

from ...core.options import Phase
from ...core.state import Variable, variables

if TYPE_CHECKING:
    from .model import MissionModel


def _regional(v: Variable) -> property:
    """A property giving a per-region variable's value in this region this month."""

    def read(cell: Region) -> float:
        return float(getattr(cell.model.state, v.name)[0, cell.index])

    return property(read, doc=v.description)


def _per_actor(v: Variable) -> Callable[[Region, str], float]:
    """A method giving a per-actor variable's value for ``actor`` (e.g. "ocha") here."""

    def read(cell: Region, actor: str) -> float:
        row = cell.model.actors.index(actor)
        return float(getattr(cell.model.state, v.name)[0, row, cell.index])

    read.__doc__ = f"{v.description[0].upper()}{v.description[1:]}, for ``actor``, this month."
    return read


class Region(Cell):
    """One region: its name, its people and its state this month.

    Every recorded state variable of a region is a property (``region.violence``), and
    every recorded variable of an actor in a region a method (``region.access("ocha")``);
    ``local_capacity`` is the state's ``capacity`` (Mesa's ``Cell.capacity`` is how many
    agents a cell holds).
    """

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

    def __repr__(self) -> str:
        return f"Region({self.name!r})"


# Names a state variable takes on the cell where Mesa's Cell already uses its own.
RENAMED = {"capacity": "local_capacity"}
for _v in variables().values():
    if _v.recorded and _v.axes in ("BR", "BHR") and _v.name != "phase":
        _read = _regional(_v) if _v.axes == "BR" else _per_actor(_v)
        setattr(Region, RENAMED.get(_v.name, _v.name), _read)
