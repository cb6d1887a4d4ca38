"""
A request's life after it is sent: one job, every move of a request and its consultation and
what each move tells whom.

moves.py (the one table of every move, and the functions every path goes through), notifications.py
(the email outbox and its worker), booking_emails.py (the emails and invites about a booked
consultation, queued by the moves), replies.py (reply templates filled in, replies sent),
withdrawal.py and withdrawal_views.py (the visitor's withdraw link and its pages), erasure.py
(deleting: admin, the withdraw link and the purge), attention.py and digest.py (what waits, and
the daily summary), practice_stats.py (how the practice is doing), export.py (CSV),
visitor_links.py (the visitor's links named, never shown, to staff). It uses no other room of
intake: the form and the consultation time use it (tests/practice/test_layout.py).
"""
