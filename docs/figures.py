"""Regenerate the README's figures into docs/img (``make figures``)."""

from __future__ import annotations

from pathlib import Path

import imsim
from imsim import plot
from imsim.views.animate import animate

OUT = Path(__file__).resolve().parent / "img"


def main() -> None:
    ds = imsim.simulate(
        imsim.compose(
            "drc_relapse", ["integration=two_feet_in", "run.replicates=16", "run.months=72"]
        )
    )
    plot.save_figure(plot.erosion(ds), OUT / "erosion.png")
    plot.save_figure(plot.phase_timeline(ds), OUT / "phase_timeline.png")
    plot.save_figure(plot.region_map(ds, month=36), OUT / "region_map.png")
    animate(ds, OUT / "drc_relapse.gif", every=2, dpi=70)
    print(f"figures in {OUT}")


if __name__ == "__main__":
    main()
