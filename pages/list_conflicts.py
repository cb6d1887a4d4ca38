"""
Two tabs on a list edited in place (the order boxes of the form's choices, the reply templates and
the referrals), as pages/edit_conflicts.py does for a change form: the list carries a signed copy
of what each row showed when it was opened, in the formset's hidden management form (Django's list
renders no other hidden field of a row).

On save, a row counts as typed in only when it differs from what it showed: a row someone else
changed since is not written back with its old values. A row typed in that someone else saved since
is refused, naming what changed, with everything typed kept; the refused list then shows the
other rows as they are now and carries the newer state, so saving again replaces the other save
on purpose.
"""

from django import forms
from django.core import signing
from django.utils.functional import cached_property

from pages.edit_conflicts import TOKEN_FIELD, describe_changes, state_of

SALT = "pages.list_conflicts"


def checking_conflicts(formset_class):
    """A changelist formset class that refuses a row saved over someone else's newer save."""

    class ConflictCheckedRows(formset_class):
        @cached_property
        def fields_shown(self):
            return list(self.form._meta.fields)

        def row_state(self, instance):
            return state_of(instance, self.fields_shown)

        @cached_property
        def opened(self):
            """{pk: state} as the list showed it, or None when the token is missing or altered."""
            try:
                return signing.loads(self.data.get(self.add_prefix(TOKEN_FIELD), ""), salt=SALT)
            except signing.BadSignature:
                return None

        @cached_property
        def management_form(self):
            form = super().management_form
            form.fields[TOKEN_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
            if not self.is_bound:
                rows = {str(row.instance.pk): self.row_state(row.instance) for row in self.forms}
                form.initial[TOKEN_FIELD] = signing.dumps(rows, salt=SALT, compress=True)
            return form

        def _construct_form(self, i, **kwargs):
            form = super()._construct_form(i, **kwargs)
            if self.is_bound and form.instance.pk is not None:
                # Before cleaning, which writes what was typed onto the instance.
                form.now = self.row_state(form.instance)
                form.opened = (self.opened or {}).get(str(form.instance.pk))
                if form.opened is not None:
                    # "Changed" means changed in this tab, not "differs from the database".
                    form.initial.update({name: form.opened.get(name) for name in self.fields_shown})
            return form

        def clean(self):
            super().clean()
            rows = [form for form in self.forms if getattr(form, "now", None) is not None]
            if len(rows) < self.initial_form_count():
                raise forms.ValidationError(
                    "Not saved: a row on this list was deleted since you opened it. Open the list again "
                    "to see it as it is now.",
                    code="deleted_since",
                )
            for form in rows:
                if form.opened == form.now:
                    continue
                if form.has_changed():
                    form.add_error(None, self.refusal(form))
                else:
                    self.show_as_now(form)
            # Whatever comes back carries the rows as they are now: saving again is on purpose.
            token = signing.dumps(
                {str(form.instance.pk): form.now for form in rows}, salt=SALT, compress=True
            )
            self.management_form.data = self.management_form.data.copy()
            self.management_form.data[self.add_prefix(TOKEN_FIELD)] = token

        def refusal(self, form):
            names = {name: str(form.fields[name].label or name).lower() for name in self.fields_shown}
            changed = describe_changes(form.opened or {}, form.now, names)
            return forms.ValidationError(
                f"Not saved: someone saved “{form.instance}” since you opened this list, so saving now "
                f"would undo their change. They changed: {', '.join(changed)}. Nothing on the list was "
                "saved and what you typed is still here. Check their change, then save again to replace "
                "it with yours.",
                code="edited_since",
            )

        def show_as_now(self, form):
            """A row not typed in, that someone changed since: shown (and saved again) as it is now."""
            form.data = form.data.copy()
            for name in self.fields_shown:
                key, value = form.add_prefix(name), form.now.get(name)
                if isinstance(form.fields.get(name), forms.BooleanField):
                    form.data.pop(key, None)
                    if value:
                        form.data[key] = "on"
                else:
                    form.data[key] = "" if value is None else str(value)

    return ConflictCheckedRows
