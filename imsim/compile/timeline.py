"""Compiling configs and their events into month-by-month parameter arrays.

A batch holds one or more sweep points, each repeated over its replicates
(batch index = point * replicates + replicate). Every Params field gains a
leading month axis (0..months; row m drives the step into month m), so the
batched engine runs policy changes and shocks with no Python branching.
Fields that never change are broadcast views and cost no memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np

from ..config.events import settings_of
from ..config.keys import resolve_field
from ..config.plain import Tree, plain, select
from ..core.actors import OCHA, actor_names, actor_traits
from ..core.arrays import map_arrays
from ..core.coefficients import COEFFICIENT_FIELDS
from ..core.needs import in_need
from ..core.options import HcLocation, Phase, SecurityManagement
from ..core.params import CoefficientArrays, Params
from .network import network_weights, structural_association
from .world import World, build_world

# Params field -> config key for the settings that events may change.
SETTINGS = {
    "deployed": "mission.deployed",
    "stance": "mission.stance",
    "exit_after_elections": "mission.exit_after_elections",
    "drawdown_share": "mission.drawdown_share",
    "push_returns": "mission.push_returns",
    "partner_force": "mission.partner_force",
    "post_conflict_label": "mission.labelled_post_conflict",
    "troops": "force.troops",
    "police": "force.police",
    "ramp_months": "force.ramp_months",
    "deployment_share": "force.deployment_share",
    "escorts": "force.escorts",
    "qips": "force.qips",
    "joint_plan": "force.joint_plan",
    "mobile_base": "force.mobile_base",
    "protection_mandate": "force.protection_mandate",
    "support_office": "dsrsg.support_office",
    "security_management": "security.management",
    "posture": "security.posture",
    "info_sharing": "integration.information_sharing",
    "shared_assets": "integration.shared_assets",
    "branding": "integration.branding",
}


@dataclass
class Timeline:
    """Params with a leading month axis, and what the batch is made of."""

    params: Params
    worlds: list[World]
    actors: tuple[str, ...]
    points: int
    replicates: int

    @property
    def months(self) -> int:
        return self.params.deployed.shape[0] - 1

    def at(self, month: int) -> Params:
        return map_arrays(self.params, lambda a, spec: a[month])

    def batch(self, index: int | slice) -> Timeline:
        """The timeline of some batch elements (the Mesa engine takes one)."""
        cut = map_arrays(self.params, lambda a, spec: _cut_batch(a, spec, index))
        return Timeline(cut, self.worlds, self.actors, self.points, self.replicates)


def _cut_batch(a: np.ndarray, spec: str, index: int | slice) -> np.ndarray:
    if "B" not in spec:
        return a
    sl = slice(index, index + 1) if isinstance(index, int) else index
    return a[(slice(None), sl)]


def _encode(key: str, value: object) -> float:
    """A setting's value as a number: an option's enum code, or the bool or number itself."""
    enum = resolve_field(key)[1].get("enum")
    return float(enum.parse(value) if enum is not None else value)


def changes(cfg: Tree) -> list[tuple[int, dict]]:
    """The 'set' events of a config in month order: (month, dotted key -> value)."""
    events = sorted((e for e in cfg.events if "set" in e), key=lambda e: e["month"])
    return [(e["month"], settings_of(e["set"])) for e in events]


def _values(cfg: Tree, key: str, months: int, sets: list[tuple[int, dict]]) -> list:
    """The value of a setting at each month 0..months, after its 'set' events."""
    line = [select(cfg, key)] * (months + 1)
    for m, values in sets:
        if key in values:
            line[m:] = [values[key]] * (months + 1 - m)
    return line


def _timeline(cfg: Tree, key: str, months: int, sets: list[tuple[int, dict]]) -> np.ndarray:
    """A setting's monthly values, encoded as numbers (each value encoded once)."""
    line = np.full(months + 1, _encode(key, select(cfg, key)))
    for m, values in sets:
        if key in values:
            line[m:] = _encode(key, values[key])
    return line


def shared_information(
    setting: np.ndarray, hc_inside: np.ndarray, ocha_inside: np.ndarray, apart: float
) -> np.ndarray:
    """The information humanitarians and the mission actually share: the operational
    setting, less what a structure without co-location cannot sustain. Integration and
    trust develop more easily when components are co-located (003 ¶5), and two-way
    sharing rests on that trust (004 report ¶70-75); ``apart`` is the share of the setting
    lost when neither the HC nor OCHA sits inside, half of it when one does."""
    outside = 1.0 - (hc_inside + ocha_inside) / 2.0
    return setting * (1.0 - apart * outside)


