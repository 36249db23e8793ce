"""The typed configuration schema (Hydra structured configs).

Each field's allowed values live here, in its metadata: ``choices`` (and
the ``enum`` they come from, in ``core.options``) for categorical settings,
``range`` (inclusive) for numbers. ``validate.py`` reads them and the
timeline encodes options with the enum; nothing else restates them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, make_dataclass
from typing import Any

from ..core.coefficients import Coefficients
from ..core.options import (
    Escorts,
    HcLocation,
    Option,
    Phase,
    Posture,
    Qips,
    SecurityManagement,
    Stance,
)

PHASES = Phase.names()
# The engines that run a whole batch (imsim.engines.backends): numpy's, and JAX's
BATCH_ENGINES = ("batched", "jax")


def choice(default: str, *choices: str) -> Any:
    return field(default=default, metadata={"choices": choices})


def option(default: Option) -> Any:
    """A categorical setting whose options are the enum's members."""
    kind = type(default)
    return field(default=default.label, metadata={"choices": kind.names(), "enum": kind})


def bounded(default: float | int, lo: float, hi: float) -> Any:
    return field(default=default, metadata={"range": (lo, hi)})


@dataclass
class RunConfig:
    replicates: int = bounded(8, 1, 1_000_000)
    months: int = bounded(120, 1, 1200)
    seed: int = bounded(0, 0, 2**63 - 1)


@dataclass
class NgoConfig:
    principled: int = bounded(2, 0, 20)
    multi_mandate: int = bounded(2, 0, 20)


@dataclass
class RegionSpec:
    """Overrides for one named region; unset fields follow its phase."""

    phase: str | None = field(default=None, metadata={"choices": PHASES, "enum": Phase})
    population: float | None = bounded(None, 1.0, 1e9)  # type: ignore[arg-type]
    displaced: float | None = bounded(None, 0.0, 1e9)  # type: ignore[arg-type]
    violence: float | None = bounded(None, 0.0, 1.0)  # type: ignore[arg-type]
    control: float | None = bounded(None, 0.0, 1.0)  # type: ignore[arg-type]
    capacity: float | None = bounded(None, 0.0, 1.0)  # type: ignore[arg-type]
    settlement: float | None = bounded(None, 0.0, 1.0)  # type: ignore[arg-type]
    # where maps draw it: the region's seat, in degrees (east and north positive)
    lon: float | None = bounded(None, -180.0, 180.0)  # type: ignore[arg-type]
    lat: float | None = bounded(None, -90.0, 90.0)  # type: ignore[arg-type]


@dataclass
class WorldConfig:
    regions: int = bounded(30, 1, 500)
    initial_phase: str = option(Phase.CONFLICT)
    population: float = bounded(12_000_000.0, 1_000.0, 2e9)  # national, named regions included
    # humanitarian funding the country receives, US$ million a year (OCHA FTS): the aid
    # workforce follows it (docs/ODD.md §8). 300: about Chad's, 11 million people at war
    # in the east (273 in 2007, 365 in 2010: OCHA; DARA 2011): an assumption for a generic
    # country of 12 million
    aid_funding: float = bounded(300.0, 0.0, 100_000.0)
    capacity: float = bounded(0.25, 0.0, 1.0)  # initial local capacity
    graph_seed: int = bounded(0, 0, 2**31 - 1)  # geography, shared by all replicates
    focal_region: str | None = None
    named: dict[str, RegionSpec] = field(default_factory=dict)


@dataclass
class MissionConfig:
    deployed: bool = True
    stance: str = option(Stance.IMPARTIAL)
    exit_after_elections: bool = False
    initial_strength: float = bounded(0.0, 0.0, 1.0)
    drawdown_share: float = bounded(0.7, 0.0, 1.0)  # consolidated share that starts drawdown
    push_returns: bool = False
    # a non-UN international force the mission works beside, as armed groups see it
    # (0 none .. 1 a coalition at war, e.g. ISAF beside UNAMA: 004 guidance ¶5, ¶36)
    partner_force: float = bounded(0.0, 0.0, 1.0)
    # the UN system and donors call the situation 'post-conflict', whatever the fighting:
    # donors fund humanitarian work less (004 report ¶24-25, ¶36: Afghanistan from 2002)
    labelled_post_conflict: bool = False


@dataclass
class ForceConfig:
    troops: int = bounded(10_000, 0, 200_000)
    # UN police at full deployment (004 guidance ¶25, ¶51; report ¶66; 003 ¶7): ≈ 10% of
    # the troops, as UN missions' police ran at 10-20% of their troops (assumption)
    police: int = bounded(1_000, 0, 50_000)
    deployment_share: float = bounded(1.0, 0.0, 1.0)  # e.g. UNAMID at 50% (guidance ¶45)
    ramp_months: int = bounded(6, 1, 120)
    escorts: str = option(Escorts.LAST_RESORT)
    qips: str = option(Qips.HC_APPROVED)
    joint_plan: bool = False
    mobile_base: bool = False
    protection_mandate: bool = False  # camps of refugees and IDPs (report ¶64-69)


@dataclass
class DsrsgConfig:
    support_office: bool = False


@dataclass
class IntegrationConfig:
    hc_location: str = option(HcLocation.ONE_FOOT_IN)
    information_sharing: float = bounded(0.5, 0.0, 1.0)
    shared_assets: float = bounded(0.3, 0.0, 1.0)
    branding: float = bounded(0.3, 0.0, 1.0)


@dataclass
class SecurityConfig:
    management: str = option(SecurityManagement.MISSION)
    posture: str = option(Posture.BALANCED)


