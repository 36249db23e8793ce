"""Exploratory modelling with the EMA workbench: imsim as a workbench model.

>>> from imsim.ema import BatchedEvaluator, mission_model
>>> model = mission_model("baseline", ["run.months=60", "run.replicates=2"],
...     uncertainties={"mission.partner_force": [0, 1],
...                    "coefficients.association_scale": "declared"},
...     levers={"integration.hc_location": ["two_feet_in", "one_foot_in", "two_feet_out"]},
...     outcomes={"humanitarian_space_mean": "max", "consolidation_share": "max"})
>>> with BatchedEvaluator(model) as evaluator:
...     experiments, outcomes = evaluator.perform_experiments(scenarios=200, policies=3)

Then ``ema_workbench.analysis.prim`` finds where an outcome is bad
(``imsim.ema.studies.discover``), and ``evaluator.optimize`` or
``evaluator.robust_optimize`` search the levers (``imsim.ema.studies.robust_search``).
"""

import warnings

from ..extras import require

require("ema", "exploratory modelling (imsim.ema)")

with warnings.catch_warnings():  # the workbench warns on import when ipyparallel is absent
    warnings.filterwarnings("ignore", message="ipyparallel not installed")
    import ema_workbench  # noqa: F401

from .evaluator import BatchedEvaluator  # noqa: E402
from .model import MissionProblem, Setting, mission_model  # noqa: E402

__all__ = ["BatchedEvaluator", "MissionProblem", "Setting", "mission_model"]
