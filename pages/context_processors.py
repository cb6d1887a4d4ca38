from django.utils.functional import SimpleLazyObject

from pages.models import Page, PracticeSettings


def practice(request):
    """The practice's details and the menu, for the header and footer; queried only if a template uses them."""
    return {
        "practice": SimpleLazyObject(lambda: PracticeSettings.for_request(request)),
        "menu_pages": SimpleLazyObject(lambda: list(Page.objects.in_menu())),
    }
