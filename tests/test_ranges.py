"""One grammar for a parameter range, read the same way by every study."""

from __future__ import annotations

import numpy as np
import pytest

import imsim
from imsim.calibration.checks import priors_of
from imsim.config.ranges import parse_range, prior
from imsim.ema.model import setting
from imsim.sweep import sensitivity


def test_each_form_means_one_thing():
    declared = parse_range("coefficients.erosion_rate", "declared")
    assert (declared.low, declared.high) == (prior("erosion_rate").low, prior("erosion_rate").high)
    # [low, high] keeps the key's declared distribution: a coefficient's own ...
    own = prior("erosion_rate").distribution
    assert parse_range("coefficients.erosion_rate", [0.05, 0.2]).distribution == own
    # ... uniform for any other setting, unless chosen
    assert parse_range("integration.branding", [0.1, 0.9]).distribution == "uniform"
    chosen = parse_range("force.troops", {"low": 100, "high": 9000, "distribution": "loguniform"})
    assert (chosen.low, chosen.high, chosen.distribution) == (100.0, 9000.0, "loguniform")
    assert parse_range("force.escorts", ["never", "routine"]).options == ("never", "routine")


@pytest.mark.parametrize(
    ("key", "spec", "says"),
    [
        ("force.troops", "declared", "declared only for a coefficient"),
        ("coefficients.erosion_rate", "plausible", "declared (plausible was renamed"),
        ("integration.branding", [0.8, 0.2], "low < high"),
        ("integration.branding", [0.0, 2.0], "integration.branding"),
        ("force.escorts", ["never", "always"], "force.escorts"),
        ("force.escorts", ["never"], "two or more options"),
        ("force.troops", {"low": 0, "high": 10, "distribution": "normal"}, "uniform, loguniform"),
        ("coefficients.erosion_rate", [0.1, 1.5], "within [0, 1]"),
    ],
)
def test_a_bad_range_is_one_line_naming_the_key(key, spec, says):
    with pytest.raises(imsim.ConfigError) as err:
        parse_range(key, spec)
    assert says in str(err.value) and "\n" not in str(err.value)


def test_every_study_reads_a_range_the_same_way():
    spec = {"low": 0.05, "high": 0.2, "distribution": "loguniform"}
    (abc,) = priors_of({"erosion_rate": spec})
    (sa,) = sensitivity.ranges({"coefficients.erosion_rate": spec})
    ema = setting("coefficients.erosion_rate", spec)
    assert (abc.low, abc.high) == (sa.low, sa.high) == (ema.low, ema.high)
    assert abc.distribution == sa.distribution == "loguniform"
    with pytest.raises(imsim.ConfigError, match="abc.parameters.erosion_rate"):
        priors_of({"erosion_rate": ["a", "b", "c"]})


def test_sensitivity_samples_a_loguniform_range_on_its_quantiles():
    parameters = {
        "coefficients.erosion_rate": {"low": 0.01, "high": 1.0, "distribution": "loguniform"}
    }
    assert sensitivity.problem(parameters)["bounds"] == [[0.0, 1.0]]
    declared = sensitivity.ranges(parameters)
    values = [
        sensitivity.decode(np.array([u]), declared)["coefficients.erosion_rate"]
        for u in (0, 0.5, 1)
    ]
    np.testing.assert_allclose(values, [0.01, 0.1, 1.0])
