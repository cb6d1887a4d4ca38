"""The public copy: pages and their sections and versions, photos, and the practice's settings."""

from pages.freshness.version import ContentVersion
from pages.models.page import RETENTION_DAYS_PLACEHOLDER, Page, PageRevision, Section, SlugRedirect
from pages.models.photo import Photo
from pages.models.practice import CRISIS_NOTICE, RELATIONSHIP_SAFETY_NOTICE, PracticeSettings

__all__ = [
    "CRISIS_NOTICE",
    "ContentVersion",
    "RELATIONSHIP_SAFETY_NOTICE",
    "RETENTION_DAYS_PLACEHOLDER",
    "Page",
    "PageRevision",
    "Photo",
    "PracticeSettings",
    "Section",
    "SlugRedirect",
]
