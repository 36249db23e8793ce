"""The numeric core on its own: a small default world without Hydra, the month's stages,
and each state variable declared once."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np

from imsim.compile.run import default_run, default_world
from imsim.core import step as month
from imsim.core.state import RECORDED, State, variables
from imsim.core.step import decide, draw_noise, transition

STAGES = (
    month.move_mission,
    month.move_perception,
    month.move_conflict,
    month.move_access,
    month.move_aid_workers,
    month.move_people,
    month.move_peace,
)


def test_a_default_world_needs_no_hydra():
    code = (
        "import sys\n"
        "from imsim.compile.run import default_world\n"
        "from imsim.core.step import decide\n"
        "s, p = default_world(3, 2)\n"
        "decide(s, p)\n"
        "print('hydra' in sys.modules, 'omegaconf.omegaconf' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_default_world_has_the_shapes_it_was_asked_for_and_takes_settings():
    s, p = default_world(regions=5, replicates=3, force__escorts="routine")
    assert s.violence.shape == (3, 5) and s.neutrality.shape[::2] == (3, 5)
    assert (p.escorts == 2).all()
    assert default_run(months=7).timeline.months == 7


def test_the_stages_move_every_state_variable_once_and_make_the_transition():
    s, p = default_world(regions=4, replicates=2)
    d = decide(s, p)
    noise = draw_noise(np.array([1, 2], dtype=np.uint64), 1, *s.neutrality.shape[1:])
    moved = transition(s, d, p, noise)
    # the first stages read only the month's start and the decisions: run alone, each
    # gives what the whole transition gives, and writes only state variables
    written: list[str] = []
    for stage in (month.move_mission, month.move_perception):
        out = stage(s, d, p)
        assert set(out) <= set(variables()), stage.__name__
        written += out
        for key, value in out.items():
            np.testing.assert_array_equal(value, getattr(moved, key))
    assert len(written) == len(set(written))
    assert all(stage.__doc__ for stage in STAGES)


def test_every_state_variable_is_declared_with_its_meaning():
    declared = variables()
    assert list(declared) == [f.name for f in dataclasses.fields(State)]
    for v in declared.values():
        assert v.description and v.axes in ("B", "BR", "BHR")
        assert v.settling in ("held", "fast", "flow")
    assert set(RECORDED) <= set(declared)
    # the flows a run counts from month 1 start at zero in month 0
    s, _ = default_world(regions=3)
    for name, v in declared.items():
        if v.settling == "flow":
            assert not getattr(s, name).any(), name
