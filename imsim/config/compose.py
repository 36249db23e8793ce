"""Composing a config from the scenario and integration groups plus overrides.

``compose`` is the Python API: imsim's own keys only. ``compose_job`` is
what the command line runs: the same config with Hydra's node, so sweeper
settings and output folders are checked from the composed config, however
they were set (command line, experiment config or defaults). Every failure
is one ConfigError naming the key, the bad value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from omegaconf import DictConfig, OmegaConf, open_dict

from ..extras import LAUNCHERS
from .errors import ConfigError
from .files import GROUPS, config_dir, group_options, study_dir, user_folders
from .keys import check_value, describe, resolve_field
from .plain import plain
from .schema import ImsimConfig, SweeperConfig
from .validate import validate, validate_sweeper

ConfigStore.instance().store(name="imsim_schema", node=ImsimConfig)


_registered: tuple = ()


def register_studies() -> None:
    """Every study of ``study_dir()`` as the options of Hydra's ``experiment`` group (they
    live outside the configs folder, in ``experiments/``); again when that folder or a
    study in it changed (Hydra 1.3's ConfigStore keeps a group as a dict, ``repo``)."""
    global _registered
    folder = study_dir()
    files = sorted(folder.glob("*.yaml"))
    key = (folder, *((p.name, p.stat().st_mtime_ns) for p in files))
    if key == _registered:
        return
    store = ConfigStore.instance()
    store.repo.pop("experiment", None)
    for path in files:
        node = OmegaConf.load(path)
        store.store(group="experiment", name=path.stem, node=node, package="_global_")
    _registered = key


HYDRA = "hydra"


def is_hydra_key(key: str) -> bool:
    """Whether an override sets Hydra's own node (``hydra.*``, ``hydra/<group>``)."""
    return key == HYDRA or key.startswith((HYDRA + ".", HYDRA + "/"))


class GroupOptions:
    """Enough of Hydra's config loader for ``glob()`` sweeps over imsim's config groups."""

    def get_group_options(self, group_name: str, *args: Any, **kwargs: Any) -> list[str]:
        return group_options(group_name) if group_name in GROUPS else []


def parse_overrides(overrides: Sequence[str], config_loader: Any = None) -> list[Override]:
    """Hydra's parse of each override; one line naming the override that does not parse."""
    parser = OverridesParser.create(config_loader=config_loader or GroupOptions())
    parsed = []
    for text in overrides:
        try:
            parsed += parser.parse_overrides([text])
        except Exception as exc:  # Hydra's grammar errors, several lines each
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            key = text.partition("=")[0].lstrip("+~") or text
            raise ConfigError(key, text, f"key=value as Hydra writes it ({reason})") from None
    return parsed


def check_overrides(overrides: Sequence[str]) -> bool:
    """Reject unknown groups, options, keys and bad values of imsim's keys before composing.

    Hydra's own keys are checked on the composed config (``compose_job``).
    Returns whether any override sweeps over several values."""
    sweeping = False
    parsed = parse_overrides(overrides)
    study = any(o.key_or_group == "experiment" for o in parsed)
    for o in parsed:
        key = o.key_or_group
        if is_hydra_key(key):
            continue
        if o.is_delete():
            raise ConfigError(key, "~" + key, "changed values; imsim's keys cannot be deleted")
        sweeping = sweeping or o.is_sweep_override()
        values = sweep_values(o)
        if key in GROUPS:
            options = group_options(key)
            for v in values:
                if v not in options:
                    raise ConfigError(key, v, ", ".join(options))
            continue
        resolve_field(key)
        if key.split(".")[0] == "sensitivity" and not study:
            raise ConfigError(key, o.input_line, "with a study: experiment=sensitivity_integration")
        if key in ("events", "world.named") or key.startswith("sensitivity.param"):
            continue  # checked whole, on the composed config
        for v in values:
            check_value(key, v)
    return sweeping


def sweep_values(o: Override) -> list[Any]:
    """The values an override gives, one per sweep point; ConfigError for bad sweep syntax."""
    if not o.is_sweep_override():
        return [o.value()]
    if not o.is_discrete_sweep():
        raise ConfigError(o.key_or_group, o.input_line, "a list, range() or choice() sweep")
    try:
        values = list(o.sweep_iterator())
    except Exception as exc:  # e.g. range(0,10,0)
        raise ConfigError(o.key_or_group, o.input_line, f"a valid sweep ({exc})") from None
    if not values:
        if "glob(" in o.input_line and o.key_or_group not in GROUPS:
            allowed = "glob() only over a config group: " + ", ".join(GROUPS)
            raise ConfigError(o.key_or_group, o.input_line, allowed)
        raise ConfigError(o.key_or_group, o.input_line, "a sweep with at least one value")
    return values


def replacing(overrides: Sequence[str]) -> tuple[list[str], dict[str, Any]]:
    """Overrides as Hydra can compose them, and the mappings they replace whole.

    Hydra merges a mapping into a mapping of the schema (and refuses new keys),
    so ``sensitivity.parameters={force.troops:[0,1000]}`` is passed on as
    ``+sensitivity.parameters=...`` and its value then replaces the study's;
    ``world.named={x:{phase:conflict}}`` adds region x to the scenario's.
    """
    hydra_form, whole = [], {}
    for text, o in zip(overrides, parse_overrides(overrides), strict=True):
        key = o.key_or_group
        if is_hydra_key(key) or key in GROUPS or o.is_sweep_override() or o.is_delete():
            hydra_form.append(text)
            continue
        tp, _, _ = resolve_field(key)
        value = o.value()
        if typing.get_origin(tp) is dict and isinstance(value, dict):
            hydra_form.append("+" + text.lstrip("+"))
            if not dataclasses.is_dataclass(typing.get_args(tp)[1]):
                whole[key] = value  # world.named merges: a scenario's regions stay
        else:
            hydra_form.append(text)
    return hydra_form, whole


def replace_whole(cfg: DictConfig, whole: dict[str, Any]) -> DictConfig:
    """Set each mapping of ``whole`` on the composed config, replacing what was there."""
    with open_dict(cfg):
        for key, value in whole.items():
            OmegaConf.update(cfg, key, value, merge=False)
    return cfg


def as_written(cfg: DictConfig, overrides: Sequence[str]) -> DictConfig:
    """A job's composed config as its command line means it: the mappings the overrides
    set replace the composed ones whole (see ``replacing``), and the config's own events
    after its last month are left out (``within_months``; the notice came at the check)."""
    cfg = replace_whole(cfg, replacing(list(overrides))[1])
    return within_months(cfg, overrides, notify=False)


log = logging.getLogger("imsim")
_noticed: set[str] = set()


def within_months(cfg: DictConfig, overrides: Sequence[str], notify: bool = True) -> DictConfig:
    """Leave out the scenario's (or study's) own events after ``run.months``, with one
    notice, so a 12-month run of a scenario whose events run to month 18 is the first 12
    months of it; events the overrides set stay as written (out of range, an error)."""
    written = {o.lstrip("+~").partition("=")[0].split("[")[0].split(".")[0] for o in overrides}
    months, events = cfg.get("run", {}).get("months"), cfg.get("events")
    if "events" in written or not isinstance(months, int) or not isinstance(events, Sequence):
        return cfg

    def after(e: Any) -> bool:
        return isinstance(e, Mapping) and isinstance(e.get("month"), int) and e["month"] > months

    late = [e["month"] for e in events if after(e)]
    if not late:
        return cfg
    message = (
        f"imsim: notice: {cfg.get('scenario_name')}'s events after run.months={months} (at month "
        f"{', '.join(map(str, sorted(set(late))))}) are left out; run.months={max(late)} "
        "keeps them"
    )
    if notify and message not in _noticed:
        _noticed.add(message)
        log.warning(message)
    with open_dict(cfg):
        cfg.events = [e for e in events if not after(e)]
    return cfg


def compose(scenario: str | None = None, overrides: Sequence[str] = ()) -> DictConfig:
    """The validated config for a scenario (``baseline`` if none) plus Hydra-style overrides.

    >>> cfg = compose("drc_relapse", ["integration=two_feet_in", "run.replicates=4"])
    """
    if scenario is not None and not isinstance(scenario, str):
        raise ConfigError("scenario", scenario, "a scenario name: " + ", ".join(_scenarios()))
    if isinstance(overrides, str | bytes) or not isinstance(overrides, Sequence):
        raise ConfigError("overrides", overrides, 'a list of "key=value" strings')
    for o in overrides:
        if not isinstance(o, str):
            raise ConfigError("overrides", o, 'a list of "key=value" strings')
    overrides = list(overrides)
    for o in parse_overrides(overrides):
        if is_hydra_key(o.key_or_group):
            raise ConfigError(
                o.key_or_group, o.input_line, "imsim's keys (hydra.* applies to the imsim command)"
            )
        if o.key_or_group == "scenario" and scenario not in (None, o.value()):
            raise ConfigError("scenario", o.value(), f"the scenario given, {scenario}, or none")
    if scenario is not None and not any(o.split("=", 1)[0] == "scenario" for o in overrides):
        overrides.insert(0, f"scenario={scenario}")  # else the defaults' (or a study's) own
    check_overrides(overrides)
    hydra_form, whole = replacing(overrides)
    cfg = within_months(replace_whole(_compose(hydra_form, with_hydra=False), whole), overrides)
    validate(cfg)
    return cfg


def compose_job(overrides: Sequence[str]) -> DictConfig:
    """The config of one ``imsim`` job with Hydra's node, every part validated."""
    check_overrides(overrides)
    hydra_form, whole = replacing(overrides)
    cfg = within_months(replace_whole(_compose(hydra_form, with_hydra=True), whole), overrides)
    validate_sweeper(plain({"sweeper": OmegaConf.to_container(cfg.hydra.sweeper)}))
    validate(without_hydra(cfg))
    return cfg


def without_hydra(cfg: DictConfig) -> DictConfig:
    """A job's config without Hydra's node, as the job itself sees it."""
    out = cfg.copy()
    with open_dict(out):
        out.pop(HYDRA, None)
    return out


def _scenarios() -> list[str]:
    return group_options("scenario")


def _compose(overrides: list[str], with_hydra: bool) -> DictConfig:
    user_folders()  # one's own folders ($IMSIM_CONFIG_PATH) exist: else one line, here
    register_studies()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            cfg = hydra_compose("config", overrides=overrides, return_hydra_config=with_hydra)
            if with_hydra:  # resolve the output folders while Hydra's resolvers are set up
                OmegaConf.resolve(cfg.hydra.run)
                OmegaConf.resolve(cfg.hydra.sweep)
            return cfg
    except ConfigError:
        raise
    except Exception as exc:
        cause = str(exc.__cause__ or "").strip().splitlines()
        raise composition_error(str(exc), overrides, cause[0] if cause else "") from None
    finally:
        GlobalHydra.instance().clear()


def composition_error(message: str, overrides: Sequence[str], cause: str = "") -> ConfigError:
    """Hydra's composition failure as one line naming the override and what is allowed."""
    first = message.strip().splitlines()[0] if message.strip() else "composition failed"
    missing = re.search(r"Could not find '([^']+)/([^'/]+)'", message)
    if missing:  # an unknown option of a config group, e.g. hydra/sweeper=nope
        group, option = missing.groups()
        if group.startswith("hydra/config/") or group == "hydra/config":
            group = group.removeprefix("hydra/config/")
        options = ", ".join(re.findall(r"^\t(\S+)$", message, flags=re.M)) or first
        if group == "hydra/launcher" and option in LAUNCHERS:
            options += " (joblib, ray and submitit: pip install 'imsim[launchers]')"
        return ConfigError(group, option, options)
    named = re.search(r"(?:override\s+|'|Key ')[+~]?([\w./\-\[\]]+?)(?:=|'|$)", first)
    key = named.group(1) if named else ""
    text = next((o for o in overrides if o.lstrip("+~").partition("=")[0] == key), None)
    if text is None:
        return ConfigError("override", " ".join(overrides), first)
    value = text.partition("=")[2]
    name = key.removeprefix("hydra.sweeper.")
    if key.startswith("hydra.sweeper.") and name in SweeperConfig.__dataclass_fields__:
        return ConfigError(key, value, describe(SweeperConfig, name))
    if key.startswith("hydra.sweeper."):
        allowed = "the sweeper's keys (with hydra/sweeper=imsim: chunk_size, store, params)"
        return ConfigError(key, value, allowed)
    if key.startswith("world.named.") and "not in struct" in cause:
        allowed = "a region the scenario names; add one with world.named={name: {phase: ...}}"
        return ConfigError(key, value, allowed)
    return ConfigError(key, value, cause or first)
