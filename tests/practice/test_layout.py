"""
The apps' arrows run one way: the site layer uses the rest, intake uses booking and pages, booking uses
pages; at_rest (encrypted fields and their keys) uses none, so any app may use it.
"""

import ast

import pytest

from practice.settings import BASE_DIR

# Which of the project's own packages each may import.
MAY_USE = {
    "pages": set(),
    "booking": {"pages"},
    "intake": {"booking", "pages", "at_rest"},
    "accounts": set(),
    "at_rest": set(),
    "practice": {"accounts", "booking", "intake", "pages", "at_rest"},
}


def imported_packages(package):
    """The project's packages that any module in `package` imports (migrations included)."""
    found = {}
    for path in (BASE_DIR / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in MAY_USE and top != package:
                    found.setdefault(top, str(path.relative_to(BASE_DIR)))
    return found


@pytest.mark.parametrize("package", MAY_USE)
def test_imports_run_only_the_allowed_way(package):
    wrong = {
        used: where for used, where in imported_packages(package).items() if used not in MAY_USE[package]
    }
    assert wrong == {}, f"{package} must not import these (first seen in): {wrong}"
