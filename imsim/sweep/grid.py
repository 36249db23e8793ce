"""The grid of a sweep, its shape-compatible batches and its chunks.

Points are numbered in the order Hydra's basic sweeper would run them (the
cartesian product of the swept values in the order written, the last key
varying fastest), and keep that number whatever the launcher. Points that
need a different composition (a config group such as ``integration``) or
different array shapes (``world.regions``, ``run.months``, ...) fall into
different batches; each batch is cut into chunks of at most ``chunk_size``
points, and one chunk is one Hydra job.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..config.compose import is_hydra_key, parse_overrides, sweep_values
from ..config.files import GROUPS

# Keys whose values change array shapes or names along the run's dims.
SHAPE_KEYS = ("run.months", "run.replicates", "world.regions", "world.named", "ngos.")
# Keys that other keys are checked against (event months, region names, ...).
CROSS_CHECKED = ("run.months", "world.", "events")


def _is(key: str, prefixes: Sequence[str]) -> bool:
    return any(key == p or key.startswith(p if p.endswith(".") else p + ".") for p in prefixes)


@dataclass(frozen=True)
class Grid:
    """Swept keys (as written), their values (as given) and the fixed overrides."""

    keys: tuple[str, ...]
    values: tuple[tuple[Any, ...], ...]
    texts: tuple[tuple[str, ...], ...]  # each value as written, for Hydra overrides
    fixed: tuple[str, ...]

    @classmethod
    def parse(cls, overrides: Sequence[str], config_loader: Any = None) -> Grid:
        """Split overrides into swept keys and fixed ones (hydra keys are not the grid's)."""
        keys, values, texts, fixed = [], [], [], []
        for o in parse_overrides(overrides, config_loader):
            if is_hydra_key(o.key_or_group):
                continue
            if not o.is_sweep_override():
                fixed.append(f"{o.get_key_element()}={o.get_value_element_as_str()}")
                continue
            keys.append(o.key_or_group)
            values.append(tuple(sweep_values(o)))
            texts.append(tuple(o.sweep_string_iterator()))
        return cls(tuple(keys), tuple(values), tuple(texts), tuple(fixed))

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(v) for v in self.values)

    def __len__(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def index(self, point: int) -> tuple[int, ...]:
        return tuple(int(i) for i in np.unravel_index(point, self.shape)) if self.keys else ()

    def point(self, point: int) -> dict[str, Any]:
        """The swept values of one point, key -> value."""
        idx = self.index(point)
        return {k: self.values[j][idx[j]] for j, k in enumerate(self.keys)}

    def settings(self, point: int) -> dict[str, Any]:
        """The values a point sets on its batch's composed config (no config groups)."""
        values = self.point(point)
        return {k: values[k] for k in self.value_keys()}

    def overrides(self, point: int) -> list[str]:
        """The Hydra overrides that run this point alone."""
        idx = self.index(point)
        return list(self.fixed) + [f"{k}={self.texts[j][idx[j]]}" for j, k in enumerate(self.keys)]

    def batch_keys(self) -> list[str]:
        """Swept keys that separate batches: config groups and shape keys."""
        return [k for k in self.keys if k in GROUPS or _is(k, SHAPE_KEYS)]

    def value_keys(self) -> list[str]:
        """Swept keys set on a batch's composed config, point by point."""
        return [k for k in self.keys if k not in GROUPS]

    def needs_point_checks(self) -> bool:
        """Whether points may break cross-field rules that their batch's base satisfies."""
        return any(_is(k, CROSS_CHECKED) for k in self.value_keys())

    def batches(self) -> list[list[int]]:
        """Point numbers grouped by batch key, batches in order of first appearance."""
        cols = [self.keys.index(k) for k in self.batch_keys()]
        if not cols:
            return [list(range(len(self)))]
        idx = np.array(np.unravel_index(np.arange(len(self)), self.shape)).T[:, cols]
        _, first, label = np.unique(idx, axis=0, return_index=True, return_inverse=True)
        order = np.argsort(first)
        return [np.flatnonzero(label.ravel() == b).tolist() for b in order]


@dataclass(frozen=True)
class Plan:
    """A sweep as written to ``plan.json``: its grid, chunks and store."""

    keys: tuple[str, ...]
    values: tuple[tuple[Any, ...], ...]
    texts: tuple[tuple[str, ...], ...]
    fixed: tuple[str, ...]
    chunks: tuple[tuple[int, ...], ...]
    store: str

    @classmethod
    def make(cls, grid: Grid, chunk_size: int, store: str) -> Plan:
        chunks = []
        for batch in grid.batches():
            chunks += [tuple(batch[i : i + chunk_size]) for i in range(0, len(batch), chunk_size)]
        return cls(grid.keys, grid.values, grid.texts, grid.fixed, tuple(chunks), store)

    @property
    def grid(self) -> Grid:
        return Grid(self.keys, self.values, self.texts, self.fixed)

    def job_overrides(self, chunk: int) -> list[str]:
        """Hydra overrides of a chunk's job: its first point's config."""
        return self.grid.overrides(self.chunks[chunk][0])

    def describe(self, chunk: int) -> str:
        """A chunk as the sweeper lists it: its points and each swept key's values there."""
        points = self.chunks[chunk]
        if len(points) > 1 and points[-1] - points[0] == len(points) - 1:
            span = f"points {points[0]}-{points[-1]}"
        else:
            span = ("points " if len(points) > 1 else "point ") + ",".join(map(str, points))
        where = [self.grid.index(p) for p in points]
        values = [
            f"{key}={','.join(dict.fromkeys(self.texts[j][at[j]] for at in where))}"
            for j, key in enumerate(self.keys)
        ]
        return f"chunk {chunk}: {span}: {' '.join(values)}".rstrip(": ")

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def load(cls, path: Path) -> Plan:
        raw = json.loads(Path(path).read_text())
        nested = ("values", "texts", "chunks")
        return cls(
            **{
                k: tuple(map(tuple, v)) if k in nested else tuple(v) if isinstance(v, list) else v
                for k, v in raw.items()
            }
        )
