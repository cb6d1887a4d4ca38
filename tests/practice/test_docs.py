"""The README is a front door: short, and every link in it and in docs/ leads somewhere that exists."""

import re

import pytest

from practice.settings import BASE_DIR

DOCS = [BASE_DIR / "README.md", *sorted((BASE_DIR / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)
CODE_PATH = re.compile(r"`((?:[\w.-]+/)+[\w.*-]*)`")


def anchor(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path):
    return {anchor(heading) for heading in HEADING.findall(path.read_text())}


@pytest.mark.parametrize("document", DOCS, ids=lambda path: path.name)
def test_every_link_points_at_a_file_and_heading_that_exist(document):
    broken = []
    for target in LINK.findall(document.read_text()):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto: and the like are not files here
        path, _, fragment = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        if not linked.exists() or fragment and linked.suffix == ".md" and fragment not in anchors(linked):
            broken.append(target)
    assert broken == [], f"{document.name} links to what does not exist: {broken}"


def test_the_readme_names_only_paths_that_exist():
    """Every path from the top the README names (its code map and feature index) is in the repository."""
    top = {path.name for path in BASE_DIR.iterdir()}
    missing = [
        path
        for path in CODE_PATH.findall((BASE_DIR / "README.md").read_text())
        if path.split("/")[0] in top and not list(BASE_DIR.glob(path.rstrip("/")))
    ]
    assert missing == []


def test_the_readme_is_a_front_door():
    readme = (BASE_DIR / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    for document in (
        "docs/deploying.md",
        "docs/practice-guide.md",
        "docs/behaviour.md",
        "docs/development.md",
    ):
        assert f"]({document})" in readme


def test_the_readme_states_the_import_rule_the_layout_test_enforces():
    from tests.practice.import_rule import MAY_USE

    readme = (BASE_DIR / "README.md").read_text()
    rule = readme[readme.index("## The import rule") :]
    for package, may_use in MAY_USE.items():
        (line,) = [line for line in rule.splitlines() if line.startswith(f"- `{package}`")]
        named = set(re.findall(r"`(\w+)`", line)) - {package}
        assert named == may_use or (not may_use and "none" in line), (package, line)


def test_the_readme_states_the_rooms_of_intake_the_layout_test_enforces():
    from tests.practice.import_rule import INTAKE_MAY_USE

    readme = (BASE_DIR / "README.md").read_text()
    rule = readme[readme.index("Inside `intake`") :]
    for part in ("form", "life", "consultation_time", "models"):
        (line,) = [line for line in rule.splitlines() if line.startswith(f"- `{part}`")]
        named = set(re.findall(r"`(\w+)`", line.split("never")[0])) - {part}
        assert named - {"models"} == INTAKE_MAY_USE[part] - {"models"}, (part, line)
