"""One palette for every figure: the plots, the dashboard, the classroom's wall and the
animation, safe for colour-blind eyes (Okabe & Ito 2008, "Color Universal Design").

Phases keep one colour everywhere (conflict vermilion, transition orange, consolidation
bluish green); OCHA, UNHCR and the mission keep theirs; lines beyond the colours, and lines
that may coincide, differ by dash pattern as well, so one drawn over another stays visible.
"""

from __future__ import annotations

from typing import Any

from matplotlib.colors import LinearSegmentedColormap, ListedColormap

BLUE, ORANGE, GREEN, VERMILION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
PURPLE, SKY, YELLOW, BLACK, GREY = "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#777777"

# series in order: settings compared, sweep lines, classroom branches
SERIES = (BLUE, VERMILION, GREEN, PURPLE, ORANGE, SKY, BLACK)
DASHES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)))
# index = the phase's code (core.options.Phase)
PHASE_COLOURS = (VERMILION, ORANGE, GREEN)
ACTOR_COLOURS = {"ocha": BLUE, "unhcr": GREEN, "mission": GREY}
NGO_COLOURS = (VERMILION, ORANGE, PURPLE, SKY, BLACK, YELLOW)
# the integration bundles and structures, wherever a figure compares them
SETTING_COLOURS = {"two_feet_in": VERMILION, "one_foot_in": ORANGE, "two_feet_out": BLUE}
BAND_ALPHA = 0.15


def series_style(i: int) -> dict[str, Any]:
    """The ``i``-th line of a figure: colour and dash pattern both change, so lines
    that coincide stay told apart."""
    return {"color": SERIES[i % len(SERIES)], "linestyle": DASHES[i % len(DASHES)]}


def actor_style(actor: str, i: int) -> dict[str, Any]:
    """An actor's line: OCHA, UNHCR and the mission solid in their own colours, NGOs in
    the rest with a dash pattern each (the ``i``-th actor of the run)."""
    if actor in ACTOR_COLOURS:
        return {"color": ACTOR_COLOURS[actor], "linestyle": "-"}
    return {"color": NGO_COLOURS[i % len(NGO_COLOURS)], "linestyle": DASHES[1 + i % 4]}


def actor_colour(actor: str, i: int) -> str:
    return actor_style(actor, i)["color"]


def setting_colour(setting: str, i: int) -> str:
    """A setting's colour: the integration bundles' own, else the ``i``-th series'."""
    return SETTING_COLOURS.get(setting, SERIES[i % len(SERIES)])


def phase_cmap(discrete: bool = True) -> ListedColormap | LinearSegmentedColormap:
    """Phases as colours: three steps, or a blend for means over replicates."""
    if discrete:
        return ListedColormap(PHASE_COLOURS, name="phases")
    # an odd number of steps puts each phase's own colour on its code exactly, over the
    # limits (0, 2) (the map's and the mean phase timeline's)
    return LinearSegmentedColormap.from_list("phases", PHASE_COLOURS, N=255)
