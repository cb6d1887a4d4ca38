"""
Two tabs, two people: a change form remembers what it showed when it was opened (a signed copy in
a hidden field), and a save made after someone else's save of the same record is refused, with
what changed since named and everything typed kept in the form. The refused form then carries
the newer state, so saving it again is a deliberate choice to replace the other save.

The form also says who else has the record open (opened within OPEN_FOR), as Wagtail and
WordPress do: a small notice, kept in the cache, cleared by that person's save.
"""

import hashlib
import time
from datetime import UTC, datetime

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.forms.models import model_to_dict

from pages.clock import local_time

TOKEN_FIELD = "edit_token"  # noqa: S105 - a field name, not a secret
SALT = "pages.edit_conflicts"
OPEN_FOR = 30 * 60
SHOWN_UP_TO = 80  # characters of a changed value the refusal quotes


def state_of(obj, fields):
    """What the form shows of the record, as JSON-friendly values."""
    values = model_to_dict(obj, fields=fields)
    return {
        name: value if isinstance(value, (str, int, bool, type(None))) else str(value)
        for name, value in values.items()
    }


def describe_changes(opened, now, names):
    """The fields someone else changed since, by the names the form shows them with, short values shown."""
    changed = [key for key in sorted(set(opened) | set(now)) if opened.get(key) != now.get(key)]
    return [with_value(names.get(key, key.replace("_", " ")), now.get(key)) for key in changed]


def with_value(name, value):
    """A changed field and what it holds now, when that fits in a sentence (a section's text does not)."""
    if isinstance(value, bool):
        return f"{name} (now {'ticked' if value else 'not ticked'})"
    if value is None or value == "":
        return f"{name} (now empty)"
    if isinstance(value, int) or (isinstance(value, str) and len(value) <= SHOWN_UP_TO and "\n" not in value):
        return f"{name} (now “{value}”)"
    return name


class EditConflictMixin:
    """For a ModelAdmin: refuse a save over someone else's newer save; say who else has the record open."""

    def edit_state(self, obj):
        """The record's state as its form shows it; PageAdmin adds the sections and the draft."""
        return state_of(obj, [field.name for field in obj._meta.concrete_fields if field.editable])

    def edit_state_names(self, obj):
        return {field.name: str(field.verbose_name) for field in obj._meta.concrete_fields}

    def current_state(self, obj):
        return self.edit_state(self.get_object_for_state(obj))

    def get_object_for_state(self, obj):
        return type(obj)._default_manager.get(pk=obj.pk)

    def get_object(self, request, object_id, from_field=None):
        # A save holds the record's row from before it reads the record until it commits (the admin
        # saves in one transaction): two saves sent at the same moment take turns, and the second,
        # checked once the first is in, is refused like any other save over a newer one.
        if (
            request.method == "POST"
            and transaction.get_connection(router.db_for_write(self.model)).in_atomic_block
        ):
            field = self.model._meta.get_field(from_field) if from_field else self.model._meta.pk
            try:
                key = field.to_python(object_id)
            except ValidationError:
                key = None  # not a record's address: the admin's own lookup says so
            if key is not None:
                list(
                    self.model._default_manager.select_for_update()
                    .filter(**{field.name: key})
                    .values_list("pk")
                )
        return super().get_object(request, object_id, from_field)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The token is the form's own field, not the model's (the admin passes its fieldsets' fields).
        fields = kwargs.get("fields") or flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in fields if name != TOKEN_FIELD]
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or obj.pk is None:
            return form
        admin = self
        opened_state = self.current_state(obj)

        class ConflictForm(form):
            edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields[TOKEN_FIELD].initial = signing.dumps(opened_state, salt=SALT, compress=True)

            def clean(self):
                cleaned = super().clean()
                try:
                    opened = signing.loads(self.data.get(self.add_prefix(TOKEN_FIELD), ""), salt=SALT)
                except signing.BadSignature:
                    opened = None
                now = admin.current_state(self.instance)
                if opened != now:
                    changed = describe_changes(opened or {}, now, admin.edit_state_names(self.instance))
                    # The refused form carries the newer state: saving again replaces the other save.
                    self.data = self.data.copy()
                    self.data[self.add_prefix(TOKEN_FIELD)] = signing.dumps(now, salt=SALT, compress=True)
                    raise forms.ValidationError(
                        "Not saved: someone saved this since you opened it, so saving now would undo their "
                        f"changes. They changed: {', '.join(changed) or 'nothing you can see here'}. "
                        "Everything you typed is still below. Check their changes (open this page again in "
                        "another tab to see them), then save again to replace them with yours.",
                        code="edited_since",
                    )
                return cleaned

        return form if TOKEN_FIELD in form.base_fields else ConflictForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.pk is None:
            return fieldsets
        name, options = fieldsets[-1]
        return [*fieldsets[:-1], (name, {**options, "fields": [*options["fields"], TOKEN_FIELD]})]

    def open_key(self, obj):
        return f"open-for-editing:{obj._meta.label_lower}:{obj.pk}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            for who, opened_at in self.opened_elsewhere(request, obj):
                self.message_user(
                    request,
                    f"{who} this open (since {local_time(opened_at)}). If both are saved, the second "
                    "save is stopped and shown what the first one changed.",
                    level=30,
                )
            self.mark_open(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def viewer(self, request):
        """One browser of one person: a hash of the session, never the session key itself."""
        return hashlib.sha256(request.session.session_key.encode()).hexdigest()[:16]

    def mark_open(self, request, obj):
        opened = cache.get(self.open_key(obj)) or {}
        opened[self.viewer(request)] = (request.user.pk, time.time())
        cache.set(self.open_key(obj), opened, OPEN_FOR)

    def opened_elsewhere(self, request, obj):
        """Who else has it open: other people by name, and this person in another browser."""
        opened = cache.get(self.open_key(obj)) or {}
        recent = [
            (user_pk, at)
            for viewer, (user_pk, at) in opened.items()
            if viewer != self.viewer(request) and at > time.time() - OPEN_FOR
        ]
        users = get_user_model().objects.in_bulk({user_pk for user_pk, _ in recent})
        found = {}
        for user_pk, at in recent:
            user = users.get(user_pk)
            if user is None:
                continue
            who = (
                "You also have"
                if user_pk == request.user.pk
                else f"{user.get_full_name() or user.get_username()} also has"
            )
            found[who] = max(found.get(who, 0), at)
        return [(who, datetime.fromtimestamp(at, UTC)) for who, at in found.items()]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            opened = cache.get(self.open_key(obj)) or {}
            opened.pop(self.viewer(request), None)
            cache.set(self.open_key(obj), opened, OPEN_FOR)
