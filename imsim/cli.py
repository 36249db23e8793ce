"""The ``imsim`` command: a Hydra app that runs one config and writes its results.

    imsim scenario=drc_relapse integration=two_feet_in run.replicates=8

Bad input is caught before Hydra starts: one line on stderr naming the key,
the bad value and what is allowed, exit code 2, nothing written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig
from tqdm import tqdm

from .config.compose import check_overrides, compose, config_dir
from .config.validate import ConfigError, validate
from .sweep.job import check_sweep

OPTION_FLAGS = {
    "-m",
    "--multirun",
    "-c",
    "--cfg",
    "--info",
    "-h",
    "--help",
    "--hydra-help",
    "--resolve",
    "--version",
    "-p",
    "--package",
    "--shell-completion",
    "-sc",
}


def run_job(cfg: DictConfig, engine: str = "batched") -> tuple[Path, Path]:
    """Simulate ``cfg`` and write trajectories.nc and a figure into the Hydra run directory."""
    from .results.storage import save_dataset
    from .simulate import simulate
    from .views import plot

    validate(cfg)
    out = Path(HydraConfig.get().runtime.output_dir)
    steps = cfg.run.months * (cfg.run.replicates if engine == "mesa" else 1)
    with tqdm(
        total=steps, desc=f"imsim {cfg.scenario_name}", unit="month", disable=None, leave=False
    ) as bar:
        ds = simulate(cfg, engine=engine, on_month=lambda _m: bar.update())
    data = save_dataset(ds, out / "trajectories.nc")
    figure = out / "humanitarian_space.png"
    plot.save_figure(plot.erosion(ds), figure)
    return data, figure


def run_sensitivity(cfg: DictConfig) -> list[Path]:
    """Sobol or Morris indices as CSV (with the samples) and a bar chart, in the run directory."""
    from .results.storage import atomic_write
    from .sweep import sensitivity
    from .views import plot

    out = Path(HydraConfig.get().runtime.output_dir)
    table, samples = sensitivity.run(cfg)
    paths = [out / "sensitivity.csv", out / "sensitivity_samples.csv", out / "sensitivity.png"]
    atomic_write(paths[0], lambda tmp: table.to_csv(tmp, index=False))
    atomic_write(paths[1], lambda tmp: samples.to_csv(tmp, index=False))
    plot.save_figure(plot.sensitivity(table), paths[2])
    return paths


@hydra.main(config_path=str(config_dir()), config_name="config", version_base="1.3")
def _app(cfg: DictConfig) -> None:
    if cfg.sensitivity is not None:
        for path in run_sensitivity(cfg):
            print(f"wrote: {path}")
        return
    data, figure = run_job(cfg)
    print(f"dataset: {data}")
    print(f"figure:  {figure}")


def _overrides(argv: list[str]) -> list[str]:
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("-cn", "--config-name", "-cp", "--config-path", "-cd", "--config-dir"):
            skip = True
        elif not arg.startswith("-"):
            out.append(arg)
    return out


def main() -> None:
    """Console entry point: validate first, then hand over to Hydra."""
    argv = sys.argv[1:]
    overrides = _overrides(argv)
    multirun = "-m" in argv or "--multirun" in argv
    try:
        sweeping = check_overrides(overrides)
        if sweeping and not multirun:
            swept = next(o for o in overrides if "," in o or "(" in o)
            key, _, value = swept.partition("=")
            raise ConfigError(key, value, "one value (add -m to sweep over several)")
        if multirun:  # every batch of the grid, composed and validated before Hydra writes
            check_sweep(overrides)
        else:
            compose(overrides=[o for o in overrides if not o.startswith("hydra")])
    except ConfigError as exc:
        print(f"imsim: error: {exc}", file=sys.stderr)
        sys.exit(2)
    _app()


if __name__ == "__main__":
    main()
