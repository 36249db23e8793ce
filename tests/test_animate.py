"""imsim-animate writes a GIF with a frame per month; bad input is one line, exit 2."""

from __future__ import annotations

import subprocess
import sys

from PIL import Image


def animate(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "imsim.views.animate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
    )


def test_gif_has_a_frame_per_month_and_the_regions_change_colour(tmp_path):
    proc = animate(
        "scenario=drc_relapse",
        "run.months=24",
        "run.replicates=2",
        "world.regions=8",
        "--out",
        "slides/drc.gif",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    gif = Image.open(tmp_path / "slides" / "drc.gif")
    assert gif.n_frames == 25
    first = gif.convert("RGB").tobytes()
    gif.seek(24)
    assert gif.convert("RGB").tobytes() != first


def test_default_path_and_every_nth_month(tmp_path):
    proc = animate(
        "run.months=12", "run.replicates=1", "world.regions=4", "--every", "3", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert Image.open(tmp_path / "results/animations/baseline.gif").n_frames == 5


def test_bad_input_is_one_line_exit_2_nothing_written(tmp_path):
    (tmp_path / "folder").mkdir()
    cases = [
        (["scenario=nowhere"], "scenario"),
        (["--fps", "0"], "--fps"),
        (["--fps", "1000000"], "--fps"),
        (["--every", "1000"], "--every"),
        (["--every", "0"], "--every"),
        (["--out", "folder"], "--out"),
        (["--out", "still.png"], "--out"),
        (["force.escorts=always"], "force.escorts"),
        (["--bogus"], "--bogus"),
    ]
    for args, key in cases:
        proc = animate(*args, cwd=tmp_path)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and len(lines) == 1 and key in lines[0], proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]
    assert not any((tmp_path / "folder").iterdir())
