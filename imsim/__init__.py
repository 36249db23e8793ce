"""imsim: agent-based simulation of UN integrated missions and humanitarian space.

>>> import imsim
>>> cfg = imsim.compose("drc_relapse", ["integration=two_feet_in", "run.replicates=4"])
>>> ds = imsim.simulate(cfg)                  # batched numpy engine
>>> ds_mesa = imsim.simulate(cfg, engine="mesa")  # same numbers, one agent at a time

``imsim.MissionModel`` is the Mesa model itself (``MissionModel("drc_relapse",
integration="two_feet_in", rng=42)``). Every public name is imported on first use, so
``import imsim`` costs nothing and ``imsim.compose`` loads Hydra, not Mesa, the
plotting stack or the studies.
"""

from __future__ import annotations

import importlib
from typing import Any

from .version import __version__

# Public modules that live deeper in the package, loaded on first access.
_LAZY = {
    "plot": "imsim.views.plot",
    "sensitivity": "imsim.sweep.sensitivity",
    "summary": "imsim.results.summary",
}
# Public functions and classes, likewise: name -> module.
_LAZY_CLASSES = {
    "ConfigError": "imsim.config.errors",
    "MissionModel": "imsim.engines.mesa.model",
    "compose": "imsim.config.compose",
    "load_dataset": "imsim.results.storage",
    "save_dataset": "imsim.results.storage",
    "simulate": "imsim.engines.simulation",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        found = importlib.import_module(_LAZY[name])
    elif name in _LAZY_CLASSES:
        found = getattr(importlib.import_module(_LAZY_CLASSES[name]), name)
    else:
        raise AttributeError(f"module 'imsim' has no attribute {name!r}")
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY, *_LAZY_CLASSES])


__all__ = [
    "ConfigError",
    "MissionModel",
    "__version__",
    "compose",
    "load_dataset",
    "plot",
    "save_dataset",
    "sensitivity",
    "simulate",
    "summary",
]
