"""Running manage.py in a fresh process, so settings are read from the environment given."""

import subprocess
import sys

from practice.settings import BASE_DIR


def run_manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_python(env, code):
    """Run code in a fresh `manage.py shell`, so settings are read from env."""
    return run_manage(env, "shell", "--no-imports", "-c", code)
