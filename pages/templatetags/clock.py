"""`{{ moment|clock }}`: a moment on the practice's one clock (pages/clock.py), in admin templates too."""

from django import template

from pages.clock import local_time

register = template.Library()


@register.filter
def clock(moment):
    return local_time(moment) if moment else ""
