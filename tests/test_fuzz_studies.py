"""Fuzzing the study nodes (issue "No silent wrong result, round two"): ``sensitivity``,
``abc`` and ``credibility`` as an experiment file or overrides set them. Each node is
checked by its schema and its study, as before any run; then it either prepares its work
(the points a sensitivity study would run validate as configs, the calibration's priors
and targets load, the credibility's draws are priors) or is refused in one ConfigError
line. Never another exception."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_fuzz_targets import FUZZ, odd

import imsim
from imsim.config.plain import plain, with_values
from imsim.config.schema import AbcConfig, CredibilityConfig, SensitivityConfig
from imsim.config.validate import validate, walk
from imsim.preflight import check_studies

SWEEPABLE = [
    "force.troops",
    "force.escorts",
    "integration.information_sharing",
    "mission.deployed",
    "world.regions",
    "coefficients.harm_rate",
    "coefficients",
    "x",
]
PLAUSIBLE = {  # a range each key can take, so that most nodes reach the study's checks
    "force.troops": st.just([0, 20000]),
    "force.escorts": st.just(["routine", "last_resort"]),
    "integration.information_sharing": st.just([0.2, 0.8]),
    "mission.deployed": st.just([True, False]),
    "world.regions": st.just([4, 8]),
    "coefficients.harm_rate": st.just("declared"),
}
ranges = st.one_of(
    st.lists(st.one_of(st.integers(-5, 20000), st.floats(-1, 2)), min_size=2, max_size=2),
    st.lists(st.sampled_from(["routine", "last_resort", "never", True, False, "x"]), max_size=3),
    odd,
)
parameters = st.one_of(
    st.lists(st.sampled_from(sorted(PLAUSIBLE)), min_size=1, max_size=3, unique=True).flatmap(
        lambda keys: st.fixed_dictionaries({k: PLAUSIBLE[k] for k in keys})
    ),
    st.dictionaries(st.sampled_from(SWEEPABLE), ranges, max_size=3),
)


def fields_of(cls: type, fuzzed: dict) -> st.SearchStrategy:
    """The node's defaults, some fields drawn from ``fuzzed`` (mostly well formed), and at
    most one field given an odd value (so that most nodes reach the study's own checks)."""
    fields = {
        f.name: st.one_of(st.just(_default(f)), fuzzed[f.name]) if f.name in fuzzed
        else st.just(_default(f))
        for f in dataclasses.fields(cls)
    }  # fmt: skip
    spoilt = st.one_of(st.none(), st.tuples(st.sampled_from(sorted(fields)), odd))
    return st.tuples(st.fixed_dictionaries(fields), spoilt).map(
        lambda pair: pair[0] if pair[1] is None else {**pair[0], pair[1][0]: pair[1][1]}
    )


def _default(f: dataclasses.Field) -> object:
    return f.default_factory() if f.default is dataclasses.MISSING else f.default


def refused_in_one_line(node: str, cls: type, value: object) -> bool:
    try:
        walk(value, cls, f"{node}.")
        check_studies({node: plain(value)})
    except imsim.ConfigError as exc:
        message = str(exc)
        assert "\n" not in message and "allowed: " in message, message
        # the setting at fault is named as the node writes it, or as its targets file does
        # (a key that is not printable text is shown quoted, as Python writes it)
        named = message.lstrip("'\"")
        assert named.startswith((f"{node}.", "targets.", "targets:")), message
        return True
    return False


@pytest.fixture(scope="module")
def base():
    return plain(imsim.compose("baseline", ["run.months=12", "run.replicates=1"]))


@FUZZ
@given(
    node=fields_of(
        SensitivityConfig,
        {
            "parameters": parameters,
            "outputs": st.lists(
                st.sampled_from(["deaths_total", "reached_share_mean", "reached_share_mean", "x"]),
                max_size=2,
            ),
            "method": st.sampled_from(["sobol", "morris", "morris", "fast"]),
            "samples": st.integers(-2, 300),
        },
    )
)
def test_any_sensitivity_node_prepares_valid_points_or_is_one_config_error(base, node):
    from imsim.sweep.sensitivity import decode, problem, ranges

    if refused_in_one_line("sensitivity", SensitivityConfig, node):
        return
    sa = plain(node)
    prob = problem(sa.parameters)
    bounds = np.array(prob["bounds"], float)
    assert (bounds[:, 0] < bounds[:, 1]).all() and np.isfinite(bounds).all()
    for corner in (bounds[:, 0], bounds.mean(axis=1), np.nextafter(bounds[:, 1], -np.inf)):
        validate(with_values(base, decode(corner, ranges(sa.parameters))))  # a point a run takes


@FUZZ
@given(
    node=fields_of(
        AbcConfig,
        {
            "parameters": st.dictionaries(
                st.sampled_from(["harm_rate", "forward_conflict", "forward_conflict", "x"]),
                st.one_of(st.just("declared"), st.lists(st.floats(-1, 3), max_size=3)),
                min_size=1,
                max_size=2,
            ),
            "targets": st.sampled_from(["default", "default", "findings", "nope"]),
            "overrides": st.lists(
                st.sampled_from(["force.troops=2000", "run.seed=3", "x=1", "force.escorts=x"]),
                max_size=2,
            ),
            "population": st.integers(-1, 50),
        },
    )
)
@example(
    node={
        **dataclasses.asdict(AbcConfig()),
        "parameters": {"harm_rate": "declared"},
        "overrides": ["x=1"],
    }
)  # once "x: unknown key", not naming abc.overrides
def test_any_calibration_node_sets_up_or_is_one_config_error(node):
    from imsim.calibration.run import setup

    if refused_in_one_line("abc", AbcConfig, node):
        return
    s = setup(plain(node))
    assert len(s.priors) == len(node["parameters"]) >= 1
    assert any(t.use == "calibration" for t in s.calibration)


def posterior_file(tmp: Path, kind: str) -> str:
    path = tmp / f"{kind}.csv"
    text = {
        "good": "harm_rate,weight\n100,0.5\n120,0.5\n",
        "negative": "harm_rate,weight\n-100,0.5\n120,0.5\n",
        "unknown": "colour,weight\n1,1\n",
        "no_weight": "harm_rate\n100\n",
        "zero_weight": "harm_rate,weight\n100,0\n",
        "text": "a posterior, honestly",
    }.get(kind)
    if text is None:
        return str(tmp / "missing.csv")
    path.write_text(text)
    return str(path)


@FUZZ
@given(
    node=fields_of(
        CredibilityConfig,
        {
            "vary": st.lists(
                st.sampled_from(["coherence_", "early_warning", "x", "", 5]), max_size=2
            ),
            "findings": st.sampled_from(["findings", "default", "nope"]),
            "overrides": st.lists(
                st.sampled_from(["force.troops=2000", "run.seed=3", "x=1", "force.escorts=x"]),
                max_size=2,
            ),
            "draws": st.integers(-1, 50),
        },
    ),
    posterior=st.sampled_from(
        ["good", "negative", "unknown", "no_weight", "zero_weight", "text", "missing"]
    ),
)
def test_any_credibility_node_draws_priors_or_is_one_config_error(
    tmp_path_factory, node, posterior
):
    from imsim.calibration.credibility import read_posterior, varied

    node = {**node, "posterior": posterior_file(tmp_path_factory.mktemp("post"), posterior)}
    if refused_in_one_line("credibility", CredibilityConfig, node):
        return
    assert posterior == "good"  # every other posterior file is refused
    post, calibrated = read_posterior(node["posterior"])
    for p in [*calibrated, *varied(node["vary"])]:
        draws = p.sample(np.random.default_rng(0), 32)
        assert np.isfinite(draws).all() and ((draws >= p.low) & (draws <= p.high)).all()


ema_keys = st.sampled_from([*SWEEPABLE, "run.months", "world.named", 5, ""])
ema_specs = st.dictionaries(ema_keys, st.one_of(ranges, st.just("declared")), max_size=3)


@settings(FUZZ, max_examples=40)  # each example composes the base config (≈ 1 s)
@given(
    uncertainties=st.one_of(ema_specs, st.none(), odd),
    levers=st.one_of(ema_specs, st.none(), odd),
    outcomes=st.one_of(
        st.dictionaries(
            st.sampled_from(["deaths_total", "reached_share_mean", "x"]),
            st.sampled_from(["max", "min", "info", "up"]),
            max_size=2,
        ),
        st.none(),
        odd,
    ),
)
def test_any_ema_model_gives_valid_experiments_or_is_one_config_error(
    uncertainties, levers, outcomes
):
    """The EMA connector's builder: every experiment its uncertainties and levers can give
    is a valid config (checked at both ends of each range), or the spec is one line."""
    from imsim.ema.model import mission_model

    try:
        model = mission_model("baseline", ["run.months=12"], uncertainties, levers, outcomes)
    except imsim.ConfigError as exc:
        assert "\n" not in str(exc) and "allowed: " in str(exc), str(exc)
        return
    problem = model.imsim
    for end in (0, -1):
        scenario = {
            u.name: u.options[end] if u.options else (u.low, u.high)[end]
            for u in problem.uncertainties
        }
        policy = {
            lv.name: (0, len(lv.options) - 1)[end] if lv.options else (lv.low, lv.high)[end]
            for lv in problem.levers
        }
        validate(with_values(problem.base, problem.values(scenario, policy)))
