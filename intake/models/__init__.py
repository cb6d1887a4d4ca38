"""Consultation requests, their history and audit log, the form's choices, and the emails waiting to go out."""

from intake.models.attempt import SubmissionAttempt
from intake.models.audit import AuditEntry
from intake.models.choices import ChoiceOption, Concern, Relationship
from intake.models.notification import Notification
from intake.models.request import ConsultationRequest, StatusChange, add_business_days

__all__ = [
    "AuditEntry",
    "ChoiceOption",
    "Concern",
    "ConsultationRequest",
    "Notification",
    "Relationship",
    "StatusChange",
    "SubmissionAttempt",
    "add_business_days",
]
