"""A researcher's own configs: a scenario, a coefficients set, a targets file and a
calibration study in a folder of their own, by each documented route (``--config-dir``,
``hydra.searchpath``, ``$IMSIM_CONFIG_PATH``), through the command, a sweep, a calibration
and ``MissionModel``, validated exactly like the packaged ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import xarray as xr
import yaml
from sweeping import imsim

import imsim as api
from imsim.config.errors import ConfigError
from imsim.config.files import CONFIG_PATH_ENV, group_options, option_file

SCENARIO = """\
# @package _global_
# A country of one's own: two named regions, a shock in month 18.
scenario_name: mycountry
description: A small country, at war, whose north is shaken in its second year.
world:
  initial_phase: conflict
  population: 4000000
  regions: 4
  named:
    north: {displaced: 120000, population: 900000}
    south: {population: 1500000}
events:
  - {month: 18, shock: security_phase_raise, regions: [north], level: 4}
"""

COEFFICIENTS = """\
# @package coefficients
erosion_rate: 0.2
"""

TARGETS = {
    "targets": {
        "killings": {
            "statistic": "harm_per_month",
            "scenario": "mycountry",
            "overrides": ["run.months=12", "mission.deployed=false"],
            "observed": 30.0,
            "sd": 3.0,
            "source": "a test",
        },
        "held_out": {
            "statistic": "conflict_share",
            "scenario": "mycountry",
            "args": {"month": 12},
            "overrides": ["run.months=12"],
            "lower": 0.0,
            "upper": 1.0,
            "source": "a test",
            "use": "validation",
        },
    }
}

CALIBRATION = """\
# @package _global_
study:
  title: My country's calibration
  description: One coefficient against one target of my own.
  kind: calibration
abc:
  targets: mine
  parameters:
    harm_rate: declared
  population: 10
  generations: 1
  replicates: 1
  draws: 4
  seed: 2
"""


@pytest.fixture(scope="module")
def own(tmp_path_factory) -> Path:
    """A folder of one's own configs, outside the package."""
    root = tmp_path_factory.mktemp("own")
    for group, name, text in [
        ("scenario", "mycountry", SCENARIO),
        ("coefficients", "mine", COEFFICIENTS),
        ("targets", "mine", yaml.safe_dump(TARGETS)),
        ("experiment", "my_calibration", CALIBRATION),
    ]:
        (root / group).mkdir(exist_ok=True)
        (root / group / f"{name}.yaml").write_text(text)
    return root


def with_path(*folders: Path) -> dict[str, str]:
    return os.environ | {CONFIG_PATH_ENV: os.pathsep.join(map(str, folders))}


ROUTES = {
    "config-dir": lambda own: (["--config-dir", str(own)], None),
    "searchpath": lambda own: ([f"hydra.searchpath=[file://{own}]"], None),
    "environment": lambda own: ([], with_path(own)),
}


@pytest.mark.parametrize("route", list(ROUTES))
def test_a_scenario_and_coefficients_of_ones_own_run_by_each_route(own, tmp_path, route):
    args, env = ROUTES[route](own)
    out = tmp_path / "run"
    proc = imsim(
        *args, "scenario=mycountry", "coefficients=mine", "run.replicates=2", "run.months=24",
        f"hydra.run.dir={out}", cwd=tmp_path, env=env,
    )  # fmt: skip
    assert "notice" not in proc.stderr  # the event at month 18 is inside 24 months
    ds = xr.open_dataset(out / "trajectories.nc")
    assert ds.attrs["scenario"] == "mycountry"
    assert {"north", "south"} <= set(ds.region.values.tolist())
    cfg = yaml.safe_load(ds.attrs["config"])
    assert cfg["coefficients"]["erosion_rate"] == 0.2 and len(cfg["events"]) == 1


@pytest.mark.parametrize("route", list(ROUTES))
def test_a_sweep_over_ones_own_scenario_and_a_packaged_one(own, tmp_path, route):
    args, env = ROUTES[route](own)
    out = tmp_path / "sweep"
    imsim(
        "-m", *args, "hydra/sweeper=imsim", f"hydra.sweep.dir={out}", "coefficients=mine",
        "scenario=mycountry,baseline", "run.replicates=2", "run.months=12", "world.regions=4",
        cwd=tmp_path, env=env,
    )  # fmt: skip
    ds = xr.open_dataset(out / "sweep.nc")
    assert sorted(ds.scenario.values.tolist()) == ["baseline", "mycountry"]


@pytest.mark.parametrize("route", list(ROUTES))
def test_a_calibration_of_ones_own_against_ones_own_targets(own, tmp_path, route):
    args, env = ROUTES[route](own)
    out = tmp_path / "calibration"
    imsim(*args, "experiment=my_calibration", f"hydra.run.dir={out}", cwd=tmp_path, env=env)
    report = (out / "ppc.csv").read_text()
    assert "killings" in report and "held_out" in report
    assert "harm_rate" in (out / "coefficients.yaml").read_text()


def test_mission_model_and_compose_read_ones_own_folder(own, monkeypatch):
    monkeypatch.setenv(CONFIG_PATH_ENV, str(own))
    assert "mycountry" in group_options("scenario") and "mine" in group_options("targets")
    model = api.MissionModel("mycountry", months=12, replicate=0)
    for _ in range(12):
        model.step()
    assert set(model.cfg.world.named) == {"north", "south"}
    assert model.cfg.events == []  # month 18 falls after the 12 months asked for
    cfg = api.compose("mycountry", ["coefficients=mine", "run.months=24"])
    assert cfg.coefficients.erosion_rate == 0.2 and len(cfg.events) == 1


