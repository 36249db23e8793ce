"""Two engines, one model: equivalence, determinism and batch independence."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import run

import imsim

CASES = [
    ("baseline", ()),
    ("drc_relapse", ()),
    ("katanga_mob", ()),
    ("chad_protection", ("integration=two_feet_in", "force.escorts=routine")),
    ("afghanistan_relabelled", ("dsrsg.support_office=true", "run.months=60")),
    (
        "baseline",
        (
            "events=[{month:5,shock:security_phase_raise,level:4,regions:[region_2]},"
            "{month:9,shock:peace_agreement},{month:12,shock:elections}]",
            "mission.exit_after_elections=true",
            "force.qips=unilateral",
        ),
    ),
]


@pytest.mark.parametrize(("scenario", "overrides"), CASES)
def test_mesa_and_batched_engines_agree(scenario, overrides):
    months = [] if any(o.startswith("run.months") for o in overrides) else ["run.months=36"]
    cfg = imsim.compose(scenario, ["run.replicates=3", *months, *overrides])
    batched = imsim.simulate(cfg)
    mesa = imsim.simulate(cfg, engine="mesa")
    assert set(batched.data_vars) == set(mesa.data_vars)
    for name in batched.data_vars:
        diff = np.abs(batched[name].values.astype(float) - mesa[name].values.astype(float))
        assert diff.max() <= 1e-9, name


def test_mesa_model_has_the_actors_as_agents():
    from imsim.engines.mesa.model import MissionModel

    model = MissionModel("katanga_mob", months=3, mission__initial_strength=1.0)
    roles = [a.role for a in model.agents]
    for role in ("srsg", "dsrsg", "force", "ocha", "unhcr"):
        assert roles.count(role) == 1
    assert roles.count("ngo") == 4
    assert roles.count("local_authority") == roles.count("armed_group") == 30
    model.step()
    assert model.month == 1


def test_same_seed_same_numbers_other_seed_other_numbers():
    a = imsim.simulate(imsim.compose("baseline", ["run.replicates=4", "run.seed=7"]))
    b = imsim.simulate(imsim.compose("baseline", ["run.replicates=4", "run.seed=7"]))
    c = imsim.simulate(imsim.compose("baseline", ["run.replicates=4", "run.seed=8"]))
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values)
    assert not np.array_equal(a.violence.values, c.violence.values)
    assert not np.array_equal(a.neutrality.values, c.neutrality.values)


def test_a_replicate_does_not_depend_on_its_batch():
    small = run("drc_relapse", replicates=3)
    large = run("drc_relapse", replicates=24)
    for name in small.data_vars:
        np.testing.assert_array_equal(
            small[name].values, large[name].isel(replicate=slice(0, 3)).values
        )


@pytest.mark.parametrize(
    "beside",
    [
        ["world.initial_phase=transition", "force.troops=0"],
        ["coefficients.erosion_rate=0.2", "integration=two_feet_out"],
    ],
)
def test_a_point_does_not_depend_on_the_points_it_is_batched_with(beside):
    """Month 0 settles each point on its own (compile.initial.settle_points): beside a point that
    settles more slowly, a point's whole run is the one it has alone, to the last bit."""
    from imsim.config.plain import plain
    from imsim.sweep.evaluate import evaluate

    base = ["run.replicates=2", "run.months=24", "world.regions=6"]
    point = plain(imsim.compose("baseline", base))
    other = plain(imsim.compose("baseline", [*base, *beside]))
    alone = evaluate([point], "trajectories").isel(point=0)
    for batch in ([point, other], [other, point, other]):
        shared = evaluate(batch, "trajectories").isel(point=batch.index(point))
        for name in alone.data_vars:
            np.testing.assert_array_equal(shared[name].values, alone[name].values, err_msg=name)


def test_replicates_differ():
    ds = run("baseline")
    assert not np.array_equal(ds.violence.isel(replicate=0), ds.violence.isel(replicate=1))


