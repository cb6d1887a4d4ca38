"""
The visitor's form: one job, taking a consultation request from a visitor and saving it, with the
times it picked held.

forms.py (the questions and their checks), layout.py (groups shown with an answer, the folded
optional section and time picker), options.py (the choices from the database, read once per content
version), cache.py (the unbound form drawn once per version of what it shows; pages.freshness
explains how it learns of an edit), spam.py (screening a sent form), views.py (the form and its
thank-you page). It may use intake.life (the sent form queues its emails there), never
intake.consultation_time; tests/practice/test_layout.py holds it to that.
"""
