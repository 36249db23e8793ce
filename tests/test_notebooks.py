"""Every notebook runs top to bottom on a fresh kernel and shows its figures."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
FIGURES = {  # figures each notebook must show
    "01_quickstart.ipynb": 4,
    "02_humanitarian_space_erosion.ipynb": 4,
    "03_integration_sweep.ipynb": 2,
    "04_calibration.ipynb": 3,
    "05_which_unknowns_decide.ipynb": 3,
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_notebook_runs_and_shows_its_figures(name, tmp_path):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    # a cell taking two minutes would fail here; the whole notebook takes seconds
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) >= FIGURES[name]
