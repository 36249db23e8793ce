"""``imsim.calibration.calibrate``: ABC-SMC of chosen coefficients against targets.

One generation at a time (pyabc's ABC-SMC, ``abc.BatchSampler``): every
generation's population is simulated in batches through the batched engine
(``TargetSimulator``), and the generation is committed to ``calibration.db``
(SQLite, one transaction) before the next starts. Running the same command
again on the same folder resumes after the last finished generation, with
the numbers an uninterrupted run gives: every generation is started the
same way, from the history stored so far. The folder is a store with integrity
(``calibration.store``): a lock while a calibration writes it, and a manifest of
every committed generation's checksum, checked on resume.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyabc
import yaml
from tqdm import tqdm

from ..config.errors import ConfigError
from ..config.plain import plain
from ..config.ranges import Prior
from ..results.storage import atomic_write
from .abc import BatchModel, BatchSampler
from .checks import check_abc, output_folder, priors_of, study_node
from .simulator import TargetSimulator
from .store import locked, record, verify
from .targets import Target, load_targets

DB = "calibration.db"
# (theta (N, D), on_runs) -> each target's value (N, targets)
Simulate = Callable[[np.ndarray, Callable[[int], None] | None], np.ndarray]


@dataclass
class Setup:
    """What a calibration runs: its targets split, its priors, its simulator."""

    calibration: list[Target]
    validation: list[Target]
    priors: list[Prior]
    simulator: TargetSimulator


def setup(abc: Mapping) -> Setup:
    check_abc(abc)
    targets = load_targets(abc["targets"], "abc.targets")
    calibration = [t for t in targets if t.use == "calibration"]
    if not calibration:
        raise ConfigError("abc.targets", abc["targets"], "a file with calibration targets")
    priors = priors_of(abc["parameters"])
    simulator = TargetSimulator.from_settings(calibration, priors, abc)
    return Setup(calibration, [t for t in targets if t.use == "validation"], priors, simulator)


def _pyabc_prior(priors: list[Prior]) -> pyabc.Distribution:
    """pyabc works on each coefficient's prior quantile, uniform on [0, 1]: every dimension
    has the same scale (coefficients span ten orders of magnitude, and a kernel covariance
    over their raw values is numerically singular), and log-uniform priors are uniform."""
    return pyabc.Distribution(**{p.name: pyabc.RV("uniform", 0.0, 1.0) for p in priors})


def _names(priors: list[Prior]) -> list[str]:
    return [p.name for p in priors]


def to_theta(U: np.ndarray, priors: list[Prior]) -> np.ndarray:
    """pyabc's quantiles (N, D) -> coefficient values."""
    return np.column_stack([p.from_unit(U[:, j]) for j, p in enumerate(priors)])


SETTINGS = "abc.yaml"


def settings_text(cfg: Any, leave_out: tuple[str, ...] = ("chunk_size", "engine")) -> str:
    """A calibration's settings as written to its folder (the chunk size and the engine
    change no number), each coefficient's prior written out."""
    settings = {k: v for k, v in plain(cfg).abc.items() if k not in leave_out}
    # each prior as it was drawn from, so a calibration run under other declared priors
    # (docs/parameters.md changed) is never resumed as if it were the same one
    settings["parameters"] = {
        p.name: {"low": p.low, "high": p.high, "distribution": p.distribution}
        for p in priors_of(settings["parameters"])
    }
    return yaml.safe_dump(json.loads(json.dumps(settings)), sort_keys=True)


# What the generations already committed depend on: not how many more are asked for, nor
# the report's posterior draws (the manifest's settings digest).
PLAN_LEAVES_OUT = ("chunk_size", "engine", "generations", "draws")


def check_claim(out: Path, cfg: Any, folder_key: str = "hydra.run.dir") -> str:
    """The settings text of ``cfg``; ConfigError if ``out`` holds another calibration's."""
    abc, path = settings_text(cfg), out / SETTINGS
    if path.exists() and path.read_text() != abc:
        raise ConfigError(
            "abc",
            str(out),
            f"the settings of the calibration already in {out} ({path}); "
            f"delete the folder or choose another {folder_key}",
        )
    return abc


