"""Every coefficient of the rules is a named, overridable Coefficients field."""

from __future__ import annotations

import ast
import re
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

import imsim
from imsim.core.coefficients import Coefficients

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "imsim" / "core"
# Modules of the core that are not rules: declarations, the hash, the defaults themselves.
NOT_RULES = {
    "__init__.py",
    "arrays.py",
    "coefficients.py",
    "decisions.py",
    "options.py",
    "params.py",
    "state.py",
    "streams.py",
    "unknowns.py",  # the priors of assumed coefficients: declarations, as coefficients.py
    "util.py",
}
RULES = sorted(p for p in CORE.glob("*.py") if p.name not in NOT_RULES)


def unnamed_numbers(source: str) -> list[tuple[int, object]]:
    """Numeric literals other than 0 and 1, integer exponents and axis numbers."""
    tree = ast.parse(source)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            allowed.add(id(node.right))  # the shape of a functional form: x ** 2
        if isinstance(node, ast.keyword) and node.arg == "axis":
            allowed.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.Subscript):
            allowed.update(id(n) for n in ast.walk(node.slice))  # indices and slices
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, int | float)
            and not isinstance(node.value, bool)
            and node.value not in (0, 1)
            and id(node) not in allowed
            and not (isinstance(node.value, int) and id(node) in allowed)
        ):
            found.append((node.lineno, node.value))
    return found


def test_the_check_finds_an_unnamed_number():
    assert unnamed_numbers("y = 0.5 * x + 1.0") == [(1, 0.5)]
    assert unnamed_numbers("y = x ** 2 + a[2] + s.sum(axis=-1) - 1") == []


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.name)
def test_rules_hold_no_unnamed_numbers(path):
    found = unnamed_numbers(path.read_text())
    assert not found, f"{path.name}: numbers {found} belong in core/coefficients.py"


def test_every_coefficient_is_read_by_the_model():
    sources = "\n".join(
        p.read_text() for p in (ROOT / "imsim").rglob("*.py") if p.name != "coefficients.py"
    )
    unused = [f.name for f in fields(Coefficients) if not re.search(rf"\b{f.name}\b", sources)]
    assert not unused, f"coefficients no rule reads: {unused}"


def test_every_coefficient_is_in_odd_section_8():
    odd = (ROOT / "docs" / "ODD.md").read_text()
    section = odd.split("## 8.")[1].split("\n## ")[0]
    missing = [f.name for f in fields(Coefficients) if f.name not in section]
    assert not missing, f"docs/ODD.md §8 does not list: {missing}"


@pytest.mark.parametrize(
    "key, value, variable",
    [
        ("force_cover", 0.3, "access"),  # a rule's coefficient
        ("stickiness_multi_mandate", 0.3, "association"),  # an actor trait
        ("shock_collapse_violence", 0.0, "violence"),  # an event's size
        ("network_cluster_ngo", 0.9, "association"),  # a coordination-network edge
        ("start_violence_transition", 0.6, "violence"),  # a month-0 condition
    ],
)
def test_a_coefficient_override_changes_the_run(key, value, variable):
    base = ["run.replicates=2", "run.months=30", "force.escorts=routine"]
    ds = imsim.simulate(imsim.compose("drc_relapse", base))
    other = imsim.simulate(imsim.compose("drc_relapse", [*base, f"coefficients.{key}={value}"]))
    assert not np.array_equal(ds[variable].values, other[variable].values)


def test_every_coefficient_has_a_plausible_range_around_its_default():
    from imsim.core.coefficients import PUBLISHED, plausible_range

    for f in fields(Coefficients):
        low, high, basis = plausible_range(f.name)
        assert low <= f.default <= high and low < high, (f.name, low, f.default, high)
        assert basis == "A" or f.name in PUBLISHED
    assert set(PUBLISHED) <= {f.name for f in fields(Coefficients)}


def parameter_table() -> dict[str, dict[str, str]]:
    """docs/parameters.md's rows, by coefficient."""
    rows = {}
    for line in (ROOT / "docs" / "parameters.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 6 and cells[0].startswith("`"):
            name, default, span, prior, off, basis = cells
            rows[name.strip("`")] = {"span": span, "prior": prior, "off": off, "basis": basis}
    return rows


def test_no_assumed_coefficient_has_a_prior_that_excludes_no_effect():
    """Read from docs/parameters.md: every assumption's prior contains the value at which
    its mechanism has no effect, or the assumption is a pace or a level (nothing to
    switch off), which the table says; published ranges stay as published."""
    from imsim.core.coefficients import PUBLISHED

    rows = parameter_table()
    assert set(rows) == {f.name for f in fields(Coefficients)}
    kinds = {"pace", "level"}
    for name, row in rows.items():
        low, high = (float(x) for x in row["span"].split(" – "))
        if row["basis"] != "A":
            assert name in PUBLISHED and row["off"] == "—", name
            assert (low, high) == pytest.approx(PUBLISHED[name][:2]), name
            continue
        if row["off"] in kinds:
            assert row["prior"] == "loguniform" and low > 0 or low == 0, name
            continue
        off = float(row["off"])
        assert low <= off <= high, f"{name}: no effect at {off} outside {low} – {high}"
        assert row["prior"] == "uniform", name
    # nothing is a pace or a level by accident: each is declared so, by name
    from imsim.core import unknowns

    no_off = {n for n, r in rows.items() if r["off"] in kinds}
    declared = set(unknowns.PACES) | set(unknowns.LEVELS)
    declared |= {n for n in rows if n.startswith(unknowns.START_LEVELS)}
    assert no_off == declared - set(PUBLISHED)
    for name in ("association_scale", "erosion_rate", "coherence_settlement", "assoc_qip"):
        assert rows[name]["off"] == "0" and rows[name]["span"].startswith("0 –"), name


def test_the_parameter_table_is_current():
    import importlib.util

    spec = importlib.util.spec_from_file_location("parameters", ROOT / "docs" / "parameters.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "parameters.md").read_text() == module.text(), (
        "run .venv/bin/python docs/parameters.py"
    )
