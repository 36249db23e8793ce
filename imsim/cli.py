"""The ``imsim`` command: a Hydra app that runs one config and writes its results.

    imsim scenario=drc_relapse integration=two_feet_in run.replicates=8

Bad input is caught before Hydra starts (``imsim.preflight``): one line on
stderr naming the key, the bad value and what is allowed, exit code 2,
nothing written. Ctrl-C and write failures end in one line too.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import console
from .config.files import GROUPS, add_user_folders, config_dir, group_options, user_folders

if TYPE_CHECKING:
    from omegaconf import DictConfig

log = logging.getLogger("imsim")
# Hydra, the engines and the studies are imported when a run needs them, so --version and
# --help answer at once.


def output_dir() -> Path:
    """The run directory Hydra chose for this job."""
    from hydra.core.hydra_config import HydraConfig

    return Path(HydraConfig.get().runtime.output_dir)


def run_job(cfg: DictConfig, engine: str = "batched") -> tuple[Path, Path]:
    """Simulate ``cfg`` and write trajectories.nc and a figure into the Hydra run directory."""
    from tqdm import tqdm

    from .engines.simulation import run_validated
    from .results.storage import save_dataset, save_figure
    from .views import plot

    out = output_dir()
    steps = cfg.run.months * (cfg.run.replicates if engine == "mesa" else 1)
    with tqdm(
        total=steps, desc=f"imsim {cfg.scenario_name}", unit="month", disable=None, leave=False
    ) as bar:
        ds = run_validated(cfg, engine=engine, on_month=lambda _m: bar.update())
    data = save_dataset(ds, out / "trajectories.nc")
    figure = out / "humanitarian_space.png"
    save_figure(plot.erosion(ds), figure)
    return data, figure


# A sensitivity chart shows every parameter up to this many, else each output's most
# influential (a screening of every coefficient ranks all of them in sensitivity.csv).
SHOWN = 20


def run_sensitivity(cfg: DictConfig) -> list[Path]:
    """Sobol or Morris indices as CSV (with the samples) and a bar chart, in the run directory."""
    from .results.storage import atomic_write, save_figure
    from .results.tables import write_gzip_csv
    from .sweep import sensitivity
    from .views import plot

    out = output_dir()
    table, samples = sensitivity.run(cfg)
    paths = [out / "sensitivity.csv", out / "sensitivity_samples.csv.gz", out / "sensitivity.png"]
    atomic_write(paths[0], lambda tmp: table.to_csv(tmp, index=False))
    # every point and its outputs: compressed (a screening of every coefficient is 6 MB raw),
    # with no name or time in the gzip header, so the same samples give the same bytes
    write_gzip_csv(samples, paths[1])
    many = table["parameter"].nunique() > SHOWN
    save_figure(plot.sensitivity(table, top=SHOWN if many else None), paths[2])
    return paths


def run_calibration(cfg: DictConfig) -> list[Path]:
    """ABC-SMC into the run directory (resuming what a previous run there left), then the
    posterior, its figures, the posterior-predictive check and coefficients.yaml."""
    from .calibration.report import write_report
    from .calibration.run import calibrate, claim, setup
    from .config.errors import ConfigError
    from .results.storage import ResultsError

    out = output_dir()
    try:
        claim(out, cfg)
        post = calibrate(cfg, out)
    except (ConfigError, ResultsError) as exc:
        console.fail_now("imsim", f"error: {exc}", 2)
    from .config.plain import plain

    abc = plain(cfg).abc
    return write_report(out, setup(abc), post, abc)


def run_credibility(cfg: DictConfig) -> list[Path]:
    """The share of posterior and prior draws in which each finding holds."""
    from .calibration.credibility import credibility

    return credibility(cfg, output_dir())


def run_study(cfg: DictConfig) -> list[Path]:
    """A study the command runs as a whole (variants, the EMA workbench's), into the run
    directory."""
    from hydra.core.hydra_config import HydraConfig

    from .experiments import run_study as run

    return run(HydraConfig.get().runtime.choices["experiment"], output_dir())


def _app(cfg: DictConfig) -> None:
    """The Hydra task: one run, or the study the config holds."""
    from hydra.core.hydra_config import HydraConfig

    from .config.compose import as_written
    from .experiments import RUN_BY_COMMAND

    as_written(cfg, HydraConfig.get().overrides.task)
    try:
        studies = {
            "sensitivity": run_sensitivity,
            "abc": run_calibration,
            "credibility": run_credibility,
        }
        chosen = [run for key, run in studies.items() if cfg.get(key) is not None]
        if cfg.get("study") is not None and cfg.study.kind in RUN_BY_COMMAND:
            chosen = [run_study]
        if chosen:
            for path in chosen[0](cfg):
                log.info(f"wrote: {path}")
            return
        data, figure = run_job(cfg)
    except OSError as exc:  # a full disk, a folder made read-only meanwhile
        where = exc.filename or output_dir()
        message = f"cannot write {where}: {exc.strerror or exc}; nothing half-written was kept"
        console.fail_now("imsim", message, 1)
    log.info(f"dataset: {data}")
    log.info(f"figure:  {figure}")


def fail(message: str, code: int) -> NoReturn:
    console.fail("imsim", message, code)


HELP = """\
imsim: simulate UN integrated missions and humanitarian space ({version})

usage: imsim [group=option ...] [key=value ...]        one run into results/runs/
       imsim -m [key=a,b ...] [hydra/sweeper=imsim]    a sweep over every combination
       imsim --cfg job [overrides]                     print the composed config
       imsim --version | --hydra-help

Config groups (group=option):
{groups}

{settings}
Your own scenarios, presets, targets and studies: a folder named by --config-dir,
  hydra.searchpath or $IMSIM_CONFIG_PATH (README, "Your own country").
"""
WIDTH = 100  # the help's lines, at most


def usage() -> str:
    """imsim's own help, from the config folders: no config is composed to print it."""
    import dataclasses
    import textwrap

    from .config.files import option_summary
    from .config.keys import type_hints, unwrap_optional
    from .config.schema import ImsimConfig
    from .version import __version__

    lines = []
    for group in GROUPS:
        lines.append(f"  {group}=")
        for option in group_options(group):
            said = option_summary(group, option)
            line = f"    {option:27s} {said}" if said else f"    {option}"
            lines.append(line if len(line) <= WIDTH else line[: WIDTH - 1] + "…")
    hints = type_hints(ImsimConfig)
    sections = [  # the sections every run has (a study's own node aside)
        f.name
        for f in dataclasses.fields(ImsimConfig)
        if dataclasses.is_dataclass(unwrap_optional(hints[f.name])[0])
        and f.default_factory is not dataclasses.MISSING
    ]
    listed = ", ".join(sections[:-1]) + " and " + sections[-1]
    settings = textwrap.fill(
        "Settings are keys of the composed config, section.key=value (imsim "
        f"force.escorts=routine run.replicates=16), in the sections {listed}. `imsim --cfg "
        'job` lists every key with its value; README.md ("Config keys") says what each '
        "does, docs/parameters.md each coefficient's source and range.",
        width=WIDTH - 10,
        subsequent_indent="  ",
        break_on_hyphens=False,
    )
    return HELP.format(version=__version__, groups="\n".join(lines), settings=settings)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line as Hydra reads it (its own parser), with one-line errors."""
    from hydra._internal.utils import get_args_parser

    parser = get_args_parser()
    parser.__class__ = console.OneLineParser
    parser.prog = "imsim"
    return parser.parse_args(argv)


def own_folders(args: argparse.Namespace) -> None:
    """The folders of one's own configs the command line names (``--config-dir``,
    ``hydra.searchpath=[...]``) join ``$IMSIM_CONFIG_PATH``; ConfigError for one that is
    not a folder, or a file there Hydra would misread (``imsim.config.files``)."""
    from .config.errors import ConfigError

    searchpath = [a for a in args.overrides if a.lstrip("+").startswith("hydra.searchpath=")]
    if searchpath:
        from .config.compose import parse_overrides

        searchpath = parse_overrides(searchpath)
    for o in searchpath:
        entries = o.value()
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            raise ConfigError("hydra.searchpath", o.input_line, "a list of folders: [path, ...]")
        add_user_folders(entries, "hydra.searchpath")
    if args.config_dir is not None:
        add_user_folders([args.config_dir], "--config-dir")
    user_folders()  # $IMSIM_CONFIG_PATH's own entries
    for group in (*GROUPS, "targets"):
        group_options(group)


def main() -> None:
    """Console entry point: check everything first, then hand over to Hydra."""
    if sys.argv[1:] == ["--version"]:
        from .version import __version__

        print(f"imsim {__version__}")
        return
    args = parse_args(sys.argv[1:])
    from .config.errors import ConfigError

    try:
        own_folders(args)
    except ConfigError as exc:
        fail(f"error: {exc}", 2)
    if args.help:  # Hydra's help composes every group of its own too: seconds
        print(usage(), end="")
        return
    passive = args.help or args.hydra_help or args.shell_completion
    inspect = bool(args.cfg or args.info)  # prints, runs nothing, writes nothing
    if args.multirun and inspect:
        flag = "--cfg" if args.cfg else "--info"
        fail(f"error: {flag}: bad value with -m; allowed: one of -m, --cfg, --info", 2)
    import hydra

    from .config.compose import replacing
    from .extras import MissingExtra
    from .preflight import check_environment, check_run, check_sweep

    if not passive:
        try:
            check_environment()
            if args.multirun:
                check_sweep(args.overrides, inspect)
            else:
                check_run(args.overrides, inspect)
        except ConfigError as exc:
            fail(f"error: {exc}", 2)
        except MissingExtra as exc:
            fail(f"error: {exc}", 1)
    hydra_form = dict(zip(args.overrides, replacing(args.overrides)[0], strict=True))
    sys.argv = [sys.argv[0], *(hydra_form.get(a, a) for a in sys.argv[1:])]
    from .config.compose import register_studies

    register_studies()  # the experiment group's options, from experiments/
    app = hydra.main(config_path=str(config_dir()), config_name="config", version_base="1.3")
    try:
        with console.catching_interrupts():
            app(_app)()
    except BaseException as exc:
        if not console.interrupted(exc):
            raise
        fail(
            "interrupted; files are written whole or not at all, nothing partial was kept "
            "(the same command resumes a sweep or a calibration where it stopped)",
            130,
        )


if __name__ == "__main__":
    main()
