"""Configuration: groups, keys, events and bad input (API and CLI)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import imsim
from imsim import ConfigError
from imsim.config.files import group_options, group_values
from imsim.config.plain import select

SCENARIOS = group_options("scenario")


def test_every_scenario_composes_and_names_itself():
    assert "baseline" in SCENARIOS
    for name in SCENARIOS:
        cfg = imsim.compose(name)
        assert cfg.scenario_name == name
        assert cfg.description


@pytest.mark.parametrize("setting", group_options("integration"))
def test_integration_group_sets_its_settings(setting):
    composed = imsim.compose("baseline", [f"integration={setting}"])
    for key, value in group_values("integration", setting).items():
        assert select(composed, key) == value


@pytest.mark.parametrize(
    "bundle, operations",
    [("two_feet_in", "joint"), ("one_foot_in", "partial"), ("two_feet_out", "separate")],
)
def test_a_bundle_is_its_structure_with_its_operations(bundle, operations):
    """integration=<bundle> names a structure and the operations that come with it; the two
    can be set apart (integration.hc_location, operations=<name>) and rebuild it."""
    named = imsim.compose("baseline", [f"integration={bundle}"]).integration
    apart = imsim.compose(
        "baseline", [f"integration.hc_location={bundle}", f"operations={operations}"]
    ).integration
    assert dict(named) == dict(apart)
    # operations alone leave the structure; they apply whatever the scenario says
    for scenario in ("baseline", "drc_relapse", "sierra_leone_consolidation"):
        cfg = imsim.compose(scenario, [f"operations={operations}"])
        alone = imsim.compose(scenario)
        assert cfg.integration.hc_location == alone.integration.hc_location
        for key, value in group_values("operations", operations).items():
            assert select(cfg, key) == value


def test_command_line_integration_beats_the_scenario_default():
    cfg = imsim.compose("somalia_two_feet_out", ["integration=two_feet_in"])
    assert cfg.integration.hc_location == "two_feet_in"
    assert imsim.compose("somalia_two_feet_out").integration.hc_location == "two_feet_out"


def test_world_regions_keeps_named_regions():
    ds = imsim.simulate(
        imsim.compose("katanga_mob", ["world.regions=5", "run.replicates=1", "run.months=3"])
    )
    assert list(ds.region.values)[0] == "katanga"
    assert ds.sizes["region"] == 5


def test_initial_phase_sets_every_region():
    ds = imsim.simulate(
        imsim.compose(
            "baseline", ["world.initial_phase=transition", "run.replicates=1", "run.months=1"]
        )
    )
    assert (ds.phase.isel(month=0) == 1).all()


BAD = [
    (["scenario=nope"], "scenario", "baseline"),
    (["integration=sideways"], "integration", "two_feet_out"),
    (["force.escorts=sometimes"], "force.escorts", "routine"),
    (["force.troops=-5"], "force.troops", "[0, 200000]"),
    (["run.replicates=abc"], "run.replicates", "integer"),
    (["foo.bar=1"], "foo.bar", "mission"),
    (["force.bogus=1"], "force.bogus", "escorts"),
    (["integration.branding=1.5"], "integration.branding", "[0, 1]"),
    (["world.initial_phase=peace"], "world.initial_phase", "consolidation"),
    (["security.posture=reckless"], "security.posture", "enabling"),
    (["events=[{month:3,shock:meteor}]"], "events[0].shock", "ceasefire_collapse"),
    (["events=[{month:0,shock:elections}]"], "events[0].month", "[1, 120]"),
    (["events=[{month:5}]"], "events[0]", "exactly one of"),
    (["events=[{month:5,shock:security_phase_raise}]"], "events[0].level", "[1, 5]"),
    (["events=[{month:5,shock:elections,regions:[atlantis]}]"], "events[0].regions", "region_1"),
    (["events=[{month:5,set:{force.escorts:often}}]"], "events[0].set.force.escorts", "routine"),
    (["events=[{month:5,set:{run.months:3}}]"], "events[0].set.run.months", "setting keys"),
    (["events=[{month:5,shock:elections,colour:red}]"], "events[0].colour", "fields"),
    (["world.focal_region=x"], "world.focal_region", "world.named"),
]


@pytest.mark.parametrize(("overrides", "key", "allowed"), BAD)
def test_bad_input_raises_value_error_naming_key_and_allowed(overrides, key, allowed):
    with pytest.raises(ConfigError) as info:
        imsim.compose("baseline", overrides)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert message.startswith(key) and allowed in message and "\n" not in message


def test_bad_engine_is_rejected():
    with pytest.raises(ConfigError, match="engine"):
        imsim.simulate(imsim.compose("baseline", ["run.months=1"]), engine="gpu")


@pytest.mark.parametrize(("overrides", "key", "allowed"), BAD[:12:2] + BAD[12::3])
def test_cli_bad_input_one_line_exit_2_nothing_written(tmp_cwd, overrides, key, allowed):
    proc = subprocess.run(
        [sys.executable, "-m", "imsim.cli", *overrides], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert key in lines[0] and allowed in lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert list(tmp_cwd.iterdir()) == []


def test_cli_run_writes_trajectories_and_figure(tmp_cwd):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "imsim.cli",
            "scenario=katanga_mob",
            "run.replicates=2",
            "run.months=6",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    data = next(tmp_cwd.glob("results/runs/katanga_mob/*/trajectories.nc"))
    assert data.with_name("humanitarian_space.png").stat().st_size > 10_000
    assert str(data) in proc.stdout
    ds = imsim.load_dataset(data)
    assert ds.sizes["replicate"] == 2 and ds.sizes["month"] == 7
    assert not list(data.parent.glob(".trajectories*"))  # no temporary left behind


@pytest.mark.parametrize("regions", [1, 2])
def test_tiny_worlds_run(regions):
    ds = imsim.simulate(
        imsim.compose("baseline", [f"world.regions={regions}", "run.replicates=2", "run.months=12"])
    )
    assert ds.sizes["region"] == regions
    assert float(ds.violence.max()) <= 1.0
