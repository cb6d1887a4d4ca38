from django.urls import path

from intake import booking_views, offered_times, views

app_name = "intake"

urlpatterns = [
    path("", views.consultation, name="consultation"),
    path("thanks/", views.thanks, name="thanks"),
    path("withdraw/<str:token>/", views.withdraw, name="withdraw"),
    path("withdrawn/", views.withdrawn, name="withdrawn"),
    # The visitor's links about a consultation time, from their emails.
    path("time/<str:token>/", booking_views.my_consultation, name="my_consultation"),
    path("times/<str:token>/", offered_times.pick_times, name="pick_times"),
    path("cancelled/", booking_views.cancelled, name="consultation_cancelled"),
    path("moved/", booking_views.moved, name="consultation_moved"),
]
