"""The pure-Python packages a bare JAX machine lacks, copied into a folder to carry there.

    .venv/bin/python benchmarks/carry.py [--to .carry]

A lent GPU machine has JAX, numpy and xarray but reaches no package index. This copies
the installed files of the rest of what ``imsim.compose`` and the engines import (Hydra,
OmegaConf, ANTLR's runtime, NetworkX, PyYAML) from this environment into ``--to``
(ignored by git), so the machine runs benchmark (k) from the checkout:

    PYTHONPATH=.carry:. python benchmarks/jax_engine.py --max-batch 262144

(the device tool's ``carry=[".carry"]``). PyYAML's compiled part is copied too and is
skipped, for its pure-Python code, where the machine's Python cannot load it.
"""

from __future__ import annotations

import argparse
import shutil
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# What a bare machine with JAX, numpy and xarray lacks (checked in a fresh environment
# holding only those three).
DISTRIBUTIONS = ("hydra-core", "omegaconf", "antlr4-python3-runtime", "networkx", "PyYAML")


def copy_distribution(name: str, to: Path) -> int:
    """Copy one installed distribution's files (its metadata included); bytes copied."""
    dist = metadata.distribution(name)
    copied = 0
    for file in dist.files or []:
        source = Path(dist.locate_file(file))
        if file.parts[0] in ("..", "bin") or "__pycache__" in file.parts or not source.is_file():
            continue  # scripts and caches stay behind
        target = to / file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied += source.stat().st_size
    return copied


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--to", type=Path, default=ROOT / ".carry")
    args = ap.parse_args()
    shutil.rmtree(args.to, ignore_errors=True)
    args.to.mkdir(parents=True)
    total = sum(copy_distribution(name, args.to) for name in DISTRIBUTIONS)
    print(f"{', '.join(DISTRIBUTIONS)}: {total / 2**20:.1f} MiB in {args.to}")


if __name__ == "__main__":
    main()
