"""Calibration: declared priors, named statistics, targets, and likelihood-free inference."""

from __future__ import annotations

import numpy as np
import pytest

import imsim
from imsim.calibration.statistics import STATISTICS, of_dataset
from imsim.config.ranges import custom, every_prior, prior
from imsim.core.coefficients import PUBLISHED, Coefficients


def test_every_coefficient_has_a_prior_inside_its_domain():
    from imsim.core.unknowns import kind

    priors = every_prior()
    assert len(priors) == len(Coefficients.__dataclass_fields__)
    rng = np.random.default_rng(0)
    for p in priors:
        x = p.sample(rng, 2000)
        assert (x >= p.low).all() and (x <= p.high).all() and p.low >= 0
        loguniform = p.name not in PUBLISHED and kind(p.name) in ("pace", "level") and p.low > 0
        assert p.distribution == ("loguniform" if loguniform else "uniform"), p.name
        assert p.density(x).min() > 0 and p.density(np.array([p.high * 1.01]))[0] == 0


def test_an_assumed_uncapped_range_has_the_default_as_its_median():
    p = prior("erosion_rate")  # A, from no effect (0) to 0.24, uniform: median 0.12
    x = p.sample(np.random.default_rng(1), 40_000)
    assert np.median(x) == pytest.approx(Coefficients().erosion_rate, rel=0.02)
    np.testing.assert_allclose(p.from_unit(p.to_unit(x)), x)


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("no_such_coefficient", 0.1, 0.2), "coefficients.no_such_coefficient"),
        (("erosion_rate", 0.3, 0.1), "coefficients.erosion_rate"),
        (("erosion_rate", -0.1, 0.1), "coefficients.erosion_rate"),
        (("erosion_rate", 0.1, 1.5), "coefficients.erosion_rate"),  # a share
        (("erosion_rate", 0.1, 0.2, "normal"), "coefficients.erosion_rate.distribution"),
    ],
)
def test_a_prior_outside_a_coefficients_domain_is_one_line(args, key):
    with pytest.raises(imsim.ConfigError) as err:
        custom(*args)
    assert str(err.value).startswith(key) and "\n" not in str(err.value)


def test_statistics_of_a_run_are_what_they_say():
    ds = imsim.simulate(imsim.compose("baseline", ["run.replicates=3", "run.months=36"]))
    w = ds.population / ds.population.sum()
    conflict = float(((ds.phase.isel(month=24) == 0) * w).sum("region").mean())
    assert of_dataset(ds, "conflict_share", month=24).mean() == pytest.approx(conflict)
    harm = float(ds.civilian_harm.sum("region").isel(month=slice(1, 13)).mean())
    assert of_dataset(ds, "harm_per_month").mean() == pytest.approx(harm)
    shares = of_dataset(ds, "national_victim_share")
    # a share: all national where no international was hit that year (few victims)
    assert shares.shape == (3,) and ((shares > 0.5) & (shares <= 1)).all()
    assert shares.mean() < 1  # internationals are hit too
    assert set(STATISTICS) >= {"relapsed", "out_of_conflict", "victims_per_10k", "mean_of"}


# --- targets, and calibration end to end on a small, fast problem

SMALL = ["run.months=12", "world.regions=6"]


def small_targets(tmp_path, harm: float = 30.0, victims: float = 7.0, sd: float = 3.0):
    """Two cheap targets, one per coefficient calibrated below (a small country, a year)."""
    import yaml

    spec = {
        "targets": {
            "killings": {
                "statistic": "harm_per_month",
                "overrides": [*SMALL, "mission.deployed=false", "world.population=3000000"],
                "observed": harm,
                "sd": sd,
                "source": "a test",
            },
            "aid_victims": {
                "statistic": "victims_per_10k",
                "overrides": SMALL,
                "observed": victims,
                "sd": victims / 10,
                "source": "a test",
            },
            "held_out": {
                "statistic": "conflict_share",
                "args": {"month": 12},
                "overrides": SMALL,
                "lower": 0.0,
                "upper": 1.0,
                "source": "a test",
                "use": "validation",
            },
        }
    }
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def abc_cfg(targets, **kw):
    base = {
        "targets": str(targets),
        "parameters": {"harm_rate": "declared", "incidents_targeted": "declared"},
        "population": 24,
        "generations": 2,
        "quantile": 0.5,
        "steps": 50,
        "replicates": 2,
        "overrides": [],
        "chunk_size": 256,
        "engine": "batched",
        "seed": 3,
        "draws": 8,
    }
    return {"abc": base | kw}


