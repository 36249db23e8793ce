"""imsim's optional parts and the extra that installs each.

``pip install imsim`` is the model: both engines, the command, sweeps, sensitivity analysis,
results and figures. The rest comes with an extra (``make`` installs them all):

- ``imsim[dashboard]``: the trainers' dashboard (``imsim-dashboard``; Solara);
- ``imsim[classroom]``: the classroom (``imsim-classroom``; Solara, Starlette, a QR code and
  the debrief's PDF);
- ``imsim[calibration]``: ABC-SMC calibration and the credibility of findings over its
  posterior (``imsim experiment=calibration``, ``experiment=credibility``; pyabc);
- ``imsim[ema]``: exploratory modelling (``imsim.ema``, the scenario discovery and robust
  search studies; the EMA workbench);
- ``imsim[launchers]``: Hydra's joblib, Ray and submitit launchers for sweeps;
- ``imsim[jax]``: the JAX engine (``engine="jax"``), on a CPU or a GPU JAX sees.

A feature started without its extra says so in one line (``MissingExtra``), naming it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

# extra -> the modules it brings that imsim imports
EXTRAS = {
    "dashboard": ("solara",),
    "classroom": ("solara", "starlette", "uvicorn", "segno", "xhtml2pdf"),
    "calibration": ("pyabc", "sklearn"),
    "ema": ("ema_workbench", "platypus"),
    "launchers": ("hydra_plugins.hydra_joblib_launcher",),
    "jax": ("jax",),
}
# Hydra launchers the launchers extra's plugins provide (``hydra/launcher=<name>``)
LAUNCHERS = ("joblib", "ray", "submitit_local", "submitit_slurm")
# study kinds (``study.kind``) -> the extra they need
STUDY_EXTRAS = {
    "calibration": "calibration",
    "credibility": "calibration",
    "scenario_discovery": "ema",
    "robust_search": "ema",
}


class MissingExtra(ImportError):
    """A feature whose optional packages are not installed, in one line naming the extra."""


def missing(extra: str) -> str | None:
    """The first module of ``extra`` that is not installed, or None (found, not imported:
    a check costs nothing)."""
    for module in EXTRAS[extra]:
        if module in sys.modules:
            continue
        try:
            found = importlib.util.find_spec(module) is not None
        except ImportError:  # its parent package is missing
            found = False
        if not found:
            return module
    return None


def require(extra: str, feature: str) -> None:
    """Raise MissingExtra unless ``extra`` is installed; ``feature`` says what needs it."""
    module = missing(extra)
    if module is not None:
        raise MissingExtra(
            f"{feature} needs imsim's {extra} extra ({module.split('.')[-1]} is not "
            f"installed): pip install 'imsim[{extra}]'"
        )


def _console(prog: str, extra: str, feature: str, target: str) -> None:
    """A console script that checks its extra first, then runs ``module:function``."""
    from .console import fail

    try:
        require(extra, feature)
    except MissingExtra as exc:
        fail(prog, f"error: {exc}", 1)
    module, _, function = target.partition(":")
    getattr(importlib.import_module(module), function)()


def dashboard() -> None:
    """``imsim-dashboard``."""
    _console("imsim-dashboard", "dashboard", "the dashboard", "imsim.views.dashboard:main")


def classroom() -> None:
    """``imsim-classroom``."""
    _console("imsim-classroom", "classroom", "the classroom", "imsim.classroom.server:main")
