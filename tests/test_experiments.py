"""make experiments: each kind of study writes its figures, its table and the results README."""

from __future__ import annotations

import pandas as pd
import yaml

from imsim.experiments import run_all

SWEEP = {
    "title": "Escorts, small",
    "description": "Escorts against troops.",
    "kind": "sweep",
    "overrides": [
        "force.escorts=never,routine",
        "force.troops=0,10000",
        "run.replicates=3",
        "run.months=18",
        "world.regions=6",
    ],
    "figures": [{"metric": "neutrality_mean", "x": "force.troops", "hue": "force.escorts"}],
    "table": ["neutrality_mean", "access_mean"],
    "verdicts": {
        "compare": "force.escorts",
        "within": ["force.troops"],
        "metrics": {"neutrality_mean": "higher", "access_mean": "higher"},
    },
}
RUNS = {
    "title": "Hysteresis, small",
    "description": "In, then out.",
    "kind": "runs",
    "base": ["run.replicates=3", "run.months=24", "world.regions=6"],
    "variants": {"in": ["integration=two_feet_in"], "out": ["integration=two_feet_out"]},
    "variable": "neutrality",
    "months": [0, 12, 24],
}


def test_sweep_and_runs_studies_write_figures_tables_and_readme(tmp_path):
    specs = tmp_path / "experiments"
    specs.mkdir()
    (specs / "escorts.yaml").write_text(yaml.safe_dump(SWEEP))
    (specs / "hysteresis.yaml").write_text(yaml.safe_dump(RUNS))
    results = tmp_path / "results"
    run_all(specs, results)

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