def test_a_small_calibration_is_deterministic_resumes_exactly_and_batches(tmp_path, monkeypatch):
    from imsim.calibration import simulator
    from imsim.calibration.run import calibrate

    calls = []
    real = simulator.TargetSimulator.__call__

    def counting(self, theta, on_runs=None):
        calls.append(len(theta))
        return real(self, theta, on_runs)

    monkeypatch.setattr(simulator.TargetSimulator, "__call__", counting)
    targets = small_targets(tmp_path)
    whole = calibrate(abc_cfg(targets), tmp_path / "a", progress=False)
    # a whole population per call, then every copy a step moves in one call (12 of the 24
    # copied at quantile 0.5, fewer where a step leaves the prior), never one per particle
    assert calls[0] == 24 and 2 <= len(calls) <= 1 + 50 and max(calls[1:]) <= 12
    again = calibrate(abc_cfg(targets), tmp_path / "b", progress=False)
    pd_testing().assert_frame_equal(whole, again)
    calibrate(abc_cfg(targets, generations=1), tmp_path / "c", progress=False)
    (tmp_path / "c" / "abc.yaml").unlink()  # the same calibration, asked for one more generation
    resumed = calibrate(abc_cfg(targets), tmp_path / "c", progress=False)
    pd_testing().assert_frame_equal(whole, resumed)
    assert set(whole.columns) == {"harm_rate", "incidents_targeted", "weight"}
    assert whole.weight.sum() == pytest.approx(1.0)


def pd_testing():
    import pandas.testing

    return pandas.testing


def test_calibration_recovers_coefficients_that_made_the_targets(tmp_path):
    """Targets simulated from known coefficients: calibration's 90% interval holds them."""
    from imsim.calibration.report import weighted_quantile
    from imsim.calibration.run import calibrate
    from imsim.calibration.simulator import TargetSimulator
    from imsim.calibration.targets import load_targets
    from imsim.config.ranges import prior

    known = {"harm_rate": 2.2e-5, "incidents_targeted": 15.0}
    priors = [prior(name) for name in known]
    probe = [t for t in load_targets(small_targets(tmp_path)) if t.use == "calibration"]
    values = TargetSimulator(probe, priors, replicates=2, seed=3)(np.array([list(known.values())]))
    made = {t.name: float(v) for t, v in zip(probe, values[0], strict=True)}
    targets = small_targets(tmp_path, harm=made["killings"], victims=made["aid_victims"], sd=1.0)
    post = calibrate(
        abc_cfg(targets, population=60, generations=4), tmp_path / "run", progress=False
    )
    w = post.weight.to_numpy()
    for name, value in known.items():
        low = weighted_quantile(post[name].to_numpy(), w, 0.05)
        high = weighted_quantile(post[name].to_numpy(), w, 0.95)
        assert low <= value <= high, (name, low, value, high)
        p = prior(name)
        assert high - low < 0.8 * (p.high - p.low)  # and the data narrowed the prior


def test_the_report_writes_every_output(tmp_path):
    from imsim.calibration.report import write_report
    from imsim.calibration.run import calibrate, setup

    cfg = abc_cfg(small_targets(tmp_path), generations=1)
    post = calibrate(cfg, tmp_path, progress=False)
    written = write_report(tmp_path, setup(cfg["abc"]), post, cfg["abc"])
    names = {p.name for p in written}
    assert names >= {"posterior.csv", "ppc.csv", "ppc.png", "marginals.png", "coefficients.yaml"}
    assert "epsilon.png" in names and "generations.csv" in names
    import pandas as pd

    ppc = pd.read_csv(tmp_path / "ppc.csv")
    assert set(ppc.target) == {"killings", "aid_victims", "held_out"}
    assert set(ppc.use) == {"calibration", "validation"} and ppc.holds.between(0, 1).all()
    text = (tmp_path / "coefficients.yaml").read_text()
    assert text.startswith("# @package coefficients") and "harm_rate:" in text