def test_the_mesa_engine_uses_no_deprecated_mesa_api():
    import warnings

    cfg = imsim.compose("katanga_mob", ["run.replicates=1", "run.months=3"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        imsim.simulate(cfg, engine="mesa")
    deprecated = [
        w
        for w in caught
        if issubclass(w.category, DeprecationWarning | FutureWarning)
        and ("mesa" in w.filename.split("/") or "mesa" in str(w.message).lower())
    ]
    assert not deprecated, [f"{w.filename}:{w.lineno}: {w.message}" for w in deprecated]


def test_blocks_stepped_side_by_side_give_the_whole_batchs_numbers(monkeypatch):
    """A batch cut into blocks on two threads: every recorded number bit for bit, for
    the trajectories and the national summary alike."""
    from imsim.compile.run import prepare_run
    from imsim.engines import batched
    from imsim.engines.recorder import Recorder
    from imsim.results.summary import NationalRecorder

    monkeypatch.setenv("IMSIM_BLOCKS", "threads")
    cfg = imsim.compose("drc_relapse", ["run.replicates=600", "run.months=12"])
    run = prepare_run([cfg])
    assert len(batched.blocks(600, 2)) == 2 and len(batched.blocks(300, 2)) == 1
    whole = batched.run(run.timeline, run.state, run.keys, threads=1)
    cut = batched.run(run.timeline, run.state, run.keys, threads=2)  # each block records

    class WholeMonths:  # records whole months only: the engine joins the blocks for it
        def __init__(self, inner: Recorder):
            self.inner, self.needs = inner, inner.needs

        def record(self, month: int, s: object) -> None:
            self.inner.record(month, s)

    joined = WholeMonths(Recorder(run.state, 12))
    batched.run(run.timeline, run.state, run.keys, recorder=joined, threads=2)
    with monkeypatch.context() as m:  # more blocks than threads: four on two
        m.setattr(batched, "MAX_BLOCK", 150)
        assert len(batched.blocks(600, 2)) == 4
        many = batched.run(run.timeline, run.state, run.keys, threads=2)
    for name in whole.data:
        np.testing.assert_array_equal(whole.data[name], cut.data[name])
        np.testing.assert_array_equal(whole.data[name], joined.inner.data[name])
        np.testing.assert_array_equal(whole.data[name], many.data[name])
    people = run.timeline.params.population[0]
    national = [NationalRecorder(run.state, 12, people) for _ in range(2)]
    for recorder, threads in zip(national, (1, 2), strict=True):
        batched.run(run.timeline, run.state, run.keys, recorder=recorder, threads=threads)
    for name in national[0].data:
        np.testing.assert_array_equal(national[0].data[name], national[1].data[name])


# Run in a fresh interpreter: a test before it may have imported JAX, and then the engine
# (rightly) keeps its blocks in threads.
FORKED = """
import mmap, os, sys
import numpy as np
import imsim
from imsim.compile.run import prepare_run
from imsim.engines import batched
from imsim.engines.recorder import Recorder
from imsim.results.summary import NationalRecorder

def in_shared_memory(a):
    while isinstance(a, np.ndarray):
        a = a.base
    return isinstance(a, memoryview) and isinstance(a.obj, mmap.mmap)

run = prepare_run([imsim.compose("drc_relapse", ["run.replicates=600", "run.months=12"])])
def go(recorder=None, **kw):
    return batched.run(run.timeline, run.state, run.keys, recorder=recorder, **kw)

some = ("neutrality", "access", "phase", "deaths_unmet_needs")  # 128 B a region-month
whole = go(Recorder(run.state, 12, some), threads=1)
months = []
cut = go(Recorder(run.state, 12, some), threads=2, on_month=months.append)
assert months == list(range(1, 13)), months
batched.MAX_BLOCK = 150  # four blocks, two to a process
many = go(Recorder(run.state, 12, some), threads=2)
batched.MAX_BLOCK = 2048
for name in some:
    assert in_shared_memory(cut.frames[name]) and not in_shared_memory(whole.frames[name])
    assert np.array_equal(whole.data[name], cut.data[name], equal_nan=True), name
    assert np.array_equal(whole.data[name], many.data[name], equal_nan=True), name
everything = go(threads=2)  # 515 B a region-month: faster in threads
assert not any(in_shared_memory(a) for a in everything.frames.values())
people = run.timeline.params.population[0]
national = [NationalRecorder(run.state, 12, people) for _ in range(2)]
go(national[0], threads=1)
go(national[1], threads=2)
assert in_shared_memory(national[1].previous)
for name in national[0].data:
    assert np.array_equal(national[0].data[name], national[1].data[name]), name

parent, step = os.getpid(), batched.step
def failing(s, p, noise):
    if os.getpid() != parent:
        raise ValueError("no such month")
    return step(s, p, noise)
batched.step = failing
try:
    go(Recorder(run.state, 12, some), threads=2)
except RuntimeError as err:
    assert str(err) == "a block of the batch failed: ValueError: no such month", err
else:
    raise AssertionError("a child's error was not raised")
print("ok")
"""


def test_blocks_in_forked_processes_give_the_whole_batchs_numbers():
    """By default a batch's blocks run in forked processes recording into shared memory:
    every recorded number bit for bit, progress month by month, and a child's error
    raised in the parent, in one line."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", FORKED], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout == "ok\n", proc.stderr[-3000:]


def test_ctrl_c_in_a_sweep_stepping_blocks_in_processes_ends_them_in_one_line(tmp_path):
    """Ctrl-C while a summary sweep's blocks run in forked processes: the sweep's one
    interrupted line and exit 130, and no block process left running."""
    import os
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "imsim.cli", "-m", "hydra/sweeper=imsim",
         "hydra.sweeper.store=summary", f"hydra.sweep.dir={tmp_path / 'out'}",
         "run.replicates=1200", "run.months=1000", "integration=two_feet_in,two_feet_out"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches
    )  # fmt: skip
    children: list[str] = []
    deadline = time.monotonic() + 120
    while not children and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
        found = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True)
        children = found.stdout.split()
    assert children, "the sweep's blocks never ran in a process of their own"
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130
    lines = [line for line in stderr.splitlines() if line.strip() and "[HYDRA]" not in line]
    assert len(lines) == 1 and "interrupted" in lines[0] and "resume" in lines[0], lines
    for child in children:
        with pytest.raises(ProcessLookupError):
            os.kill(int(child), 0)  # reaped by its parent, not left running


def test_blocks_stay_in_threads_for_a_large_record_with_jax_or_ray_or_when_asked(monkeypatch):
    import sys

    from imsim.config.errors import ConfigError
    from imsim.engines import forked
    from imsim.engines.recorder import Recorder

    monkeypatch.delitem(sys.modules, "jax", raising=False)
    monkeypatch.delitem(sys.modules, "ray", raising=False)

    class Small(Recorder):
        month_bytes = 128 * 1000  # a month of 1,000 region-months

    recorder = Small.__new__(Small)
    assert forked.possible(recorder, 1000) == sys.platform.startswith("linux")
    assert not forked.possible(recorder, 999)  # more than SHARED_BYTES a region-month
    assert not forked.possible(object(), 1000)  # a recorder that cannot share its arrays
    for name in ("jax", "ray"):
        monkeypatch.setitem(sys.modules, name, sys)
        assert not forked.possible(recorder, 1000)
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setenv("IMSIM_BLOCKS", "threads")
    assert not forked.possible(recorder, 1000)
    monkeypatch.setenv("IMSIM_BLOCKS", "fork")
    with pytest.raises(ConfigError, match="IMSIM_BLOCKS.*'fork'.*processes, threads"):
        forked.possible(recorder, 1000)


def test_a_bad_thread_count_is_one_line_naming_it(monkeypatch):
    from imsim.config.errors import ConfigError
    from imsim.engines import batched

    for bad in ("two", "0", "-1", "1.5"):
        monkeypatch.setenv("IMSIM_THREADS", bad)
        with pytest.raises(ConfigError, match=f"IMSIM_THREADS.*'{bad}'.*whole number"):
            batched.cores()
    monkeypatch.setenv("IMSIM_THREADS", "1")
    assert batched.cores() == 1 and batched.blocks(2048) == [slice(0, 2048)]
    # a batch past MAX_BLOCK is cut for the caches even on one thread
    assert batched.blocks(4096) == [slice(0, 2048), slice(2048, 4096)]
    assert max(b.stop - b.start for b in batched.blocks(100_000, 2)) <= batched.MAX_BLOCK


def test_freed_arrays_stay_in_the_heap():
    """After the batched engine tunes malloc, a month's freed arrays serve the next
    month's: 20 rounds of eight 2 MiB arrays fault in about one round's pages, where
    glibc's defaults trim the heap after each round and fault all 20 in (about 81,000
    faults here; glibc only)."""
    import resource

    from imsim.engines import heap

    if not heap.keep_freed_arrays():
        pytest.skip("malloc is not glibc's here, or IMSIM_HEAP=system")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(20):
        month = [np.ones(2**18) for _ in range(8)]  # 16 MiB live, then all freed
        del month
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    assert faults < 20 * 8 * 512 / 4  # a round is 4,096 pages of 4 KiB


def test_a_bad_heap_choice_is_one_line_naming_it(monkeypatch):
    from imsim.config.errors import ConfigError
    from imsim.engines import heap

    monkeypatch.setenv("IMSIM_HEAP", "jemalloc")
    heap.keep_freed_arrays.cache_clear()
    try:
        with pytest.raises(ConfigError, match="IMSIM_HEAP.*'jemalloc'.*keep, system"):
            heap.keep_freed_arrays()
        monkeypatch.setenv("IMSIM_HEAP", "system")
        assert heap.keep_freed_arrays() is False
    finally:
        heap.keep_freed_arrays.cache_clear()


def test_blocks_hand_the_interpreter_lock_on_quickly_and_restore_the_interval():
    import sys

    from imsim.engines import batched

    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError, match="inside"):
        with batched.quick_handoffs():
            assert sys.getswitchinterval() == pytest.approx(batched.HANDOFF)
            raise RuntimeError("an error inside the blocks")
    assert sys.getswitchinterval() == before
    # two runs overlapping (in two threads of a server, say): the first to end leaves the
    # interval short for the other, the last restores it
    first, second = batched.quick_handoffs(), batched.quick_handoffs()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert sys.getswitchinterval() == pytest.approx(batched.HANDOFF)
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == before
