"""Admin for consultation requests (consultations.py) and their supporting records (records.py)."""

from intake.admin import consultations, records

__all__ = ["consultations", "records"]