@pytest.mark.parametrize(
    ("entry", "key"),
    [
        ({"statistic": "happiness"}, "targets.t.statistic"),
        ({"statistic": "relapsed", "args": {"years": 5}}, "targets.t.args"),
        ({"statistic": "mean_of", "args": {"variable": "morale"}}, "targets.t.args.variable"),
        (
            {"statistic": "displaced_in", "args": {"region": "mars", "month": 3}},
            "targets.t.args.region",
        ),
        ({"statistic": "conflict_share", "args": {"month": 5000}}, "targets.t.args.month"),
        (
            {
                "statistic": "harm_per_month",
                "args": {"first": 12, "last": 1},
                "observed": 3,
                "sd": 1,
            },
            "targets.t.args.first",
        ),
        (
            {"statistic": "deaths_per_month", "args": {"cause": "old_age"}, "observed": 3, "sd": 1},
            "targets.t.args.cause",
        ),
        ({"statistic": "harm_per_month", "observed": 3}, "targets.t.sd"),
        ({"statistic": "harm_per_month", "lower": 5, "upper": 1}, "targets.t.upper"),
        ({"statistic": "harm_per_month", "observed": 3, "sd": 1, "use": "both"}, "targets.t.use"),
        ({"statistic": "harm_per_month", "observed": 3, "sd": 1, "colour": 1}, "targets.t.colour"),
        (
            {"statistic": "harm_per_month", "versus": [], "observed": 3, "sd": 1},
            "targets.t.compare",
        ),
        (
            {
                "statistic": "harm_per_month",
                "overrides": ["force.troops=-5"],
                "observed": 3,
                "sd": 1,
            },
            "force.troops",
        ),
    ],
)
def test_a_malformed_target_is_one_line(tmp_path, entry, key):
    import yaml

    from imsim.calibration.targets import load_targets

    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump({"targets": {"t": {"source": "s"} | entry}}))
    with pytest.raises(imsim.ConfigError) as err:
        load_targets(path)
    assert str(err.value).startswith(key) and "\n" not in str(err.value)


def test_bad_files_and_budgets_are_one_line(tmp_path):
    from imsim.calibration.checks import check_abc
    from imsim.calibration.targets import load_targets

    (tmp_path / "broken.yaml").write_text("targets: {a: [1, 2\n")
    for source in (tmp_path / "broken.yaml", tmp_path / "missing.yaml", "no_such_set"):
        with pytest.raises(imsim.ConfigError) as err:
            load_targets(source)
        assert str(err.value).startswith("targets") and "\n" not in str(err.value)
    targets = small_targets(tmp_path)
    for kw, key in [
        ({"population": 3}, "abc.population"),
        ({"parameters": {"no_such": "declared"}}, "abc.parameters.no_such"),
        ({"parameters": {"harm_rate": [1.0, 2.0]}}, "abc.parameters.harm_rate"),
        ({"overrides": ["run.replicates=9"]}, "abc.overrides"),
    ]:
        with pytest.raises(imsim.ConfigError) as err:
            check_abc(abc_cfg(targets, **kw)["abc"])
        assert str(err.value).startswith(key), str(err.value)


def test_setting_a_calibrated_coefficient_elsewhere_is_refused_before_any_run(tmp_path):
    """The sampled value would replace it without a word: abc.overrides or a target's own
    overrides setting a coefficient the calibration samples is one line naming where."""
    import yaml

    from imsim.calibration.checks import check_abc

    targets = small_targets(tmp_path)
    with pytest.raises(imsim.ConfigError) as err:
        check_abc(abc_cfg(targets, overrides=["coefficients.harm_rate=2e-5"])["abc"])
    assert str(err.value).startswith("abc.overrides: bad value 'coefficients.harm_rate=2e-5'")
    spec = yaml.safe_load(targets.read_text())
    spec["targets"]["killings"]["overrides"].append("coefficients.incidents_targeted=20")
    targets.write_text(yaml.safe_dump(spec))
    with pytest.raises(imsim.ConfigError) as err:
        check_abc(abc_cfg(targets)["abc"])
    assert str(err.value).startswith("targets.killings.overrides: bad value")
    # a coefficient the calibration does not sample may be set
    check_abc(abc_cfg(targets, parameters={"harm_rate": "declared"})["abc"])


