"""
The consultation time, as a request sees it: one job, the free consultation's time from the
request's side. The calendar itself (hours, open times, holds, invites, the feed) is the booking app.

views.py (the visitor's link to cancel or move their consultation), offered_times.py ("Offer other
times": the reply with its signed link and the visitor's page to pick), booking_panel.py and
consultation_change.py (on the request's admin page: the times picked, Confirm, Offer other times,
and Cancel or move). It may use intake.life (every change is one of its moves, and its emails
are queued there), never intake.form (tests/practice/test_layout.py).
"""
