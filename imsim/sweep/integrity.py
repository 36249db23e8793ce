"""Trusting what is on disk: chunks that say what they are, and one sweep per folder.

Each chunk file records the hash of its sweep's plan, its chunk index and a
checksum of its data; resume keeps a chunk only if all three match and its
points are the plan's, so a truncated, altered, misplaced or foreign file is
recomputed, never merged. A lock file holding the owner's process id keeps
a second sweep out of a busy folder; a lock whose process is gone is stale
and taken over. Temporary files an interrupted write left are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import xarray as xr

from ..config.errors import ConfigError
from ..results.checksum import data_checksum
from .grid import Plan

LOCK = ".imsim.lock"


def plan_hash(plan: Plan) -> str:
    return hashlib.sha256(plan.to_json().encode()).hexdigest()[:16]


def stamp(ds: xr.Dataset, plan: Plan, chunk: int) -> xr.Dataset:
    """The chunk's dataset with what it is written into its attributes."""
    return ds.assign_attrs(plan_hash=plan_hash(plan), chunk=chunk, checksum=data_checksum(ds))


def misplaced(attrs: dict, plan: Plan, chunk: int) -> str | None:
    """Why a chunk file's attributes are not chunk ``chunk`` of ``plan``, or None."""
    if attrs.get("plan_hash") != plan_hash(plan):
        return "from another sweep"
    if int(attrs.get("chunk", -1)) != chunk:
        return f"chunk {attrs.get('chunk')}'s file, misplaced"
    return None


def problem(path: Path, plan: Plan, chunk: int) -> str | None:
    """Why the file at ``path`` is not chunk ``chunk`` of ``plan``, or None if it is."""
    try:
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            ds = ds.load()
    except Exception:  # truncated or not a netCDF file at all
        return "unreadable (truncated?)"
    why = misplaced(ds.attrs, plan, chunk)
    if why is not None:
        return why
    if "point" not in ds.coords or ds.point.values.tolist() != list(plan.chunks[chunk]):
        return "holding other points"
    if ds.attrs.get("checksum") != data_checksum(ds):
        return "altered since it was written"
    return None


def remove_leftovers(folder: Path) -> None:
    """Temporary files of writes that were interrupted (``atomic_write``'s dot-files)."""
    for pattern in (".*.nc.*", ".*.json.*"):
        for path in Path(folder).glob(pattern):
            if path.is_file():
                path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold ``folder`` for this process; ConfigError if a live sweep holds it already."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK
    mine = json.dumps({"pid": os.getpid(), "host": socket.gethostname()})
    held = False
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                owner = json.loads(path.read_text() or "{}")
            except (OSError, ValueError):
                owner = {}
            same_host = owner.get("host") == socket.gethostname()
            if "pid" in owner and (not same_host or _alive(int(owner["pid"]))):
                where = f"process {owner['pid']} on {owner.get('host')}"
                raise ConfigError(
                    "hydra.sweep.dir", str(folder), f"a folder no other sweep uses ({where} does)"
                ) from None
            print(f"imsim: taking over {path}, left by a sweep that ended", file=sys.stderr)
            path.unlink(missing_ok=True)
            continue
        with os.fdopen(fd, "w") as f:
            f.write(mine)
        held = True
        break
    if not held:
        raise ConfigError("hydra.sweep.dir", str(folder), "a folder no other sweep uses")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
