"""A sweep on disk: the plan, one file per finished chunk, and the merged ``sweep.nc``.

Each chunk is written atomically as it finishes, so a killed sweep keeps
every finished chunk and a re-run skips them. The merge streams chunk by
chunk into ``sweep.nc`` (written atomically too), so memory stays bounded
by one chunk whatever the number of points. Batches of different shapes
(``world.regions=3,5``) meet on the union of their coordinates, with the
cells a point does not have left missing (NaN).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import h5netcdf
import h5py
import numpy as np
import xarray as xr
from omegaconf import OmegaConf

from ..config.errors import ConfigError
from ..config.plain import builtin, plain
from ..results.checksum import combine, streamed_digest, variable_digest
from ..results.conventions import COMPRESSION, cf_name, coordinate_attrs, global_attrs, label
from ..results.storage import CONTRACT, atomic_write, save_dataset
from ..version import __version__
from .grid import Plan
from .integrity import misplaced, problem, stamp

PLAN, RESULT, CHUNKS = "plan.json", "sweep.nc", "chunks"
# ``store=auto`` keeps trajectories while the whole sweep would take at most this much.
AUTO_TRAJECTORIES_BYTES = 256 << 20


def resolve_store(store: str, points: int, replicates: int, months: int, cells: int) -> str:
    """``auto``: trajectories when every recorded variable of every point fits in 256 MiB.

    ``cells`` is regions x actors, the widest recorded variable's size per month.
    """
    if store != "auto":
        return store
    bytes_needed = points * replicates * (months + 1) * cells * 8 * 6
    return "trajectories" if bytes_needed <= AUTO_TRAJECTORIES_BYTES else "summary"


def chunk_path(sweep_dir: Path, chunk: int) -> Path:
    return Path(sweep_dir) / CHUNKS / f"chunk-{chunk:06d}.nc"


def finished(sweep_dir: Path, plan: Plan) -> list[int]:
    """Chunks whose file is on disk (see ``verified`` for the ones to trust)."""
    return [c for c in range(len(plan.chunks)) if chunk_path(sweep_dir, c).exists()]


def verified(sweep_dir: Path, plan: Plan) -> list[int]:
    """Chunks whose file is this plan's chunk, whole; any other file is removed, said in a line."""
    good = []
    for c in finished(sweep_dir, plan):
        path = chunk_path(sweep_dir, c)
        why = problem(path, plan, c)
        if why is None:
            good.append(c)
            continue
        print(f"imsim: {path.name} is {why}; computing chunk {c} again", file=sys.stderr)
        path.unlink()
    return good


def open_plan(sweep_dir: Path, plan: Plan) -> bool:
    """Write the plan, or check it against the one already there; True if complete."""
    path = Path(sweep_dir) / PLAN
    text = plan.to_json()
    if path.exists():
        if path.read_text() != text:
            raise ConfigError(
                "hydra.sweep.dir",
                str(sweep_dir),
                "an empty folder or one holding this same sweep (it holds a different one)",
            )
        return (Path(sweep_dir) / RESULT).exists()
    Path(sweep_dir).mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda tmp: tmp.write_text(text))
    return False


def coordinate(values: tuple[Any, ...]) -> np.ndarray:
    """A swept key's values as one array: numbers and bools as such, anything else as text."""
    kinds = {type(v) for v in values}
    if kinds <= {bool} or kinds <= {int} or kinds <= {int, float}:
        return np.asarray(values)
    return np.asarray([v if isinstance(v, str) else str(v) for v in values], dtype=object)


def label_points(ds: xr.Dataset, plan: Plan, chunk: int) -> xr.Dataset:
    """Number a chunk's points and add one coordinate per swept key (named as written)."""
    points = np.asarray(plan.chunks[chunk])
    idx = np.array(np.unravel_index(points, plan.grid.shape)) if plan.keys else []
    coords = {"point": points}
    for j, key in enumerate(plan.keys):
        coords[key] = ("point", coordinate(plan.values[j])[idx[j]])
    return ds.assign_coords(coords)


