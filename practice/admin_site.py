"""
The admin as the therapist reads it: the practice's name in the header, and every list and page
titled as a person would say it ("Consultation requests", "Request #12") rather than Django's
"Select consultation request to change" or "Change consultation request".
"""

from django.contrib.admin import ModelAdmin
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.auth.models import Permission
from django.utils.text import capfirst

from accounts.site import TwoFactorAdminSite
from pages.list_conflicts import checking_conflicts
from pages.models import PracticeSettings
from practice.admin_words import in_plain_words, site_permissions


class PlainTitles:
    """Given to every registered ModelAdmin by PracticeAdminSite.register, whichever app registers it."""

    def changelist_view(self, request, extra_context=None):
        # A pop-up list asks the person to choose one, and Django's "Select …" says just that.
        if IS_POPUP_VAR not in request.GET:
            extra_context = {"title": capfirst(self.opts.verbose_name_plural), **(extra_context or {})}
        response = super().changelist_view(request, extra_context)
        formset = getattr(response, "context_data", {}).get("cl") and response.context_data["cl"].formset
        if formset is not None and formset.is_bound and all(form.instance.pk for form in formset.forms):
            # A list that comes back with an error shows its rows in the order they were sent:
            # Django pairs the rows as sorted now with the sent boxes, and someone else's save
            # of an order can change that sort, putting one row's boxes beside another's name.
            response.context_data["cl"].result_list = [form.instance for form in formset.forms]
        return response

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # The group and staff pages' permission pickers: this site's sections only (admin_words).
        if db_field.related_model is Permission:
            kwargs.setdefault("queryset", site_permissions(self.admin_site))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        # A permission the picker does not offer (one no page honours, given before it was hidden)
        # stays as it was: saving a group or a staff member changes only what the page showed.
        pickers = [
            name
            for name, field in form.fields.items()
            if getattr(field, "queryset", None) is not None and field.queryset.model is Permission
        ]
        hidden = {
            name: list(getattr(form.instance, name).exclude(pk__in=form.fields[name].queryset))
            for name in pickers
        }
        super().save_related(request, form, formsets, change)
        for name, permissions in hidden.items():
            getattr(form.instance, name).add(*permissions)

    def get_fieldsets(self, request, obj=None):
        # Someone who may only view sees the record, not the form's own inputs (a note to add, a
        # photo to upload, the two-tab check), which would read "None" as text.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": [field for field in options["fields"] if self.shows(field)]})
            for name, options in fieldsets
        ]

    def shows(self, field):
        if not isinstance(field, str):
            return True
        names = {f.name for f in self.opts.get_fields()}
        return field in names or hasattr(self, field) or hasattr(self.model, field)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return in_plain_words(deleted), counts, perms_needed, protected

    def get_changelist_formset(self, request, **kwargs):
        # The boxes of a list one can edit in place (order, shown on the form) are labelled by
        # column only, which screen readers do not tie to them: each says "Order, Anxiety". And a
        # row saved over someone else's newer save of it is refused, as on a change form.
        formset = checking_conflicts(super().get_changelist_formset(request, **kwargs))

        class LabelledRows(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                # index is None for the formset's empty form, which Django builds for an empty list.
                row = (
                    str(form.instance)
                    if form.instance.pk
                    else "new row"
                    if index is None
                    else f"row {index + 1}"
                )
                for name, field in form.fields.items():
                    if not field.widget.is_hidden:
                        field.widget.attrs["aria-label"] = f"{capfirst(field.label or name)}, {row}"

        return LabelledRows

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(title=str(obj), subtitle=None)
        return super().render_change_form(request, context, add, change, form_url, obj)


class PracticeAdminSite(TwoFactorAdminSite):
    """Django's default admin site (practice.apps.PracticeAdminConfig): two-factor, in plain words."""

    def register(self, model_or_iterable, admin_class=None, **options):
        # Django's own register builds a subclass the same way when given options: this one adds
        # the plain titles to the admins of django.contrib.auth and the apps here alike.
        admin_class = admin_class or ModelAdmin
        titled = type(
            admin_class.__name__, (PlainTitles, admin_class), {"__module__": admin_class.__module__}
        )
        super().register(model_or_iterable, titled, **options)

    def each_context(self, request):
        name = PracticeSettings.for_request(request).practice_name
        return {
            **super().each_context(request),
            "site_header": f"{name} · admin",
            "site_title": f"{name} · admin",
        }

    def app_index(self, request, app_label, extra_context=None):
        # "Consultation requests", not "Consultation requests administration".
        response = super().app_index(request, app_label, extra_context)
        response.context_data["title"] = response.context_data["app_list"][0]["name"]
        return response