CoefficientsConfig = make_dataclass(
    "CoefficientsConfig",
    [(f.name, float, bounded(f.default, 0.0, 1e6)) for f in fields(Coefficients)],
)


@dataclass
class SensitivityConfig:
    """Sobol or Morris indices of summary outputs over declared parameter ranges."""

    method: str = choice("sobol", "sobol", "morris")
    # Sobol: base samples N (N x (D + 2) points; a power of two); Morris: trajectories.
    samples: int = bounded(64, 2, 1_000_000)
    outputs: list[str] = field(default_factory=lambda: ["humanitarian_space_mean"])
    # key -> [low, high] for a number, the list of options for a category or a bool, or
    # declared for a coefficient; coefficients.<pattern> (coefficients.*, coefficients.network_*)
    # -> declared stands for every coefficient the pattern matches
    parameters: dict[str, Any] = field(default_factory=dict)
    chunk_size: int = bounded(512, 1, 1_000_000)
    engine: str = choice("batched", *BATCH_ENGINES)
    # sampling and bootstrap seed; SALib reads 0 as "unseeded", so seeds start at 1
    seed: int = bounded(1, 1, 2**31 - 1)


@dataclass
class AbcConfig:
    """ABC-SMC calibration of chosen coefficients against a targets file (resample-move
    steps, ``imsim.calibration.smc``)."""

    targets: str = "default"  # configs/targets/<name>.yaml, or a path to a YAML file
    # coefficient -> "declared" (its prior in docs/parameters.md), [low, high] or
    # {low, high, distribution}
    parameters: dict[str, Any] = field(default_factory=dict)
    population: int = bounded(400, 10, 1_000_000)
    generations: int = bounded(6, 1, 100)
    quantile: float = bounded(0.5, 0.05, 0.95)  # each epsilon: this quantile of the last distances
    steps: int = bounded(50, 1, 10_000)  # most random-walk steps that move a generation's copies
    replicates: int = bounded(2, 1, 1000)  # per parameter set and target configuration
    overrides: list[str] = field(default_factory=list)  # for every target configuration
    chunk_size: int = bounded(256, 1, 1_000_000)  # parameter sets per call of the engine
    engine: str = choice("batched", *BATCH_ENGINES)  # changes no number (to rounding)
    seed: int = bounded(1, 0, 2**31 - 1)
    draws: int = bounded(64, 2, 100_000)  # posterior draws for the predictive check


@dataclass
class CredibilityConfig:
    """How often each finding holds over posterior (and prior) draws of the coefficients."""

    posterior: str = "results/calibration/default_p300_g16_s1/posterior.csv"
    findings: str = "findings"  # configs/targets/<name>.yaml, or a path to a YAML file
    # the targets whose measurement could settle a finding (value of information)
    targets: str = "default"
    # prefixes of coefficients no target constrains, drawn from their priors in every draw
    # (* for every coefficient the posterior does not hold)
    vary: list[str] = field(default_factory=list)
    draws: int = bounded(100, 2, 1_000_000)
    replicates: int = bounded(4, 1, 1000)
    overrides: list[str] = field(default_factory=list)
    chunk_size: int = bounded(256, 1, 1_000_000)
    engine: str = choice("batched", *BATCH_ENGINES)
    seed: int = bounded(1, 0, 2**31 - 1)


@dataclass
class ImsimConfig:
    run: RunConfig = field(default_factory=RunConfig)
    world: WorldConfig = field(default_factory=WorldConfig)
    ngos: NgoConfig = field(default_factory=NgoConfig)
    mission: MissionConfig = field(default_factory=MissionConfig)
    force: ForceConfig = field(default_factory=ForceConfig)
    dsrsg: DsrsgConfig = field(default_factory=DsrsgConfig)
    integration: IntegrationConfig = field(default_factory=IntegrationConfig)
    security: SecurityConfig = field(default_factory=SecurityConfig)
    coefficients: CoefficientsConfig = field(default_factory=CoefficientsConfig)  # type: ignore[valid-type]
    events: list[Any] = field(default_factory=list)
    scenario_name: str = "baseline"
    description: str = ""
    sensitivity: SensitivityConfig | None = None  # set by experiment=sensitivity_* configs
    abc: AbcConfig | None = None  # set by experiment=calibration
    credibility: CredibilityConfig | None = None  # set by experiment=credibility
    # set by every experiment=<study>: its title, description, kind and what it shows
    # (imsim.experiments reads the rest, by kind)
    study: dict[str, Any] | None = None


SHOCKS = ("ceasefire_collapse", "peace_agreement", "elections", "security_phase_raise")

# What a sweep keeps of each point: every variable each month, or the documented summary.
EVALUATED_STORES = ("trajectories", "summary")
STORES = ("auto", *EVALUATED_STORES)

SWEEPER_TARGET = "hydra_plugins.imsim_sweeper.imsim_sweeper.ImsimSweeper"
BASIC_SWEEPER_TARGET = "hydra._internal.core_plugins.basic_sweeper.BasicSweeper"


@dataclass
class SweeperConfig:
    """``hydra/sweeper=imsim``: evaluate the grid in chunks through the batched engine."""

    _target_: str = SWEEPER_TARGET
    chunk_size: int = bounded(256, 1, 1_000_000)
    store: str = choice("auto", *STORES)
    engine: str = choice("batched", *BATCH_ENGINES)  # jax: imsim[jax], the same numbers
    # Swept keys declared in a config (as Hydra's basic sweeper's ``params``): key -> values
    params: dict[str, Any] = field(default_factory=dict)
    # Set by the sweeper on each chunk's job; not for users.
    chunk: int | None = None
    batch: str | None = None  # a calibration job's batch folder
