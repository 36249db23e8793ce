"""The two engines that run a whole batch: numpy's (``batched``, the default and the
reference) and JAX's (``jax``, ``imsim[jax]``), behind one interface.

Every caller that runs many points at once (``simulate``, a sweep's chunk, sensitivity
analysis, the calibration, credibility and EMA evaluators) takes an ``engine`` name and
asks ``batch_engine`` for it; both give the same numbers to rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..compile.run import Run, prepare_run
from ..config.errors import ConfigError
from ..config.schema import BATCH_ENGINES
from ..core.params import Params
from ..core.state import State
from ..extras import require
from . import batched

__all__ = ["BATCH_ENGINES", "BatchEngine", "batch_engine", "check_engine"]


@dataclass(frozen=True)
class BatchEngine:
    """How a batch's month 0 settles and its months run: ``run`` takes the arguments of
    ``engines.batched.run``."""

    name: str
    run: Callable
    settle: Callable[[State, Params], State] | None

    def prepare(self, points: Sequence[Mapping]) -> Run:
        """``compile.run.prepare_run`` with this engine's settling of month 0."""
        return prepare_run(points, self.settle)


def check_engine(engine: object, key: str = "engine") -> str:
    """``engine`` if it names a batch engine whose packages are installed; else a
    ConfigError naming ``key`` (or MissingExtra, for JAX not installed)."""
    if engine not in BATCH_ENGINES:
        raise ConfigError(key, engine, ", ".join(BATCH_ENGINES))
    if engine == "jax":
        require("jax", "the JAX engine")
    return str(engine)


def batch_engine(engine: str = "batched", key: str = "engine") -> BatchEngine:
    """The engine called ``engine`` (see ``check_engine``)."""
    if check_engine(engine, key) == "jax":
        from . import jax_engine

        return BatchEngine("jax", jax_engine.run, jax_engine.settle_points)
    return BatchEngine("batched", batched.run, None)
