"""The consultation form as a visitor fills it in Chromium: what every request must answer, and a time."""

# The three boxes every request ticks: an adult, the emergency notice read, the privacy notice accepted.
REQUIRED_BOXES = ("#id_is_adult", "#id_emergency_notice_seen", "#id_privacy_accepted")


def fill_required(page, *, by_phone=False, location="NY"):
    """Robin's name, a way to reach them (email, or their phone), where they are, and the three boxes."""
    page.fill("#id_name", "Robin")
    if by_phone:
        page.check("#id_preferred_contact_1")
        page.fill("#id_phone", "555-123-4567")
    else:
        page.check("#id_preferred_contact_0")
        page.fill("#id_email", "robin@example.com")
    page.select_option("#id_client_location", location)
    for box in REQUIRED_BOXES:
        page.check(box)


def time_checkbox(time):
    """The box for one of the open times the form offers (a booking.slots choice)."""
    return f"#id_times_{time.value.lower().replace(':', '')}"
