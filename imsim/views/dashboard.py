"""The trainers' dashboard: a Solara app on the Mesa engine.

    imsim-dashboard [--host 127.0.0.1] [--port 8765]

Pick a scenario and how integrated the mission is, then play, pause or step
month by month; inject events (a ceasefire collapse, a peace agreement,
elections, a raised security phase, moving the HC into or out of the
mission) and watch neutrality, access, displacement and the phases respond,
with the story told in plain words in the log.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket
import sys

import matplotlib.pyplot as plt
import numpy as np
import solara
import solara.lab
import yaml
from matplotlib.figure import Figure

from ..config.errors import ConfigError
from ..config.files import add_user_folders, group_options, group_values, option_file
from ..console import OneLineParser, fail
from ..core.options import Escorts, HcLocation, Qips
from ..engines.mesa.live import EVENTS, Live
from ..results.summary import NATIONAL
from . import plot
from .palette import PURPLE, phase_cmap

SCENARIOS = group_options("scenario")
# Each setting starts as the scenario sets it: a widget overrides it only when changed.
AS_SCENARIO = "as in the scenario"


def preset_title(preset: str) -> str:
    """An integration preset as a person reads it: where it puts the HC and OCHA."""
    where = group_values("integration", preset).get("integration.hc_location")
    return HcLocation.parse(where).title if where else preset.replace("_", " ")


# Each widget's options as a page shows them (title) and as the config takes them (value).
INTEGRATION = {AS_SCENARIO: AS_SCENARIO} | {
    preset_title(p): p for p in group_options("integration")
}
ESCORTS = {AS_SCENARIO: AS_SCENARIO} | {o.title: o.label for o in Escorts}
QIPS = {AS_SCENARIO: AS_SCENARIO} | {o.title: o.label for o in Qips}
PLAY_EVERY = 0.4  # seconds between months while playing


def live_figure(live: Live) -> Figure:
    """Neutrality and access per actor, people displaced, and the phase map, so far.

    Drawn from one copy of the months so far, so a month the player thread adds while
    the figure is drawn cannot give its curves different lengths."""
    frames = live.frames()
    month = len(frames) - 1
    fig = Figure(figsize=(10, 6.2), dpi=90)
    with plt.rc_context(plot.STYLE):
        axes = fig.subplots(2, 2)
        months = np.arange(month + 1)
        for ax, name in zip(axes[0], ("neutrality", "access"), strict=True):
            # (month, actor): national, population-weighted over regions
            values = NATIONAL["mean"](live.series(name, frames), live.model.population)
            for i, actor in enumerate(live.actors):
                ax.plot(
                    months, values[:, i], color=plot.actor_colour(actor, i), lw=1.4, label=actor
                )
            ax.set(
                title=f"perceived {name}" if name == "neutrality" else name,
                ylim=(0, 1),
                xlim=(0, max(12, month)),
            )
        axes[0][0].legend(fontsize=6, ncol=2, loc="lower left")
        displaced = live.series("displaced", frames).sum(axis=-1)
        axes[1][0].fill_between(months, displaced, color=PURPLE, alpha=0.5, lw=0)
        axes[1][0].set(title="people displaced", xlabel="month", xlim=(0, max(12, month)))
        phase = live.series("phase", frames).T  # (region, month)
        axes[1][1].imshow(
            phase,
            aspect="auto",
            cmap=phase_cmap(),
            vmin=-0.5,
            vmax=2.5,
            interpolation="nearest",
        )
        axes[1][1].set(
            title="phase by region (red conflict, green consolidation)",
            xlabel="month",
            ylabel="region",
        )
        axes[1][1].grid(False)
        fig.suptitle(f"{live.cfg.scenario_name} — month {month}", fontsize=11)
        fig.tight_layout()
    return fig


@solara.component
def Page() -> None:
    scenario = solara.use_reactive("drc_relapse")
    integration = solara.use_reactive(AS_SCENARIO)
    escorts = solara.use_reactive(AS_SCENARIO)
    qips = solara.use_reactive(AS_SCENARIO)
    restarts = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    version = solara.use_reactive(0)
    settings = (scenario.value, integration.value, escorts.value, qips.value, restarts.value)
    live = solara.use_memo(
        lambda: Live(
            scenario.value,
            tuple(
                f"{key}={options[widget.value]}"
                for key, widget, options in (
                    ("integration", integration, INTEGRATION),
                    ("force.escorts", escorts, ESCORTS),
                    ("force.qips", qips, QIPS),
                )
                if widget.value != AS_SCENARIO
            ),
        ),
        dependencies=list(settings),
    )

    def advance() -> None:
        live.step()
        version.value += 1

    async def play() -> None:
        # On the server's event loop, not a thread: a month stepped there re-renders the
        # page as surely as a click does (updates from a thread were sometimes never sent
        # under Python 3.12). A pause or reset cancels the task at its next wait.
        while playing.value and not live.done:
            await asyncio.sleep(PLAY_EVERY)
            if not playing.value:
                return
            advance()
        playing.value = False

    solara.lab.use_task(play, dependencies=[playing.value, live], prefer_threaded=False)

    def inject(label: str) -> None:
        live.inject(label)
        version.value += 1

    solara.Title("imsim dashboard")
    # the integration choices wrap within the controls' column (a 1024-px screen)
    solara.Style(".imsim-choices { flex-wrap: wrap; height: auto !important; }")
    solara.Markdown("## imsim — an integrated mission, month by month")
    with solara.Columns([1.3, 3]):
        with solara.Column():
            Controls(
                scenario,
                integration,
                escorts,
                qips,
                playing,
                restarts,
                advance,
                live.month,
                live.model.months,
            )
            solara.Markdown("**Inject an event** (next month)")
            for label in EVENTS:
                solara.Button(
                    label,
                    on_click=lambda label=label: inject(label),
                    outlined=True,
                    style={"margin": "2px", "text-transform": "none"},
                )
        with solara.Column():
            solara.FigureMatplotlib(
                live_figure(live), dependencies=[live, version.value], format="png"
            )
            with solara.Card("What happened", classes=["imsim-log"]):
                for line in reversed(live.log[-30:]):
                    solara.Text(line, style={"display": "block", "font-size": "13px"})


@solara.component
def Controls(
    scenario, integration, escorts, qips, playing, restarts, advance, month: int, months: int
) -> None:
    """Scenario and integration settings (changing one restarts the run), and the clock."""
    solara.Select("scenario", values=SCENARIOS, value=scenario)
    # what a trainer should see in it (the scenario's own description)
    solara.Text(scenario_story(scenario.value), style={"display": "block", "font-size": "13px"})
    solara.Markdown("**Integration** (where the HC and OCHA sit)")
    with solara.ToggleButtonsSingle(value=integration, dense=True, classes=["imsim-choices"]):
        for title in INTEGRATION:
            solara.Button(title, value=title, style={"text-transform": "none"})
    solara.Select("Force escorts", values=list(ESCORTS), value=escorts)
    solara.Select("quick-impact projects", values=list(QIPS), value=qips)
    with solara.Row():
        solara.Button(
            "Pause" if playing.value else "Play",
            icon_name="mdi-play-pause",
            on_click=lambda: playing.set(not playing.value),
            color="primary",
        )
        solara.Button(
            "Step", icon_name="mdi-step-forward", on_click=advance, disabled=playing.value
        )
        solara.Button(
            "Reset",
            icon_name="mdi-restart",
            on_click=lambda: (playing.set(False), restarts.set(restarts.value + 1)),
        )
    solara.Markdown(f"**Month {month}** of {months}")


def scenario_story(name: str) -> str:
    """The scenario's description, in one paragraph."""
    text = yaml.safe_load(option_file("scenario", name).read_text())
    return " ".join(str(text.get("description", "")).split())


