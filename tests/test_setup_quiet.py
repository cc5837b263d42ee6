"""A quiet set-up: packaging metadata that setuptools accepts without warnings; a favicon."""

from __future__ import annotations

import configparser
from pathlib import Path

from setuptools import find_namespace_packages

ROOT = Path(__file__).resolve().parents[1]


def test_every_directory_with_files_is_a_listed_package():
    # setuptools warns once per importable directory that `packages` does not list (the
    # templates, translations, migrations and reference data): 24 warning blocks per install.
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    assert config["options"]["packages"].strip() == "find_namespace:"
    assert config["options"]["package_dir"].split() == ["=."]
    include = config["options.packages.find"]["include"].split()
    listed = set(find_namespace_packages(where=str(ROOT), include=include))
    for top in ("web", "models", "jobs", "matcher"):
        for directory in (ROOT / top).rglob("*"):
            if directory.is_dir() and "__pycache__" not in directory.parts:
                name = ".".join(directory.relative_to(ROOT).parts)
                assert name in listed, name


def test_favicon(client):
    page = client.get("/login")
    assert 'rel="icon" href="/static/favicon.svg"' in page.text
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon.headers["Location"].endswith("/static/favicon.svg")
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
