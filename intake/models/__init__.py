"""Consultation requests, their history and audit log, and the emails waiting to go out."""

from intake.models.audit import AuditEntry
from intake.models.notification import Notification
from intake.models.request import (
    ChoiceOption,
    Concern,
    ConsultationRequest,
    Relationship,
    StatusChange,
    SubmissionAttempt,
    add_business_days,
)

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
