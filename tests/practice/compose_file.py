"""compose.yaml as data, for the deploy tests."""

import yaml

from practice.settings import BASE_DIR


def compose():
    return yaml.safe_load((BASE_DIR / "compose.yaml").read_text())
