"""What on the site points to a page: checked before the page is taken off the site."""

import re

from pages.models import Page, PracticeSettings


def links_to(page):
    """
    Where visitors would meet a dead end if this page went away, as sentences for the therapist:
    other live pages whose text links to it, the menu, the home page's list of services, the
    footer's privacy link, and the site's front door itself.
    """
    found = []
    if page.kind == Page.Kind.HOME:
        found.append("This is the home page: the site's own address would show “page not found”.")
    if page.show_in_menu:
        found.append("The menu at the top of every page.")
    if page.kind == Page.Kind.SERVICE:
        found.append("The list of services on the home page.")
    if PracticeSettings.load().privacy_page_id == page.pk:
        found.append("The privacy link in the footer and beside the consultation form's send button.")
    # A link as the therapist writes it: /slug/ or the full address, with or without the last slash.
    address = rf'href="(https?://[^/"]+)?/{re.escape(page.slug)}/?(#[^"]*)?"'
    for other in Page.objects.published().exclude(pk=page.pk).filter(body_html__regex=address):
        found.append(f"The page “{other.title}” links to it in its text.")
    return found
