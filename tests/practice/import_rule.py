"""The import rule between the project's packages, which test_layout enforces and the README states."""

# Which of the project's own packages each may import.
MAY_USE = {
    "at_rest": set(),
    "pages": set(),
    "booking": {"pages"},
    "intake": {"at_rest", "booking", "pages"},
    "accounts": set(),
    "practice": {"accounts", "at_rest", "booking", "intake", "pages"},
}
