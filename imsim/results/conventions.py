"""CF conventions for results files: what each variable, coordinate and file says of itself.

Every variable's ``long_name`` and units come from its declaration (``core.state`` for a
run's variables, ``results.summary.SUMMARY`` for a sweep's summary), so a file read in
xarray, Panoply or ncdump explains itself. CF units are UDUNITS units: a share, an index
or a count of people is dimensionless, ``"1"``, and what is counted stays in the name.
No CF standard name describes humanitarian access, neutrality or people in need, so none
is given (CF-1.10 §3.3: standard_name is optional where the table has none); the phase is
a flag variable (§3.5). Files are compressed (zlib, with the shuffle filter) by default.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..core.options import Phase
from ..core.state import Variable
from ..version import __version__

CONVENTIONS = "CF-1.10"
# Compression of every data variable: zlib level 4 after HDF5's shuffle filter (level 4:
# most of the size saved at a fraction of level 9's time; benchmarks/compression.py).
COMPRESSION: dict[str, Any] = {"compression": "gzip", "compression_opts": 4, "shuffle": True}

COORDINATES = {
    "replicate": "replicate: an independent draw of the run's random streams",
    "month": "months since the start of the run (0: the settled start)",
    "region": "region of the country (those the scenario names, then numbered ones)",
    "actor": "actor (OCHA, UNHCR, NGOs, the mission)",
    "point": "sweep point: its number in the grid, in the grid's order",
    "population": "people living in the region",
}


def variable_attrs(v: Variable) -> dict[str, Any]:
    """A state variable's CF attributes, from its declaration."""
    if v.name == "phase":
        codes = np.array([p.value for p in Phase], dtype=np.int8)
        return {
            "long_name": "phase of the region in the mission's lifecycle",
            "flag_values": codes,
            "flag_meanings": " ".join(p.name.lower() for p in Phase),
        }
    return {"long_name": v.description, "units": "1"}


def summary_attrs(description: str) -> dict[str, Any]:
    """A summary variable's CF attributes (every summary is a share, index or count)."""
    return {"long_name": description, "units": "1"}


def coordinate_attrs(name: str) -> dict[str, Any]:
    """A coordinate's attributes; a swept key's (``force.troops``) says its key, which
    ``storage.load_dataset`` names it by again (CF names are ``force_troops``, §2.3)."""
    if name in COORDINATES:
        attrs: dict[str, Any] = {"long_name": COORDINATES[name]}
        return attrs | ({"units": "1"} if name == "population" else {})
    return {"long_name": f"the swept setting {name} at the point", "imsim_key": name}


def cf_name(key: str) -> str:
    """A swept key as a CF variable name: letters, digits and underscores (§2.3)."""
    return re.sub(r"\W", "_", key)


def imsim_names(ds: Any) -> Any:
    """A file's swept-key coordinates under the keys they were swept as (``force.troops``)."""
    names = {n: ds[n].attrs["imsim_key"] for n in ds.variables if "imsim_key" in ds[n].attrs}
    return ds.rename({n: k for n, k in names.items() if n != k})


def global_attrs(title: str, summary: str) -> dict[str, str]:
    """A file's global attributes: conventions, what made it and when (ACDD's names)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return {
        "Conventions": CONVENTIONS,
        "title": title,
        "summary": summary,
        "source": f"imsim {__version__}, an agent-based model of UN integrated missions",
        "history": f"{now} {_made_by()}",
        "date_created": now,
        "references": "imsim's docs/ODD.md (the model) and docs/sources.md (its figures)",
    }


def _made_by() -> str:
    """The command that wrote the file, when it was the ``imsim`` command."""
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if program in ("imsim", "cli.py"):
        return " ".join(["imsim", *sys.argv[1:]])
    return f"imsim {__version__}, from Python"


def label(ds: Any) -> Any:
    """``ds`` with every coordinate's attributes set (in place as well)."""
    for name in ds.coords:
        if name in ds.dims or name in COORDINATES:
            ds[name].attrs.update(coordinate_attrs(str(name)))
    return ds


def encoding(ds: Any) -> dict[str, dict[str, Any]]:
    """How ``to_netcdf`` compresses each data variable (coordinates stay contiguous)."""
    return {name: dict(COMPRESSION) for name in ds.data_vars if ds[name].dtype.kind in "biuf"}
