"""The JAX engine: the numpy engine's rules on another array backend, equal numbers."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import imsim
from imsim.config.errors import ConfigError
from imsim.core import namespace

SCENARIOS = sorted(p.stem for p in Path(imsim.__file__).parent.glob("../configs/scenario/*.yaml"))
# The bound: every variable within 1e-9 of the numpy engine's, relative to the
# variable's own scale (a share near 0 is compared on its scale, not its own size).
TOLERANCE = 1e-9


def assert_equal_to_rounding(a, b) -> None:
    assert set(a.data_vars) == set(b.data_vars)
    for name in a.data_vars:
        x, y = a[name].values.astype(float), b[name].values.astype(float)
        scale = max(np.abs(x).max(), 1e-300)
        worst = np.abs(x - y).max() / scale
        assert worst <= TOLERANCE, f"{name}: {worst:.2e} of its scale"


def test_every_scenario_is_found():
    assert len(SCENARIOS) >= 7 and "baseline" in SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_jax_engine_equals_numpy_engine_for_every_scenario(scenario):
    cfg = imsim.compose(scenario, ["run.replicates=3"])
    numpy_run = imsim.simulate(cfg)
    jax_run = imsim.simulate(cfg, engine="jax")
    assert_equal_to_rounding(numpy_run, jax_run)
    # the random streams are the same: counts drawn (Poisson) and phases (codes) are equal
    for name in ("aid_incidents", "aid_incidents_national", "phase"):
        np.testing.assert_array_equal(numpy_run[name].values, jax_run[name].values)


def test_shocks_and_policy_changes_on_jax():
    """Events change the timeline month by month: the scanned part of the parameters."""
    cfg = imsim.compose(
        "baseline",
        [
            "run.replicates=2",
            "run.months=30",
            "events=[{month:5,shock:security_phase_raise,level:4,regions:[region_2]},"
            "{month:9,shock:peace_agreement},{month:12,shock:elections},"
            "{month:20,set:{integration.hc_location:two_feet_out,force.escorts:routine}}]",
            "mission.exit_after_elections=true",
        ],
    )
    assert_equal_to_rounding(imsim.simulate(cfg), imsim.simulate(cfg, engine="jax"))


def test_a_point_on_jax_does_not_depend_on_its_batch_nor_on_how_months_are_cut():
    """Three points in one batch on JAX, each month handed over a year at a time (a
    progress bar) or all at once, equal each point run alone on numpy."""
    from imsim.config.plain import plain
    from imsim.sweep.evaluate import evaluate

    points = [
        plain(imsim.compose("baseline", ["run.replicates=2", "run.months=30", *extra]))
        for extra in (
            [],
            ["integration.hc_location=two_feet_out"],
            ["force.escorts=routine", "run.seed=9"],
        )
    ]
    months = []
    together = evaluate(points, "trajectories", on_month=months.append, engine="jax")
    assert months == list(range(1, 31))
    whole = evaluate(points, "trajectories", engine="jax")
    for i, point in enumerate(points):
        alone = evaluate([point], "trajectories").isel(point=0)
        assert_equal_to_rounding(alone, together.isel(point=i))
        assert_equal_to_rounding(alone, whole.isel(point=i))
    summary_numpy = evaluate(points, "summary")
    summary_jax = evaluate(points, "summary", engine="jax")
    assert_equal_to_rounding(summary_numpy, summary_jax)


def test_month_zero_settles_alike_on_jax():
    """Each point settles on its own in the while_loop, as numpy's settling does."""
    from imsim.compile.run import prepare_run
    from imsim.config.plain import plain
    from imsim.engines import jax_engine

    points = [
        plain(imsim.compose("baseline", ["run.replicates=1", *extra]))
        for extra in ([], ["world.capacity=0.8", "integration=two_feet_out"])
    ]
    numpy_start = prepare_run(points).state
    jax_start = prepare_run(points, jax_engine.settle_points).state
    for name in ("neutrality", "association", "access", "coherence", "presence"):
        a, b = getattr(numpy_start, name), getattr(jax_start, name)
        np.testing.assert_allclose(b, a, rtol=0, atol=TOLERANCE)


