"""The studies: each kind writes its figures, its table and the results README, whether run
by make experiments or by imsim experiment=<name>; a study is an experiment config."""

from __future__ import annotations

import os

import pandas as pd
import pytest
import yaml
from sweeping import imsim

from imsim.config.files import STUDIES_ENV, group_options
from imsim.experiments import run_all

SMALL = {"run": {"replicates": 3, "months": 18}, "world": {"regions": 6}}
SWEEP = {
    "defaults": [{"override /hydra/sweeper": "imsim"}],
    "study": {
        "title": "Escorts, small",
        "description": "Escorts against troops.",
        "kind": "sweep",
        "figures": [{"metric": "neutrality_mean", "x": "force.troops", "hue": "force.escorts"}],
        "table": ["neutrality_mean", "access_mean"],
        "verdicts": {
            "compare": "force.escorts",
            "within": ["force.troops"],
            "metrics": {"neutrality_mean": "higher", "access_mean": "higher"},
        },
    },
    "hydra": {
        "sweeper": {
            "store": "summary",
            "params": {"force.escorts": "never,routine", "force.troops": "0,10000"},
        }
    },
} | SMALL
RUNS = {
    "study": {
        "title": "Hysteresis, small",
        "description": "In, then out.",
        "kind": "runs",
        "variants": {"in": ["integration=two_feet_in"], "out": ["integration=two_feet_out"]},
        "variable": "neutrality",
        "months": [0, 12, 24],
    },
    "run": {"replicates": 3, "months": 24},
    "world": {"regions": 6},
}


@pytest.fixture
def studies(tmp_path):
    folder = tmp_path / "experiments"
    folder.mkdir()
    (folder / "escorts.yaml").write_text(yaml.safe_dump(SWEEP))
    (folder / "hysteresis.yaml").write_text(yaml.safe_dump(RUNS))
    return folder


def test_sweep_and_runs_studies_write_figures_tables_and_readme(tmp_path, studies):
    results = tmp_path / "results"
    run_all(studies, results)

    table = pd.read_csv(results / "escorts" / "table.csv")
    assert len(table) == 4 and {"neutrality_mean_mean", "neutrality_mean_se"} <= set(table.columns)
    routine = table[(table["force.escorts"] == "routine") & (table["force.troops"] == 10000)]
    never = table[(table["force.escorts"] == "never") & (table["force.troops"] == 10000)]
    # routine escorts tie humanitarians to the Force (stylized fact 3)
    assert float(routine["neutrality_mean_mean"].iloc[0]) < float(
        never["neutrality_mean_mean"].iloc[0]
    )
    assert (results / "escorts" / "neutrality_mean_by_force.troops.png").stat().st_size > 10_000

    verdicts = pd.read_csv(results / "escorts" / "verdicts.csv")
    assert len(verdicts) == 4  # two troop levels x two metrics
    best = verdicts[(verdicts["force.troops"] == 10000) & (verdicts.metric == "neutrality_mean")]
    assert best["best"].iloc[0].startswith("never")  # escorts cost neutrality
    assert best["never"].iloc[0] > best["routine"].iloc[0]
    assert "Dominance" in (results / "escorts" / "verdicts.md").read_text()

    runs = pd.read_csv(results / "hysteresis" / "table.csv")
    assert list(runs["variant"].unique()) == ["in", "out"] and set(runs["month"]) == {0, 12, 24}
    assert (results / "hysteresis" / "neutrality.png").exists()

    readme = (results / "README.md").read_text()
    assert "## Escorts, small" in readme and "Escorts against troops." in readme
    assert "[`table.csv`](hysteresis/table.csv)" in readme


def test_the_command_runs_a_study_and_refuses_a_sweep_without_m(tmp_path, studies):
    env = {**os.environ, STUDIES_ENV: str(studies)}
    ran = imsim("experiment=hysteresis", f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path, env=env)
    assert ran.returncode == 0, ran.stderr[-1500:]
    assert set(pd.read_csv(tmp_path / "run" / "table.csv")["variant"]) == {"in", "out"}
    refused = imsim("experiment=escorts", cwd=tmp_path, env=env, check=False)
    lines = refused.stderr.strip().splitlines()
    assert refused.returncode == 2 and len(lines) == 1
    assert "imsim -m experiment=escorts (a sweep study)" in lines[0]


def test_every_shipped_study_says_what_it_is_and_the_folder_is_the_only_one():
    from imsim.experiments import KINDS, study

    names = group_options("experiment")
    assert {"calibration", "sensitivity_integration", "integration_tradeoff"} <= set(names)
    for name in names:
        spec = study(name)
        assert spec["kind"] in KINDS and spec["title"] and spec["description"]
