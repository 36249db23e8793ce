"""Every figure of imsim.plot is a Figure that shows the numbers it claims to show."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import run
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.figure import Figure

import imsim
from imsim import plot


@pytest.fixture(scope="module")
def ds():
    return run("drc_relapse", "run.months=30", "world.regions=8", replicates=4)


def test_erosion_plots_national_neutrality_per_actor(ds):
    fig = plot.erosion(ds)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    line = fig.axes[0].lines[0]
    weights = ds.population / ds.population.sum()  # national: population-weighted
    national = (ds.neutrality * weights).sum("region")
    expected = national.sel(actor=ds.actor[0]).mean("replicate")
    np.testing.assert_allclose(line.get_ydata(), expected.values)


def test_phase_timeline_is_the_region_by_month_mean_phase(ds):
    fig = plot.phase_timeline(ds)
    mesh = next(c for c in fig.axes[0].collections if isinstance(c, QuadMesh))
    expected = ds.phase.mean("replicate").transpose("region", "month").values
    np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(expected.shape), expected)
    one = plot.phase_timeline(ds, replicate=2)
    mesh = next(c for c in one.axes[0].collections if isinstance(c, QuadMesh))
    assert set(np.unique(mesh.get_array())) <= {0, 1, 2}


@pytest.mark.parametrize("variable", ["phase", "access", "control"])
def test_region_map_colours_each_region_by_its_value(ds, variable):
    fig = plot.region_map(ds, month=20, variable=variable)
    nodes = next(c for c in fig.axes[0].collections if isinstance(c, PathCollection))
    da = ds[variable].isel(month=20)
    if "actor" in da.dims:
        da = da.drop_sel(actor="mission").mean("actor")
    np.testing.assert_allclose(nodes.get_array(), da.mean("replicate").values)
    assert "month 20" in fig.axes[0].get_title()


def test_sweep_plots_group_means_with_a_line_per_hue_and_a_panel_per_col(tmp_path):
    from sweeping import SMALL, sweep

    sw = sweep(
        tmp_path / "out",
        "force.escorts=never,routine",
        "force.troops=0,12000",
        "integration=two_feet_in,two_feet_out",
        *SMALL,
    )
    fig = plot.sweep(sw, "access", x="force.troops", hue="force.escorts", col="integration")
    assert len(fig.axes) == 2 and all(len(ax.containers) == 2 for ax in fig.axes)
    # the first panel's first line: two_feet_in, never, at each troop level
    # the national (population-weighted) access of humanitarians over months 1..T
    access = sw.access.isel(month=slice(1, None)).drop_sel(actor="mission")
    weights = sw.population / sw.population.sum("region")
    means = (access * weights).sum("region").mean(["month", "actor", "replicate"]).to_series()
    frame = pd.DataFrame(
        {k: sw[k].values for k in ("force.troops", "force.escorts", "integration")}
    )
    frame["value"] = means.values
    rows = frame[(frame["integration"] == "two_feet_in") & (frame["force.escorts"] == "never")]
    y = np.asarray(fig.axes[0].containers[0].lines[0].get_ydata(), dtype=float)
    np.testing.assert_allclose(y, rows.groupby("force.troops")["value"].mean().values)


def test_sensitivity_draws_a_bar_per_index_with_intervals():
    table = pd.DataFrame(
        {
            "output": ["hs"] * 3 + ["access"] * 3,
            "parameter": ["a", "b", "c"] * 2,
            "S1": [0.5, 0.2, 0.0, 0.1, 0.6, 0.1],
            "S1_conf": [0.05] * 6,
            "ST": [0.6, 0.3, 0.05, 0.2, 0.7, 0.1],
            "ST_conf": [0.04] * 6,
        }
    )
    fig = plot.sensitivity(table)
    assert len(fig.axes) == 2
    bars = [p.get_width() for p in fig.axes[0].patches]
    assert bars == [0.5, 0.2, 0.0, 0.6, 0.3, 0.05]


def test_named_regions_sit_where_they_are_and_carry_their_names():
    from imsim.compile.world import build_world

    world = build_world(imsim.compose("drc_relapse"))
    at = plot.region_positions(world)
    # north to south: Ituri, North Kivu, South Kivu; Ituri east of North Kivu
    assert at["ituri"][1] > at["north_kivu"][1] > at["south_kivu"][1]
    assert at["ituri"][0] > at["north_kivu"][0]
    again = plot.region_positions(world)  # the same map every time
    assert all(np.array_equal(at[n], again[n]) for n in world.names)
    short = ["run.months=24", "run.replicates=1"]
    fig = plot.region_map(imsim.simulate(imsim.compose("drc_relapse", short)))
    shown = [t.get_text() for t in fig.axes[0].texts]
    assert {"North Kivu", "South Kivu", "Ituri"} <= set(shown)
    with pytest.raises(imsim.ConfigError, match="world.named.ituri.lon"):
        imsim.compose("drc_relapse", ["world.named.ituri.lon=200"])


def test_every_figure_draws_on_the_axes_given(ds):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3)
    before = plt.get_fignums()
    assert plot.erosion(ds, ax=axes[0]) is fig
    assert plot.compare({"run": ds}, "access", ax=axes[1][0]) is fig
    assert plot.phase_timeline(ds, ax=axes[1][1]) is fig
    assert plot.region_map(ds, ax=axes[1][2]) is fig
    assert plt.get_fignums() == before  # no figure of its own
    assert all(a.lines or a.collections for a in axes.flat)
    with pytest.raises(ValueError, match="ax: 3 matplotlib Axes"):
        plot.erosion(ds, ax=axes[0][0])
    plt.close(fig)


def test_chosen_regions_and_actors_are_weighted_among_themselves(ds):
    chosen = ["ituri", "north_kivu"]
    fig = plot.erosion(ds, regions=chosen, actors=["unhcr"])
    (line,) = fig.axes[1].lines  # access, UNHCR alone
    part = ds.sel(region=chosen)
    weights = part.population / part.population.sum()
    expected = (part.access.sel(actor="unhcr") * weights).sum("region").mean("replicate")
    np.testing.assert_allclose(line.get_ydata(), expected.values)
    assert "ituri, north_kivu" in fig.axes[1].get_title()
    with pytest.raises(ValueError, match="regions: bad value \\['nowhere'\\]; allowed: "):
        plot.erosion(ds, regions=["nowhere"])


def test_bands_are_labelled_and_coinciding_lines_stay_visible(ds):
    fig = plot.compare({"one": ds, "same again": ds}, "access")
    first, second = fig.axes[0].lines
    np.testing.assert_array_equal(first.get_ydata(), second.get_ydata())  # they coincide
    assert first.get_linestyle() != second.get_linestyle()  # and are told apart
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["one", "same again", "10–90% of replicates"]


def test_a_single_replicate_is_drawn_without_bands():
    one = run("drc_relapse", "run.months=12", "world.regions=6", replicates=1)
    fig = plot.erosion(one)
    assert all(not a.collections for a in fig.axes)  # no band: nothing to spread
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "10–90% of replicates" not in labels and len(fig.axes[0].lines) == one.sizes["actor"]


def test_a_sweep_of_trajectories_plots_summary_metrics_as_the_summary_store_does(tmp_path):
    from sweeping import SMALL, sweep

    args = ("force.troops=0,12000", "integration=two_feet_in,two_feet_out", *SMALL)
    kept = sweep(tmp_path / "trajectories", *args, "hydra.sweeper.store=trajectories")
    summary = sweep(tmp_path / "summary", *args, "hydra.sweeper.store=summary")
    for name in ("neutrality_final", "deaths_total", "reached_share_mean"):
        from imsim.results.summary import metric

        np.testing.assert_allclose(metric(kept, name), metric(summary, name), rtol=1e-12)
        assert {"force.troops", "integration", "replicate"} <= set(metric(kept, name).coords)
    fig = plot.sweep(kept, "neutrality_final", x="force.troops", hue="integration")
    assert len(fig.axes[0].containers) == 2


def test_one_colour_blind_safe_palette_for_phases_everywhere(ds):
    from matplotlib.colors import to_hex

    from imsim.classroom import figures
    from imsim.views import palette

    assert [figures.PHASE_COLOURS[p] for p in sorted(figures.PHASE_COLOURS)] == list(
        palette.PHASE_COLOURS
    )
    cmap = palette.phase_cmap()
    assert [to_hex(cmap(i)).upper() for i in range(3)] == list(palette.PHASE_COLOURS)
    mean = plot.phase_timeline(ds)  # the mean over replicates: a blend, codes on their colours
    mesh = next(c for c in mean.axes[0].collections if isinstance(c, QuadMesh))
    assert [to_hex(mesh.cmap(mesh.norm(code))).upper() for code in (0, 1, 2)] == list(
        palette.PHASE_COLOURS
    )
    one = run("drc_relapse", "run.months=12", "world.regions=6", replicates=1)
    fig = plot.region_map(one)
    nodes = next(c for c in fig.axes[0].collections if isinstance(c, PathCollection))
    codes = one.phase.isel(month=-1, replicate=0).values
    faces = [to_hex(c).upper() for c in nodes.to_rgba(nodes.get_array())]
    assert faces == [palette.PHASE_COLOURS[int(p)] for p in codes]


def test_map_labels_never_overlap():
    base = run("baseline", "run.months=6", replicates=1)
    fig = plot.region_map(base)
    ax = fig.axes[0]
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.texts]
    assert len(boxes) >= 10  # most regions keep their label
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]
    assert not overlapping
