"""A package people can cite and install: its licence, citation and contribution files
exist and agree with pyproject.toml and the package's version."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

import imsim

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_the_licence_file_is_the_licence_pyproject_declares():
    assert PROJECT["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "Permission is hereby granted" in text


def test_the_citation_names_this_version_and_licence():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors", "version", "license"} <= set(cff)
    assert str(cff["version"]) == PROJECT["version"] == imsim.__version__
    assert cff["license"] == PROJECT["license"]
    assert cff["authors"] and all("name" in a or "family-names" in a for a in cff["authors"])


def test_contributing_and_changelog_are_there_and_linked_from_readme():
    readme = (ROOT / "README.md").read_text()
    for name in ("LICENSE", "CITATION.cff", "CONTRIBUTING.md", "CHANGELOG.md"):
        assert (ROOT / name).is_file(), name
        assert f"]({name})" in readme, name
    assert "make test" in (ROOT / "CONTRIBUTING.md").read_text()
