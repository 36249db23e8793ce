"""Composing a config from the scenario and integration groups plus overrides."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig

from .schema import ImsimConfig
from .validate import GROUPS, ConfigError, check_value, resolve_field, validate

ConfigStore.instance().store(name="imsim_schema", node=ImsimConfig)


def config_dir() -> Path:
    """The configs folder: beside the package in a checkout, inside it in a wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "configs", here / "configs"):
        if (candidate / "config.yaml").is_file():
            return candidate
    raise FileNotFoundError("imsim configs folder not found")


def group_options(group: str) -> list[str]:
    return sorted(p.stem for p in (config_dir() / group).glob("*.yaml"))


def check_overrides(overrides: Sequence[str]) -> bool:
    """Reject unknown groups, options, keys and bad values before Hydra sees them.

    Returns whether any override sweeps over several values."""
    try:
        parsed = OverridesParser.create().parse_overrides(list(overrides))
    except Exception as exc:  # Hydra's grammar errors
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError("override", " ".join(overrides), f"key=value pairs ({text})") from None
    sweeping = False
    for o in parsed:
        key = o.key_or_group
        if key.startswith("hydra") or o.is_delete():
            continue
        sweeping = sweeping or o.is_sweep_override()
        values = list(o.sweep_iterator()) if o.is_sweep_override() else [o.value()]
        if key in GROUPS:
            options = group_options(key)
            for v in values:
                if v not in options:
                    raise ConfigError(key, v, ", ".join(options))
            continue
        resolve_field(key)
        if key == "events" or key.startswith("world.named"):
            continue
        for v in values:
            check_value(key, v)
    return sweeping


def compose(scenario: str = "baseline", overrides: Sequence[str] = ()) -> DictConfig:
    """The validated config for a scenario plus Hydra-style overrides.

    >>> cfg = compose("drc_relapse", ["integration=two_feet_in", "run.replicates=4"])
    """
    overrides = list(overrides)
    if not any(o.split("=", 1)[0] == "scenario" for o in overrides):
        overrides.insert(0, f"scenario={scenario}")
    check_overrides(overrides)
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            cfg = hydra_compose("config", overrides=overrides)
    except ConfigError:
        raise
    except Exception as exc:
        text = str(exc).splitlines()[0]
        raise ConfigError("override", " ".join(overrides), f"a valid config ({text})") from None
    finally:
        GlobalHydra.instance().clear()
    validate(cfg)
    return cfg