def test_a_scenarios_own_late_events_are_left_out_with_one_notice(own, tmp_path):
    out = tmp_path / "run"
    proc = imsim(
        "scenario=mycountry", "run.months=12", "run.replicates=1", f"hydra.run.dir={out}",
        cwd=tmp_path, env=with_path(own),
    )  # fmt: skip
    notices = [line for line in proc.stderr.splitlines() if "notice" in line]
    assert notices == [
        "imsim: notice: mycountry's events after run.months=12 (at month 18) are left out; "
        "run.months=18 keeps them"
    ]
    assert yaml.safe_load(xr.open_dataset(out / "trajectories.nc").attrs["config"])["events"] == []


def test_a_users_own_late_event_stays_an_error(own, tmp_path):
    proc = imsim(
        "scenario=mycountry", "run.months=12", "events=[{month: 14, shock: elections}]",
        f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path, env=with_path(own), check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "events[0].month: bad value 14; allowed: an integer in [1, 12]" in proc.stderr
    assert not (tmp_path / "run").exists()


def bad_folder(root: Path, group: str, name: str, text: str) -> Path:
    (root / group).mkdir(parents=True, exist_ok=True)
    (root / group / f"{name}.yaml").write_text(text)
    return root


@pytest.mark.parametrize(
    ("make", "args", "expected"),
    [
        # a packaged name: Hydra would silently take the package's file
        (
            lambda r: bad_folder(r, "scenario", "baseline", SCENARIO),
            lambda r: ["--config-dir", str(r)],
            "scenario: bad value '{root}/scenario/baseline.yaml'; allowed: one file per option",
        ),
        # a scenario without its package line would land under scenario.*
        (
            lambda r: bad_folder(r, "scenario", "plain", SCENARIO.split("\n", 1)[1]),
            lambda r: ["--config-dir", str(r)],
            "allowed: a file starting with the line '# @package _global_'",
        ),
        # a comment above the package line: Hydra reads no further, as here
        (
            lambda r: bad_folder(r, "scenario", "late", "# mine\n" + SCENARIO),
            lambda r: ["--config-dir", str(r)],
            "scenario: bad value '{root}/scenario/late.yaml'; allowed: a file starting",
        ),
        # operations set integration.*: their files say so
        (
            lambda r: bad_folder(r, "operations", "mine", "information_sharing: 0.4\n"),
            lambda r: ["--config-dir", str(r)],
            "allowed: a file starting with the line '# @package integration'",
        ),
        (lambda r: r, lambda r: ["--config-dir", str(r / "nope")], "--config-dir: bad value"),
        (
            lambda r: r,
            lambda r: [f"hydra.searchpath=[file://{r / 'nope'}]"],
            "hydra.searchpath: bad value",
        ),
    ],
)
def test_a_bad_folder_of_ones_own_is_one_line_and_nothing_written(tmp_path, make, args, expected):
    root = make(tmp_path / "mine")
    proc = imsim(
        *args(tmp_path / "mine"), "run.replicates=1", f"hydra.run.dir={tmp_path / 'run'}",
        cwd=tmp_path, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert expected.format(root=root) in proc.stderr
    assert not (tmp_path / "run").exists()


def test_a_missing_folder_in_the_environment_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv(CONFIG_PATH_ENV, str(tmp_path / "nope"))
    with pytest.raises(ConfigError, match=f"{CONFIG_PATH_ENV}: bad value"):
        api.compose("baseline")
    proc = imsim("run.replicates=1", cwd=tmp_path, env=os.environ.copy(), check=False)
    assert proc.returncode == 2 and f"{CONFIG_PATH_ENV}: bad value" in proc.stderr


def test_a_sweep_of_a_scenario_with_late_events_runs_without_them(tmp_path):
    """The chunks' jobs leave the scenario's own late events out, as the check did."""
    out = tmp_path / "sweep"
    proc = imsim(
        "-m", "hydra/sweeper=imsim", f"hydra.sweep.dir={out}", "scenario=drc_relapse",
        "run.months=12", "force.troops=0,12000", "run.replicates=1", cwd=tmp_path,
    )  # fmt: skip
    assert "drc_relapse's events after run.months=12 (at month 18) are left out" in proc.stderr
    ds = xr.open_dataset(out / "sweep.nc")
    assert ds.sizes["month"] == 13 and yaml.safe_load(ds.attrs["config"])["events"] == []


def test_the_search_path_plugin_leaves_other_hydra_apps_alone(tmp_path, own, monkeypatch):
    from hydra import compose, initialize_config_dir

    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "config.yaml").write_text("x: 1\n")
    monkeypatch.setenv(CONFIG_PATH_ENV, f"{own}{os.pathsep}{tmp_path / 'nope'}")
    with initialize_config_dir(str(tmp_path / "other"), version_base="1.3"):
        assert compose("config").x == 1  # no imsim folder joined it, no error raised


def test_the_dashboard_offers_and_describes_ones_own_scenario(own, monkeypatch):
    monkeypatch.setenv(CONFIG_PATH_ENV, str(own))
    from imsim.views.dashboard import scenario_story

    assert option_file("scenario", "mycountry") == own / "scenario" / "mycountry.yaml"
    assert scenario_story("mycountry").startswith("A small country, at war")
    proc = subprocess.run(
        [sys.executable, "-m", "imsim.views.dashboard", "--config-dir", str(own / "nope")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "--config-dir: bad value" in proc.stderr
