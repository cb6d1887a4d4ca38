from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from pages import views as page_views
from pages.sitemaps import PageSitemap
from practice import bench_ceiling, views

# A database outage answers 503, with pages that need no database.
handler500 = "practice.views.server_error"

urlpatterns = [
    # The admin asks for a second factor: its default site is accounts.site.TwoFactorAdminSite.
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PageSitemap}}, name="sitemap"),
    path("consultation/", include("intake.urls")),
    path("calendar/", include("booking.urls")),
    re_path(rf"^media/(?P<name>{views.MEDIA_NAME})$", views.media, name="media"),
    # Fixed paths go above this line: the page route below catches every /<slug>/.
    path("", page_views.home, name="home"),
    path("<slug:slug>/", page_views.page_detail, name="page"),
]

if settings.BENCH_CEILING_DIR:
    # make bench only (practice/bench_ceiling.py): never in a deployment, which leaves it unset.
    urlpatterns[:0] = [
        path("bench-ceiling/sent", bench_ceiling.sent),
        path("bench-ceiling/bare", bench_ceiling.bare),
        path("bench-ceiling/<slug:name>", bench_ceiling.page),
    ]