# What a chunk says of the sweep, kept in sweep.nc: CF's global attributes, the config
# (its first point's: each point's swept values are its coordinates), seed and scenario.
DESCRIBED = ("Conventions", "title", "summary", "source", "history", "date_created",
             "references", "config", "seed", "scenario")  # fmt: skip


def write_chunk(sweep_dir: Path, plan: Plan, chunk: int, ds: xr.Dataset, cfg: Any = None) -> Path:
    """A chunk's file, labelled and stamped with what it is (``integrity.stamp``), and
    described by ``cfg``, its first point's config."""
    if cfg is not None:
        ds = ds.assign_attrs(described(cfg, plan))
    stamped = stamp(label(label_points(ds, plan, chunk)), plan, chunk)
    return save_dataset(stamped, chunk_path(sweep_dir, chunk))


def described(cfg: Any, plan: Plan) -> dict[str, Any]:
    """A sweep's global attributes from its first point's config (``DESCRIBED``)."""
    swept = ", ".join(plan.keys) or "nothing"
    about = f"a sweep of {len(plan.grid)} points over {swept}"
    out = {"config": OmegaConf.to_yaml(OmegaConf.create(builtin(plain(cfg))))}
    if "scenario" not in plan.keys:  # else each point's scenario is its coordinate
        about += f"; scenario {cfg.scenario_name}"
        out["scenario"] = str(cfg.scenario_name)
    if "run.seed" not in plan.keys:
        out["seed"] = int(cfg.run.seed)
    return global_attrs("imsim sweep", about) | out


def _union(chunks: list[Path]) -> tuple[dict[str, list], bool]:
    """For every dim but point, the union of its values in order of appearance, and
    whether any chunk lacks some of them (then variables are stored as floats, NaN-filled)."""
    union: dict[str, list] = {}
    seen: list[dict[str, list]] = []
    for path in chunks:
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            own = {d: ds[d].values.tolist() for d in ds.dims if d != "point"}
        seen.append(own)
        for dim, values in own.items():
            known = union.setdefault(dim, [])
            known += [v for v in values if v not in known]
    ragged = any(own[d] != union[d] for own in seen for d in own)
    return union, ragged


def merge(sweep_dir: Path, plan: Plan) -> Path:
    """Stream every chunk into ``sweep.nc`` in grid order; remove the chunks once it is whole."""
    sweep_dir = Path(sweep_dir)
    paths = [chunk_path(sweep_dir, c) for c in range(len(plan.chunks))]
    union, ragged = _union(paths)
    with xr.open_dataset(paths[0], engine="h5netcdf") as first:
        variables = {name: (v.dims, v.dtype, dict(v.attrs)) for name, v in first.data_vars.items()}
        described = {k: first.attrs[k] for k in DESCRIBED if k in first.attrs}

    def write(tmp: Path) -> None:
        with h5netcdf.File(tmp, "w") as out:
            out.dimensions = {"point": len(plan.grid), **{d: len(v) for d, v in union.items()}}
            _write_coords(out, plan, union)
            out.attrs.update(described)
            for name, (dims, dtype, attrs) in variables.items():
                floats = ragged or dtype.kind == "f"
                v = out.create_variable(
                    name,
                    dims,
                    dtype=np.float64 if ragged else dtype,
                    fillvalue=np.nan if floats else None,
                    **COMPRESSION,
                )
                v.attrs.update(attrs)
                if "flag_values" in attrs:  # flags of the type the variable is stored as
                    v.attrs["flag_values"] = np.asarray(attrs["flag_values"], dtype=v.dtype)
                if plan.keys:
                    v.attrs["coordinates"] = " ".join(map(cf_name, plan.keys))
            for c, path in enumerate(paths):
                with xr.open_dataset(path, engine="h5netcdf") as ds:
                    _check_attrs(ds, plan, c, path)
                    digests = _copy_chunk(out, ds, ds.point.values, union)  # at its own points
                    if combine(digests) != ds.attrs.get("checksum"):
                        _refuse(path)
            # the merged file vouches for itself too (results.storage.load_dataset checks it)
            out.attrs["imsim_contract"] = CONTRACT
            out.attrs["checksum"] = combine(
                {name: _streamed_digest(name, out.variables[name]) for name in variables}
            )

    atomic_write(sweep_dir / RESULT, write)
    for path in paths:
        path.unlink()
    return sweep_dir / RESULT


