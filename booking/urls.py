from django.urls import path

from booking import views

urlpatterns = [
    # The token is a secret: practice/log_paths.py keeps it out of the logs.
    path("<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
