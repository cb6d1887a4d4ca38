from django.contrib.sitemaps import Sitemap

from pages.models import Page


class PageSitemap(Sitemap):
    def items(self):
        return Page.objects.published()

    def lastmod(self, page):
        return page.updated_at
