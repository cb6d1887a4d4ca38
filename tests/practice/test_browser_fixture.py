"""Without Chromium the browser tests skip with a reason, unless CI says a missing browser is an error."""

import os
import subprocess
import sys

from practice.settings import BASE_DIR

A_BROWSER_TEST = "tests/pages/test_browser_home.py::test_csp_blocks_an_injected_inline_script"


def run_browser_test(**env):
    ignored = {"DATABASE_URL", "BROWSER_TESTS_REQUIRED"}
    environment = {key: value for key, value in os.environ.items() if key not in ignored}
    environment.update(CHROMIUM_PATH="/nonexistent/chromium", **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", A_BROWSER_TEST],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_chromium_skips_with_a_clear_reason():
    result = run_browser_test()
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "Chromium not found at /nonexistent/chromium" in result.stdout


def test_missing_chromium_is_an_error_when_ci_requires_the_browser():
    result = run_browser_test(BROWSER_TESTS_REQUIRED="1")
    assert result.returncode != 0
    assert "BROWSER_TESTS_REQUIRED is set" in result.stdout
