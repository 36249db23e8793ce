"""Sobol and Morris indices through the batched engine, and the experiment config."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import imsim
from imsim import sensitivity

SMALL = [
    "experiment=sensitivity_integration",
    "run.months=36",
    "run.replicates=2",
    "world.regions=6",
    "sensitivity.samples=64",
    "sensitivity.outputs=[humanitarian_space_mean]",
]
PARAMETERS = {
    "force.escorts": ["never", "last_resort", "routine"],
    "integration.branding": [0.0, 1.0],
    "integration.hc_location": ["two_feet_in", "two_feet_out"],
}


def three_parameters(*overrides: str):
    cfg = imsim.compose(overrides=[*SMALL, *overrides])
    cfg.sensitivity.parameters = PARAMETERS
    return cfg


@pytest.fixture(scope="module")
def sobol() -> pd.DataFrame:
    return sensitivity.analyse(three_parameters())[0].set_index("parameter")


def test_sobol_table_has_indices_with_confidence_for_every_parameter(sobol):
    assert list(sobol.columns) == ["output", "S1", "S1_conf", "ST", "ST_conf"]
    assert set(sobol.index) == {"force.escorts", "integration.branding", "integration.hc_location"}
    assert (sobol["ST_conf"] > 0).all() and sobol[["S1", "ST"]].notna().all().all()


def test_escorts_matter_more_than_branding_beyond_both_confidence_intervals(sobol):
    # Routine escorts tie humanitarians to the Force (MODEL.md, stylized fact 3);
    # branding only shifts distinctness a little. The intervals must not overlap.
    strong, weak = sobol.loc["force.escorts"], sobol.loc["integration.branding"]
    assert strong["ST"] - strong["ST_conf"] > weak["ST"] + weak["ST_conf"]


def test_same_config_gives_the_same_indices(sobol):
    again = sensitivity.analyse(three_parameters())[0].set_index("parameter")
    pd.testing.assert_frame_equal(again, sobol)


def test_morris_ranks_escorts_above_branding():
    table, samples = sensitivity.analyse(
        three_parameters("sensitivity.method=morris", "sensitivity.samples=24")
    )
    table = table.set_index("parameter")
    assert list(table.columns) == ["output", "mu", "mu_star", "mu_star_conf", "sigma"]
    assert len(samples) == 24 * 4  # Morris: N x (D + 1) points
    strong, weak = table.loc["force.escorts"], table.loc["integration.branding"]
    assert strong["mu_star"] - strong["mu_star_conf"] > weak["mu_star"] + weak["mu_star_conf"]


def test_command_writes_indices_samples_and_chart(tmp_path):
    out = tmp_path / "sa"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "imsim.cli",
            *SMALL,
            "sensitivity.samples=8",
            f"hydra.run.dir={out}",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    table = pd.read_csv(out / "sensitivity.csv")
    assert len(table) == 8 and set(table.columns) >= {"S1", "ST", "ST_conf"}
    assert len(pd.read_csv(out / "sensitivity_samples.csv.gz")) == 8 * 10  # N x (D + 2)
    assert (out / "sensitivity.png").stat().st_size > 10_000


@pytest.mark.parametrize(
    "bad, key",
    [
        ("sensitivity.parameters={force.colour:[a,b]}", "force.colour"),
        ("sensitivity.parameters={integration.branding:[0.0,2.0]}", "integration.branding"),
        ("sensitivity.outputs=[happiness]", "sensitivity.outputs"),
        ("sensitivity.method=fast", "sensitivity.method"),
    ],
)
def test_bad_sensitivity_input_is_one_line_exit_2(tmp_path, bad, key):
    proc = subprocess.run(
        [sys.executable, "-m", "imsim.cli", "experiment=sensitivity_integration", bad],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and key in lines[0] and "allowed" in lines[0], proc.stderr
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize(
    "parameters, key",
    [
        ({"world.regions": [3, 9]}, "sensitivity.parameters.world.regions"),
        ({"force.troops": [9000, 100]}, "sensitivity.parameters.force.troops"),
        ({"force.escorts": ["never"]}, "sensitivity.parameters.force.escorts"),
        ({}, "sensitivity.parameters"),
        ({"coefficients.*": [0.0, 1.0]}, "sensitivity.parameters.coefficients.*"),
        ({"force.*": "declared"}, "sensitivity.parameters.force.*"),
        ({"coefficients.nothing_*": "declared"}, "sensitivity.parameters.coefficients.nothing_*"),
    ],
)
def test_bad_parameter_ranges_are_rejected(parameters, key):
    cfg = imsim.compose(overrides=SMALL)
    cfg.sensitivity.parameters = parameters
    with pytest.raises(imsim.ConfigError, match=key.replace(".", r"\.")):
        sensitivity.analyse(cfg)


def test_a_pattern_screens_every_coefficient_it_matches_and_a_key_written_keeps_its_range():
    from imsim.config.ranges import prior
    from imsim.core.coefficients import Coefficients

    every = sensitivity.expand({"coefficients.*": "declared"})
    assert list(every) == [f"coefficients.{n}" for n in Coefficients.__dataclass_fields__]
    assert len(every) > 200
    mixed = sensitivity.ranges(
        {"coefficients.network_*": "declared", "coefficients.network_ocha_srsg": [0.1, 0.2]}
    )
    names = [r.name for r in mixed]
    assert len(names) == len(set(names)) > 3 and all("network_" in n for n in names)
    own = next(r for r in mixed if r.name == "coefficients.network_ocha_srsg")
    assert (own.low, own.high) == (0.1, 0.2)
    other = next(r for r in mixed if r.name != own.name)
    declared = prior(other.name.removeprefix("coefficients."))
    assert (other.low, other.high) == (declared.low, declared.high)


def test_samples_are_written_compressed_and_the_same_bytes_each_time(tmp_path):
    from imsim.results.tables import write_gzip_csv

    frame = pd.DataFrame({"a": np.arange(5.0), "b": list("vwxyz")})
    write_gzip_csv(frame, tmp_path / "one.csv.gz")
    write_gzip_csv(frame, tmp_path / "two.csv.gz")
    assert (tmp_path / "one.csv.gz").read_bytes() == (tmp_path / "two.csv.gz").read_bytes()
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "one.csv.gz"), frame)


def test_a_screening_of_many_shows_each_outputs_most_influential(tmp_path):
    table = pd.DataFrame(
        {
            "output": ["deaths"] * 30,
            "parameter": [f"coefficients.c{i}" for i in range(30)],
            "mu_star": np.arange(30.0),
            "mu_star_conf": np.ones(30),
        }
    )
    fig = imsim.plot.sensitivity(table, top=5)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["c29", "c28", "c27", "c26", "c25"]
