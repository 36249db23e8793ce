"""The JAX engine: the batched engine's rules, traced once and run by XLA.

The rules are the same functions the numpy engine calls (``core.step``), traced with
jax.numpy as their namespace (``core.namespace``). The months run under ``jax.lax.scan``
with the timeline and the random streams on the device, and a month returns only what the
recorder keeps; month 0 settles under ``jax.lax.while_loop``, each point stopping on its
own as in ``compile.initial.settle_points``. Numbers equal the numpy engine's to
rounding (tests/test_jax_engine.py), in float64, on a CPU or, where JAX sees one, a GPU.

Needs ``imsim[jax]``. Importing this module turns on JAX's 64-bit mode for the process.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import types
from collections.abc import Callable

import numpy as np

from ..extras import require

require("jax", "the JAX engine")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

from ..compile.initial import (  # noqa: E402
    SETTLE_MONTHS,
    SETTLED,
    movement,
    settling_month,
    without_flows,  # noqa: E402
)
from ..compile.timeline import Timeline  # noqa: E402
from ..core.decisions import Decisions, _group_types  # noqa: E402
from ..core.namespace import using_jax  # noqa: E402
from ..core.params import CoefficientArrays, Params  # noqa: E402
from ..core.state import State  # noqa: E402
from ..core.step import Noise, draw_noise, step  # noqa: E402
from .recorder import Recorder  # noqa: E402

jax.config.update("jax_enable_x64", True)


class _KnownBackendsOnly(logging.Filter):
    """Drops JAX's notes that the TPU and proxy backends it tries are absent (on every
    machine without them); its other warnings, a GPU it cannot use among them, stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Unable to initialize backend")


logging.getLogger("jax._src.xla_bridge").addFilter(_KnownBackendsOnly())

# Months per compiled scan when a caller follows the months (a progress bar): the bar
# moves a year at a time, and a run compiles at most two scans (a year and the rest).
MONTHS_PER_CALL = 12


def _register(cls: type) -> None:
    names = [f.name for f in dataclasses.fields(cls)]
    jax.tree_util.register_dataclass(cls, data_fields=names, meta_fields=[])


for _cls in (State, Params, CoefficientArrays, Noise, Decisions, *_group_types().values()):
    _register(_cls)


def device() -> str:
    """Where the JAX engine runs: the platform and kind of JAX's first device."""
    first = jax.devices()[0]
    return f"{first.platform} ({first.device_kind})"


# -- month 0 ---------------------------------------------------------------------------


@jax.jit
def _settle(s: State, p: Params) -> State:
    def going(carry: tuple) -> jax.Array:
        _, done, n = carry
        return (n < SETTLE_MONTHS) & ~jnp.all(done)

    def month(carry: tuple) -> tuple:
        s, done, n = carry
        new = settling_month(s, p)
        # a point that has stopped keeps its state; one that stops now keeps this month's
        kept = jax.tree_util.tree_map(lambda a, b: jnp.where(_along(done, a), a, b), s, new)
        return kept, done | (movement(s, new) < SETTLED), n + 1

    done = jnp.zeros(s.neutrality.shape[0], bool)
    s, _, _ = jax.lax.while_loop(going, month, (s, done, 0))
    return without_flows(s)


def _along(mask: jax.Array, a: jax.Array) -> jax.Array:
    """A (B,) mask shaped to broadcast over ``a``'s trailing axes."""
    return mask.reshape(mask.shape + (1,) * (a.ndim - 1))


def settle_points(s: State, p: Params) -> State:
    """``compile.initial.settle_points`` on the device: every point of the batch repeats
    month 0 until its own fast variables stand still, in one ``while_loop``."""
    with using_jax():
        settled = _settle(_to_device(s), _to_device(p))
    return jax.tree_util.tree_map(np.asarray, settled)


# -- the months ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Layout:
    """How the timeline's fields travel: for each leaf of Params, whether it changes over
    the months (scanned) or not (passed once), and its shape in one month."""

    treedef: object
    varying: tuple[bool, ...]
    shapes: tuple[tuple[int, ...], ...]


