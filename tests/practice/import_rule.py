"""The import rule between the project's packages, which test_layout enforces and the README states."""

# Which of the project's own packages each may import.
MAY_USE = {
    "pages": set(),
    "booking": {"pages"},
    "intake": {"booking", "pages"},
    "accounts": set(),
    "practice": {"accounts", "booking", "intake", "pages"},
}
