"""
`make bench`: the production stack measured against pre-rendered pages (bench/run.py).

The stack's processes get settings of their own (tests/faults/site.py). This process only borrows
the fault suite's visitors, which read the form's time trap and test answers from the project's
modules, so Django is set up here with a throwaway key, and never serves anything.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-client-only-" + "x" * 40)
# Throwaway field keys for this client process (the stack's own are in tests/faults/site.py).
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "YmVuY2gtY2xpZW50LW9ubHkta2V5LTAwMDAwMDAwMDA=")
os.environ.setdefault("FIELD_HASH_KEY", "YmVuY2gtY2xpZW50LW9ubHktaGFzaC0wMDAwMDAwMDA=")
django.setup()