def claim(out: Path, cfg: Any) -> None:
    """Record the settings a calibration folder is for; ConfigError if it holds another's
    (a resumed run must continue the same calibration)."""
    abc, path = check_claim(out, cfg), out / SETTINGS
    if not path.exists():
        out.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda tmp: tmp.write_text(abc))


def calibrate(
    cfg: Any, out: Path, progress: bool = True, simulator: Simulate | None = None
) -> pd.DataFrame:
    """Run (or resume) the calibration of ``cfg.abc`` into ``out``; return the posterior
    sample: one row per particle, a column per coefficient and ``weight``.

    ``simulator`` replaces the in-process ``TargetSimulator`` (the launched one of
    ``calibration.launched`` has the same call and gives the same numbers)."""
    abc, out = study_node(cfg, "abc", check_abc), output_folder(out)
    s = setup(abc)
    simulate = simulator or s.simulator
    with locked(out):
        claim(out, cfg)
        return _calibrate(abc, s, simulate, out, settings_text(cfg, PLAN_LEAVES_OUT), progress)


def _calibrate(
    abc: Mapping, s: Setup, simulate: Simulate, out: Path, settings: str, progress: bool
) -> pd.DataFrame:
    url = f"sqlite:///{(out / DB).resolve()}"
    logging.getLogger("ABC").setLevel(logging.WARNING)  # pyabc's per-generation chatter
    names = [t.name for t in s.calibration]
    generations, n = int(abc["generations"]), int(abc["population"])
    with tqdm(
        total=generations,
        desc="imsim calibration",
        unit=" generation",
        disable=None if progress else True,
    ) as bar:
        done = _finished(url, out, settings)
        bar.update(done)
        while done < generations:
            with tqdm(
                desc=f"generation {done}",
                unit=" runs",
                leave=False,
                disable=None if progress else True,
            ) as runs:
                model = BatchModel(
                    lambda theta: simulate(theta, runs.update),
                    _names(s.priors),
                    names,
                    lambda X: to_theta(X, s.priors),
                )
                smc = pyabc.ABCSMC(
                    model,
                    _pyabc_prior(s.priors),
                    _Distance(s.calibration),
                    population_size=n,
                    sampler=BatchSampler(int(abc["seed"])),
                    eps=pyabc.QuantileEpsilon(alpha=float(abc["quantile"])),
                )
                if done:
                    smc.load(url, 1)
                else:
                    smc.new(url, {name: 0.0 for name in names})
                history = smc.run(max_nr_populations=1)
            done = history.max_t + 1
            record(out, settings, history, done)
            bar.update(1)
    return posterior(url, s.priors)


def _finished(url: str, out: Path, settings: str) -> int:
    """Generations already committed and checked against the manifest (0 for a new folder;
    an unfinished first one is redone); ResultsError for a damaged store."""
    path = Path(url.removeprefix("sqlite:///"))
    if not path.exists():
        return 0
    done = verify(out, settings)
    if done <= 0:
        path.unlink()  # killed before the first generation was committed
    return done


def posterior(url: str, priors: list[Prior]) -> pd.DataFrame:
    """The last generation: coefficient values and normalised weights."""
    history = pyabc.History(url, _id=1)
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    X = frame[_names(priors)].to_numpy()
    out = pd.DataFrame(to_theta(X, priors), columns=[p.name for p in priors])
    out["weight"] = weights / weights.sum()
    return out


class _Distance(pyabc.distance.Distance):
    """Root of the summed squared standardised distances of the targets."""

    def __init__(self, targets: list[Target]):
        super().__init__()
        self.targets = targets

    def __call__(self, x: dict, x_0: dict, t: int | None = None, par: dict | None = None) -> float:
        d = [float(t_.distance(x[t_.name])) for t_ in self.targets]
        return float(np.sqrt(np.sum(np.square(d))))
