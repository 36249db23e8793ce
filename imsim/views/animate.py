"""``imsim-animate``: a GIF of a scenario for slides — the region map and erosion curves.

    imsim-animate scenario=drc_relapse integration=two_feet_in --out drc.gif

Takes the same overrides as ``imsim``; bad input gets the same one-line
error and exit code 2. Each frame is one month: regions coloured by phase
(mean over replicates), and perceived neutrality of each humanitarian actor
and humanitarian space up to that month.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from ..config.errors import ConfigError
from ..console import OneLineParser, fail
from ..results.summary import humanitarians
from . import plot
from .palette import phase_cmap


def animate(ds: xr.Dataset, path: Path, fps: int = 8, every: int = 1, dpi: int = 80) -> Path:
    """Write the animation of a run (from ``imsim.simulate``) to ``path`` as a GIF."""
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter

    from ..compile.world import build_world
    from ..results.storage import atomic_write

    world = build_world(plot.run_config(ds))
    phase = ds.phase.mean("replicate").sel(region=list(world.names)).values  # (month, region)
    actors = humanitarians(ds)
    neutrality = ds.neutrality.sel(actor=actors).mean(["replicate", "region"])
    space = ds.humanitarian_space.mean("replicate").values
    months = ds.month.values
    with plt.rc_context(plot.STYLE):
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), width_ratios=(1, 1.2))
        nodes = plot.draw_regions(left, world, phase[0], phase_cmap(False), (0, 2), size=400)
        lines = []
        for i, actor in enumerate(actors):
            (line,) = right.plot(
                [], [], color=plot.actor_colour(str(actor), i), lw=1.4, label=actor
            )
            lines.append((line, neutrality.sel(actor=actor).values))
        (hs,) = right.plot([], [], color="k", lw=2.2, label="humanitarian space")
        right.set(xlim=(0, months[-1]), ylim=(0, 1), xlabel="month", title="perceived neutrality")
        right.legend(fontsize=7, ncol=2, loc="lower left")
        title = fig.suptitle("")

        def frame(m: int) -> list:
            nodes.set_array(phase[m])
            for line, values in lines:
                line.set_data(months[: m + 1], values[: m + 1])
            hs.set_data(months[: m + 1], space[: m + 1])
            title.set_text(
                f"{ds.attrs.get('scenario', '')}: month {months[m]} "
                "(regions: red conflict, yellow transition, green consolidation)"
            )
            return [nodes, hs, title, *(line for line, _ in lines)]

        fig.tight_layout()
        movie = FuncAnimation(fig, frame, frames=np.arange(0, len(months), every), blit=False)
        atomic_write(path, lambda tmp: movie.save(tmp, writer=PillowWriter(fps=fps), dpi=dpi))
        plt.close(fig)
    return Path(path)


MAX_FPS = 50  # GIF frame times are counted in hundredths of a second


def main(argv: list[str] | None = None) -> None:
    """Console entry point: ``imsim-animate [overrides] [--out PATH] [--fps N] [--every N]``."""
    from ..config.compose import compose
    from ..engines.simulation import run_validated
    from ..preflight import check_folder

    ap = OneLineParser(prog="imsim-animate", description=__doc__.splitlines()[0])
    ap.add_argument("overrides", nargs="*", help="config overrides, as for imsim")
    ap.add_argument("--out", type=Path, help="GIF path (default results/animations/<scenario>.gif)")
    ap.add_argument("--fps", type=int, default=8, help=f"frames per second, 1-{MAX_FPS}")
    ap.add_argument("--every", type=int, default=1, help="show every n-th month")
    args = ap.parse_args(argv)
    try:
        if not 1 <= args.fps <= MAX_FPS:
            raise ConfigError("--fps", args.fps, f"an integer in [1, {MAX_FPS}]")
        cfg = compose(overrides=args.overrides)
        if not 1 <= args.every <= cfg.run.months:
            raise ConfigError("--every", args.every, f"an integer in [1, {cfg.run.months}]")
        out = args.out or Path("results/animations") / f"{cfg.scenario_name}.gif"
        if out.suffix.lower() != ".gif" or out.is_dir():
            raise ConfigError("--out", str(out), "a file path ending in .gif")
        check_folder("--out", str(out.parent))
    except ConfigError as exc:
        fail("imsim-animate", f"error: {exc}", 2)
    try:
        ds = run_validated(cfg)
        print(f"animation: {animate(ds, out, fps=args.fps, every=args.every)}")
    except KeyboardInterrupt:
        fail("imsim-animate", "interrupted; nothing was written", 130)
    except OSError as exc:
        fail("imsim-animate", f"cannot write {out}: {exc.strerror or exc}; nothing was kept", 1)


if __name__ == "__main__":
    main()