def _compact(a: np.ndarray) -> np.ndarray:
    """A broadcast view (stride 0) cut back to the one row it repeats, on every axis."""
    key = tuple(slice(0, 1) if stride == 0 else slice(None) for stride in a.strides)
    return a[key]


def _split(params: Params) -> tuple[_Layout, list[np.ndarray], list[np.ndarray]]:
    """The timeline's leaves split into those constant over the months (one month each)
    and those that vary (every month), each without its broadcast repeats."""
    leaves, treedef = jax.tree_util.tree_flatten(params)
    varying, shapes, constant, scanned = [], [], [], []
    for leaf in leaves:
        small = _compact(np.asarray(leaf))
        moves = small.shape[0] > 1 and not (small == small[:1]).all()
        varying.append(bool(moves))
        shapes.append(tuple(leaf.shape[1:]))
        (scanned if moves else constant).append(small if moves else small[0])
    return _Layout(treedef, tuple(varying), tuple(shapes)), constant, scanned


def _month_params(layout: _Layout, constant: list, scanned: list) -> Params:
    ci, si = iter(constant), iter(scanned)
    leaves = [
        jnp.broadcast_to(next(si) if moves else next(ci), shape)
        for moves, shape in zip(layout.varying, layout.shapes, strict=True)
    ]
    return jax.tree_util.tree_unflatten(layout.treedef, leaves)


@functools.partial(jax.jit, static_argnames=("layout", "kept"))
def _months(
    s: State,
    constant: list,
    scanned: list,
    months: jax.Array,
    keys: jax.Array,
    layout: _Layout,
    kept: tuple[str, ...],
) -> tuple[State, dict[str, jax.Array]]:
    H, R = s.neutrality.shape[1:]

    def month(s: State, x: tuple) -> tuple[State, dict[str, jax.Array]]:
        m, rows = x
        s = step(s, _month_params(layout, constant, rows), draw_noise(keys, m, H, R))
        return s, {v: getattr(s, v) for v in kept}

    return jax.lax.scan(month, s, (months, scanned))


def run(
    timeline: Timeline,
    state: State,
    keys: np.ndarray,
    on_month: Callable[[int], None] | None = None,
    recorder: Recorder | None = None,
    start: int = 0,
    stop: int | None = None,
) -> Recorder:
    """``engines.batched.run`` on JAX: the same arguments, the same recorded numbers.

    The recorder's ``needs`` (the state variables it reads) are all that leave the device.
    """
    stop = timeline.months if stop is None else stop
    recorder = recorder or Recorder(state, stop - start)
    needs = getattr(recorder, "needs", None)  # None: a recorder that reads every variable
    kept = tuple(f.name for f in dataclasses.fields(State)) if needs is None else tuple(needs)
    layout, constant, scanned = _split(timeline.params)
    constant = [jnp.asarray(a) for a in constant]
    s, device_keys = _to_device(state), jnp.asarray(keys)
    step_months = (stop - start) if on_month is None else MONTHS_PER_CALL
    for first in range(start + 1, stop + 1, max(step_months, 1)):
        last = min(first + step_months - 1, stop)
        rows = [jnp.asarray(a[first : last + 1]) for a in scanned]
        with using_jax():
            s, out = _months(
                s, constant, rows, jnp.arange(first, last + 1), device_keys, layout, kept
            )
        out = {v: np.asarray(a) for v, a in out.items()}
        for i, month in enumerate(range(first, last + 1)):
            recorder.record(
                month - start, types.SimpleNamespace(**{v: a[i] for v, a in out.items()})
            )
            if on_month is not None:
                on_month(month)
    jax.block_until_ready(s)  # the work is done (and any error raised) before returning
    return recorder


def _to_device(tree: object) -> object:
    return jax.tree_util.tree_map(jnp.asarray, tree)
