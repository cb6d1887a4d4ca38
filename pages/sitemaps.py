from django.contrib.sitemaps import Sitemap

from pages.addresses import reserved_addresses
from pages.models import Page


class PageSitemap(Sitemap):
    def items(self):
        # A page at an address the site owns cannot be opened (pages/addresses.py): never list it.
        return Page.objects.published().exclude(slug__in=reserved_addresses())

    def lastmod(self, page):
        return page.updated_at
