"""Writing results atomically: a file appears whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import xarray as xr

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


def save_dataset(ds: xr.Dataset, path: Path) -> Path:
    """Write ``ds`` as netCDF atomically.

    The file is built in memory and written with plain file I/O: HDF5 left
    holding a file it could not finish (a full disk) crashes the process at
    exit, while a failed plain write is an ordinary OSError.
    """
    data = ds.to_netcdf(engine="h5netcdf")
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def load_dataset(path: Path) -> xr.Dataset:
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def save_figure(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as a PNG (atomically), close it, and return ``path``."""
    import matplotlib.pyplot as plt

    atomic_write(path, lambda tmp: fig.savefig(tmp, format="png", dpi=130))
    plt.close(fig)
    return Path(path)
