"""A plain, read-only view of a config: nested dicts with attribute access.

OmegaConf nodes cost tens of microseconds per read; a sweep reads thousands
of points, so validation and compilation work on this plain view instead.
``with_values`` derives a point from a base by copying only the path to
each changed key, so points share every subtree they do not change.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from omegaconf import DictConfig


class Tree(dict):
    """A config mapping whose keys can also be read as attributes (``cfg.run.months``)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _wrap(value: Any) -> Any:
    if isinstance(value, Mapping):
        return Tree({k: _wrap(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return [_wrap(v) for v in value]
    return value


def plain(cfg: DictConfig | Mapping) -> Tree:
    """The plain view of a composed config (a Tree is returned as is)."""
    if isinstance(cfg, Tree):
        return cfg
    if "omegaconf" in sys.modules:  # else no config here can be one of its nodes
        from omegaconf import DictConfig, ListConfig, OmegaConf

        if isinstance(cfg, DictConfig | ListConfig):
            return _wrap(OmegaConf.to_container(cfg, resolve=True))
    return _wrap(cfg)


def builtin(value: Any) -> Any:
    """A config as plain dicts and lists, for writers that take nothing else (OmegaConf)."""
    if isinstance(value, Mapping):
        return {k: builtin(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [builtin(v) for v in value]
    return value


def select(cfg: Mapping, key: str) -> Any:
    """The value at a dotted key."""
    node: Any = cfg
    for part in key.split("."):
        node = node[part]
    return node


def with_values(base: Tree, values: Mapping[str, Any]) -> Tree:
    """A copy of ``base`` with dotted keys set; unchanged subtrees are shared."""
    root = Tree(base)
    for key, value in values.items():
        *parents, last = key.split(".")
        node = root
        for part in parents:
            child = node.get(part)
            child = Tree(child) if isinstance(child, Mapping) else Tree()
            node[part] = child
            node = child
        node[last] = _wrap(value)
    return root
