"""The imsim sweeper's own settings (``hydra.sweeper.*``), declared and checked once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..config.validate import ConfigError
from .evaluate import STORES as EVALUATED

STORES = ("auto", *EVALUATED)
# ``store=auto`` keeps trajectories while the whole sweep would take at most this much.
AUTO_TRAJECTORIES_BYTES = 256 << 20


@dataclass
class ImsimSweeperConf:
    """``hydra/sweeper=imsim``: evaluate the grid in chunks through the batched engine."""

    _target_: str = "hydra_plugins.imsim_sweeper.imsim_sweeper.ImsimSweeper"
    chunk_size: int = field(default=256, metadata={"range": (1, 1_000_000)})
    store: str = field(default="auto", metadata={"choices": STORES})
    # Swept keys declared in a config (as Hydra's basic sweeper's ``params``).
    params: dict[str, str] = field(default_factory=dict)
    # Set by the sweeper on each chunk's job; not for users.
    chunk: int | None = None


def check_setting(key: str, value: Any) -> None:
    """Reject a bad ``hydra.sweeper.<key>`` value with the usual one-line error."""
    name = key.removeprefix("hydra.sweeper.")
    if name == "chunk_size":
        lo, hi = ImsimSweeperConf.__dataclass_fields__[name].metadata["range"]
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            raise ConfigError(key, value, f"an integer in [{lo}, {hi}]")
    elif name == "store":
        if value not in STORES:
            raise ConfigError(key, value, ", ".join(STORES))
    elif name not in ("params", "chunk") and not name.startswith("params."):
        raise ConfigError(key, name, "hydra.sweeper.chunk_size, .store, .params", unknown_key=True)


def resolve_store(store: str, points: int, replicates: int, months: int, cells: int) -> str:
    """``auto``: trajectories when every recorded variable of every point fits in 256 MiB.

    ``cells`` is regions x actors, the widest recorded variable's size per month.
    """
    if store != "auto":
        return store
    bytes_needed = points * replicates * (months + 1) * cells * 8 * 6
    return "trajectories" if bytes_needed <= AUTO_TRAJECTORIES_BYTES else "summary"
