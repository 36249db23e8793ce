"""A calibration's folder as a store with integrity, like a sweep's.

``calibration.db`` (pyabc's SQLite history) commits one generation per transaction; a
``manifest.json`` beside it records the settings' digest and, when each generation
commits, a checksum of its particles, weights and distances. On resume and before a
report, the database must open and hold every generation the manifest lists with the
same checksum: a database truncated, emptied, not SQLite, or with a generation altered
or deleted is refused in one line (``ResultsError``), never reported from. A generation
committed but not yet in the manifest (killed in between) is added. A lock on the folder
(``calibration.lock``) keeps a second calibration out while one runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ..results.checksum import combine, variable_digest
from ..results.storage import ResultsError, atomic_write

MANIFEST = "manifest.json"
LOCK = "calibration.lock"


def settings_digest(settings: str) -> str:
    return hashlib.sha256(settings.encode()).hexdigest()


def generation_checksum(history: object, t: int) -> str:
    """A checksum of generation ``t``: its particles' parameters, weights and distances."""
    frame, weights = history.get_distribution(m=0, t=t)
    distances = history.get_weighted_distances(t=t)
    parts = {
        "parameters": frame.sort_index(axis=1).to_numpy(dtype=float),
        "weights": np.asarray(weights, dtype=float),
        "distances": distances.sort_index(axis=1).to_numpy(dtype=float),
    }
    return combine({k: variable_digest(k, v) for k, v in parts.items()})


def _unreadable(db: Path, exc: Exception) -> ResultsError:
    text = str(exc).strip()
    reason = text.splitlines()[-1][:120] if text else type(exc).__name__
    return ResultsError(
        f"{db}: not a readable calibration database ({reason}); delete it to start again"
    )


def _read(db: Path) -> tuple[object, int, list[str]]:
    """pyabc's history of ``db``, its generations and their checksums; ResultsError if the
    file cannot be read as one (sqlalchemy's and pandas' errors for a file that is not
    SQLite, is cut short or has damaged pages)."""
    import pyabc

    if db.stat().st_size == 0:
        raise ResultsError(f"{db}: empty, not a calibration database; delete it to start again")
    try:
        history = pyabc.History(f"sqlite:///{db.resolve()}", _id=1)
        done = max(int(history.max_t) + 1, 0)
        return history, done, [generation_checksum(history, t) for t in range(done)]
    except Exception as exc:
        raise _unreadable(db, exc) from None


def verify(out: Path, settings: str) -> int:
    """Check ``out``'s database against its manifest; return the generations committed.
    ResultsError (one line) if anything is damaged; the manifest gains any generation
    committed after it was last written."""
    db, path = out / "calibration.db", out / MANIFEST
    if not db.exists():
        return 0
    manifest = read_manifest(path, settings)
    history, done, found = _read(db)
    sums = manifest["generations"]
    if done < len(sums):
        raise ResultsError(
            f"{db}: generation {done} the manifest lists is missing (deleted or rolled back); "
            "delete the folder to start again"
        )
    for t, expected in enumerate(sums):
        if found[t] != expected:
            raise ResultsError(
                f"{db}: generation {t} differs from the one committed (altered); "
                "delete the folder to start again"
            )
    if done > len(sums):  # committed, then killed before the manifest was written
        record(out, settings, history, done)
    return done


def read_manifest(path: Path, settings: str) -> dict:
    """The manifest at ``path`` (a new one if there is none); ResultsError if unreadable or
    written for other settings."""
    if not path.exists():
        return {"settings": settings_digest(settings), "generations": []}
    try:
        manifest = json.loads(path.read_text())
        ok = isinstance(manifest.get("generations"), list)
    except (OSError, ValueError, AttributeError):
        ok = False
    if not ok:
        raise ResultsError(f"{path}: not a calibration manifest; delete the folder to start again")
    if manifest.get("settings") != settings_digest(settings):
        raise ResultsError(f"{path}: written for other settings; delete the folder to start again")
    return manifest


def record(out: Path, settings: str, history: object, done: int) -> Path:
    """Write the manifest with the checksums of generations 0..done-1."""
    manifest = {
        "settings": settings_digest(settings),
        "generations": [generation_checksum(history, t) for t in range(done)],
    }
    text = json.dumps(manifest, indent=1)
    return atomic_write(out / MANIFEST, lambda tmp: tmp.write_text(text))


def held_by_another(out: Path) -> bool:
    """Whether another process holds ``out``'s calibration lock now."""
    path = out / LOCK
    if not path.exists():
        return False
    with open(path, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
    return False


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold ``out``'s calibration lock; ResultsError if another process holds it."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ResultsError(
                f"{out}: another calibration is writing this folder now; wait for it or "
                "choose another hydra.run.dir"
            ) from None
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
