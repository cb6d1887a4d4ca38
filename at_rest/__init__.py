"""
Encryption at rest: what visitors typed and what the practice wrote about them, sealed in the
database with AES-GCM under keys from the environment (`encryption.py`), as model fields
(`fields.py`), re-sealed under a new key by `manage.py rotate_encryption_key` (`resealing.py`).
It uses none of the project's other packages; intake's models use its fields. The backups that
carry these sealed values, encrypted again to an age key, are practice/backups.py.
docs/privacy-at-rest.md says what is encrypted and what is not.
"""