def test_calibration_targets_alike_on_jax():
    from imsim.calibration.simulator import TargetSimulator
    from imsim.calibration.targets import load_targets
    from imsim.config.ranges import prior

    targets = load_targets("default")[:3]
    priors = [prior("violence_conflict"), prior("association_scale")]
    theta = np.array([[p.low, p.high] for p in priors]).T  # two parameter sets
    values = {
        engine: TargetSimulator(targets, priors, replicates=1, seed=3, engine=engine)(theta)
        for engine in ("batched", "jax")
    }
    np.testing.assert_allclose(values["jax"], values["batched"], rtol=TOLERANCE, atol=1e-12)


def test_an_unknown_engine_is_one_line_naming_the_choices():
    with pytest.raises(ConfigError, match="engine.*'gpu'.*batched, jax, mesa"):
        imsim.simulate(imsim.compose("baseline"), engine="gpu")


def test_jax_missing_says_which_extra(monkeypatch):
    from imsim import extras
    from imsim.engines.backends import batch_engine

    monkeypatch.setattr(extras, "missing", lambda extra: "jax" if extra == "jax" else None)
    with pytest.raises(extras.MissingExtra, match=r"pip install 'imsim\[jax\]'"):
        batch_engine("jax")


def test_the_namespace_is_numpy_again_after_tracing_even_on_error():
    assert namespace.backend() == "numpy"
    with pytest.raises(RuntimeError), namespace.using_jax():
        assert namespace.backend() == "jax.numpy"
        raise RuntimeError
    assert namespace.backend() == "numpy"
    assert namespace.xp.where is np.where


RULES = [
    "access",
    "aid_workers",
    "association",
    "capacity",
    "coherence",
    "conflict",
    "displacement",
    "force",
    "humanitarian",
    "leadership",
    "local_actors",
    "mission",
    "needs",
    "neutrality",
    "phase",
    "security",
    "step",
    "streams",
    "util",
]


@pytest.mark.parametrize("module", RULES)
def test_rules_compute_through_the_namespace_only(module):
    """No rule calls numpy directly: outside annotations and module-level constants every
    array function comes from ``xp``, so the JAX engine runs the same code."""
    path = Path(imsim.__file__).parent / "core" / f"{module}.py"
    tree = ast.parse(path.read_text())
    annotations = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            annotations |= {id(n) for n in ast.walk(node.annotation)}
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            annotations |= {id(n) for n in ast.walk(node.returns)}
    direct = [
        f"line {node.lineno}: np.{node.attr}"
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef)
        for node in ast.walk(fn)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "np"
        and id(node) not in annotations
    ]
    assert not direct, direct


def test_both_poisson_searches_give_the_same_counts():
    """numpy's narrowing search and the fixed-shape search JAX runs: equal counts, from
    rates of nothing to far above the model's, and uniforms up to the edge of 1."""
    from imsim.core import streams

    rng = np.random.default_rng(4)
    lam = np.concatenate([np.zeros(50), 10 ** rng.uniform(-6, 1.5, 20_000), [40.0, 80.0]])
    u = np.concatenate([rng.uniform(size=lam.size - 3), [1 - 2**-53, 0.999999, 0.5]])
    narrowing = streams._narrowing(lam, u)
    whole = streams._whole(lam, u)
    np.testing.assert_array_equal(narrowing, whole)
    assert narrowing.max() > 20 and (narrowing == 0).sum() > 50  # the range was covered
    # uniforms at P(0) = exp(-rate) and a step either side, where numpy's cheap zero test
    # (against 1 - rate, less a margin) cannot decide and exp must
    edge = np.exp(-lam)
    edges = np.concatenate([np.nextafter(edge, 0), edge, np.nextafter(edge, 1)])
    tiled = np.tile(lam, 3)
    np.testing.assert_array_equal(streams._narrowing(tiled, edges), streams._whole(tiled, edges))
    # and the mean count is the rate's (the draw is a Poisson draw)
    many = streams.poisson(np.full(200_000, 2.5), rng.uniform(size=200_000))
    assert abs(many.mean() - 2.5) < 4 * np.sqrt(2.5 / 200_000)
