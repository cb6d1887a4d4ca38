"""Encryption at rest: keys, encrypted model fields, re-encryption (docs/privacy-at-rest.md). Uses only Django."""
