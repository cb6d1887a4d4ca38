import re

from practice.settings import BASE_DIR

SOURCES = ["practice/settings.py", "gunicorn.conf.py", "compose.yaml", "Caddyfile"]


def variables_read_by_the_code():
    names = set()
    for source in SOURCES:
        text = (BASE_DIR / source).read_text()
        names |= set(re.findall(r'os\.environ(?:\.get)?[\[(]"([A-Z_]+)"', text))
        names |= set(re.findall(r'env_(?:bool|int|list)\("([A-Z_]+)"', text))
        names |= set(re.findall(r"\$\{([A-Z_]+)", text))
        # The Caddyfile's own syntax: {$NAME} or {$NAME:default}.
        names |= set(re.findall(r"\{\$([A-Z_]+)", text))
    return names


def test_every_variable_the_code_reads_is_in_env_example_with_a_comment():
    lines = (BASE_DIR / ".env.example").read_text().splitlines()
    documented = {}
    for index, line in enumerate(lines):
        if match := re.match(r"([A-Z_]+)=", line):
            documented[match.group(1)] = lines[index - 1].startswith("#")
    missing = variables_read_by_the_code() - set(documented)
    assert not missing, f"add to .env.example: {sorted(missing)}"
    assert all(documented.values()), "every variable needs a one-line comment above it"
