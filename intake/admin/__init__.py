"""
Admin for consultation requests (consultations.py, with replying.py for replies by email) and their
supporting records (records.py; replies.py for reply templates and referrals).
"""

from intake.admin import consultations, records, replies

__all__ = ["consultations", "records", "replies"]
