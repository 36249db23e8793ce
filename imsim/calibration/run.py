"""``imsim.calibration.calibrate``: ABC-SMC of chosen coefficients against targets.

One generation at a time (ABC-SMC with resample-move steps, ``calibration.smc``): each
step simulates every particle it moves in one call of the batched engine
(``TargetSimulator``), and the generation is committed to ``calibration.db`` (pyabc's
SQLite history, one transaction) before the next starts. Running the same command
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
from .checks import check_abc, output_folder, priors_of, study_node
from .simulator import TargetSimulator
from .smc import Generation, Measure, first_generation, next_generation
from .store import locked, record, verify
from .targets import Target, load_targets

DB = "calibration.db"
MODEL = "imsim"
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


def _names(priors: list[Prior]) -> list[str]:
    return [p.name for p in priors]


def to_theta(U: np.ndarray, priors: list[Prior]) -> np.ndarray:
    """Each coefficient's prior quantile (N, D) -> its value. The sampler works on quantiles,
    uniform on [0, 1]: every dimension has the same scale (coefficients span ten orders of
    magnitude), and a log-uniform prior is uniform there."""
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
    logging.getLogger("ABC").setLevel(logging.WARNING)  # pyabc's storage chatter
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
                measure = _measure(s, lambda theta: simulate(theta, runs.update))
                rng = np.random.default_rng([int(abc["seed"]), done])
                if done:
                    history = pyabc.History(url, _id=1)
                    previous = _generation(history, done - 1, s)
                    generation = next_generation(
                        previous, measure, float(abc["quantile"]), int(abc["steps"]), rng
                    )
                else:
                    history = _new_history(url, s)
                    generation = first_generation(measure, n, len(s.priors), rng)
                _append(history, done, generation, s)
            done += 1
            record(out, settings, history, done)
            bar.update(1)
    return posterior(url, s.priors)


def _measure(s: Setup, simulate: Callable[[np.ndarray], np.ndarray]) -> Measure:
    """Prior quantiles -> each calibration target's statistic and the distance (root of
    the summed squared standardised distances)."""

    def measure(unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        S = np.asarray(simulate(to_theta(unit, s.priors)), dtype=float)
        if S.shape != (len(unit), len(s.calibration)):
            raise ValueError(
                f"the simulator returned {S.shape}, not {(len(unit), len(s.calibration))}"
            )
        d = np.column_stack([t.distance(S[:, k]) for k, t in enumerate(s.calibration)])
        return S, np.sqrt(np.square(d).sum(axis=1))

    return measure


def _new_history(url: str, s: Setup) -> pyabc.History:
    """pyabc's SQLite history, as the store of the generations (its reader is what the
    report and the store's checksums use)."""
    history = pyabc.History(url)
    about = json.dumps({"name": "imsim resample-move ABC-SMC (Drovandi & Pettitt 2011)"})
    history.store_initial_data(
        None, {}, {t.name: 0.0 for t in s.calibration}, {}, [MODEL], about, about, about
    )
    return history


def _append(history: pyabc.History, t: int, g: Generation, s: Setup) -> None:
    """Commit generation ``t`` (one transaction): equally weighted particles."""
    names, stats = _names(s.priors), [x.name for x in s.calibration]
    w = 1.0 / len(g.distance)
    particles = [
        pyabc.Particle(
            m=0,
            parameter=pyabc.Parameter(dict(zip(names, u.tolist(), strict=True))),
            weight=w,
            sum_stat=dict(zip(stats, x.tolist(), strict=True)),
            distance=float(d),
        )
        for u, x, d in zip(g.unit, g.statistics, g.distance, strict=True)
    ]
    history.append_population(t, g.epsilon, pyabc.Population(particles), g.evaluations, [MODEL])


def _generation(history: pyabc.History, t: int, s: Setup) -> Generation:
    """Generation ``t`` as stored."""
    names, stats = _names(s.priors), [x.name for x in s.calibration]
    particles = history.get_population(t).particles
    return Generation(
        np.array([[p.parameter[k] for k in names] for p in particles], dtype=float),
        np.array([[p.sum_stat[k] for k in stats] for p in particles], dtype=float),
        np.array([p.distance for p in particles], dtype=float),
        float(history.get_all_populations().set_index("t").epsilon[t]),
        0,
    ).canonical()


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
