"""Where the YAML configs live and what each config group offers."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

# Config groups chosen by name (``integration=two_feet_in``), as folders of configs/.
GROUPS = ("scenario", "integration", "coefficients", "experiment")


def config_dir() -> Path:
    """The configs folder: beside the package in a checkout, inside it in a wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "configs", here / "configs"):
        if (candidate / "config.yaml").is_file():
            return candidate
    raise FileNotFoundError("imsim configs folder not found")


def group_options(group: str) -> list[str]:
    return sorted(p.stem for p in (config_dir() / group).glob("*.yaml"))


@functools.cache
def group_values(group: str, option: str) -> dict[str, Any]:
    """The dotted keys and values one option of a packaged group sets (``integration.*``)."""
    values = yaml.safe_load((config_dir() / group / f"{option}.yaml").read_text()) or {}
    return {f"{group}.{k}": v for k, v in values.items()}
