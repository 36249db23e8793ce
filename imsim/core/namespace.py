"""The array namespace every rule is written against: numpy, or jax.numpy when asked.

The rules call ``xp.<function>`` (``xp.where``, ``xp.clip``, ...) instead of numpy's own,
so one code path serves two backends. ``xp`` is numpy's namespace by default, bound as a
module so a call costs what ``np.<function>`` costs. The JAX engine traces the rules with
jax.numpy bound in its place (``using``), once per shape; what the rules need that one
backend lacks is a shim below, named the same in both:

- ``errstate``: numpy's warning control, a no-op under JAX (which never warns);
- ``while_loop(cond, body, init)``: a Python loop under numpy, ``jax.lax.while_loop``
  under JAX, so a loop whose length depends on the data (the Poisson search) needs no
  data-dependent shapes.

While JAX traces, ``xp`` is jax.numpy for every thread of the process; the engine traces
under a lock, and a numpy run in another thread meanwhile would get JAX arrays (equal
numbers, so never a silent wrong result; in-place writes fail loudly).
"""

from __future__ import annotations

import contextlib
import threading
import types
from collections.abc import Callable, Iterator
from typing import Any

import numpy

xp = types.ModuleType("imsim.core.namespace.xp", "The array namespace the rules call.")
_lock = threading.RLock()


def _python_while[T](cond: Callable[[T], Any], body: Callable[[T], T], init: T) -> T:
    """``jax.lax.while_loop``'s contract, as a Python loop."""
    value = init
    while cond(value):
        value = body(value)
    return value


def _bind(module: types.ModuleType, shims: dict[str, Any]) -> None:
    """Every name of ``module`` and the shims, replaced in place: a name the rules call is
    never missing, even for a moment (another thread may be running the numpy rules)."""
    names = {**vars(module), **shims, "__name__": "imsim.core.namespace.xp"}
    xp.__dict__.update(names)
    for stale in set(xp.__dict__) - set(names):
        xp.__dict__.pop(stale, None)


def _numpy_shims() -> dict[str, Any]:
    return {"while_loop": _python_while}


def _jax_shims() -> dict[str, Any]:
    import jax

    return {"errstate": lambda **_: contextlib.nullcontext(), "while_loop": jax.lax.while_loop}


_bind(numpy, _numpy_shims())


def backend() -> str:
    """The name of the namespace the rules call now: ``numpy`` or ``jax.numpy``."""
    return "numpy" if xp.where is numpy.where else "jax.numpy"


@contextlib.contextmanager
def using_jax() -> Iterator[None]:
    """Bind jax.numpy as the rules' namespace while the block runs (the JAX engine traces
    the rules inside it), and numpy again after, whatever happens in the block."""
    import jax.numpy as jnp

    with _lock:
        if backend() != "numpy":  # already inside: the outer block rebinds numpy
            yield
            return
        _bind(jnp, _jax_shims())
        try:
            yield
        finally:
            _bind(numpy, _numpy_shims())
