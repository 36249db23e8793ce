"""Tables of results as a study writes them: CSV (atomically) and Markdown."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .storage import atomic_write


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """``frame`` to ``path`` without its index, numbers to 6 significant digits."""
    return atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False, float_format="%.6g"))


def write_gzip_csv(frame: pd.DataFrame, path: Path) -> Path:
    """``frame`` as gzip-compressed CSV whose bytes depend on its contents only, written
    atomically."""
    import gzip
    import io

    def write(tmp: Path) -> None:
        with (
            open(tmp, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz,
        ):
            with io.TextIOWrapper(gz, encoding="utf-8", newline="") as text:
                frame.to_csv(text, index=False)

    return atomic_write(path, write)


def markdown_table(frame: pd.DataFrame) -> str:
    """``frame`` as a Markdown table, numbers to 4 significant digits."""
    cells = [[f"{v:.4g}" if isinstance(v, float) else str(v) for v in row] for row in frame.values]
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    return "\n".join([head, rule, *("| " + " | ".join(c) + " |" for c in cells)])
