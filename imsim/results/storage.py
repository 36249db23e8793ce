"""Writing results atomically: a file appears whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

from ..version import __version__
from .checksum import data_checksum
from .conventions import encoding, imsim_names

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as open() would have made it, not mkstemp's 0600
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


# The result contract's version: what variables, dims and attributes a file holds.
CONTRACT = 1


class ResultsError(ValueError):
    """A results file that cannot be trusted or read, in one line naming it and why."""


def save_dataset(ds: xr.Dataset, path: Path) -> Path:
    """Write ``ds`` as netCDF atomically, compressed (``conventions.COMPRESSION``), with
    the contract's version and a checksum of its data (``load_dataset`` checks it).

    The file is built in memory and written with plain file I/O: HDF5 left
    holding a file it could not finish (a full disk) crashes the process at
    exit, while a failed plain write is an ordinary OSError.
    """
    stamped = ds.assign_attrs(
        imsim_version=ds.attrs.get("imsim_version", __version__),
        imsim_contract=CONTRACT,
        checksum=data_checksum(ds),
    )
    data = stamped.to_netcdf(engine="h5netcdf", encoding=encoding(stamped))
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def load_dataset(path: Path, verify: bool = True) -> xr.Dataset:
    """A results file imsim wrote, its data checked against the checksum written with it.

    Anything else — a missing path, a folder, a file that is not netCDF or is cut short,
    a netCDF imsim did not write, data altered after writing — is a ``ResultsError`` in
    one line. ``verify=False`` opens a readable file anyway, to inspect it."""
    path = Path(path)
    if not path.is_file():
        raise ResultsError(f"{path}: no such results file")
    try:
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            loaded = imsim_names(ds.load())
    except (OSError, ValueError) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ResultsError(f"{path}: not a readable netCDF results file ({reason})") from None
    if verify:
        _verify(path, loaded)
    return loaded


def _verify(path: Path, ds: xr.Dataset) -> None:
    hint = "; load_dataset(path, verify=False) opens it anyway, to inspect"
    if "imsim_version" not in ds.attrs:
        raise ResultsError(f"{path}: not a results file imsim wrote (no imsim_version){hint}")
    _contract(path, ds, hint)
    if "store" in ds.attrs and "checksum" not in ds.attrs:
        return  # a sweep merged before imsim 0.2: every chunk's checksum was checked then
    if "checksum" not in ds.attrs:
        raise ResultsError(f"{path}: written without a checksum (before imsim 0.2?){hint}")
    if data_checksum(ds) != ds.attrs["checksum"]:
        raise ResultsError(f"{path}: its data do not match their checksum (altered?){hint}")
    if "store" not in ds.attrs and "chunk" not in ds.attrs and "config" not in ds.attrs:
        raise ResultsError(f"{path}: a run file without its config attribute{hint}")


def _contract(path: Path, ds: xr.Dataset, hint: str) -> None:
    """The result contract's shape: a run's replicate and month dims, a sweep's points and
    its swept keys' coordinates, and a contract this imsim reads."""
    version = ds.attrs.get("imsim_contract", CONTRACT)
    if not isinstance(version, int | np.integer) or version > CONTRACT:
        raise ResultsError(f"{path}: results contract {version}; this imsim reads {CONTRACT}")
    sweep = "store" in ds.attrs or "chunk" in ds.attrs
    need = ("point",) if sweep else ("replicate", "month")
    missing = [d for d in need if d not in ds.dims]
    if missing:
        raise ResultsError(f"{path}: no {', '.join(missing)} dimension, as results have{hint}")
    for key in str(ds.attrs.get("swept_keys", "")).split():
        if key not in ds.variables:
            raise ResultsError(f"{path}: no coordinate for the swept key {key}{hint}")


def save_figure(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as a PNG (atomically), close it, and return ``path``."""
    import matplotlib.pyplot as plt

    atomic_write(path, lambda tmp: fig.savefig(tmp, format="png", dpi=130))
    plt.close(fig)
    return Path(path)