@pytest.mark.parametrize(
    ("call", "key"),
    [
        (lambda c, o: c.calibrate("notacfg", o), "cfg"),
        (lambda c, o: c.calibrate({"abc": 5}, o), "abc"),
        (lambda c, o: c.calibrate({}, o), "abc"),
        (lambda c, o: c.calibrate(imsim.compose(overrides=["experiment=calibration"]), 5), "out"),
        (lambda c, o: c.credibility("notacfg", o), "cfg"),
        (lambda c, o: c.credibility({"credibility": {"draws": 1}}, o), "credibility.draws"),
    ],
)
def test_the_calibration_and_credibility_functions_check_their_arguments(tmp_path, call, key):
    """From Python as from the command: one ConfigError line, nothing written."""
    from types import SimpleNamespace

    from imsim.calibration.credibility import credibility
    from imsim.calibration.run import calibrate

    functions = SimpleNamespace(calibrate=calibrate, credibility=credibility)
    with pytest.raises(imsim.ConfigError) as err:
        call(functions, tmp_path / "out")
    assert str(err.value).startswith(key) and "\n" not in str(err.value), str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_the_command_refuses_a_bad_calibration_in_one_line(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "imsim.cli", "experiment=calibration", "abc.population=2",
         f"hydra.run.dir={out}"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 2 and not out.exists()
    assert proc.stderr.count("\n") == 1 and "abc.population" in proc.stderr


def test_credibility_reports_how_often_each_finding_holds(tmp_path):
    import pandas as pd
    import yaml

    from imsim.calibration.credibility import credibility, wilson

    post = pd.DataFrame(
        {"harm_rate": [1.2e-5, 2.0e-5], "incidents_targeted": [12.0, 30.0], "weight": [0.5, 0.5]}
    )
    post.to_csv(tmp_path / "posterior.csv", index=False)
    findings = {
        "targets": {
            "integration_costs_neutrality": {  # holds in every draw
                "statistic": "mean_of",
                "args": {"variable": "neutrality", "first": 6, "last": 12},
                "overrides": [*SMALL, "integration=two_feet_out"],
                "versus": [*SMALL, "integration=two_feet_in"],
                "compare": "difference",
                "lower": 0.0,
                "source": "a test",
            },
            "impossible": {  # never holds
                "statistic": "harm_per_month",
                "overrides": SMALL,
                "upper": -1.0,
                "source": "a test",
            },
        }
    }
    (tmp_path / "findings.yaml").write_text(yaml.safe_dump(findings))
    cred = {
        "posterior": str(tmp_path / "posterior.csv"),
        "findings": str(tmp_path / "findings.yaml"),
        "targets": str(tmp_path / "findings.yaml"),
        "draws": 10,
        "replicates": 2,
        "overrides": [],
        "chunk_size": 64,
        "engine": "batched",
        "seed": 2,
        "vary": ["erosion_rate", "assoc_"],  # unconstrained: from their priors in every draw
    }
    credibility({"credibility": cred}, tmp_path / "out", progress=False)
    table = pd.read_csv(tmp_path / "out" / "credibility.csv").set_index("finding")
    assert table.loc["integration_costs_neutrality", "posterior"] == 1.0
    assert table.loc["impossible", ["posterior", "prior"]].tolist() == [0.0, 0.0]
    assert table.loc["integration_costs_neutrality", "verdict"] == "robust"
    # never holds: no rule can decide it, so it is fragile, and says so
    assert table.loc["impossible", "verdict"] == "fragile"
    assert table.loc["impossible", "break_even"] == "No coefficient decides impossible."
    assert table.loc["impossible", "settle_with"] == "none"  # nothing can narrow "never"
    text = (tmp_path / "out" / "credibility.md").read_text()
    assert "**fragile**" in text and "- **impossible** (fragile, holds in 0%)" in text
    from imsim.calibration.credibility import check_credibility

    with pytest.raises(imsim.ConfigError) as err:
        check_credibility(cred | {"vary": ["no_such_prefix"]})
    assert str(err.value).startswith("credibility.vary")
    with pytest.raises(imsim.ConfigError) as err:
        check_credibility(cred | {"posterior": str(tmp_path / "findings.yaml")})
    assert str(err.value).startswith("credibility.posterior")
    low, high = wilson(np.array(10.0), 10)
    assert 0.69 < low < 0.73 and high == pytest.approx(1.0)


def test_a_difference_of_differences_is_one_target(tmp_path):
    import yaml

    from imsim.calibration.targets import load_targets

    entry = {
        "statistic": "harm_per_month",
        "overrides": ["force.troops=0"],
        "versus": ["force.troops=1000"],
        "compare": "difference",
        "baseline": ["force.troops=5000"],
        "baseline_versus": ["force.troops=6000"],
        "lower": 0.0,
        "source": "s",
    }
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump({"targets": {"t": entry}}))
    (t,) = load_targets(path)
    runs = t.runs
    values = {runs[0]: np.array([[5.0]]), runs[1]: np.array([[3.0]])}
    values |= {runs[2]: np.array([[2.0]]), runs[3]: np.array([[1.5]])}
    assert t.simulated(values)[0] == pytest.approx((5 - 3) - (2 - 1.5))
    path.write_text(yaml.safe_dump({"targets": {"t": entry | {"baseline_versus": None}}}))
    with pytest.raises(imsim.ConfigError) as err:
        load_targets(path)
    assert str(err.value).startswith("targets.t.baseline")


