"""Where the YAML configs live and what each config group offers.

The package's configs (``config_dir``) come first; folders of one's own follow, named in
``$IMSIM_CONFIG_PATH`` (several joined by ``os.pathsep``; the ``imsim`` command adds those
given by ``--config-dir`` and ``hydra.searchpath``). A folder of one's own holds any of the
groups' subfolders (``scenario/``, ``integration/``, ``operations/``, ``coefficients/``,
``experiment/``, ``targets/``), each option a YAML file, validated exactly as the
packaged ones; an option named twice is refused, since Hydra would silently take the
package's. Hydra reads the same folders (``hydra_plugins/imsim_searchpath``).

The studies (``experiment=<name>``) live apart, in the top-level ``experiments/``
folder (``study_dir``): each is a config of the ``experiment`` group with a ``study``
node saying what it is and shows, run alike by ``imsim experiment=<name>`` and by
``make experiments`` (``imsim.experiments``).
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

# Config groups chosen by name (``integration=two_feet_in``), as folders of configs/.
GROUPS = ("scenario", "integration", "operations", "coefficients", "experiment")
# The package a group's files must place their keys in (Hydra's ``# @package`` line; a
# group's own name when a file has none): scenarios and studies set keys anywhere, the
# operations set integration.*.
PACKAGES = {"scenario": "_global_", "experiment": "_global_", "operations": "integration"}

# Folders of one's own configs, searched after the package's.
CONFIG_PATH_ENV = "IMSIM_CONFIG_PATH"


@functools.cache  # where the package is does not change while it runs
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
    return _packaged_studies()


@functools.cache
def _packaged_studies() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "experiments", here / "studies"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("imsim experiments folder not found")


def search_folder(entry: str, key: str = CONFIG_PATH_ENV) -> Path:
    """A folder of configs as Hydra's search path writes it (a path, ``file://path`` or
    ``pkg://package/sub``); ConfigError naming ``key`` if it is not a folder."""
    folder = _folder(str(entry))
    if folder is None or not folder.is_dir():
        raise ConfigError(key, entry, "a folder of configs (scenario/, integration/, ...)")
    return folder.resolve()


def _folder(text: str) -> Path | None:
    if text.startswith("pkg://"):
        module, _, sub = text.removeprefix("pkg://").replace("/", ".").partition(".")
        try:
            spec = importlib.util.find_spec(module) if module.isidentifier() else None
        except ImportError:
            return None
        roots = list(spec.submodule_search_locations or []) if spec else []
        return Path(roots[0], *sub.split(".")) if roots else None
    try:
        return Path(text.removeprefix("file://")).expanduser()
    except RuntimeError:  # ~user, for a user that does not exist
        return None


def user_folders() -> tuple[Path, ...]:
    """The folders of one's own configs, from ``$IMSIM_CONFIG_PATH``, in its order."""
    entries = [p for p in os.environ.get(CONFIG_PATH_ENV, "").split(os.pathsep) if p.strip()]
    return tuple(dict.fromkeys(search_folder(p) for p in entries))


def add_user_folders(entries: list[str], key: str) -> None:
    """Put folders given on a command line (``--config-dir``, ``hydra.searchpath``) in
    ``$IMSIM_CONFIG_PATH``, so every part of the run (and its launched jobs) sees them."""
    folders = [str(search_folder(e, key)) for e in entries]
    known = [p for p in os.environ.get(CONFIG_PATH_ENV, "").split(os.pathsep) if p.strip()]
    os.environ[CONFIG_PATH_ENV] = os.pathsep.join(dict.fromkeys([*folders, *known]))


def group_folders(group: str) -> list[Path]:
    """A group's folders: the package's (``experiments/`` for studies), then one's own."""
    packaged = study_dir() if group == "experiment" else config_dir() / group
    return [packaged, *(folder / group for folder in user_folders())]


def option_files(group: str) -> dict[str, Path]:
    """Each option of a group (``scenario``, ``targets``, ...) and its file; ConfigError
    for an option two folders define or a file of one's own that Hydra would misplace.
    Read again only when a folder's listing changed (events and the timeline ask per
    point of a sweep)."""
    listing = tuple(
        (folder, folder.stat().st_mtime_ns if folder.is_dir() else None)
        for folder in group_folders(group)
    )
    return dict(_option_files(group, listing))


@functools.cache
def _option_files(group: str, listing: tuple[tuple[Path, int | None], ...]) -> tuple:
    out: dict[str, Path] = {}
    for i, (folder, _) in enumerate(listing):
        for path in sorted(folder.glob("*.yaml")):
            if path.stem in out:
                allowed = f"one file per option ({out[path.stem]} defines it first)"
                raise ConfigError(group, str(path), allowed)
            if i and group in GROUPS:
                check_package(group, path)
            out[path.stem] = path
    return tuple(out.items())


def check_package(group: str, path: Path) -> None:
    """A file of one's own places its keys where the group's do, read as Hydra reads its
    header (the leading ``# @...`` lines); ConfigError naming the line it needs."""
    from hydra.plugins.config_source import ConfigSource

    needed = PACKAGES.get(group, group)
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        package = ConfigSource._get_header_dict(text)["package"] or group
    except ValueError:
        package = None
    if package != needed and not (package == "_group_" and needed == group):
        allowed = f"a file starting with the line '# @package {needed}'"
        raise ConfigError(group, str(path), allowed)


def option_file(group: str, option: str) -> Path:
    """The file of one option; ConfigError naming the options there are."""
    files = option_files(group)
    if option not in files:
        raise ConfigError(group, option, ", ".join(files))
    return files[option]


def group_options(group: str) -> list[str]:
    return sorted(option_files(group))


def option_summary(group: str, option: str) -> str:
    """One line saying what an option is: a scenario's description or a study's title, else
    the first comment line under its ``# @package`` line (so write one in a file of one's
    own); its first sentence."""
    text = option_file(group, option).read_text(encoding="utf-8", errors="replace")
    try:
        values = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        values = {}
    study = values.get("study") if isinstance(values, dict) else None
    said = (study or {}).get("title") if isinstance(study, dict) else None
    said = said or (values.get("description") if isinstance(values, dict) else None)
    if not isinstance(said, str):
        comments = [line for line in text.splitlines() if line.startswith("# ")]
        said = next((c[2:] for c in comments if not c.startswith("# @package")), "")
    first = " ".join(said.split()).split(". ")[0]
    return first.rstrip(".")


def group_values(group: str, option: str) -> dict[str, Any]:
    """The dotted keys and values one option of a settings group sets (``integration.*``):
    its package's keys (``# @package``), after those of the options its defaults list
    places there (``/operations@_here_: joint`` in a bundle)."""
    path = option_file(group, option)
    return _values(group, path, path.stat().st_mtime_ns)


@functools.cache
def _values(group: str, path: Path, mtime: int) -> dict[str, Any]:
    text = path.read_text()
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
