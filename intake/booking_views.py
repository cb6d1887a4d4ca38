"""The visitor's pages reached from their emails: cancel or move a consultation, pick times offered."""

from django.http import Http404


def my_consultation(request, token):  # noqa: ARG001
    raise Http404  # Being written (issue 13): cancel or move.


def pick_times(request, token):  # noqa: ARG001
    raise Http404  # Being written (issue 13): the times the therapist offered.
