"""imsim: agent-based simulation of UN integrated missions and humanitarian space.

>>> import imsim
>>> cfg = imsim.compose("drc_relapse", ["integration=two_feet_in", "run.replicates=4"])
>>> ds = imsim.simulate(cfg)                  # batched numpy engine
>>> ds_mesa = imsim.simulate(cfg, engine="mesa")  # same numbers, one agent at a time
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import io  # noqa: E402
from .config.compose import compose  # noqa: E402
from .config.validate import ConfigError  # noqa: E402
from .simulate import simulate  # noqa: E402

__all__ = ["ConfigError", "__version__", "compose", "io", "simulate"]