def _point_arrays(cfg: Tree, actors: tuple[str, ...]) -> tuple[dict, World]:
    """Every Params field for one point, with axes (T+1, ...) without the batch axis."""
    T = cfg.run.months
    world = build_world(cfg)
    R, H = len(world.names), len(actors)
    sets = changes(cfg)
    out = {name: _timeline(cfg, key, T, sets) for name, key in SETTINGS.items()}
    hc_line = _values(cfg, "integration.hc_location", T, sets)
    hc_codes = [HcLocation.parse(h) for h in hc_line]
    out["hc_inside"] = np.array([h.hc_inside for h in hc_codes], dtype=float)
    out["ocha_inside"] = np.array([h.ocha_inside for h in hc_codes], dtype=float)
    out["info_sharing"] = shared_information(
        out["info_sharing"], out["hc_inside"], out["ocha_inside"], cfg.coefficients.sharing_apart
    )
    joint, weights = out["joint_plan"], network_weights(cfg.coefficients)
    # the network changes only where an event sets something (months 1..T, validated):
    # computed at those months and held between them
    starts = sorted({0, *(m for m, _ in sets)})
    held = np.diff([*starts, T + 1])
    structural = [
        structural_association(
            actors,
            hc_line[m],
            out["info_sharing"][m],
            out["shared_assets"][m],
            out["branding"][m],
            out["security_management"][m] == SecurityManagement.MISSION,
            bool(joint[m]),
            weights,
        )
        for m in starts
    ]
    out["structural"] = np.repeat(np.array(structural), held, axis=0)
    cal = cfg.coefficients
    traits = actor_traits(cfg.ngos.principled, cfg.ngos.multi_mandate, cal)
    distinct = np.broadcast_to(traits.distinctness, (T + 1, H)).copy()
    # OCHA in its own premises or the mission's (guidance ¶40)
    distinct[:, OCHA] = np.where(out["ocha_inside"] > 0, cal.distinctness_ocha_inside, 1.0)
    un = traits.un_agency
    loss = cal.branding_distinctness_loss  # a shared "UN" image
    distinct = distinct * (1.0 - loss * out["branding"][:, None] * un)
    out["distinctness"] = distinct
    out.update(_shocks(cfg, world.names, T))
    out["population"] = np.broadcast_to(world.population, (T + 1, R))
    # funding is given for the people in need at the start (violence and the displaced
    # are held while month 0 settles, and hosting moves the displaced without losing any)
    start = in_need(world.population, cal.need_baseline, world.violence, world.displaced)
    out["funding_per_need"] = np.full(T + 1, float(cfg.world.aid_funding) / start.sum())
    out["focal"] = np.broadcast_to(world.focal, (T + 1, R))
    out["neighbours"] = np.broadcast_to(world.neighbours, (T + 1, R, R))
    for name in (
        "principled",
        "un_agency",
        "is_mission",
        "is_unhcr",
        "is_ocha",
        "stickiness",
        "tolerance",
        "workforce_share",
    ):
        out[name] = np.broadcast_to(getattr(traits, name), (T + 1, H))
    out["coef"] = [float(cfg.coefficients[k]) for k in COEFFICIENT_FIELDS]  # every month's
    return out, world


def _shocks(cfg: Tree, names: tuple[str, ...], T: int) -> dict[str, np.ndarray]:
    R, cal = len(names), cfg.coefficients
    z = np.zeros((T + 1, R))
    out = {
        "violence_shock": z.copy(),
        "settlement_shock": z.copy(),
        "elections": z.copy(),
        "security_floor": z.copy(),
        "phase_floor": z.copy(),
        "phase_cap": z + 2,
    }
    for event in cfg.events:
        if "shock" not in event:
            continue
        m = event["month"]
        regions = event.get("regions", "all")
        mask = np.ones(R, bool) if regions == "all" else np.isin(names, regions)
        span = slice(
            m,
            min(
                T + 1,
                m + event.get("months", 1 if event["shock"] != ("security_phase_raise") else T + 1),
            ),
        )
        kind = event["shock"]
        if kind == "ceasefire_collapse":
            out["violence_shock"][m, mask] += cal.shock_collapse_violence
            out["settlement_shock"][m, mask] -= cal.shock_settlement
            out["phase_cap"][span, mask] = Phase.CONFLICT
        elif kind == "peace_agreement":
            out["violence_shock"][m, mask] -= cal.shock_agreement_calm
            out["settlement_shock"][m, mask] += cal.shock_settlement
            out["phase_floor"][span, mask] = Phase.TRANSITION
        elif kind == "elections":
            out["elections"][m, mask] = 1.0
        else:
            out["security_floor"][span, mask] = np.maximum(
                out["security_floor"][span, mask], event["level"]
            )
    return out


def _coefficients(values: list[list[float]], replicates: int, first: Tree) -> dict[str, np.ndarray]:
    """Each coefficient as a (months + 1, batch) view of its per-point values: they hold
    for every month (no event sets a coefficient)."""
    table = np.array(values)  # (points, coefficients)
    months = first.run.months + 1
    batch = table.shape[0] * replicates
    out = {}
    for j, name in enumerate(COEFFICIENT_FIELDS):
        column = table[:, j]
        if (column == column[0]).all():
            out[name] = np.broadcast_to(column[:1], (months, batch))
        else:
            out[name] = np.broadcast_to(np.repeat(column, replicates), (months, batch))
    return out


def compile_timeline(cfgs: Sequence[Mapping]) -> Timeline:
    """Params for a batch of points (same months, regions, actors and replicates)."""
    cfgs = [plain(c) for c in cfgs]
    first = cfgs[0]
    reps = first.run.replicates
    actors = actor_names(first.ngos.principled, first.ngos.multi_mandate)
    per_point = [_point_arrays(cfg, actors) for cfg in cfgs]
    worlds = [w for _, w in per_point]

    def stack(name: str, spec: str, arrays: list[np.ndarray]) -> np.ndarray:
        if "B" not in spec:
            return arrays[0]
        if all(a is arrays[0] or np.array_equal(a, arrays[0]) for a in arrays):
            base = arrays[0][:, None]
        else:
            base = np.stack(arrays, axis=1)
        if base.shape[1] == 1:
            return np.broadcast_to(base, (base.shape[0], len(cfgs) * reps) + base.shape[2:])
        return np.repeat(base, reps, axis=1)

    values = {}
    for f in fields(Params):
        if f.name == "coef":
            continue
        values[f.name] = stack(f.name, f.metadata["axes"], [p[f.name] for p, _ in per_point])
    coef = CoefficientArrays(**_coefficients([p["coef"] for p, _ in per_point], reps, first))
    return Timeline(Params(**values, coef=coef), worlds, actors, len(cfgs), reps)
