"""What the imsim sweeper runs: the job of one chunk.

A chunk's Hydra job is composed for the chunk's first point, so config
groups and shapes are right for the whole chunk; every other point only
sets its swept values on that config (``config.plain.with_values``).
"""

from __future__ import annotations

from pathlib import Path

from omegaconf import DictConfig

from ..config.compose import within_months
from ..config.plain import Tree, plain, with_values
from .evaluate import evaluate
from .grid import Plan
from .store import PLAN, write_chunk


def chunk_points(base: Tree, plan: Plan, chunk: int) -> list[Tree]:
    """The configs of a chunk's points, from its first point's composed config."""
    grid = plan.grid
    return [with_values(base, grid.settings(number)) for number in plan.chunks[chunk]]


def run_chunk(cfg: DictConfig) -> str:
    """The Hydra task of a chunk job: evaluate its points, write its file atomically."""
    from hydra.core.hydra_config import HydraConfig

    hydra = HydraConfig.get()
    # the scenario's own events after run.months left out, as the check before it did
    cfg = within_months(cfg, hydra.overrides.task, notify=False)
    sweep_dir = Path(hydra.sweep.dir)
    chunk = int(hydra.sweeper.chunk)
    plan = Plan.load(sweep_dir / PLAN)
    points = chunk_points(plain(cfg), plan, chunk)  # every point was checked before Hydra started
    ds = evaluate(points, plan.store, engine=str(hydra.sweeper.get("engine", "batched")))
    return str(write_chunk(sweep_dir, plan, chunk, ds, cfg))
