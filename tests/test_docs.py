"""The documentation site builds in strict mode (a warning fails it) with every part:
the guide from README, the tutorials from the notebooks, the model's description, the
studies and the API reference from the docstrings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_site_builds_strictly_with_every_part(tmp_path):
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT, capture_output=True, text=True, env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "WARNING" not in proc.stderr
    for page in ["index", "guide/index", "ODD/index", "parameters/index", "studies/index",
                 "tutorials/04_calibration/index", "changelog/index"]:  # fmt: skip
        assert (site / f"{page}.html").is_file(), page
    running = (site / "reference" / "running" / "index.html").read_text()
    assert 'id="imsim.engines.simulation.simulate"' in running
    assert "same numbers" in running  # simulate's docstring, rendered
    guide = (site / "guide" / "index.html").read_text()
    assert 'href="../ODD/"' in guide and 'href="../tutorials/04_calibration/"' in guide
