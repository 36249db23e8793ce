"""Named summaries of a simulation, the quantities calibration targets are stated in.

Each statistic reads recorded arrays (variable -> (batch, month, ...)) and
returns one number per run (batch entry), so a whole population of
parameter sets is summarised at once. ``Statistic.variables`` says what a run
must record; ``of_dataset`` applies a statistic to a result Dataset.
Humanitarian actors are OCHA, UNHCR and the NGOs (not the mission's own staff).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr

from ..core.options import Phase
from ..core.state import DEATHS


@dataclass(frozen=True)
class Context:
    """What a statistic needs besides the arrays: people per region, names."""

    population: np.ndarray  # (R,)
    actors: tuple[str, ...]
    regions: tuple[str, ...]

    @property
    def humanitarian(self) -> np.ndarray:
        return np.array([a != "mission" for a in self.actors])


Data = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Statistic:
    name: str
    variables: tuple[str, ...]
    rule: Callable[..., np.ndarray]
    description: str
    args: tuple[str, ...] = ()

    def __call__(self, data: Data, context: Context, **args: Any) -> np.ndarray:
        return np.asarray(self.rule(data, context, **args), dtype=float)

    @property
    def defaults(self) -> dict[str, Any]:
        """The arguments a target may leave out, with the values the rule then takes."""
        params = list(inspect.signature(self.rule).parameters.values())[2:]
        return {p.name: p.default for p in params if p.default is not inspect.Parameter.empty}

    @property
    def required(self) -> tuple[str, ...]:
        """The arguments a target must give: the rule's parameters without a default."""
        params = list(inspect.signature(self.rule).parameters.values())[2:]
        return tuple(p.name for p in params if p.default is inspect.Parameter.empty)


def _share(mask: np.ndarray, context: Context) -> np.ndarray:
    """Share of the people living where ``mask`` (..., R) holds."""
    w = context.population / context.population.sum()
    return (mask * w).sum(axis=-1)


def out_of_conflict(data: Data, c: Context, month: int) -> np.ndarray:
    """Share of people whose region has left conflict at least once by ``month``."""
    left = (data["phase"][:, : month + 1] > Phase.CONFLICT).any(axis=1)
    return _share(left, c)


def relapsed(data: Data, c: Context, months: int) -> np.ndarray:
    """Share of people whose region fell back into conflict within ``months``."""
    phase = data["phase"][:, : months + 1]
    back = (phase[:, :-1] > Phase.CONFLICT) & (phase[:, 1:] == Phase.CONFLICT)
    return _share(back.any(axis=1), c)


def conflict_share(data: Data, c: Context, month: int) -> np.ndarray:
    """Share of people living in conflict at ``month``."""
    return _share(data["phase"][:, month] == Phase.CONFLICT, c)


def victims_per_year(data: Data, c: Context) -> np.ndarray:
    """Humanitarian aid workers killed, injured or kidnapped a year (months 1..T)."""
    victims = data["aid_incidents"][:, 1:, c.humanitarian].sum(axis=(2, 3))
    return victims.mean(axis=1) * 12


def victims_per_10k(data: Data, c: Context) -> np.ndarray:
    """Victims a year per 10,000 humanitarian aid workers."""
    staff = data["staff"][:, 1:, c.humanitarian].sum(axis=(2, 3)).mean(axis=1)
    return victims_per_year(data, c) / staff * 1e4


def national_victim_share(data: Data, c: Context) -> np.ndarray:
    """Share of humanitarian victims who are national staff."""
    national = data["aid_incidents_national"][:, :, c.humanitarian].sum(axis=(1, 2, 3))
    return national / data["aid_incidents"][:, :, c.humanitarian].sum(axis=(1, 2, 3))


def un_victim_share(data: Data, c: Context) -> np.ndarray:
    """Share of humanitarian victims who are UN agencies' staff (OCHA, UNHCR)."""
    un = np.array([a in ("ocha", "unhcr") for a in c.actors])
    total = data["aid_incidents"][:, :, c.humanitarian].sum(axis=(1, 2, 3))
    return data["aid_incidents"][:, :, un].sum(axis=(1, 2, 3)) / total


def harm_per_month(data: Data, c: Context, first: int = 1, last: int = 12) -> np.ndarray:
    """Civilians harmed a month nationally, months ``first``..``last``."""
    return data["civilian_harm"][:, first : last + 1].sum(axis=2).mean(axis=1)


def deaths_per_month(
    data: Data, c: Context, first: int = 1, last: int = 12, cause: str = "all"
) -> np.ndarray:
    """Deaths a month nationally, months ``first``..``last``: from every cause (violence:
    civilians killed by armed groups, battle deaths; and unmet needs), or one ``cause``
    (``civilian_harm``, ``battle_deaths``, ``deaths_unmet_needs``)."""
    window = slice(first, last + 1)
    causes = DEATHS if cause == "all" else (cause,)
    return sum(data[v][:, window].sum(axis=2) for v in causes).mean(axis=1)


def reached_share(data: Data, c: Context, first: int = 1, last: int = 12) -> np.ndarray:
    """Share of the country's people in need that humanitarians reach, months
    ``first``..``last`` (the mean of the monthly national shares)."""
    window = slice(first, last + 1)
    reached = data["people_reached"][:, window].sum(axis=2)
    return (reached / data["people_in_need"][:, window].sum(axis=2)).mean(axis=1)