def check_address(host: str, port: int) -> None:
    """The host resolves and the port is free; ConfigError naming which is not."""
    if not 1 <= port <= 65535:
        raise ConfigError("--port", port, "an integer in [1, 65535]")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError):
        raise ConfigError("--host", host, "a host name or address of this machine") from None
    with socket.socket(family, kind, proto) as probe:
        try:
            probe.bind(address)
        except PermissionError:
            raise ConfigError("--port", port, "a port you may open (1024 and above)") from None
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError("--port", port, "a free port (this one is in use)") from None
            raise ConfigError(
                "--host", host, f"an address of this machine ({exc.strerror})"
            ) from None


def main(argv: list[str] | None = None) -> None:
    """Console entry point: serve the dashboard with Solara."""
    ap = OneLineParser(prog="imsim-dashboard", description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument(
        "--config-dir",
        action="append",
        default=[],
        help="a folder of one's own scenarios and presets (repeatable; or $IMSIM_CONFIG_PATH)",
    )
    args = ap.parse_args(argv)
    try:
        add_user_folders(args.config_dir, "--config-dir")
        group_options("scenario")  # one's own folders checked before the server starts
        check_address(args.host, args.port)
    except ConfigError as exc:
        fail("imsim-dashboard", f"error: {exc}", 2)
    command = [
        sys.executable,
        "-m",
        "solara",
        "run",
        "imsim.views.dashboard",
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--production",
        "--no-open",
    ]
    os.execv(sys.executable, command)


if __name__ == "__main__":
    main()
