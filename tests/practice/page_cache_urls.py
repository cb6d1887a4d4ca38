"""A public page address whose view sets a cookie, for the page cache's tests."""

from django.http import HttpResponse
from django.urls import path


def page_with_a_cookie(request, slug):
    response = HttpResponse(f"<p>Made for one visitor: {request.path}</p>")
    response.set_cookie("chosen", "yes")
    return response


urlpatterns = [path("<slug:slug>/", page_with_a_cookie, name="page")]
