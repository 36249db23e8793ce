"""Where the YAML configs live and what each config group offers.

The studies (``experiment=<name>``) live apart, in the top-level ``experiments/``
folder (``study_dir``): each is a config of the ``experiment`` group with a ``study``
node saying what it is and shows, run alike by ``imsim experiment=<name>`` and by
``make experiments`` (``imsim.experiments``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import yaml

# Config groups chosen by name (``integration=two_feet_in``), as folders of configs/.
GROUPS = ("scenario", "integration", "operations", "coefficients", "experiment")


def config_dir() -> Path:
    """The configs folder: beside the package in a checkout, inside it in a wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "configs", here / "configs"):
        if (candidate / "config.yaml").is_file():
            return candidate
    raise FileNotFoundError("imsim configs folder not found")


# A folder of one's own studies instead of the package's (tests, a researcher's own set).
STUDIES_ENV = "IMSIM_EXPERIMENTS"


def study_dir() -> Path:
    """The studies' folder: $IMSIM_EXPERIMENTS, else ``experiments/`` beside the package in
    a checkout, inside it (``imsim/studies``) in a wheel."""
    if os.environ.get(STUDIES_ENV):
        return Path(os.environ[STUDIES_ENV]).expanduser().resolve()
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "experiments", here / "studies"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("imsim experiments folder not found")


def group_folder(group: str) -> Path:
    return study_dir() if group == "experiment" else config_dir() / group


def group_options(group: str) -> list[str]:
    return sorted(p.stem for p in group_folder(group).glob("*.yaml"))


@functools.cache
def group_values(group: str, option: str) -> dict[str, Any]:
    """The dotted keys and values one option of a settings group sets (``integration.*``):
    its package's keys (``# @package``), after those of the options its defaults list
    places there (``/operations@_here_: joint`` in a bundle)."""
    text = (group_folder(group) / f"{option}.yaml").read_text()
    package = group
    for line in text.splitlines():
        if line.startswith("# @package "):
            package = line.split()[-1]
    values = yaml.safe_load(text) or {}
    out: dict[str, Any] = {}
    for entry in values.pop("defaults", []):
        for target, name in entry.items():
            other = target.lstrip("/").partition("@")[0]
            out |= {
                f"{package}.{k.partition('.')[2]}": v for k, v in group_values(other, name).items()
            }
    return out | {f"{package}.{k}": v for k, v in values.items()}
