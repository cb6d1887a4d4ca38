"""
The apps' arrows run one way: the site layer uses the rest, intake uses booking and pages, booking uses
pages; and inside intake, the form and the consultation time use the request's life, never each other.
"""

import ast

import pytest

from practice.settings import BASE_DIR
from tests.practice.import_rule import INTAKE_MAY_USE, MAY_USE


def imported_modules(path):
    """The modules a file imports by absolute name; `from a import b` names both `a` and `a.b`."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def imported_packages(package):
    """The project's packages that any module in `package` imports (migrations included)."""
    found = {}
    for path in (BASE_DIR / package).rglob("*.py"):
        for name in imported_modules(path):
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


def intake_part(path):
    """The part of intake a module is in: its folder (a room, or admin, models, ...) or its own name."""
    return path.relative_to(BASE_DIR / "intake").parts[0].removesuffix(".py")


def imported_intake_parts(path):
    """The parts of intake that a module imports, by name (`from intake import life` names `life`)."""
    return {name.split(".")[1] for name in imported_modules(path) if name.startswith("intake.")}


def test_every_module_of_intake_is_in_a_room_or_a_door():
    """A new module at the top of intake has no job yet: it goes into the room whose job it does."""
    loose = sorted(
        str(path.relative_to(BASE_DIR))
        for path in (BASE_DIR / "intake").rglob("*.py")
        if intake_part(path) not in INTAKE_MAY_USE
    )
    assert loose == []


def test_intake_rooms_import_only_the_allowed_way():
    wrong = sorted(
        f"{path.relative_to(BASE_DIR)}: intake.{used}"
        for path in (BASE_DIR / "intake").rglob("*.py")
        for used in imported_intake_parts(path)
        if used != intake_part(path) and used not in INTAKE_MAY_USE.get(intake_part(path), set())
    )
    assert wrong == []


def test_tests_import_helpers_from_helper_modules_never_from_other_tests():
    """A test module's helpers are its own; shared ones live in helper modules (tests/browser.py, ...).
    Nor is a test module imported whole (`from tests.faults import test_slow_clients`)."""
    wrong = [
        f"{path.relative_to(BASE_DIR)}: {module}"
        for path in (BASE_DIR / "tests").rglob("*.py")
        for module in imported_modules(path)
        if module.startswith("tests.") and module.rsplit(".", 1)[-1].startswith("test_")
    ]
    assert wrong == []


def test_transactional_tests_put_back_the_migrations_rows():
    """
    A transactional test empties every table when it ends; without serialized rollback the rows the
    migrations made (content types, seed pages, groups) are gone for every later test in that worker,
    which then fail far from the cause (a duplicate content type, a missing page).
    """
    wrong = []
    for path in (BASE_DIR / "tests").rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "django_db":
                options = {keyword.arg: ast.unparse(keyword.value) for keyword in node.keywords}
                if options.get("transaction") == "True" and options.get("serialized_rollback") != "True":
                    wrong.append(f"{path.relative_to(BASE_DIR)}:{node.lineno}")
    assert wrong == []
