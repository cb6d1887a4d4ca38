"""
Consultation requests with their history, timeline and audit log; the form's choices; reply
templates and referrals; the daily summary; and the emails waiting to go out.
"""

from intake.models.attempt import SubmissionAttempt
from intake.models.audit import AuditEntry
from intake.models.choices import ChoiceOption, Concern, Relationship
from intake.models.digest import DailyDigest
from intake.models.notification import Notification
from intake.models.replies import Referral, ReplyTemplate
from intake.models.request import ConsultationRequest, StatusChange, add_business_days
from intake.models.timeline import TimelineEntry

__all__ = [
    "AuditEntry",
    "ChoiceOption",
    "Concern",
    "ConsultationRequest",
    "DailyDigest",
    "Notification",
    "Referral",
    "Relationship",
    "ReplyTemplate",
    "StatusChange",
    "SubmissionAttempt",
    "TimelineEntry",
    "add_business_days",
]
