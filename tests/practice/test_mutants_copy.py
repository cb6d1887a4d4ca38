"""make mutants copies the whole project: a folder left out of its copy stops the run at its first import."""

import subprocess
import tomllib

from practice.settings import BASE_DIR


def top_level_names(paths):
    return {path.strip("/").split("/")[0] for path in paths}


def test_every_tracked_top_level_file_and_folder_is_copied_for_mutmut():
    listed = subprocess.run(
        ["git", "ls-files"], cwd=BASE_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    tracked = top_level_names(listed)
    assert {"intake", "booking", "tests", "manage.py"} <= tracked
    config = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"]["mutmut"]
    copied = top_level_names(config["source_paths"] + config["also_copy"]) | {"tests"}
    assert tracked - copied == set()
