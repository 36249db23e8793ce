"""A calibration's folder is a store with integrity: a damaged database is refused in one
line and never reported from, a second calibration is kept out of a folder one is writing
(before anything is written), and a killed calibration resumes to the same files."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pandas as pd
import pytest
from test_calibration import abc_cfg, small_targets
from test_calibration_launched import abc_args

from imsim.calibration.run import calibrate
from imsim.calibration.store import MANIFEST, locked
from imsim.results.storage import ResultsError


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    """A finished two-generation calibration, and its posterior."""
    root = tmp_path_factory.mktemp("store")
    targets = small_targets(root)
    post = calibrate(abc_cfg(targets), root / "run", progress=False)
    return targets, root / "run", post


def copy_of(folder, tmp_path):
    import shutil

    return shutil.copytree(folder, tmp_path / "copy")


def sql(db, statement):
    with sqlite3.connect(db) as con:
        con.execute(statement)


def damage_truncated(db):
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 3])


def damage_emptied(db):
    db.write_bytes(b"")


def damage_not_sqlite(db):
    db.write_text("a calibration, honestly")


def damage_bit_flip(db):
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0xFF
    db.write_bytes(bytes(data))


def damage_parameters(db):
    sql(db, "UPDATE parameters SET value = value * 1.5")


def damage_last_population(db):
    sql(db, "DELETE FROM populations WHERE t = (SELECT MAX(t) FROM populations)")


@pytest.mark.parametrize(
    "damage",
    [
        damage_truncated,
        damage_emptied,
        damage_not_sqlite,
        damage_parameters,
        damage_last_population,
    ],
)
def test_a_damaged_database_is_refused_in_one_line_never_reported(done, tmp_path, damage):
    targets, folder, _ = done
    out = copy_of(folder, tmp_path)
    damage(out / "calibration.db")
    with pytest.raises(ResultsError) as err:
        calibrate(abc_cfg(targets), out, progress=False)
    message = str(err.value)
    assert "calibration.db" in message and "\n" not in message


def test_a_flipped_byte_is_refused_or_harmless(done, tmp_path):
    """A byte flipped where SQLite keeps free space changes nothing that is read: then the
    posterior is the undamaged one; anywhere else the store is refused."""
    targets, folder, post = done
    out = copy_of(folder, tmp_path)
    damage_bit_flip(out / "calibration.db")
    try:
        again = calibrate(abc_cfg(targets), out, progress=False)
    except ResultsError as err:
        assert "\n" not in str(err)
    else:
        pd.testing.assert_frame_equal(again, post)


def test_a_generation_committed_after_the_manifest_is_added_not_refused(done, tmp_path):
    """Killed between the database's commit and the manifest's write: the committed
    generation is checked in and the posterior is the same."""
    targets, folder, post = done
    out = copy_of(folder, tmp_path)
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["generations"] = manifest["generations"][:1]
    (out / MANIFEST).write_text(json.dumps(manifest))
    again = calibrate(abc_cfg(targets), out, progress=False)
    pd.testing.assert_frame_equal(again, post)
    assert len(json.loads((out / MANIFEST).read_text())["generations"]) == 2


def test_a_second_calibration_is_refused_while_one_writes_the_folder(done, tmp_path):
    targets, folder, _ = done
    out = copy_of(folder, tmp_path)
    with locked(out):
        with pytest.raises(ResultsError, match="another calibration is writing"):
            calibrate(abc_cfg(targets), out, progress=False)


def cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "imsim.cli", *args], cwd=cwd, capture_output=True, text=True
    )


def test_the_command_refuses_a_busy_folder_before_writing_anything(tmp_path):
    targets = small_targets(tmp_path)
    out = tmp_path / "run"
    with locked(out):
        before = sorted(p.name for p in out.iterdir())
        proc = cli(*abc_args(targets), f"hydra.run.dir={out}", cwd=tmp_path)
        assert sorted(p.name for p in out.iterdir()) == before  # no .hydra, no abc.yaml
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("imsim: error: hydra.run.dir")


def test_a_folder_holding_another_calibration_is_refused_and_left_as_it_was(tmp_path):
    """The refused command once rewrote the other calibration's .hydra/ files."""
    from imsim.calibration.run import SETTINGS

    targets = small_targets(tmp_path)
    out = tmp_path / "run"
    (out / ".hydra").mkdir(parents=True)
    (out / SETTINGS).write_text("another calibration's settings\n")
    (out / ".hydra" / "overrides.yaml").write_text("- another=calibration\n")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    proc = cli(*abc_args(targets), f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("imsim: error: abc:") and "another hydra.run.dir" in proc.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_killed_then_resumed_gives_the_files_of_an_uninterrupted_run(tmp_path):
    targets = small_targets(tmp_path)
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    args = [*abc_args(targets), "abc.generations=3"]
    assert cli(*args, f"hydra.run.dir={whole}", cwd=tmp_path).returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "imsim.cli", *args, f"hydra.run.dir={cut}"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        manifest = cut / MANIFEST
        if manifest.exists() and len(json.loads(manifest.read_text())["generations"]) >= 1:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (cut / "posterior.csv").exists()
    assert cli(*args, f"hydra.run.dir={cut}", cwd=tmp_path).returncode == 0
    for name in ("posterior.csv", "generations.csv", "ppc.csv", "coefficients.yaml"):
        assert (cut / name).read_bytes() == (whole / name).read_bytes(), name


def test_ctrl_c_is_one_line_and_exit_130(tmp_path):
    targets = small_targets(tmp_path)
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "imsim.cli", *abc_args(targets), "abc.generations=3",
         f"hydra.run.dir={out}"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not (out / "calibration.db").exists():
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130
    lines = [line for line in stderr.splitlines() if line.strip() and "%|" not in line]
    assert len(lines) == 1 and "interrupted" in lines[0] and "resumes" in lines[0], lines
