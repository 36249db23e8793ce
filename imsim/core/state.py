"""The state of a batch of missions at one month, each variable declared once.

A state variable is one ``var(...)`` field below: its axes, what it means, its units,
how it starts at month 0, how month 0 settles it, how it reduces to a national figure
and whether a run records it. The recorder, the Dataset's descriptions and units, the
summary's national series, month 0, the memory estimate of a run and the Mesa region
cell all read these declarations (``variables()``), so adding a variable is adding a
field here and the rule that sets it.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

# How month 0 treats a variable (compile.initial): set by the config and held while the
# fast variables settle; settled; or a monthly flow that counts from month 1 (zero at 0).
Settling = Literal["held", "fast", "flow"]
# How a national figure is made from it each month: population-weighted mean over
# regions, total over regions, or the (B,) value itself.
National = Literal["mean", "sum", "value"]


@dataclass(frozen=True)
class Variable:
    name: str
    axes: str  # B batch, H actor, R region
    description: str
    units: str  # "1" for a share or an index (CF), else what is counted; "" for a code
    start: float | str  # month 0 before settling: a number, or a source (compile.initial)
    settling: Settling
    national: National | None
    recorded: bool
    dtype: str

    @property
    def per_actor(self) -> bool:
        return "H" in self.axes

    @property
    def over_regions(self) -> National:
        """How its national figure is made: as declared, else counts summed and anything
        else a population-weighted mean (a value with no region axis is itself)."""
        if "R" not in self.axes:
            return "value"
        return self.national or ("sum" if self.units in ("people", "troops") else "mean")


def var(
    axes: str,
    description: str,
    units: str = "1",
    *,
    start: float | str = 0.0,
    settling: Settling = "fast",
    national: National | None = None,
    recorded: bool = True,
    dtype: str = "float64",
) -> Any:
    """A state variable: a dataclass field whose metadata declares everything about it."""
    spec = dict(
        axes=axes,
        description=description,
        units=units,
        start=start,
        settling=settling,
        national=national,
        recorded=recorded,
        dtype=dtype,
    )
    return dataclasses.field(metadata={"axes": axes, "variable": spec})


@dataclass
class State:
    # regions, (B, R)
    phase: np.ndarray = var(
        "BR",
        "phase of each region: 0 conflict, 1 transition, 2 consolidation",
        "",  # a code, not a quantity
        start="phase",
        settling="held",
        dtype="int8",
    )
    violence: np.ndarray = var(
        "BR", "intensity of violence, 0..1", start="violence", settling="held"
    )
    control: np.ndarray = var(
        "BR",
        "share of the region held by non-state armed groups",
        start="control",
        settling="held",
    )
    settlement: np.ndarray = var(
        "BR",
        "political progress of the settlement, 0..1",
        start="settlement",
        settling="held",
        national="mean",
    )
    capacity: np.ndarray = var(
        "BR", "local capacity, 0..1", start="capacity", settling="held", national="mean"
    )
    displaced: np.ndarray = var(
        "BR",
        "people displaced from the region",
        "people",
        start="displaced",
        settling="held",
        national="sum",
    )
    hosted: np.ndarray = var(
        "BR",
        "displaced people living in the region (own sites and camps, or hosts)",
        "people",
        start="displaced",  # settled to where they live
    )
    recent_returns: np.ndarray = var(
        "BR", "returnees not yet re-established", "people", recorded=False
    )
    newly_displaced: np.ndarray = var(
        "BR", "people displaced since month 0 (cumulative)", "people", settling="flow"
    )
    returned: np.ndarray = var(
        "BR", "people returned since month 0 (cumulative)", "people", settling="flow"
    )
    demined: np.ndarray = var(
        "BR", "share of the region's routes cleared of mines", settling="held", recorded=False
    )
    # month 0 holds the settled month's harm, as it holds every other settled state (a
    # count since month 0 starts at zero instead)
    civilian_harm: np.ndarray = var(
        "BR", "civilians killed by armed groups this month", "people", national="sum"
    )
    battle_deaths: np.ndarray = var(
        "BR", "people killed in fighting this month (battle deaths)", "people", national="sum"
    )
    people_in_need: np.ndarray = var(
        "BR", "people in need of humanitarian assistance", "people", national="sum"
    )
    people_reached: np.ndarray = var(
        "BR",
        "people in need that humanitarians reach (need x mean humanitarian access)",
        "people",
        national="sum",
    )
    deaths_unmet_needs: np.ndarray = var(
        "BR",
        "excess deaths this month among people in need whom aid does not reach",
        "people",
        national="sum",
    )
    troops: np.ndarray = var("BR", "troops deployed in the region", "troops")
    camp_request: np.ndarray = var(
        "BR", "UNHCR's request for the Force to secure camps", recorded=False
    )
    partisanship: np.ndarray = var(
        "BR", "mission partisanship as the region's armed groups see it, 0..1"
    )
    robust: np.ndarray = var(
        "BR", "last month's robust operations, as armed groups saw them", recorded=False
    )
    abuse: np.ndarray = var("BR", "last month's abuses by the local authority", recorded=False)
    # actors in regions, (B, H, R)
    neutrality: np.ndarray = var(
        "BHR",
        "perceived neutrality of the actor in the region, 0..1",
        start=1.0,
        national="mean",
    )
    access: np.ndarray = var("BHR", "share of people in need the actor reaches", national="mean")
    presence: np.ndarray = var("BHR", "actor's presence in the region, 0..1", start=1.0)
    aid_incidents: np.ndarray = var(
        "BHR",
        "victims of major attacks (killed, injured, kidnapped) among its staff",
        "people",
        settling="flow",
        national="sum",
    )
    aid_incidents_national: np.ndarray = var(
        "BHR", "of those victims, the actor's national staff", "people", settling="flow"
    )
    staff: np.ndarray = var(
        "BHR",
        "the actor's aid workers in the region (the mission's: its civilian staff)",
        "people",
        national="sum",
    )
    association: np.ndarray = var(
        "BHR", "actor's association with the mission, 0..1", start="structural"
    )
    # the mission as a whole, (B,)
    strength: np.ndarray = var(
        "B",
        "deployed share of the authorised force",
        start="strength",
        settling="held",
        national="value",
    )
    coherence: np.ndarray = var(
        "B", "coherence of the UN presence, 0..1", start="coherence", national="value"
    )
    coordination_cost: np.ndarray = var("B", "coordination cost of integration")
    hc_attention: np.ndarray = var(
        "B",
        "share of humanitarian coordination demand the HC meets",
        start=1.0,
        national="value",
    )
    elections_held: np.ndarray = var(
        "B", "1 once national elections have been held", settling="held", national="value"
    )
    humanitarian_space: np.ndarray = var(
        "B",
        "humanitarian space, a perception measure: need-weighted mean of sqrt(neutrality x"
        " access) of humanitarians",
        national="value",
    )

    def copy(self) -> State:
        from .arrays import map_arrays

        return map_arrays(self, lambda a, _: a.copy())


@functools.cache
def variables() -> dict[str, Variable]:
    """Every state variable's declaration, in the order of ``State``'s fields."""
    return {
        f.name: Variable(name=f.name, **f.metadata["variable"]) for f in dataclasses.fields(State)
    }


# The deaths a run counts, each a state variable: violence (armed groups' killings of
# civilians, battle deaths) and unmet needs.
DEATHS = ("civilian_harm", "battle_deaths", "deaths_unmet_needs")

# The variables a run records, month by month.
RECORDED = tuple(name for name, v in variables().items() if v.recorded)
