"""Calibration: declared priors, named statistics, targets, and likelihood-free inference."""

from __future__ import annotations

import numpy as np
import pytest

import imsim
from imsim.calibration.priors import custom, every_prior, prior
from imsim.calibration.statistics import STATISTICS, of_dataset
from imsim.core.calibration import PUBLISHED, Calibration


def test_every_coefficient_has_a_prior_inside_its_domain():
    priors = every_prior()
    assert len(priors) == len(Calibration.__dataclass_fields__)
    rng = np.random.default_rng(0)
    for p in priors:
        x = p.sample(rng, 2000)
        assert (x >= p.low).all() and (x <= p.high).all() and p.low >= 0
        assert p.distribution == ("uniform" if p.name in PUBLISHED or p.low == 0 else "loguniform")
        assert p.density(x).min() > 0 and p.density(np.array([p.high * 1.01]))[0] == 0


def test_an_assumed_uncapped_range_has_the_default_as_its_median():
    p = prior("erosion_rate")  # A, 0.06 - 0.24 around 0.12
    x = p.sample(np.random.default_rng(1), 40_000)
    assert np.median(x) == pytest.approx(Calibration().erosion_rate, rel=0.02)
    np.testing.assert_allclose(p.from_unit(p.to_unit(x)), x)


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("no_such_coefficient", 0.1, 0.2), "calibration.no_such_coefficient"),
        (("erosion_rate", 0.3, 0.1), "calibration.erosion_rate"),
        (("erosion_rate", -0.1, 0.1), "calibration.erosion_rate"),
        (("erosion_rate", 0.1, 1.5), "calibration.erosion_rate"),  # a share
        (("erosion_rate", 0.1, 0.2, "normal"), "calibration.erosion_rate.distribution"),
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
    assert shares.shape == (3,) and ((shares > 0.5) & (shares < 1)).all()
    assert set(STATISTICS) >= {"relapsed", "out_of_conflict", "victims_per_10k", "mean_of"}