def displaced_in(data: Data, c: Context, region: str, month: int) -> np.ndarray:
    """People displaced from ``region`` at ``month``."""
    return data["displaced"][:, month, c.regions.index(region)]


def displaced_share(data: Data, c: Context, month: int) -> np.ndarray:
    """Share of the country's people displaced at ``month``."""
    return data["displaced"][:, month].sum(axis=1) / c.population.sum()


def return_rate(data: Data, c: Context, months: int = 24) -> np.ndarray:
    """Mean monthly returns as a share of the displaced, over the first ``months``."""
    returned = np.diff(data["returned"][:, : months + 1].sum(axis=2), axis=1)
    displaced = data["displaced"][:, :months].sum(axis=2)
    return (returned / displaced).mean(axis=1)


def months_to_elections(data: Data, c: Context) -> np.ndarray:
    """Months until national elections are first held (the run's length + 1 if never)."""
    held = data["elections_held"] > 0.5
    months = held.shape[1]
    return np.where(held.any(axis=1), held.argmax(axis=1), months).astype(float)


def mean_of(
    data: Data,
    c: Context,
    variable: str,
    first: int = 1,
    last: int | None = None,
    actor: str | None = None,
) -> np.ndarray:
    """Population-weighted mean of a variable over months ``first``..``last``; for a
    per-actor variable, of ``actor`` (else the mean over humanitarian actors)."""
    x = np.asarray(data[variable][:, first : None if last is None else last + 1], dtype=float)
    if x.ndim == 4:
        x = x[:, :, c.actors.index(actor)] if actor else x[:, :, c.humanitarian].mean(axis=2)
    return _share(x, c).mean(axis=1) if x.ndim == 3 else x.mean(axis=1)


def change(
    data: Data, c: Context, variable: str, start: int, end: int, actor: str | None = None
) -> np.ndarray:
    """How much a variable's national value moved from month ``start`` to month ``end``."""
    at_end = mean_of(data, c, variable, end, end, actor)
    return at_end - mean_of(data, c, variable, start, start, actor)


def conflict_over(data: Data, c: Context, first: int, last: int) -> np.ndarray:
    """Mean share of people living in conflict over months ``first``..``last``."""
    return _share(data["phase"][:, first : last + 1] == Phase.CONFLICT, c).mean(axis=1)


STATISTICS: dict[str, Statistic] = {
    s.name: s
    for s in (
        Statistic(
            "out_of_conflict", ("phase",), out_of_conflict, out_of_conflict.__doc__, ("month",)
        ),
        Statistic("relapsed", ("phase",), relapsed, relapsed.__doc__, ("months",)),
        Statistic("conflict_share", ("phase",), conflict_share, conflict_share.__doc__, ("month",)),
        Statistic(
            "victims_per_year", ("aid_incidents",), victims_per_year, victims_per_year.__doc__
        ),
        Statistic(
            "victims_per_10k", ("aid_incidents", "staff"), victims_per_10k, victims_per_10k.__doc__
        ),
        Statistic(
            "national_victim_share",
            ("aid_incidents", "aid_incidents_national"),
            national_victim_share,
            national_victim_share.__doc__,
        ),
        Statistic("un_victim_share", ("aid_incidents",), un_victim_share, un_victim_share.__doc__),
        Statistic(
            "harm_per_month",
            ("civilian_harm",),
            harm_per_month,
            harm_per_month.__doc__,
            ("first", "last"),
        ),
        Statistic(
            "deaths_per_month",
            DEATHS,
            deaths_per_month,
            deaths_per_month.__doc__,
            ("first", "last", "cause"),
        ),
        Statistic(
            "reached_share",
            ("people_reached", "people_in_need"),
            reached_share,
            reached_share.__doc__,
            ("first", "last"),
        ),
        Statistic(
            "displaced_in", ("displaced",), displaced_in, displaced_in.__doc__, ("region", "month")
        ),
        Statistic(
            "displaced_share", ("displaced",), displaced_share, displaced_share.__doc__, ("month",)
        ),
        Statistic(
            "return_rate", ("returned", "displaced"), return_rate, return_rate.__doc__, ("months",)
        ),
        Statistic(
            "months_to_elections",
            ("elections_held",),
            months_to_elections,
            months_to_elections.__doc__,
        ),
        Statistic("mean_of", (), mean_of, mean_of.__doc__, ("variable", "first", "last", "actor")),
        Statistic("change", (), change, change.__doc__, ("variable", "start", "end", "actor")),
        Statistic(
            "conflict_over", ("phase",), conflict_over, conflict_over.__doc__, ("first", "last")
        ),
    )
}


def variables(name: str, args: Mapping[str, Any]) -> tuple[str, ...]:
    """What a run must record for statistic ``name`` with ``args``."""
    own = STATISTICS[name].variables
    return own + ((str(args["variable"]),) if "variable" in args else ())


def of_dataset(ds: xr.Dataset, name: str, **args: Any) -> np.ndarray:
    """A statistic of a result Dataset (dims replicate, month, ...): one value per replicate."""
    data = {v: ds[v].values for v in variables(name, args)}
    context = Context(
        ds.population.values, tuple(ds.actor.values.tolist()), tuple(ds.region.values.tolist())
    )
    return STATISTICS[name](data, context, **args)
