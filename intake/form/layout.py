"""
The consultation form's kinds of group beyond crispy's own: questions shown only with the answer
they depend on, the optional section, folded away until the visitor opens it, and the time picker,
folded the same way.
"""

from crispy_forms.layout import Div
from django.template.loader import render_to_string

from pages.clock import zone_name


class ShownWith(Div):
    """
    Questions that belong to one answer of another question, e.g. the phone number to "Phone call".
    The page's own script hides them (the hidden attribute) until that answer is chosen; without the
    script they are always there. Nothing inside may be required by the browser.
    """

    def __init__(self, *fields, question, answers):
        super().__init__(
            *fields, css_class="intake-shown-with", data_intake_question=question, data_intake_answers=answers
        )


class OptionalSection(Div):
    """
    A native <details>, so it opens and closes without any script. It opens by itself when something
    inside needs fixing, or when the form comes back with answers the visitor gave in it: nothing they
    must see or typed is ever folded away.
    """

    template = "intake/optional_section.html"

    def render(self, form, context, template_pack=None, **kwargs):
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        names = [pointer.name for pointer in self.get_field_names()]
        opened = any(form[name].errors or answered(form, name) for name in names if name in form.fields)
        return render_to_string(self.template, {"fields": fields, "opened": opened})


def answered(form, name):
    """Whether the visitor gave this question an answer (not a choice made for them by a link)."""
    if form.is_bound:
        values = form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data.get(name)]
        return any(values)
    if name in form.PRESET_BY_LINKS:
        return False
    return bool(form.initial.get(name))


class BookingSection(Div):
    """
    The time picker (templates/includes/booking_times.html), folded like the optional section. It opens
    by itself when the form comes back with times picked or a mistake in it. "Phone or video" has no
    answer chosen for the visitor (booking.forms.WayField).
    """

    template = "intake/booking_section.html"

    def render(self, form, *_args, **_kwargs):
        opened = bool(form["times"].errors or form["way"].errors or answered(form, "times"))
        # No time open (the form came back with one that went): nothing to pick, so no "phone or video".
        way = form["way"] if form.fields["times"].open_times else None
        return render_to_string(
            self.template,
            {"times": form["times"], "way": way, "zone_name": zone_name(), "opened": opened},
        )
