"""A progress bar for a sweep whose chunks may finish in other processes or machines.

It watches the chunk files appear in the sweep folder, so it works the same
whatever the launcher. tqdm shows points done, points per second and the
ETA on a terminal and stays quiet otherwise.
"""

from __future__ import annotations

import threading
from pathlib import Path

from tqdm import tqdm

from .grid import Plan
from .store import chunk_path, finished


class Progress:
    """Context manager: a bar over the plan's points, updated from finished chunk files."""

    def __init__(self, sweep_dir: Path, plan: Plan, every: float = 0.5):
        self.sweep_dir, self.plan, self.every = Path(sweep_dir), plan, every
        self._stop = threading.Event()
        self._counted = set(finished(self.sweep_dir, plan))  # resumed chunks start the bar
        done = sum(len(plan.chunks[c]) for c in self._counted)
        self.bar = tqdm(
            total=len(plan.grid), initial=done, desc="imsim sweep", unit=" points", disable=None
        )
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _poll(self) -> None:
        new = [
            c
            for c in range(len(self.plan.chunks))
            if c not in self._counted and chunk_path(self.sweep_dir, c).exists()
        ]
        self._counted.update(new)
        self.bar.update(sum(len(self.plan.chunks[c]) for c in new))

    def _watch(self) -> None:
        while not self._stop.wait(self.every):
            self._poll()

    def __enter__(self) -> Progress:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._poll()
        self.bar.close()
