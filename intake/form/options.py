"""
The form's choices that live in the database: the service pages, and the concerns and
relationships the therapist edits in admin.

They are read (three queries) into plain lists once per content version (`latest_options`),
and the last lists this process read are kept, so that during a database outage the form can
still come back to the visitor with everything they chose (intake.form.views.not_saved).
"""

from dataclasses import dataclass

from intake.models import Concern, Relationship
from pages.freshness.per_version import per_content_version
from pages.models import Page


@dataclass(frozen=True)
class FormOptions:
    services: tuple[tuple[str, str, int], ...]  # (slug, title, page id)
    concerns: tuple[tuple[str, str], ...]  # (pk, label)
    relationships: tuple[tuple[str, str], ...]  # (pk, label)
    # The choices are unknown (an outage before this process ever read them): the
    # form then carries what the visitor chose in hidden fields, so nothing is lost.
    unknown: bool = False

    @classmethod
    def load(cls):
        """The current choices, from the database; remembered for an outage."""
        global _last_loaded
        _last_loaded = cls(
            services=tuple(Page.objects.services().values_list("slug", "title", "pk")),
            concerns=_labels(Concern),
            relationships=_labels(Relationship),
        )
        return _last_loaded

    @classmethod
    def last_loaded(cls):
        """The choices this process read last, without asking the database."""
        return _last_loaded or cls(services=(), concerns=(), relationships=(), unknown=True)

    def service_choices(self):
        return [(slug, title) for slug, title, _ in self.services]

    def service_page_id(self, slug):
        return next((pk for known, _, pk in self.services if known == slug), None)


def _labels(model):
    return tuple(
        (str(pk), label) for pk, label in model.objects.filter(active=True).values_list("pk", "label")
    )


_last_loaded = None
# The choices as a view needs them: read again only after an edit (pages/freshness/per_version.py). Shared by
# every request of a worker, which is safe because FormOptions cannot be changed.
latest_options = per_content_version(FormOptions.load)