@pytest.mark.parametrize(
    ("column", "key"),
    [
        ({"forward_conflict": [0.2, -5.0]}, "credibility.posterior"),
        ({"forward_conflict": [0.2, "abc"]}, "credibility.posterior"),
        ({"forward_conflict": [0.2, 1e9]}, "credibility.posterior"),
    ],
)
def test_a_posterior_holding_a_value_the_command_line_refuses_is_refused(tmp_path, column, key):
    """A credibility report never draws a value the command line would refuse (a posterior
    with forward_conflict=-5 once produced a report calling a finding robust)."""
    from imsim.calibration.credibility import read_posterior

    path = tmp_path / "posterior.csv"
    pd = __import__("pandas")
    pd.DataFrame(column | {"weight": [0.5, 0.5]}).to_csv(path, index=False)
    with pytest.raises(imsim.ConfigError) as err:
        read_posterior(path)
    assert str(err.value).startswith(key) and "forward_conflict" in str(err.value)
    assert "\n" not in str(err.value)


def test_a_target_overriding_a_calibrated_coefficient_is_refused(tmp_path):
    """The sampled value would silently replace the target's own: refused in one line."""
    import yaml

    from imsim.calibration.run import setup

    path = tmp_path / "t.yaml"
    spec = {
        "statistic": "harm_per_month",
        "overrides": [*SMALL, "coefficients.harm_rate=3e-5"],
        "observed": 30.0,
        "sd": 3.0,
        "source": "a test",
    }
    path.write_text(yaml.safe_dump({"targets": {"t": spec}}))
    with pytest.raises(imsim.ConfigError) as err:
        setup(abc_cfg(path)["abc"])
    assert str(err.value).startswith("targets.t.overrides") and "\n" not in str(err.value)


def test_the_report_cautions_about_misses_bounds_and_a_falling_epsilon():
    """One line each: a calibration target missed, a coefficient piled at a bound of its
    prior, weights collapsed onto a few particles, epsilon still falling; nothing for a
    settled, met calibration."""
    import pandas as pd

    from imsim.calibration.report import cautions
    from imsim.config.ranges import prior

    p = prior("harm_rate")  # uniform on [1e-5, 2.5e-5]
    rng = np.random.default_rng(0)
    ppc = pd.DataFrame(
        {
            "target": ["killings", "held_out"],
            "use": ["calibration", "validation"],
            "observed": ["106 ± 25", "0 – 1"],
            "median": [187.0, 2.0],
            "verdict": ["missed", "missed"],
        }
    )
    piled = pd.DataFrame({"harm_rate": rng.uniform(2.45e-5, 2.5e-5, 50), "weight": 1.0})
    falling = pd.DataFrame({"epsilon": [15.0, 8.5, 6.5], "effective_particles": [50, 20, 1.8]})
    said = cautions(ppc, piled, [p], falling)
    assert len(said) == 4 and all("\n" not in line for line in said)
    assert said[0].startswith("calibration target killings missed")  # not the held-out one
    assert said[1].startswith("harm_rate piles at its prior's upper bound 2.5e-05 (100%")
    assert said[2].startswith(
        "the posterior's weights rest on 1.8 effective distinct particles of 50"
    )
    assert said[3].startswith("epsilon still falling")
    flat = pd.DataFrame({"harm_rate": np.linspace(1.1e-5, 2.4e-5, 50), "weight": 1.0})
    settled = pd.DataFrame({"epsilon": [15.0, 6.6, 6.5], "effective_particles": [50, 30, 25]})
    met = ppc.assign(verdict=["met", "missed"])
    assert cautions(met, flat, [p], settled) == []
    # still falling, but already at the distance the targets' own errors give
    fine = falling.assign(effective_particles=[50, 30, 25])
    assert cautions(met, flat, [p], fine, floor=7.0) == []
    assert cautions(met, flat, [p], fine, floor=6.0)[0].startswith("epsilon still falling")


