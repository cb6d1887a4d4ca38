from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from intake.signin.site import TwoFactorAdminSite
from pages import views as page_views
from pages.sitemaps import PageSitemap

# The admin shows health information: signing in takes a password and a code from
# an authenticator app (or a one-time backup code). Swapping the default site's
# class is how django-otp documents it.
admin.site.__class__ = TwoFactorAdminSite
admin.site.site_header = "Your practice website"
admin.site.site_title = "Practice admin"
admin.site.index_title = "What would you like to do?"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", page_views.healthz, name="healthz"),
    path("robots.txt", page_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PageSitemap}}, name="sitemap"),
    path("consultation/", include("intake.urls")),
    # Fixed paths go above this line: the page route below catches every /<slug>/.
    path("", page_views.home, name="home"),
    path("<slug:slug>/", page_views.page_detail, name="page"),
]
