"""Results files vouch for themselves: ``load_dataset`` reads only what imsim wrote, as it
wrote it, and says in one line what is wrong with anything else."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from helpers import run

import imsim
from imsim.results.storage import ResultsError


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return imsim.save_dataset(run("baseline", replicates=2), tmp_path_factory.mktemp("r") / "r.nc")


def rewritten(path, tmp_path, change) -> object:
    """The file's dataset, changed, written back as any netCDF writer would (attributes,
    the checksum among them, kept)."""
    ds = imsim.load_dataset(path)
    change(ds)
    out = tmp_path / "changed.nc"
    ds.to_netcdf(out, engine="h5netcdf")
    return out


def refused(path, words: str) -> None:
    with pytest.raises(ResultsError) as err:
        imsim.load_dataset(path)
    message = str(err.value)
    assert str(path) in message and words in message and "\n" not in message


def test_a_file_imsim_wrote_reads_back_and_says_what_it_is(written):
    ds = imsim.load_dataset(written)
    assert ds.attrs["imsim_contract"] == 1 and len(ds.attrs["checksum"]) == 64


def test_altered_data_are_found(written, tmp_path):
    def flip(ds):
        ds["violence"].values[0, 1, 0] += 1e-12

    def swap(ds):
        ds["control"].values[...], ds["settlement"].values[...] = (
            ds["settlement"].values.copy(),
            ds["control"].values.copy(),
        )

    for change in (flip, swap):
        refused(rewritten(written, tmp_path, change), "do not match their checksum")
    no_config = rewritten(written, tmp_path, lambda ds: ds.attrs.pop("config"))
    refused(no_config, "without its config")
    # to inspect such a file anyway
    assert "violence" in imsim.load_dataset(no_config, verify=False)


def test_what_imsim_did_not_write_is_one_line(written, tmp_path):
    other = tmp_path / "other.nc"
    xr.Dataset({"x": ("t", np.arange(3.0))}).to_netcdf(other, engine="h5netcdf")
    refused(other, "not a results file imsim wrote")
    truncated = tmp_path / "truncated.nc"
    truncated.write_bytes(written.read_bytes()[:5000])
    refused(truncated, "not a readable netCDF")
    text = tmp_path / "notes.nc"
    text.write_text("not data")
    refused(text, "not a readable netCDF")
    refused(tmp_path, "no such results file")
    refused(tmp_path / "missing.nc", "no such results file")


def test_a_file_breaking_the_contract_is_one_line(written, tmp_path):
    newer = rewritten(written, tmp_path, lambda ds: ds.attrs.update(imsim_contract=99))
    refused(newer, "results contract 99")
    flat = rewritten(
        written, tmp_path, lambda ds: ds.attrs.update(checksum="0" * 64)
    )  # stands for any damage: the checksum is checked after the contract
    refused(flat, "do not match their checksum")


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    """A small merged sweep (trajectories), written by the imsim sweeper."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("sweep")
    args = ["-m", "hydra/sweeper=imsim", f"hydra.sweep.dir={out}", "force.troops=0,5000,10000",
            "run.replicates=2", "run.months=12", "world.regions=6", "hydra.sweeper.chunk_size=2",
            "hydra.sweeper.store=trajectories"]  # fmt: skip
    subprocess.run([sys.executable, "-m", "imsim.cli", *args], check=True, capture_output=True)
    return out / "sweep.nc"


def test_a_merged_sweep_vouches_for_itself(merged, tmp_path):
    ds = imsim.load_dataset(merged)
    assert ds.attrs["imsim_contract"] == 1 and len(ds.attrs["checksum"]) == 64
    assert ds.sizes["point"] == 3

    def flip(ds):
        ds["violence"].values[2, 0, 1, 0] += 1e-12

    refused(rewritten(merged, tmp_path, flip), "do not match their checksum")

    def unlabel(ds):
        del ds["force.troops"]

    refused(rewritten(merged, tmp_path, unlabel), "swept key")