def test_the_error_distance_is_the_median_chi_square_of_the_targets_with_an_sd(tmp_path):
    from scipy.stats import chi2

    from imsim.calibration.report import error_distance
    from imsim.calibration.targets import load_targets

    targets = [t for t in load_targets(small_targets(tmp_path)) if t.use == "calibration"]
    k = sum(t.observed is not None for t in targets)
    assert k >= 1 and error_distance(targets) == pytest.approx(np.sqrt(chi2.median(k)))
    # a model true to the targets, its statistics off by their own errors: about half of
    # its distances fall below the error distance
    rng = np.random.default_rng(0)
    d = np.sqrt((rng.standard_normal((20_000, k)) ** 2).sum(axis=1))
    assert np.mean(d <= error_distance(targets)) == pytest.approx(0.5, abs=0.02)


def test_a_break_even_rule_is_found_where_two_coefficients_decide_and_not_in_noise():
    """Synthetic draws: the finding holds iff c3 > 0.4 and c7 <= 0.8 (5% of verdicts
    flipped at random). The tree finds both thresholds, validated on held-out draws; on
    pure noise no rule passes; the value of information ranks c3 and c7 first."""
    from imsim.calibration.breakeven import break_even
    from imsim.calibration.information import doubt_removed, ranking

    rng = np.random.default_rng(0)
    x = rng.uniform(size=(200, 30))
    names = [f"c{i}" for i in range(30)]
    holds = ((x[:, 3] > 0.4) & (x[:, 7] <= 0.8)) ^ (rng.uniform(size=200) < 0.05)
    rule = break_even(x, names, holds, seed=1)
    assert rule.decided and set(rule.deciders) == {"c3", "c7"}
    assert "c3 > 0.4" in rule.rule and "c7 ≤ 0.8" in rule.rule
    assert rule.coverage > 0.9 and rule.density > 0.9 and rule.accuracy > rule.needed
    assert rule.sentence("f").startswith("f holds when c3 > 0.4")
    assert [name for name, _ in ranking(dict(zip(names, x.T, strict=True)), holds)[:2]] == [
        "c3",
        "c7",
    ]
    noise = rng.uniform(size=200) < 0.5
    assert not break_even(x, names, noise, seed=1).decided
    # an uninformative quantity removes (almost) no doubt; the verdict itself removes all
    assert doubt_removed(x[:, 20], noise) < 0.05
    assert doubt_removed(holds.astype(float), holds) == pytest.approx(1.0, abs=0.02)


def test_a_measurement_reweighs_the_draws_towards_those_that_match_it():
    from imsim.calibration.information import with_measurement

    statistic = np.linspace(0.0, 1.0, 101)
    holds = statistic > 0.5  # the finding holds where the statistic is high
    share, effective = with_measurement(holds, statistic, observed=0.9, sd=0.05)
    assert share > 0.99 and 5 < effective < 30
    share, _ = with_measurement(holds, statistic, observed=0.1, sd=0.05)
    assert share < 0.01
    wide, effective = with_measurement(holds, statistic, observed=0.5, sd=100.0)
    assert wide == pytest.approx(holds.mean(), abs=0.01) and effective > 100
    with pytest.raises(ValueError, match="sd"):
        with_measurement(holds, statistic, observed=0.5, sd=0.0)


