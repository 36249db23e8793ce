"""What the imsim sweeper runs: the job of one chunk, and the checks made before a sweep.

A chunk's Hydra job is composed for the chunk's first point, so config
groups and shapes are right for the whole chunk; every other point only
sets its swept values on that config (``config.tree.with_values``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig

from ..config.compose import compose
from ..config.plain import Tree, plain, with_values
from ..config.validate import validate
from .evaluate import evaluate
from .grid import Grid, Plan
from .settings import check_setting
from .store import PLAN, write_chunk


def chunk_points(base: Tree, plan: Plan, chunk: int) -> list[Tree]:
    """The configs of a chunk's points, from its first point's composed config."""
    grid = plan.grid
    return [with_values(base, grid.settings(number)) for number in plan.chunks[chunk]]


def run_chunk(cfg: DictConfig) -> str:
    """The Hydra task of a chunk job: evaluate its points, write its file atomically."""
    from hydra.core.hydra_config import HydraConfig

    hydra = HydraConfig.get()
    sweep_dir = Path(hydra.sweep.dir)
    chunk = int(hydra.sweeper.chunk)
    plan = Plan.load(sweep_dir / PLAN)
    points = chunk_points(plain(cfg), plan, chunk)
    if plan.grid.needs_point_checks():
        for point in points:
            validate(point)
    return str(write_chunk(sweep_dir, plan, chunk, evaluate(points, plan.store)))


def check_sweep(overrides: Sequence[str]) -> None:
    """Check a whole grid before Hydra starts; raises ConfigError.

    Values and group options are checked one by one by ``check_overrides``;
    this adds the sweeper's settings, the composed config of every batch,
    and every point when swept keys take part in cross-field rules.
    """
    parser = OverridesParser.create()
    ours = "hydra/sweeper=imsim" in overrides
    for o in overrides:
        if ours and o.startswith("hydra.sweeper."):
            check_setting(o.partition("=")[0], parser.parse_override(o).value())
    grid = Grid.parse(overrides)
    for batch in grid.batches():
        base = plain(compose(overrides=grid.overrides(batch[0])))
        for number in batch if grid.needs_point_checks() else batch[:1]:
            validate(with_values(base, grid.settings(number)))
