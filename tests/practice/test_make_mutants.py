"""make mutants prepares a copy of the project that its tests can run in."""

import os
import shlex
import subprocess
import sys
import tomllib
from itertools import takewhile

from django.conf import settings

from practice.settings import BASE_DIR


def top_level_names(paths):
    return {path.strip("/").split("/")[0] for path in paths}


def test_every_tracked_top_level_file_and_folder_is_copied_for_mutmut():
    """A folder left out of the copy stops the run at its first import (booking/ once did)."""
    listed = subprocess.run(
        ["git", "ls-files"], cwd=BASE_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    tracked = top_level_names(listed)
    assert {"intake", "booking", "tests", "manage.py"} <= tracked
    config = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"]["mutmut"]
    copied = top_level_names(config["source_paths"] + config["also_copy"]) | {"tests"}
    assert tracked - copied == set()


def collectstatic_environment():
    """The variables make mutants sets on its collectstatic line, read from what make would run."""
    recipe = subprocess.run(
        ["make", "--dry-run", "--always-make", "mutants"], cwd=BASE_DIR, capture_output=True, text=True
    ).stdout
    line = next(line for line in recipe.splitlines() if "manage.py collectstatic" in line)
    assignments = takewhile(lambda word: "=" in word, shlex.split(line))
    return dict(word.split("=", 1) for word in assignments)


def test_static_files_are_collected_with_the_storage_the_tests_read():
    """Collected with debug on, there is no manifest, and every test that draws a page fails under mutmut."""
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/"),
        **collectstatic_environment(),
    }
    storage = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.STORAGES['staticfiles']['BACKEND'])",
        ],
        cwd=BASE_DIR,
        env=environment | {"DJANGO_SETTINGS_MODULE": "practice.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert storage == settings.STORAGES["staticfiles"]["BACKEND"]
    assert "Manifest" in storage
