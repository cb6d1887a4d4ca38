from django.conf import settings
from django.contrib import admin
from django.urls import path

from pages import views as page_views

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", page_views.healthz, name="healthz"),
    path("", page_views.home, name="home"),
]
