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

# Inside intake, one folder per job (a room), and which parts of intake each part may import.
# life is the bottom room: the form and the consultation time both make its moves and queue its
# emails, and it uses neither. The doors (admin, template tags, commands, urls) reach the rooms.
INTAKE_MAY_USE = {
    # the rooms
    "form": {"models", "life"},
    "life": {"models"},
    "consultation_time": {"models", "life"},
    # the data every room shares; a final status set on a request is one of life's moves
    # (ConsultationRequest.change_status calls intake.life.moves.answered, imported when called)
    "models": {"life"},
    # the doors
    "admin": {"models", "life", "consultation_time"},
    "templatetags": {"models", "life", "admin"},
    "management": {"models", "life"},
    "urls": {"form", "life", "consultation_time"},
    "migrations": {"models"},
    "apps": set(),
    "__init__": set(),
}
