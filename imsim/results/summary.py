"""National series and the summary reductions a large sweep stores.

A sweep of thousands of points cannot keep every region-month, so the
``summary`` store keeps, per point and replicate, a documented set of
reductions: first each month is reduced over regions to a national series
(population-weighted means, totals or shares), then each series over months
(mean over months 1..T, value at month T, peak or total). The same two steps
apply online, month by month inside the batched engine (``NationalRecorder``),
and offline to a trajectories Dataset (``summarise``), so both give the same
numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import xarray as xr

from ..core.options import Phase
from ..core.state import DEATHS
from ..core.state import variables as state_variables
from .conventions import label, summary_attrs


def _weighted(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Population-weighted mean over the last (region) axis."""
    w = w / w.sum(axis=-1, keepdims=True)
    if x.ndim > w.ndim:  # actor axis before region
        w = np.expand_dims(w, -2)
    return (x * w).sum(axis=-1)


def _relapses(phase: np.ndarray, previous: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Share of the people whose region fell back into conflict this month."""
    return _weighted((previous > Phase.CONFLICT) & (phase == Phase.CONFLICT), w)


def _per_10k_a_year(victims: np.ndarray, staff: np.ndarray) -> np.ndarray:
    """Victims a year per 10,000 aid workers of the humanitarian actors (every actor but
    the mission, which is last: core.actors.actor_names), pooled over them and regions."""
    v = victims[..., :-1, :].sum(axis=(-2, -1))
    n = staff[..., :-1, :].sum(axis=(-2, -1))
    return np.divide(v * 12e4, n, out=np.zeros_like(v, dtype=float), where=n > 0)


# National series: name -> (per-actor?, rule on arrays with region last, weights, last phase).
Rule = Callable[[Mapping[str, np.ndarray], np.ndarray, np.ndarray], np.ndarray]
NATIONAL: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "mean": _weighted,
    "sum": lambda x, w: x.sum(axis=-1),
    "value": lambda x, w: x,
}


def _declared(name: str, how: str) -> Rule:
    reduce_regions = NATIONAL[how]
    return lambda s, w, prev: reduce_regions(s[name], w)


# Every state variable declared with a national reduction (core.state), then the series
# made from the phases of regions.
SERIES: dict[str, tuple[bool, Rule]] = {
    name: (v.per_actor, _declared(name, v.national))
    for name, v in state_variables().items()
    if v.national is not None
} | {
    "conflict": (False, lambda s, w, prev: _weighted(s["phase"] == Phase.CONFLICT, w)),
    "consolidation": (False, lambda s, w, prev: _weighted(s["phase"] == Phase.CONSOLIDATION, w)),
    "relapses": (False, lambda s, w, prev: _relapses(s["phase"], prev, w)),
    # the share of the country's people in need that humanitarians reach
    "reached_share": (
        False,
        lambda s, w, prev: s["people_reached"].sum(axis=-1) / s["people_in_need"].sum(axis=-1),
    ),
    # victims a year per 10,000 humanitarian aid workers: the rate, beside the counts
    "aid_worker_victim_rate": (
        False,
        lambda s, w, prev: _per_10k_a_year(s["aid_incidents"], s["staff"]),
    ),
    # every death the war and the crisis cause: killings, battle deaths, unmet needs
    "deaths": (False, lambda s, w, prev: sum(s[k].sum(axis=-1) for k in DEATHS)),
}
# The state variables the series read.
INPUTS = ("phase", *(name for name, v in state_variables().items() if v.national is not None))

# Summary variable -> (series, reduction over months, description).
SUMMARY = {
    "humanitarian_space_mean": (
        "humanitarian_space",
        "mean",
        "mean humanitarian space (a perception measure)",
    ),
    "humanitarian_space_final": ("humanitarian_space", "final", "humanitarian space at the end"),
    "neutrality_mean": ("neutrality", "mean", "mean perceived neutrality (population-weighted)"),
    "neutrality_final": ("neutrality", "final", "perceived neutrality at the end"),
    "access_mean": ("access", "mean", "mean share of people reached (population-weighted)"),
    "access_final": ("access", "final", "share of people reached at the end"),
    "aid_incidents_total": (
        "aid_incidents",
        "total",
        "victims of major attacks on staff (killed, injured, kidnapped) over the run",
    ),
    "aid_worker_victim_rate_mean": (
        "aid_worker_victim_rate",
        "mean",
        "victims a year per 10,000 humanitarian aid workers",
    ),
    "displaced_peak": ("displaced", "peak", "largest number of people displaced at once"),
    "displaced_final": ("displaced", "final", "people displaced at the end"),
    "people_reached_mean": ("people_reached", "mean", "people in need reached a month"),
    "reached_share_mean": ("reached_share", "mean", "mean share of people in need reached"),
    "people_in_need_mean": ("people_in_need", "mean", "people in need a month"),
    "deaths_total": ("deaths", "total", "deaths from violence and unmet needs over the run"),
    "deaths_unmet_needs_total": (
        "deaths_unmet_needs",
        "total",
        "excess deaths among people in need not reached, over the run",
    ),
    "civilian_harm_total": ("civilian_harm", "total", "civilians killed by armed groups"),
    "battle_deaths_total": ("battle_deaths", "total", "battle deaths over the run"),
    "conflict_share": ("conflict", "mean", "mean share of people living in conflict"),
    "consolidation_share": ("consolidation", "mean", "mean share of people in consolidation"),
    "consolidated_final": ("consolidation", "final", "share of people in consolidation at the end"),
    "relapses": (
        "relapses",
        "total",
        "shares of people whose region fell back into conflict, summed over months",
    ),
    "settlement_final": ("settlement", "final", "settlement progress at the end"),
    "capacity_final": ("capacity", "final", "local capacity at the end (population-weighted)"),
    "coherence_mean": ("coherence", "mean", "mean coherence of the UN presence"),
    "hc_attention_mean": ("hc_attention", "mean", "mean share of HC coordination demand met"),
    "strength_mean": ("strength", "mean", "mean deployed share of the authorised force"),
    "elections_held": ("elections_held", "final", "1 if national elections were held"),
}
REDUCE = {
    "mean": lambda x: x[:, 1:].mean(axis=1),
    "final": lambda x: x[:, -1],
    "peak": lambda x: x.max(axis=1),
    "total": lambda x: x[:, 1:].sum(axis=1),
}


class NationalRecorder:
    """Records national series month by month: (B, T+1[, H]) instead of (B, T+1, H, R)."""

    needs = INPUTS  # the state variables it reads (all an engine must hand it)

    def __init__(self, first: object, months: int, population: np.ndarray):
        self.population = population
        self.data: dict[str, np.ndarray] = {}
        self.previous: np.ndarray = np.array(first.phase)  # its own: blocks write into it
        for name, (_, rule) in SERIES.items():
            value = rule(self._arrays(first), population, first.phase)
            self.data[name] = np.empty((value.shape[0], months + 1) + value.shape[1:])
        self.record(0, first)

    @staticmethod
    def _arrays(state: object) -> dict[str, np.ndarray]:
        return {k: getattr(state, k) for k in INPUTS}

    def record(self, month: int, state: object) -> None:
        self.record_part(month, slice(None), state)

    @property
    def month_bytes(self) -> int:
        """What recording one month of the whole batch writes."""
        return sum(a[:, 0].nbytes for a in self.data.values())

    def share(self, shared: Callable[[tuple[int, ...], np.dtype], np.ndarray]) -> None:
        """Move the arrays it fills, holding month 0 so far, into arrays from ``shared``,
        where processes stepping the batch's blocks record (engines.forked)."""
        for name, a in self.data.items():
            self.data[name] = shared(a.shape, a.dtype)
            self.data[name][:, 0] = a[:, 0]
        previous, self.previous = self.previous, shared(self.previous.shape, self.previous.dtype)
        self.previous[...] = previous

    def record_part(self, month: int, batch: slice, state: object) -> None:
        """Record the batch elements ``batch`` of a month from ``state``, their state alone:
        the batched engine's blocks each write their own, side by side."""
        arrays = self._arrays(state)
        people = self.population
        if people.ndim > 1 and people.shape[0] > 1:  # (batch, region): this block's rows
            people = people[batch]
        previous = self.previous[batch]
        for name, (_, rule) in SERIES.items():
            self.data[name][batch, month] = rule(arrays, people, previous)
        previous[...] = state.phase


def reduce(series: Mapping[str, np.ndarray]) -> dict[str, tuple[np.ndarray, bool]]:
    """Summary variables from (B, T+1[, H]) national series: name -> (array, per-actor)."""
    return {
        name: (REDUCE[how](series[source]), SERIES[source][0])
        for name, (source, how, _) in SUMMARY.items()
    }


def summarise(ds: xr.Dataset, population: np.ndarray) -> xr.Dataset:
    """The summary of a trajectories Dataset (replicate, month, actor, region).

    ``population`` is the (region,) people per region the run used (``ds.population``).
    """
    rep, months = ds.sizes["replicate"], ds.sizes["month"]
    arrays = {k: ds[k].values.reshape((rep * months,) + ds[k].shape[2:]) for k in INPUTS}
    phase = ds["phase"].values
    previous = np.concatenate([phase[:, :1], phase[:, :-1]], axis=1).reshape(
        phase.shape[0] * months, -1
    )
    w = np.broadcast_to(population, arrays["phase"].shape)
    series = {}
    for name, (_, rule) in SERIES.items():
        flat = rule(arrays, w, previous)
        series[name] = flat.reshape((rep, months) + flat.shape[1:])
    return summary_dataset(reduce(series), ds["actor"].values, ("replicate",))


def humanitarians(ds: xr.Dataset) -> list[str]:
    """The humanitarian actors of a Dataset: every actor but the mission."""
    return [a for a in ds.actor.values if a != "mission"]


def national(ds: xr.Dataset, variable: str, by_actor: bool = False) -> xr.DataArray:
    """A recorded variable's national series, the one every figure, table and study uses:
    regions reduced as the state declares (``Variable.over_regions``: population-weighted
    mean, total, or the national value itself), per-actor variables then averaged over the
    humanitarian actors (kept apart with ``by_actor``). The weights are the Dataset's
    ``population``."""
    da = ds[variable]
    if "region" in da.dims:
        how = state_variables()[variable].over_regions
        if how == "sum":
            da = da.sum("region")
        else:
            if "population" not in ds.variables:
                raise ValueError(
                    f"{variable}: a national mean is population-weighted, and this Dataset "
                    "has no population (a run or sweep written before imsim 0.2)"
                )
            da = da.weighted(ds["population"].fillna(0.0)).mean("region")
    if "actor" in da.dims and not by_actor:
        da = da.sel(actor=humanitarians(ds)).mean("actor")
    return da


def summaries(ds: xr.Dataset) -> xr.Dataset:
    """The summary variables of a trajectories Dataset, a run's or a sweep's (each point
    over its own regions: a sweep over ``world.regions`` leaves the others missing)."""
    if "point" not in ds.dims:
        return summarise(ds, ds["population"].values)
    parts = []
    for p in range(ds.sizes["point"]):
        one = ds.isel(point=p)
        one = one.isel(region=np.flatnonzero(one["population"].notnull().values))
        parts.append(summarise(one, one["population"].values))
    out = xr.concat(parts, "point").assign_coords(point=ds["point"].values)
    # the swept settings of each point and the replicates, as the summary store keeps them
    kept = {n: ds[n] for n in ds.coords if ds[n].dims == ("point",) and n != "point"}
    return out.assign_coords(kept | {"replicate": ds["replicate"].values})


def metric(ds: xr.Dataset, name: str) -> xr.DataArray:
    """A variable reduced to (point, replicate): a summary variable as it is (summarised
    first from trajectories, ``summaries``), a recorded variable's national series
    (``national``) averaged over months 1..T."""
    if name not in ds.variables and name in SUMMARY:
        ds = summaries(ds)
    da = national(ds, name) if "region" in ds[name].dims else ds[name]
    if "month" in da.dims:
        da = da.isel(month=slice(1, None))
    if "actor" in da.dims:
        da = da.sel(actor=humanitarians(ds))
    return da.mean([d for d in da.dims if d not in ("point", "replicate")])


def summary_dataset(
    summary: Mapping[str, tuple[np.ndarray, bool]], actors: object, lead: tuple[str, ...]
) -> xr.Dataset:
    """Summary arrays (lead dims first, then actor where per-actor) as a Dataset."""
    variables = {}
    for name, (array, per_actor) in summary.items():
        dims = lead + (("actor",) if per_actor else ())
        variables[name] = xr.Variable(dims, array, summary_attrs(SUMMARY[name][2]))
    return label(xr.Dataset(variables, coords={"actor": list(actors)}))
