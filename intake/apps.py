from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    # Not "Consultation requests": that is the list inside it, and breadcrumbs would say it twice.
    verbose_name = "Requests and replies"
