from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", views.consultation, name="consultation"),
    path("thanks/", views.thanks, name="thanks"),
    path("withdraw/<str:token>/", views.withdraw, name="withdraw"),
    path("withdrawn/", views.withdrawn, name="withdrawn"),
]