def test_the_credibility_command_labels_every_finding_on_a_small_budget(tmp_path):
    """``imsim experiment=credibility`` end to end on a small budget (a 4-region country,
    6 draws of one replicate): every finding of the shipped findings file gets a
    verdict, each one that is not robust a break-even sentence and a measurement."""
    import subprocess
    import sys

    import pandas as pd

    from imsim.calibration.targets import load_targets

    out = tmp_path / "cred"
    proc = subprocess.run(
        [sys.executable, "-m", "imsim.cli", "experiment=credibility", "credibility.draws=6",
         "credibility.replicates=1", "credibility.overrides=['world.regions=4']",
         f"hydra.run.dir={out}"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    table = pd.read_csv(out / "credibility.csv")
    assert set(table.verdict) <= {"robust", "undecided", "fragile"}
    assert len(table) == len(load_targets("findings"))
    doubtful = table[table.verdict != "robust"]
    assert doubtful.break_even.str.contains(r"holds when|No coefficient decides").all()
    assert doubtful.settle_with.notna().all() and doubtful.unknowns.notna().all()
    draws = pd.read_csv(out / "credibility_draws.csv.gz")
    assert len(draws) == 6 and set(table.finding) <= set(draws.columns)
    assert "## Break-even points" in (out / "credibility.md").read_text()


def test_a_study_whose_overrides_leave_a_target_unmeasurable_is_one_line(tmp_path):
    """Targets read month 120; a study run for 72 months cannot measure them: refused
    before anything runs, naming the overrides, not a traceback from the statistics."""
    import subprocess
    import sys

    out = tmp_path / "cred"
    proc = subprocess.run(
        [sys.executable, "-m", "imsim.cli", "experiment=credibility",
         "credibility.overrides=['run.months=72']", f"hydra.run.dir={out}"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 2 and not out.exists()
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(
        "imsim: error: credibility.overrides"
    )
    assert "a month in [0, 72]" in proc.stderr


def test_a_quantity_some_draws_cannot_give_is_judged_on_the_others():
    from imsim.calibration.information import doubt_removed

    x = np.linspace(0, 1, 200)
    holds = x > 0.5
    with_gaps = np.where(np.arange(200) % 10 == 0, np.nan, x)  # 0 / 0 in a tenth of draws
    assert doubt_removed(with_gaps, holds) == pytest.approx(doubt_removed(x, holds), abs=0.05)
    assert doubt_removed(np.full(200, np.nan), holds) == 0.0


def test_draws_of_one_particle_do_not_make_noise_look_decided():
    """Posterior draws are resampled particles: 200 draws of 40, the verdict set per
    particle at random. A rule on the particles' own values is judged by particles, so it
    passes on such noise about as often as the two-sigma test allows (counted by draw, 60
    of 60 seeds passed); a coefficient drawn afresh in each draw that does decide is
    judged by draws and found every time."""
    from imsim.calibration.breakeven import break_even

    false = found = 0
    for seed in range(60):
        rng = np.random.default_rng(seed)
        particles = rng.integers(0, 40, size=200)
        x = rng.uniform(size=(40, 20))[particles]
        noise = (rng.uniform(size=40) < 0.5)[particles]
        names = [f"c{i}" for i in range(25)]
        false += break_even(x, names[:20], noise, seed, groups=particles, shared=20).decided
        free = rng.uniform(size=(200, 5))  # a coefficient drawn afresh in every draw decides
        both = np.hstack([x, free])
        found += break_even(both, names, free[:, 0] > 0.5, seed, particles, shared=20).decided
    assert false <= 7  # 5% expected: 3 of 60, sd 1.7; the test of noise once passed 60 of 60
    assert found == 60


def test_a_hand_written_node_takes_the_schemas_default_for_a_key_it_leaves_out(tmp_path):
    from imsim.calibration.checks import check_abc, study_node

    cfg = abc_cfg(small_targets(tmp_path))
    for key in ("steps", "engine", "chunk_size", "draws"):
        del cfg["abc"][key]
    node = study_node(cfg, "abc", check_abc)
    assert (node["steps"], node["engine"], node["chunk_size"], node["draws"]) == (
        50,
        "batched",
        256,
        64,
    )
    cfg["abc"]["stpes"] = 3  # a misspelt key is still refused
    with pytest.raises(Exception, match="abc.stpes"):
        study_node(cfg, "abc", check_abc)


def test_a_share_kept_that_leaves_nothing_to_move_is_refused(tmp_path):
    from imsim.calibration.checks import check_abc

    with pytest.raises(imsim.ConfigError) as err:
        check_abc(abc_cfg(small_targets(tmp_path), population=10, quantile=0.95)["abc"])
    assert str(err.value).startswith("abc.quantile: bad value 0.95")
