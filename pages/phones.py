"""
The one place a phone number becomes something a phone dials: `tel:` and `sms:` links for the public
pages' notices, the practice's own number and the therapist's call links in admin.

A US number is dialled in E.164 (+1 and ten digits), whatever way it was typed; anything else by its
digits, keeping a leading +. Spaces, brackets and hyphens break some phones' dialers.
"""

import re


def national_digits(number):
    """Digits only, without a leading US country code: 555-123-4567 and +1 (555) 123 4567 match."""
    digits = re.sub(r"\D", "", number)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def dial_string(number):
    """+1 and ten digits for a US number, else the digits as typed (with their +)."""
    digits = national_digits(number)
    if len(digits) == 10:
        return "+1" + digits
    plus = "+" if number.strip().startswith("+") else ""
    return plus + re.sub(r"\D", "", number)


def tel_href(number):
    return f"tel:{dial_string(number)}"


def sms_href(number, body=""):
    # "?&body=" rather than RFC 5724's "?body=": Android reads the query, where the empty first
    # parameter is skipped, and iOS (8 and later) looks for "&body=", so both open with the word typed.
    number = dial_string(number)
    return f"sms:{number}?&body={body}" if body else f"sms:{number}"