# Points read at a time when hashing a merged variable, so memory stays at a chunk's size.
DIGEST_ROWS = 256


def _streamed_digest(name: str, variable: Any) -> bytes:
    """The digest of a variable of the file being written, read in slices of points."""
    rows = range(0, variable.shape[0], DIGEST_ROWS)
    parts = (variable[start : start + DIGEST_ROWS] for start in rows)
    return streamed_digest(name, variable.dtype, variable.shape, parts)


def _write_coords(out: Any, plan: Plan, union: dict[str, list]) -> None:
    _create(out, "point", ("point",), np.arange(len(plan.grid)))
    for dim, values in union.items():
        _create(out, dim, (dim,), np.asarray(values))
    idx = np.array(np.unravel_index(np.arange(len(plan.grid)), plan.grid.shape))
    for j, key in enumerate(plan.keys):
        _create(out, key, ("point",), coordinate(plan.values[j])[idx[j]], cf_name(key))
    out.attrs.update(
        {
            "imsim_version": __version__,
            "store": plan.store,
            "swept_keys": " ".join(plan.keys),
            "fixed_overrides": " ".join(plan.fixed),
        }
    )


def _create(
    out: Any, name: str, dims: tuple[str, ...], values: np.ndarray, written: str = ""
) -> None:
    """A coordinate of sweep.nc, with its CF attributes, written as ``written``."""
    written = written or name
    if values.dtype == object or values.dtype.kind == "U":
        v = out.create_variable(written, dims, dtype=h5py.string_dtype())
        v[...] = values.astype(object)
    elif values.dtype == bool:
        v = out.create_variable(written, dims, data=values.astype(np.int8))
        v.attrs["dtype"] = "bool"
    else:
        v = out.create_variable(written, dims, data=values)
    v.attrs.update(coordinate_attrs(name))


def _check_attrs(ds: xr.Dataset, plan: Plan, chunk: int, path: Path) -> None:
    if misplaced(ds.attrs, plan, chunk) is not None:
        _refuse(path)


def _refuse(path: Path) -> None:
    """A chunk that changed between its job and the merge: removed, to be computed again."""
    path.unlink()
    raise ConfigError(
        "hydra.sweep.dir",
        str(path.parent.parent),
        f"chunks left as written ({path.name} changed during the sweep and was removed; "
        "run the same command again to compute it anew)",
    )


def _copy_chunk(
    out: Any, ds: xr.Dataset, points: np.ndarray, union: dict[str, list]
) -> dict[str, bytes]:
    """Write one chunk's variables at its points, placed on the union coordinates;
    return each variable's digest, for the chunk's checksum."""
    digests = {}
    contiguous = points.size == points[-1] - points[0] + 1
    rows = slice(int(points[0]), int(points[-1]) + 1) if contiguous else points
    where = {}  # each dim's positions of this chunk's values on the union
    for dim in ds.dims:
        if dim != "point":
            position = {v: i for i, v in enumerate(union[dim])}
            where[dim] = np.array([position[v] for v in ds[dim].values.tolist()])
    for name, var in ds.data_vars.items():
        target = out.variables[name]
        data = var.values
        digests[name] = variable_digest(name, data)
        places = [np.arange(len(points))] + [where[dim] for dim in var.dims[1:]]
        shape = tuple(len(p) for p in places[:1]) + tuple(len(union[d]) for d in var.dims[1:])
        if shape != data.shape or any((p != np.arange(len(p))).any() for p in places):
            block = np.full(shape, np.nan, dtype=target.dtype)
            block[np.ix_(*places)] = data
            data = block
        target[rows] = data
    return digests
