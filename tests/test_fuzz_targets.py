"""Fuzzing the targets and findings files (issue "No silent wrong result, round two"): any
file either loads into targets whose every statistic computes on a run, or is refused with
one ConfigError line. Never another exception."""

from __future__ import annotations

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imsim
from imsim.calibration.statistics import STATISTICS, of_dataset
from imsim.calibration.targets import load_targets

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SMALL = ["run.months=12", "run.replicates=2", "world.regions=4"]

odd = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
arg_names = st.sampled_from(
    ["month", "months", "first", "last", "variable", "actor", "region", "start", "end", "cause"]
)
arg_values = st.one_of(
    st.integers(-2, 20),
    st.sampled_from(["neutrality", "access", "phase", "ocha", "battle_deaths", "all", "x"]),
    odd,
)
entry = st.fixed_dictionaries(
    {
        "statistic": st.one_of(st.sampled_from(sorted(STATISTICS)), odd),
        "source": st.one_of(st.just("a test"), odd),
    },
    optional={
        "args": st.one_of(st.dictionaries(arg_names, arg_values, max_size=3), odd),
        "overrides": st.one_of(st.just(SMALL), st.lists(st.sampled_from(SMALL), max_size=2), odd),
        "versus": st.one_of(st.just(SMALL), odd),
        "compare": st.one_of(st.sampled_from(["ratio", "difference", "cut"]), odd),
        "observed": st.one_of(st.floats(-10, 100), odd),
        "sd": st.one_of(st.floats(-1, 10), odd),
        "lower": st.one_of(st.floats(-10, 100), odd),
        "upper": st.one_of(st.floats(-10, 100), odd),
        "use": st.one_of(st.sampled_from(["calibration", "validation"]), odd),
        "scenario": st.one_of(st.sampled_from(["baseline", "katanga_mob"]), odd),
        "colour": odd,
    },
)
# mostly well formed: every statistic, with arguments drawn from every argument name
plausible = st.fixed_dictionaries(
    {
        "statistic": st.sampled_from(sorted(STATISTICS)),
        "source": st.just("a test"),
        "observed": st.just(1.0),
        "sd": st.just(1.0),
        "overrides": st.just(SMALL),
        "args": st.dictionaries(
            arg_names,
            st.one_of(
                st.integers(0, 14),
                st.sampled_from(["neutrality", "access", "battle_deaths", "ocha", "all", "x"]),
            ),
            max_size=3,
        ),
    }
)
files = st.one_of(
    st.fixed_dictionaries({"targets": st.dictionaries(st.just("p"), plausible, min_size=1)}),
    st.fixed_dictionaries(
        {"targets": st.dictionaries(st.text(min_size=1, max_size=6), entry, min_size=1, max_size=2)}
    ),  # fmt: skip
    odd,
)


@FUZZ
@given(spec=files)
def test_any_targets_file_loads_and_computes_or_is_one_config_error(tmp_path_factory, spec):
    path = tmp_path_factory.mktemp("t") / "targets.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True))
    try:
        targets = load_targets(path)
    except imsim.ConfigError as exc:
        text = str(exc)
        assert "\n" not in text and "allowed: " in text
        return
    for t in targets:  # what loads must compute, on the configuration it names
        ds = imsim.simulate(imsim.compose(t.scenario, list(t.overrides)))
        value = of_dataset(ds, t.statistic, **t.args)
        assert np.asarray(value).shape == (ds.sizes["replicate"],)


def test_a_duplicate_target_name_is_refused(tmp_path):
    path = tmp_path / "t.yaml"
    one = "    statistic: harm_per_month\n    observed: 3\n    sd: 1\n    source: s\n"
    path.write_text("targets:\n  t:\n" + one + "  t:\n" + one)
    try:
        load_targets(path)
    except imsim.ConfigError as exc:
        assert str(exc).startswith("targets") and "twice" in str(exc)
    else:
        raise AssertionError("a duplicate target name was accepted")


def test_a_binary_file_is_one_line(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_bytes(bytes(range(256)))
    try:
        load_targets(path)
    except imsim.ConfigError as exc:
        assert "\n" not in str(exc)


coefficient_names = st.sampled_from(["harm_rate", "forward_conflict", "sharing_apart", "x", ""])
prior_specs = st.one_of(
    st.just("declared"),
    st.lists(st.one_of(st.floats(-1, 3), st.integers(-1, 3), odd), max_size=3),
    st.fixed_dictionaries(
        {"low": st.one_of(st.floats(-1, 3), odd), "high": st.one_of(st.floats(-1, 3), odd)},
        optional={"distribution": st.one_of(st.sampled_from(["uniform", "loguniform"]), odd)},
    ),
    odd,
)


@FUZZ
@given(parameters=st.one_of(st.dictionaries(coefficient_names, prior_specs, max_size=3), odd))
def test_any_calibration_priors_are_priors_or_one_config_error(parameters):
    """``abc.parameters`` (and a credibility's priors): every coefficient's prior is one the
    coefficient can take, or the whole is refused in one line."""
    from imsim.calibration.checks import priors_of

    try:
        priors = priors_of(parameters)
    except imsim.ConfigError as exc:
        assert "\n" not in str(exc) and "allowed: " in str(exc)
        return
    for p in priors:
        assert 0 <= p.low < p.high and np.isfinite([p.low, p.high]).all()
        draws = p.sample(np.random.default_rng(0), 64)
        assert ((draws >= p.low) & (draws <= p.high)).all()
