"""
The calendar invites (iCalendar, RFC 5545) for a confirmed consultation: one for the visitor,
one for the therapist, and the therapist's feed of every confirmed consultation.

No invite or feed carries anything the visitor told the practice about themselves. The
visitor's own copy names them (it goes to their own address); the therapist's says
"Consultation #N", because a calendar is synced to phones, shared with assistants and shown
in notifications on a locked screen.
"""

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vDuration, vText

PRODID = "-//Practice website//Free consultations//EN"
FEED_REFRESH = datetime.timedelta(hours=1)


def calendar(method=None):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    return cal


def where(booking, hours):
    """The invite's LOCATION: a phone call, or the video link set in the consultation hours."""
    if booking.way == booking.Way.VIDEO:
        return hours.video_link or "Video call (the link follows by email)"
    return "Phone call"


def uid(booking):
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"{booking.invite_uid}@{domain}"


def event(booking, summary, location, now):
    item = Event()
    item.add("uid", uid(booking))
    item.add("dtstamp", now.astimezone(datetime.UTC))
    item.add("dtstart", booking.starts_at.astimezone(datetime.UTC))
    item.add("dtend", booking.ends_at.astimezone(datetime.UTC))
    item.add("sequence", booking.invite_sequence)
    item.add("summary", summary)
    item.add("location", location)
    return item


def practice_address(practice):
    return practice.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def organizer(practice):
    address = vCalAddress(f"mailto:{practice_address(practice)}")
    address.params["cn"] = vText(practice.practice_name)
    return address


def attendee(email, name, role, partstat):
    """
    An ATTENDEE as iTIP (RFC 5546) has it: RSVP=FALSE, since the consultation is confirmed already
    and an answer from a calendar app would only land in an inbox as noise.
    """
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    address.params["role"] = vText(role)
    address.params["partstat"] = vText(partstat)
    address.params["rsvp"] = vText("FALSE")
    return address


def the_practice(practice, email=None):
    """The practice as an attendee of its own event (the chair, accepted), at the address it reads."""
    return attendee(email or practice_address(practice), practice.practice_name, "CHAIR", "ACCEPTED")


def visitor_invite(booking, practice, hours, name, email, cancelled=False, now=None):
    """The visitor's own copy: their name and address as the attendee, the practice as organizer."""
    now = now or timezone.now()
    cal = calendar("CANCEL" if cancelled else "REQUEST")
    item = event(booking, f"Free consultation with {practice.practice_name}", where(booking, hours), now)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("organizer", organizer(practice))
    item.add("attendee", the_practice(practice))
    item.add("attendee", attendee(email, name, "REQ-PARTICIPANT", "ACCEPTED"))
    cal.add_component(item)
    return cal.to_ical()


def practice_invite(booking, practice, hours, cancelled=False, now=None, recipient=None):
    """
    The therapist's copy: the request number, never a name. The practice organizes it and attends
    it at the address the copy goes to (`recipient`), so a calendar app reading that inbox takes it
    as its own event; the visitor is not an attendee here: their address would name them.
    """
    now = now or timezone.now()
    cal = calendar("CANCEL" if cancelled else "REQUEST")
    item = event(booking, f"Consultation #{booking.request_id}", where(booking, hours), now)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("organizer", organizer(practice))
    item.add("attendee", the_practice(practice, recipient))
    cal.add_component(item)
    return cal.to_ical()


def feed(bookings, practice, hours, now=None):
    """The private feed: every confirmed consultation given, by number, for a calendar subscription."""
    now = now or timezone.now()
    cal = calendar()
    cal.add("x-wr-calname", f"{practice.practice_name}: consultations")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    # How often a subscribed calendar reads the feed again (RFC 7986, and Outlook's own name for it).
    cal.add("refresh-interval", FEED_REFRESH, parameters={"value": "DURATION"})
    cal.add("x-published-ttl", vDuration(FEED_REFRESH))
    for booking in bookings:
        cal.add_component(event(booking, f"Consultation #{booking.request_id}", where(booking, hours), now))
    return cal.to_ical()
