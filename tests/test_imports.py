"""What a process imports: a cold start pays only for what it uses, and layers point one way.

The first ``imsim.compose`` in any process (every CLI call, launcher worker, test and
notebook) used to load pyabc, scikit-learn, dask and matplotlib through Hydra's plugin
scan; these tests keep that from coming back.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import imsim

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "imsim"
# Stacks that only a study, a view or the classroom needs.
HEAVY = ("pyabc", "sklearn", "dask", "distributed", "ema_workbench", "solara", "matplotlib")


def loaded_after(code: str) -> set[str]:
    """Top-level packages in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    listing = "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    probe = f"{code}\nimport json, sys\n{listing}"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


@pytest.mark.parametrize(
    "code",
    [
        "import imsim; imsim.compose('baseline')",
        # what a launcher worker imports to run a chunk, and the command's checks
        "import imsim.sweep.job, imsim.preflight",
    ],
)
def test_composing_loads_no_study_view_or_classroom_stack(code):
    assert not loaded_after(code) & set(HEAVY)


def test_a_simulation_loads_no_study_view_or_classroom_stack():
    ran = loaded_after(
        "import imsim\n"
        "imsim.simulate(imsim.compose('baseline', ['run.months=2', 'run.replicates=1']))"
    )
    # xarray itself imports dask, when installed, to recognise dask arrays in a Dataset
    assert not ran & (set(HEAVY) - {"dask", "distributed"})


def test_import_imsim_alone_loads_nothing_heavy():
    assert not loaded_after("import imsim") & {"numpy", "xarray", "hydra", *HEAVY}


def test_version_and_help_are_imsims_own():
    imsim_cli = Path(sys.executable).parent / "imsim"
    version = subprocess.run([imsim_cli, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.strip() == f"imsim {imsim.__version__}"
    helped = subprocess.run([imsim_cli, "--help"], capture_output=True, text=True)
    assert helped.returncode == 0
    for group in ("scenario", "integration", "experiment"):
        assert f"  {group}=" in helped.stdout.splitlines()


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class _Imports(ast.NodeVisitor):
    """Every imsim module a module imports, at any depth, except under TYPE_CHECKING."""

    def __init__(self, module: str, package: bool):
        self.here = module.split(".") if package else module.split(".")[:-1]
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        if "TYPE_CHECKING" not in ast.unparse(node.test):
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.found |= {a.name for a in node.names if a.name.startswith("imsim")}

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.here[: len(self.here) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        if target.startswith("imsim"):
            self.found |= {f"{target}.{a.name}" for a in node.names} | {target}


def import_graph() -> nx.DiGraph:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    for name, path in modules.items():
        visitor = _Imports(name, path.name == "__init__.py")
        visitor.visit(ast.parse(path.read_text()))
        graph.add_node(name)
        for target in visitor.found:
            if target in modules and target != name and not modules[target].name == "__init__.py":
                graph.add_edge(name, target)
    return graph


def test_no_import_cycles_other_than_type_only_ones():
    assert list(nx.simple_cycles(import_graph())) == []


def test_the_config_layer_imports_no_study_view_or_classroom():
    above = ("imsim.calibration", "imsim.ema", "imsim.sweep", "imsim.views", "imsim.classroom")
    graph = import_graph()
    config = [m for m in graph if m.startswith("imsim.config")]
    wrong = {(m, t) for m in config for t in nx.descendants(graph, m) if t.startswith(above)}
    assert wrong == set()
