from django.utils.functional import SimpleLazyObject

from pages.freshness.per_version import per_content_version
from pages.models import Page, PracticeSettings

# Shared by every request of a worker while it is current: templates only read it.
latest_menu = per_content_version(lambda: list(Page.objects.in_menu()))


def practice(request):
    """The practice's details and the menu, for the header and footer; queried only if a template uses them."""
    return {
        "practice": SimpleLazyObject(lambda: PracticeSettings.for_request(request)),
        "menu_pages": SimpleLazyObject(latest_menu),
    }
