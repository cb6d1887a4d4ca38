"""
Model fields stored encrypted (at_rest/encryption.py), read and written as plain text by the code.

Each keeps its plain twin's form field, widget and length check (on the plain text), but its column
is `text`: a sealed value is longer than what was typed. The database can no longer compare,
search or sort these columns: equality goes through a blind index (at_rest.encryption.blind_index)
and free-text search decrypts in the application (intake/admin/timeline.py).
"""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact

from at_rest.encryption import decrypt, encrypt

NOT_COMPARABLE = (
    "{field} is stored encrypted: the database cannot compare it. Use its lookup hash (email_hash, "
    "phone_hash) or compare decrypted values in Python."
)


class EmptyOnly(Exact):
    """`field=""` still works (an empty value is stored empty); any other value would never match."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(NOT_COMPARABLE.format(field=self.lhs.target.name))
        return self.rhs


class EncryptedMixin:
    def get_lookup(self, lookup_name):
        # Any other lookup would compare sealed texts and silently match nothing. (Rotation looks at
        # the stored key id through a cast to plain text: at_rest/resealing.py.)
        lookups = {"exact": EmptyOnly, "isnull": super().get_lookup("isnull")}
        if lookup_name not in lookups:
            raise FieldError(NOT_COMPARABLE.format(field=self.name))
        return lookups[lookup_name]

    def get_internal_type(self):
        return "TextField"

    def from_db_value(self, value, *_expression_and_connection):
        return decrypt(value)

    def get_prep_value(self, value):
        return encrypt(super().get_prep_value(value))


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField whose max_length applies to what was typed, stored sealed in a text column."""


class EncryptedEmailField(EncryptedMixin, models.EmailField):
    """An EmailField (same form field and validation), stored sealed in a text column."""


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A TextField stored sealed."""
