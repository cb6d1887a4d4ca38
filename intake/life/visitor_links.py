"""
Links that act for the visitor (withdraw their request, cancel or move their consultation, pick
the times offered) are the visitor's credential: whoever holds one acts as them. Emails carry them
to the visitor; staff read those emails in the request's timeline, the reply preview and the
outbox, and see each link by what it does, never in full, so that nobody with access to admin,
a view-only reviewer included, can act as the visitor.
"""

import re

# The site's address (any), then the page, then the token: everything up to a space or what
# ends a link in text.
LINK = re.compile(r"(?:https?://[^\s/]+)?/consultation/(withdraw|times?)/[^\s<>\"']+")
NAMES = {
    "withdraw": "[the visitor's withdraw link]",
    "time": "[the visitor's link to cancel or move their consultation]",
    "times": "[the visitor's link to pick times]",
}


def for_staff(text):
    """`text` with every link that acts for the visitor named, not shown."""
    if not text:
        return text
    return LINK.sub(lambda match: NAMES[match[1]], str(text))
