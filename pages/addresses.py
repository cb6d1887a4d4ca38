"""
Addresses the site itself owns, read from the URL configuration: a new route is reserved the
moment it is added, with no list to keep. A page may not take one (its link would open the
route's view instead, and the page could never be reached).
"""

import re

from django.urls import URLPattern, URLResolver, get_resolver

# The routes that serve pages themselves: their addresses are the pages'.
PAGE_ROUTES = {"home", "page"}
# The first piece of a route: letters, digits, dots, hyphens and underscores, up to the first / or parameter.
FIRST_PIECE = re.compile(r"^\^?([\w.-]+)")


def reserved_addresses():
    """The first piece of every address the site answers at, other than pages': {"admin", "consultation", …}."""
    reserved = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLPattern) and entry.name in PAGE_ROUTES:
            continue
        if isinstance(entry, URLResolver | URLPattern) and (found := FIRST_PIECE.match(str(entry.pattern))):
            reserved.add(found.group(1).lower())
    return reserved


def route_at(address):
    """Which part of the site owns /address/, in the therapist's words, or None when a page may have it."""
    if address.lower() not in reserved_addresses():
        return None
    return OWNERS.get(address.lower(), "a part of the site that is not a page")


# Words for the owners the therapist would recognise; any other route still counts as reserved.
OWNERS = {
    "consultation": "the consultation request form",
    "calendar": "the booking calendar",
    "media": "the site's photos",
    "healthz": "the site's health check",
}


def reserved_message(address):
    owner = route_at(address)
    if owner is None:
        return None
    return (
        f"The address /{address}/ is already used by {owner}, so a page there could never be opened. "
        "Choose another address, for example one with a word more."
    )
