from django.urls import path

from intake.consultation_time import offered_times
from intake.consultation_time import views as consultation_time_views
from intake.form import views as form_views
from intake.life import withdrawal_views

app_name = "intake"

urlpatterns = [
    path("", form_views.consultation, name="consultation"),
    path("thanks/", form_views.thanks, name="thanks"),
    path("withdraw/<str:token>/", withdrawal_views.withdraw, name="withdraw"),
    path("withdrawn/", withdrawal_views.withdrawn, name="withdrawn"),
    # The visitor's links about a consultation time, from their emails.
    path("time/<str:token>/", consultation_time_views.my_consultation, name="my_consultation"),
    path("times/<str:token>/", offered_times.pick_times, name="pick_times"),
    path("cancelled/", consultation_time_views.cancelled, name="consultation_cancelled"),
    path("moved/", consultation_time_views.moved, name="consultation_moved"),
]
