"""``pip install imsim`` without extras: the model, both engines, the command and sweeps
work; each extra's feature, started there, says in one line which extra to install.

Each case runs in a subprocess where the extras' packages cannot be imported: an import
hook refuses them (as if not installed) and hides Hydra's launcher plugins from its
plugin scan, as a folder without them would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

BOOT = textwrap.dedent(
    """
    import importlib.abc, pkgutil, runpy, sys

    BLOCKED = (
        "solara", "solara_assets", "starlette", "uvicorn", "segno", "xhtml2pdf", "pyabc",
        "ema_workbench", "platypus", "ray", "submitit", "hydra_plugins.hydra_joblib_launcher",
        "hydra_plugins.hydra_ray_launcher", "hydra_plugins.hydra_submitit_launcher",
    )

    def blocked(name):
        return any(name == b or name.startswith(b + ".") for b in BLOCKED)

    class NotInstalled(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if blocked(name):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NotInstalled())
    scan = pkgutil.iter_modules
    pkgutil.iter_modules = lambda *a, **k: (m for m in scan(*a, **k) if not blocked(m.name))

    target, *sys.argv[1:] = sys.argv[1:]
    if target == "-c":
        exec(sys.argv.pop(1))
    else:
        module, _, function = target.partition(":")
        sys.argv[0] = function or module
        getattr(__import__(module, fromlist=[function]), function)()
    """
)


@pytest.fixture(scope="module")
def boot(tmp_path_factory):
    path = tmp_path_factory.mktemp("bare") / "bare.py"
    path.write_text(BOOT)
    return path


def bare(boot, tmp_path, *args: str) -> subprocess.CompletedProcess:
    """``args`` run in a Python where the extras are not installed."""
    env = os.environ | {"PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, str(boot), *args], cwd=tmp_path, capture_output=True, text=True, env=env
    )


def test_the_model_runs_without_extras_through_the_command_and_the_api(boot, tmp_path):
    proc = bare(boot, tmp_path, "imsim.cli:main", "run.replicates=2", "run.months=12",
                f"hydra.run.dir={tmp_path / 'run'}")  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "run" / "trajectories.nc").is_file()
    proc = bare(boot, tmp_path, "imsim.cli:main", "-m", "hydra/sweeper=imsim",
                f"hydra.sweep.dir={tmp_path / 'sweep'}", "force.troops=0,5000",
                "run.replicates=1", "run.months=6")  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "sweep" / "sweep.nc").is_file()
    code = """
import sys
import imsim
ds = imsim.simulate(imsim.compose("drc_relapse", ["run.replicates=2", "run.months=6"]))
model = imsim.MissionModel("baseline", months=3)
for _ in range(3):
    model.step()
loaded = [m for m in ("solara", "pyabc", "ema_workbench", "starlette") if m in sys.modules]
print("ran", ds.sizes["month"], model.month, loaded)
"""
    proc = bare(boot, tmp_path, "-c", code)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ran 7 3 []"


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["imsim.extras:dashboard"], 1,
         "imsim-dashboard: error: the dashboard needs imsim's dashboard extra (solara is not "
         "installed): pip install 'imsim[dashboard]'"),
        (["imsim.extras:classroom"], 1,
         "imsim-classroom: error: the classroom needs imsim's classroom extra (solara is not "
         "installed): pip install 'imsim[classroom]'"),
        (["imsim.cli:main", "experiment=calibration"], 1,
         "imsim: error: imsim experiment=calibration needs imsim's calibration extra (pyabc is "
         "not installed): pip install 'imsim[calibration]'"),
        (["imsim.cli:main", "experiment=credibility"], 1, "pip install 'imsim[calibration]'"),
        (["imsim.cli:main", "experiment=scenario_discovery"], 1,
         "imsim: error: imsim experiment=scenario_discovery needs imsim's ema extra "
         "(ema_workbench is not installed): pip install 'imsim[ema]'"),
        (["imsim.cli:main", "-m", "hydra/launcher=joblib", "force.troops=0,1"], 2,
         "imsim: error: hydra/launcher: bad value 'joblib'; allowed: basic (joblib, ray and "
         "submitit: pip install 'imsim[launchers]')"),
    ],
)  # fmt: skip
def test_each_extras_feature_names_its_extra_in_one_line(boot, tmp_path, args, code, expected):
    proc = bare(boot, tmp_path, *args)
    assert proc.returncode == code, proc.stderr[-2000:]
    assert proc.stderr.count("\n") == 1 and expected in proc.stderr, proc.stderr
    assert not list(tmp_path.iterdir())  # nothing written


@pytest.mark.parametrize(
    ("statement", "extra"),
    [("import imsim.ema", "ema"), ("from imsim.calibration.run import calibrate", "calibration")],
)
def test_the_python_api_of_an_extra_names_it(boot, tmp_path, statement, extra):
    code = f"""
from imsim.extras import MissingExtra
try:
    {statement}
except MissingExtra as exc:
    print(exc)
"""
    proc = bare(boot, tmp_path, "-c", code)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.count("\n") == 1
    assert proc.stdout.strip().endswith(f"pip install 'imsim[{extra}]'")
