"""A consultation's time of day for visitors' pages: with its zone in the hour clocks go back (booking.slots)."""

from django import template

from booking.slots import clock_label

register = template.Library()


@register.filter
def clock(moment):
    """ "10:00 AM", or "1:00 AM EST" where that wall-clock hour happens twice."""
    return clock_label(moment)
