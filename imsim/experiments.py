"""The studies: ``make experiments`` regenerates every study of ``experiments/`` into
``results/``; ``python -m imsim.experiments NAME ...`` the ones named.

Each ``experiments/<name>.yaml`` is one study: a config of the ``experiment`` group
(``imsim experiment=<name>`` composes it, ``imsim -m`` for a sweep) whose ``study`` node
says what it is (``title``, ``description``) and its kind:

- ``sweep``: its grid (``hydra.sweeper.params``) through the imsim sweeper, with figures
  of metrics across the swept keys, a table of means and standard errors and, if asked,
  verdicts;
- ``runs``: a few ``variants`` of its config, a figure of a variable over time and a table
  of its values at chosen months;
- ``sensitivity``, ``calibration``, ``credibility``: the study its config's node holds,
  run by ``imsim experiment=<name>`` (the last two take long, and run only when named);
- ``scenario_discovery`` and ``robust_search``: the EMA workbench's PRIM and robust
  multi-objective search through the batched engine (``imsim.ema.studies``).

Results go to ``results/<name>/`` (a calibration and the credibility report to their
configs' own folders); ``results/README.md`` lists them with each study's description.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from .results.storage import atomic_write, load_dataset, save_figure
from .results.tables import markdown_table, write_csv
from .views import plot


def run_sweep(name: str, spec: dict, out: Path) -> list[Path]:
    sweep_dir = out / "sweep"
    _imsim(["-m", f"experiment={name}", f"hydra.sweep.dir={sweep_dir.resolve()}"])
    ds = load_dataset(sweep_dir / "sweep.nc")
    written = []
    for figure in spec["figures"]:
        path = out / f"{figure['metric']}_by_{figure['x']}.png"
        save_figure(
            plot.sweep(
                ds, figure["metric"], x=figure["x"], hue=figure.get("hue"), col=figure.get("col")
            ),
            path,
        )
        written.append(path)
    keys = ds.attrs["swept_keys"].split()
    frame = pd.DataFrame({k: ds[k].values for k in keys})
    for metric in spec["table"]:
        per_point = plot.metric(ds, metric)
        frame[f"{metric}_mean"] = per_point.mean("replicate").values
        frame[f"{metric}_se"] = (
            per_point.std("replicate", ddof=1) / per_point.sizes["replicate"] ** 0.5
        ).values
    written.append(write_csv(frame, out / "table.csv"))
    if "verdicts" in spec:
        written += verdicts(ds, spec["verdicts"], out)
    return written


# A difference counts when it exceeds this many standard errors of the paired differences.
CLEAR = 3.0


def verdicts(ds: object, spec: dict | list, out: Path) -> list[Path]:
    """The study's verdicts (``verdicts.md``, ``verdicts.csv``): one block, or a list of
    blocks each asking its own question (``title``) of the same sweep, e.g. structure with
    operations held fixed, then operations under each structure."""
    blocks = spec if isinstance(spec, list) else [spec]
    frames, lines = [], []
    for block in blocks:
        frame, text = verdict_block(ds, block)
        frames.append(frame.assign(question=block.get("title", block["compare"])))
        lines += text
    md = atomic_write(out / "verdicts.md", lambda tmp: tmp.write_text("\n".join(lines)))
    return [write_csv(pd.concat(frames, ignore_index=True), out / "verdicts.csv"), md]


def verdict_block(ds: object, spec: dict) -> tuple[pd.DataFrame, list[str]]:
    """Which value of ``spec['compare']`` does best on each metric within each combination
    of ``spec['within']``, from replicates paired by common random numbers, and whether any
    value is never worse than another on every metric everywhere (it would dominate it)."""
    compare, within, goals = spec["compare"], spec["within"], spec["metrics"]
    options = list(dict.fromkeys(ds[compare].values.tolist()))
    groups = sorted({tuple(ds[k].values[i] for k in within) for i in range(ds.sizes["point"])})
    rows, never_worse = [], {(a, b): True for a in options for b in options if a != b}
    for group in groups:
        here = np.all([ds[k].values == v for k, v in zip(within, group, strict=True)], axis=0)
        for name, goal in goals.items():
            sign = 1.0 if goal == "higher" else -1.0
            per = plot.metric(ds, name).isel(point=np.flatnonzero(here))
            by = {
                per[compare].values[i]: sign * per.isel(point=i).values for i in range(here.sum())
            }
            best = max(options, key=lambda o: by[o].mean())
            row = dict(zip(within, group, strict=True)) | {"metric": name, "goal": goal}
            row |= {o: sign * by[o].mean() for o in options}
            clear = True
            for a in options:
                for b in options:
                    if a == b:
                        continue
                    d = by[a] - by[b]
                    se = d.std(ddof=1) / np.sqrt(d.size)
                    if d.mean() < -CLEAR * se:  # a clearly worse than b here
                        never_worse[(a, b)] = False
                    if a == best and d.mean() <= CLEAR * se:
                        clear = False
            row["best"] = best if clear else f"{best} (not clear)"
            rows.append(row)
    frame = pd.DataFrame(rows)
    dominated = [f"{a} over {b}" for (a, b), ok in never_worse.items() if ok]
    title = spec.get("title", f"Best {compare} by {', '.join(within)}")
    lines = [
        f"# {title}",
        "",
        f"Best {compare} by {', '.join(within)}. Means over replicates; 'not clear' when the",
        f"best is within {CLEAR:g} standard errors of the paired differences of another option.",
        "",
        markdown_table(frame),
        "",
        "Dominance (one option never clearly worse than another on any metric anywhere): "
        + ("; ".join(dominated) if dominated else "none: every option loses somewhere."),
        "",
    ]
    return frame, lines


def run_variants(name: str, spec: dict, out: Path) -> list[Path]:
    from .config.compose import compose
    from .engines.simulation import simulate

    runs = {
        label: simulate(compose(overrides=[f"experiment={name}", *overrides]))
        for label, overrides in spec["variants"].items()
    }
    if "region" in spec:  # one region's story (e.g. Katanga) rather than the country's
        runs = {label: ds.sel(region=[spec["region"]]) for label, ds in runs.items()}
    variable = spec["variable"]
    figure = out / f"{variable}.png"
    save_figure(plot.compare(runs, variable), figure)
    rows = []
    for label, ds in runs.items():
        series = plot.national(ds, variable)
        for month in spec["months"]:
            values = series.sel(month=month)
            rows.append(
                {
                    "variant": label,
                    "month": month,
                    f"{variable}_mean": float(values.mean()),
                    f"{variable}_se": float(values.std(ddof=1) / values.size**0.5),
                }
            )
    return [figure, write_csv(pd.DataFrame(rows), out / "table.csv")]


def run_sensitivity(name: str, spec: dict, out: Path) -> list[Path]:
    _imsim([f"experiment={name}", f"hydra.run.dir={out.resolve()}"])
    return sorted(out.glob("sensitivity*"))


def run_own_folder(name: str, spec: dict, out: Path) -> list[Path]:
    """A calibration or credibility report, into the folder its config names."""
    _imsim([f"experiment={name}"])
    return []


def run_scenario_discovery(name: str, spec: dict, out: Path) -> list[Path]:
    from .ema.studies import discover

    return discover(spec, out)


def run_robust_search(name: str, spec: dict, out: Path) -> list[Path]:
    from .ema.studies import robust_search

    return robust_search(spec, out)


KINDS = {
    "sweep": run_sweep,
    "runs": run_variants,
    "sensitivity": run_sensitivity,
    "calibration": run_own_folder,
    "credibility": run_own_folder,
    "scenario_discovery": run_scenario_discovery,
    "robust_search": run_robust_search,
}
# Kinds that take long (a calibration ran 18 minutes here): run only when named.
NAMED_ONLY = ("calibration", "credibility")
# Kinds ``imsim experiment=<name>`` runs as a study into its run folder (the others are a
# sweep, for ``imsim -m``, or a study node the command already runs).
RUN_BY_COMMAND = ("runs", "scenario_discovery", "robust_search")


def study(name: str) -> dict:
    """The ``study`` node of ``experiment=<name>``, checked; ConfigError if it is not one."""
    from .config.compose import compose_job, without_hydra
    from .config.errors import ConfigError
    from .config.plain import plain

    spec = plain(without_hydra(compose_job([f"experiment={name}"]))).get("study")
    if not isinstance(spec, dict) or spec.get("kind") not in KINDS:
        allowed = "a study node with a title, a description and a kind: " + ", ".join(KINDS)
        raise ConfigError(f"experiment={name}: study", spec, allowed)
    for key in ("title", "description"):
        if not isinstance(spec.get(key), str):
            raise ConfigError(f"experiment={name}: study.{key}", spec.get(key), "a text")
    return dict(spec)


def run_study(name: str, out: Path) -> list[Path]:
    """One study into ``out`` (what ``imsim experiment=<name>`` runs for the kinds it runs)."""
    spec = study(name)
    return KINDS[spec["kind"]](name, spec, out)


def _imsim(args: list[str]) -> None:
    subprocess.run([sys.executable, "-m", "imsim.cli", *args], check=True)


def run_all(folder: Path, results: Path, only: list[str] | None = None) -> dict[str, list[Path]]:
    """Run every study of ``folder`` (or those named) and rewrite ``results/README.md``."""
    from .config.files import STUDIES_ENV

    before = os.environ.get(STUDIES_ENV)
    os.environ[STUDIES_ENV] = str(Path(folder).resolve())  # for this process and the commands
    try:
        return _run_all(results, only)
    finally:
        if before is None:
            os.environ.pop(STUDIES_ENV)
        else:
            os.environ[STUDIES_ENV] = before


def _run_all(results: Path, only: list[str] | None) -> dict[str, list[Path]]:
    from .config.compose import register_studies
    from .config.files import group_options

    register_studies()
    specs = {name: study(name) for name in group_options("experiment")}
    unknown = sorted(set(only or ()) - set(specs))
    if unknown:
        from .config.errors import ConfigError

        raise ConfigError("experiment", unknown[0], ", ".join(specs))
    written = {}
    for name, spec in specs.items():
        chosen = name in only if only else spec["kind"] not in NAMED_ONLY
        if not chosen:
            continue
        out = results / name
        if spec["kind"] not in NAMED_ONLY:
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
        print(f"experiment {name}: {spec['title']}", flush=True)
        written[name] = KINDS[spec["kind"]](name, spec, out)
    atomic_write(results / "README.md", lambda tmp: tmp.write_text(_readme(specs, results)))
    return written


def _readme(specs: dict[str, dict], results: Path) -> str:
    lines = [
        "# Results",
        "",
        "Regenerated by `make experiments` from the study configs in `experiments/`",
        "(sweeps keep their `sweep/sweep.nc`, which is not committed).",
        "",
    ]
    for name, spec in specs.items():
        files = sorted(
            p.name for p in (results / name).glob("*") if p.is_file() and p.suffix != ".log"
        )
        if not files:  # a study writing into its own folder, or not run yet
            continue
        lines += [
            f"## {spec['title']} (`experiments/{name}.yaml`)",
            "",
            " ".join(spec["description"].split()),
            "",
            "Files: " + ", ".join(f"[`{f}`]({name}/{f})" for f in files),
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="imsim-experiments", description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="studies to run (default: all)")
    ap.add_argument("--experiments", type=Path, default=Path("experiments"))
    ap.add_argument("--results", type=Path, default=Path("results"))
    args = ap.parse_args(argv)
    from .config.errors import ConfigError
    from .console import fail

    try:
        run_all(args.experiments, args.results, args.names or None)
    except ConfigError as exc:
        fail("imsim-experiments", f"error: {exc}", 2)


if __name__ == "__main__":
    main()
