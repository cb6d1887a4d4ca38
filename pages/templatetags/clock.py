"""
The practice's one clock (pages/clock.py) in templates, one filter per audience and part:
`|clock` "7 December 2026, 7:35 am", `|day` "7 December 2026" and `|day_and_time` "Mon 7 December
2026, 7:35 am" (a time booked or held) for the therapist in admin;
`|visitor_when`, `|visitor_day` "Tuesday 8 December" and `|visitor_time` "12:00 pm" for visitors;
`|month` "December"; `|iso` for a <time datetime="…"> attribute.
"""

from django import template

from pages import clock as the_clock

register = template.Library()


def shown(format_moment):
    """A filter that writes nothing for a missing moment rather than failing the page."""
    return lambda moment: format_moment(moment) if moment else ""


register.filter("clock", shown(the_clock.local_time))
register.filter("day", shown(the_clock.local_date))
register.filter("day_and_time", shown(the_clock.local_day_and_time))
register.filter("month", shown(the_clock.month))
register.filter("visitor_when", shown(the_clock.visitor_when))
register.filter("visitor_day", shown(the_clock.visitor_day))
register.filter("visitor_time", shown(the_clock.visitor_time))
register.filter("iso", shown(the_clock.iso_stamp))
