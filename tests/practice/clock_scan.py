"""
Where the code or a template writes a date or time by itself, outside the one clock (pages/clock.py).

Python: strftime, isoformat, Django's date_format/time_format/dateformat/localize, a format spec
in an f-string or format() ("{moment:%H:%M}"), and a widget's or field's format="%H:%M". Templates: the date, time, timesince,
timeuntil, naturalday and naturaltime filters, and {% now %}. Scripts: Intl.DateTimeFormat and
toLocaleString and its kin.
"""

import ast
import re

from practice.settings import BASE_DIR

APPS = ["accounts", "at_rest", "bench", "booking", "intake", "pages", "practice"]
CALLS = {"strftime", "isoformat", "date_format", "time_format", "localize"}
SCRIPT_FORMATTING = re.compile(r"Intl\.DateTimeFormat|toLocale(?:Date|Time)?String")
TEMPLATE_FORMATTING = re.compile(r"\|\s*(date|time|timesince|timeuntil|naturalday|naturaltime)\b|\{%\s*now\b")


def called_name(call):
    function = call.func
    if isinstance(function, ast.Attribute):
        if (
            function.attr == "format"
            and isinstance(function.value, ast.Name)
            and function.value.id == "dateformat"
        ):
            return "dateformat.format"
        return function.attr
    return function.id if isinstance(function, ast.Name) else None


# A strftime directive: %H, %-d; not a percentage's "{share:.0%}".
DIRECTIVE = re.compile(r"%-?[A-Za-z]")


def has_directive(node):
    return any(
        isinstance(part, ast.Constant) and DIRECTIVE.search(str(part.value)) for part in ast.walk(node)
    )


def python_hits(source):
    """(line, what) for each place this Python source formats a date or time itself."""
    hits = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.FormattedValue)
            and node.format_spec is not None
            and has_directive(node.format_spec)
        ):
            hits.append((node.lineno, "format spec"))
        elif isinstance(node, ast.Call):
            name = called_name(node)
            if name in CALLS or name == "dateformat.format":
                hits.append((node.lineno, name))
            elif name == "format" and len(node.args) == 2 and has_directive(node.args[1]):
                hits.append((node.lineno, "format()"))
            hits.extend(
                (node.lineno, f"{keyword.arg}=")
                for keyword in node.keywords
                if keyword.arg in {"format", "input_formats"} and has_directive(keyword.value)
            )
    return hits


def line_hits(source, pattern):
    return [
        (number, found.group(0))
        for number, line in enumerate(source.splitlines(), start=1)
        for found in pattern.finditer(line)
    ]


def template_hits(source):
    return line_hits(source, TEMPLATE_FORMATTING)


def script_hits(source):
    return line_hits(source, SCRIPT_FORMATTING)


def project_files():
    """Every module, template and script a person's dates could be written in; migrations hold history, not output."""
    for app in APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path
    for folder in [BASE_DIR / "templates", *(BASE_DIR / app / "templates" for app in APPS)]:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".html", ".txt", ".xml"}:
                yield path
    yield from sorted((BASE_DIR / "static" / "js").rglob("*.js"))  # our own scripts, not vendor/


def formatting_found():
    """{"booking/admin.py": [(31, "format spec")], ...} over the whole project."""
    found = {}
    for path in project_files():
        source = path.read_text()
        scan = {".py": python_hits, ".js": script_hits}.get(path.suffix, template_hits)
        hits = scan(source)
        if hits:
            found[str(path.relative_to(BASE_DIR))] = hits
    return found
