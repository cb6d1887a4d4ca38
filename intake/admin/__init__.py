"""
Admin for consultation requests (consultations.py, with replying.py for replies by email, and
request_pages.py for what every page a request's button opens shares) and their supporting records
(records.py; replies.py for reply templates and referrals).
"""

from intake.admin import consultations, records, replies

__all__ = ["consultations", "records", "replies"]
