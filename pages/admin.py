import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from pages import drafts, photos
from pages.checks import check_page, kept_version_findings
from pages.clock import local_time
from pages.compare_view import compare_versions
from pages.edit_conflicts import EditConflictMixin
from pages.links import links_to
from pages.models import Page, PageRevision, Photo, PracticeSettings, Section, SlugRedirect
from pages.photo_form import PhotoForm
from pages.photo_usage import photo_uses
from pages.publishing import page_saved, photo_changed, snapshot
from pages.templatetags.pictures import media_url
from pages.time_fields import PlainTimeField, PlainTimeInput
from pages.us_states import US_STATES
from pages.views import preview as preview_page


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["order", "heading", "photo", "text"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 10, "class": "vLargeTextField"})},
        models.CharField: {"widget": forms.TextInput(attrs={"class": "vLargeTextField"})},
    }


class CurrentVersionsFormSet(BaseInlineFormSet):
    """
    The versions as they are now, whatever the form sent: the list is read-only, and a version
    another tab saved or removed since this form was opened would otherwise shift every row
    against its heading, or stop the save on a version that is gone.
    """

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if self.is_bound:
            self.data = self.data.copy()
            versions = list(self.get_queryset())
            for i, revision in enumerate(versions):
                self.data[f"{self.add_prefix(i)}-id"] = str(revision.pk)
                self.data[f"{self.add_prefix(i)}-page"] = str(self.instance.pk)
            for name in (TOTAL_FORM_COUNT, INITIAL_FORM_COUNT):
                self.data[self.add_prefix(name)] = str(len(versions))


class RevisionInline(admin.TabularInline):
    """Every version of the page, newest first: which is live, which is the draft, and who saved it."""

    formset = CurrentVersionsFormSet

    model = PageRevision
    verbose_name = "saved version"
    verbose_name_plural = "versions of this page"
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["number", "saved", "saved_by", "version", "title_then", "actions"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by", "page")

    @admin.display(description="saved")
    def saved(self, revision):
        return local_time(revision.created_at)

    @admin.display(description="saved by")
    def saved_by(self, revision):
        user = revision.created_by
        return (user.get_full_name() or user.get_username()) if user else "—"

    @admin.display(description="version")
    def number(self, revision):
        return revision.number

    @admin.display(description="state")
    def version(self, revision):
        return version_marker(revision.page, revision)

    @admin.display(description="title then")
    def title_then(self, revision):
        return revision.content.get("title", "")

    @admin.display(description="")
    def actions(self, revision):
        if revision.pk is None:
            return ""
        compare = reverse("admin:pages_page_compare", args=[revision.page_id])
        restore = reverse("admin:pages_page_restore", args=[revision.page_id, revision.pk])
        remove = reverse("admin:pages_page_remove_version", args=[revision.page_id, revision.pk])
        # formaction posts the change form (and its CSRF token) to the restore view instead.
        links = format_html(
            '<a href="{}?to={}">What changed<span class="visually-hidden"> in version {}</span></a> '
            '<button type="submit" class="button" formaction="{}" formmethod="post">Restore as a draft'
            '<span class="visually-hidden"> (version {})</span></button>',
            compare,
            revision.pk,
            revision.number,
            restore,
            revision.number,
        )
        if revision.pk == revision.page.live_revision_id:
            return links
        return format_html(
            '{} <a href="{}" class="button">Remove<span class="visually-hidden"> version {}</span>…</a>',
            links,
            remove,
            revision.number,
        )


def version_marker(page, revision):
    if revision.pk == page.live_revision_id and page.is_live:
        return "Live: what visitors see"
    if revision.pk == page.live_revision_id and page.status == Page.Status.PUBLISHED:
        return f"Scheduled: goes live {local_time(page.publish_at)}"
    if revision.pk == page.draft_revision_id:
        if page.draft_publish_at:
            return f"Draft: goes live {local_time(page.draft_publish_at)}"
        return "Draft: not live yet"
    return ""


@admin.register(Page)
class PageAdmin(EditConflictMixin, admin.ModelAdmin):
    """
    A live page's edits are kept as a draft until Publish (pages/drafts.py): the form shows the
    draft, Preview opens it in a new tab, and Unpublish is its own page with a warning.
    """

    list_display = [
        "title",
        "visibility_label",
        "kind",
        "show_in_menu",
        "menu_order",
        "last_changed",
        "site_link",
    ]
    list_filter = ["status", "kind", "show_in_menu"]
    search_fields = ["title", "summary", "sections__text"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"class": "vLargeTextField"})}}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "summary":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    inlines = [SectionInline, RevisionInline]
    readonly_fields = ["publishing_checks", "where_it_stands"]
    fieldsets = [
        (
            "Before you publish",
            {
                "fields": ["publishing_checks"],
                "description": "Suggestions from the last save. They never stop you saving or publishing.",
            },
        ),
        (None, {"fields": ["title", "slug", "kind", "summary"]}),
        (
            "Publishing",
            {
                "fields": ["where_it_stands", "publish_at"],
                "description": "“Save draft” keeps your changes without showing them to visitors: "
                "a live page stays as it is until you press “Publish”. "
                "“Preview” shows the draft as visitors would see it, in a new tab.",
            },
        ),
        ("Menu", {"fields": ["show_in_menu", "menu_title", "menu_order"]}),
        ("Advanced options", {"classes": ["collapse"], "fields": ["show_relationship_safety_notice"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "publish_at" not in form.base_fields:  # view-only staff: every field is read-only
            return form
        form.base_fields["publish_at"].help_text = (
            "Optional. Leave empty and “Publish” puts it live at once; a future time schedules it, "
            "and visitors keep the live version until then. Saving a draft calls a schedule off."
        )
        return form

    def edit_state(self, page):
        """What the form shows: the page as drafted, each section on its own, so a refusal names them."""
        page = drafts.as_draft(Page.objects.select_related("draft_revision").get(pk=page.pk))
        if page.is_live:
            page.publish_at = page.draft_publish_at
        content = snapshot(page, page.sections.all())
        state = {key: value for key, value in content.items() if key != "sections"}
        for number, section in enumerate(content["sections"], start=1):
            state[f"section {number}"] = section
        return state

    def get_object_for_state(self, page):
        return page

    def edit_state_names(self, page):
        names = super().edit_state_names(page)
        return names | {key: key.capitalize() for key in self.edit_state(page) if key.startswith("section ")}

    def get_object(self, request, object_id, from_field=None):
        """A live page's form shows its draft, when it has one, and the time it is scheduled for."""
        page = super().get_object(request, object_id, from_field)
        if page is not None and page.is_live:
            page = drafts.as_draft(page)
            page.publish_at = page.draft_publish_at
        return page

    @admin.display(description="status", ordering="status")
    def visibility_label(self, page):
        if page.is_live and page.draft_publish_at:
            return f"published, changes go live {local_time(page.draft_publish_at)}"
        if page.is_live and page.draft_revision_id:
            return "published, with a draft"
        return page.visibility

    @admin.display(description="last changed", ordering="updated_at")
    def last_changed(self, page):
        return local_time(page.updated_at)

    @admin.display(description="on the site")
    def site_link(self, page):
        if page.is_live:
            return format_html('<a href="{}">View</a>', page.get_absolute_url())
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview<span class="visually-hidden"> '
            "(opens in a new tab)</span></a>",
            reverse("admin:pages_page_preview", args=[page.pk]),
        )

    @admin.display(description="where it stands")
    def where_it_stands(self, page):
        return drafts.describe(page) if page and page.pk else "Not saved yet."

    @admin.display(description="checks")
    def publishing_checks(self, page):
        if page is None or page.pk is None:
            return "The checks appear here once the page is saved."
        return findings_html(findings_for(page))

    def save_model(self, request, page, form, change):
        # A live page's row is what visitors see: its edits wait in a draft (save_related).
        request.page_was_live = change and Page.objects.get(pk=page.pk).is_live
        if not request.page_was_live:
            super().save_model(request, page, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        page = form.instance
        publishing = "_publish" in request.POST
        if request.page_was_live:
            drafts.save_draft(page, request.user)
        else:
            # After the sections are saved too; the form's initial data still holds the address it had.
            page_saved(page, request.user, old_slug=form.initial.get("slug") if change else None)
            edited = form.has_changed() or any(formset.has_changed() for formset in formsets)
            if page.status == Page.Status.PUBLISHED and edited and not publishing:
                drafts.call_off_schedule(page)
        request.page_outcome = published(page) if publishing else drafts.describe(page, saved=True)
        findings = findings_for(page)
        if findings:
            count = len(findings)
            self.message_user(
                request,
                f"{count} suggestion{'s' if count != 1 else ''} to look at before you publish: "
                "see “Before you publish” at the top of the page.",
                messages.WARNING,
            )

    def response_add(self, request, page, post_url_continue=None):
        return self.stay_on_page(request, page)

    def response_change(self, request, page):
        return self.stay_on_page(request, page)

    def stay_on_page(self, request, page):
        """After Save draft or Publish the therapist stays on the page, told plainly where it stands."""
        self.message_user(request, request.page_outcome, messages.SUCCESS)
        return redirect("admin:pages_page_change", page.pk)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:page_id>/restore/<int:revision_id>/",
                view(require_POST(self.restore_view)),
                name="pages_page_restore",
            ),
            path(
                "<int:page_id>/versions/<int:revision_id>/remove/",
                view(self.remove_version_view),
                name="pages_page_remove_version",
            ),
            path(
                "<int:page_id>/discard-draft/", view(self.discard_draft_view), name="pages_page_discard_draft"
            ),
            path("<int:page_id>/preview/", view(self.preview_view), name="pages_page_preview"),
            path("<int:page_id>/unpublish/", view(self.unpublish_view), name="pages_page_unpublish"),
            path("<int:page_id>/compare/", view(compare_versions), name="pages_page_compare"),
            *super().get_urls(),
        ]

    def editable_page(self, request, page_id):
        page = get_object_or_404(Page.objects.select_related("draft_revision"), pk=page_id)
        if not self.has_change_permission(request, page):
            raise PermissionDenied
        return page

    def restore_view(self, request, page_id, revision_id):
        page = self.editable_page(request, page_id)
        revision = get_object_or_404(PageRevision, pk=revision_id, page=page)
        drafts.restore(revision, request.user)
        self.message_user(
            request,
            f"The version saved {local_time(revision.created_at)} is back as a draft. {drafts.describe(page)}",
            messages.SUCCESS,
        )
        return redirect("admin:pages_page_change", page.pk)

    def remove_version_view(self, request, page_id, revision_id):
        """Remove a kept version for good, after a plain question; the History records it by number."""
        page = self.editable_page(request, page_id)
        revision = get_object_or_404(PageRevision, pk=revision_id, page=page)
        if revision.pk == page.live_revision_id:
            self.message_user(
                request,
                f"Version {revision.number} is what visitors see, so it stays. "
                "Publish a version without what you want gone, then remove this one.",
                messages.ERROR,
            )
            return redirect("admin:pages_page_change", page.pk)
        if request.method == "POST":
            what = "the draft" if revision.pk == page.draft_revision_id else "a kept version"
            number = drafts.remove_version(revision)
            self.log_change(request, page, f"Removed version {number} ({what}).")
            self.message_user(
                request, f"Version {number} is removed for good. {drafts.describe(page)}", messages.SUCCESS
            )
            return redirect("admin:pages_page_change", page.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "page": page,
            "revision": revision,
            "is_draft": revision.pk == page.draft_revision_id,
            "saved": local_time(revision.created_at),
            "title": f"Remove version {revision.number} of “{page.title}”?",
        }
        return TemplateResponse(request, "admin/pages/page/remove_version.html", context)

    def discard_draft_view(self, request, page_id):
        page = self.editable_page(request, page_id)
        if request.method != "POST":
            return redirect("admin:pages_page_remove_version", page.pk, page.draft_revision_id or 0)
        number = drafts.discard_draft(page)
        if number is None:
            self.message_user(request, "There was no draft to discard.", messages.INFO)
        else:
            self.log_change(request, page, f"Discarded the draft (version {number}).")
            self.message_user(
                request,
                f"The draft (version {number}) is discarded: the form shows the live version again.",
                messages.SUCCESS,
            )
        return redirect("admin:pages_page_change", page.pk)

    def preview_view(self, request, page_id):
        page = get_object_or_404(Page.objects.select_related("draft_revision"), pk=page_id)
        if not self.has_view_permission(request, page):
            raise PermissionDenied
        drafts.as_draft(page)
        return preview_page(request, page, findings_html(findings_for(page)), drafts.describe(page))

    def unpublish_view(self, request, page_id):
        page = self.editable_page(request, page_id)
        if request.method == "POST":
            drafts.unpublish(page, request.user)
            self.message_user(
                request,
                "Unpublished: visitors no longer see this page. Your latest changes are kept as a draft.",
                messages.SUCCESS,
            )
            return redirect("admin:pages_page_change", page.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "page": page,
            "title": f"Unpublish “{page.title}”?",
            "links": links_to(page),
        }
        return TemplateResponse(request, "admin/pages/page/unpublish.html", context)


class PracticeSettingsForm(forms.ModelForm):
    digest_time = PlainTimeField(
        label=PracticeSettings._meta.get_field("digest_time").verbose_name,
        widget=PlainTimeInput(attrs={"size": 10}),
        help_text=PracticeSettings._meta.get_field("digest_time").help_text,
    )
    licensed_states = forms.MultipleChoiceField(
        choices=US_STATES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=PracticeSettings._meta.get_field("licensed_states").help_text,
    )

    class Meta:
        model = PracticeSettings
        fields = [
            "practice_name",
            "clinician_name",
            "credentials",
            "email",
            "phone",
            "location",
            "telehealth_note",
            "accepting_new_clients",
            "reply_business_days",
            "digest_time",
            "licensed_states",
            "crisis_notice",
            "relationship_safety_notice",
            "privacy_page",
            "clinician_photo",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["licensed_states"] = self.instance.licensed_state_codes
        # The therapist may not know which zone the server keeps: name it.
        if "digest_time" in self.fields:  # not for a view-only staff member: the value is shown as text
            self.fields["digest_time"].help_text += f" The practice's time zone is {settings.TIME_ZONE}."

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = re.sub(r"\D", "", phone)
        if phone and not 10 <= len(digits) <= 15:
            raise forms.ValidationError(
                f"“{phone}” has {len(digits)} digits: a phone number visitors can call has 10, with the "
                "area code (for example 555-201-3344), or up to 15 from abroad.",
                code="short_phone",
            )
        return phone

    def clean_licensed_states(self):
        return ",".join(self.cleaned_data["licensed_states"])


@admin.register(PracticeSettings)
class PracticeSettingsAdmin(EditConflictMixin, admin.ModelAdmin):
    """One record: the list view goes straight to it, and it can be neither added nor deleted."""

    form = PracticeSettingsForm
    fieldsets = [
        ("Practice", {"fields": ["practice_name", "clinician_name", "credentials", "clinician_photo"]}),
        ("Contact", {"fields": ["email", "phone", "location", "telehealth_note"]}),
        ("New clients", {"fields": ["accepting_new_clients", "reply_business_days", "licensed_states"]}),
        ("Your daily summary", {"fields": ["digest_time"]}),
        ("Safety and privacy", {"fields": ["crisis_notice", "relationship_safety_notice", "privacy_page"]}),
    ]

    def changelist_view(self, request, extra_context=None):
        PracticeSettings.load()
        return redirect("admin:pages_practicesettings_change", 1)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    """Photos for the practice settings and page sections; each upload is cleaned and resized once (pages/photos.py)."""

    form = PhotoForm
    list_display = ["thumbnail", "title", "description", "uploaded"]
    search_fields = ["title", "alt_text"]
    readonly_fields = ["crops"]
    fieldsets = [
        (None, {"fields": ["title", "image", "kept_image", "alt_text", "decorative"]}),
        (
            "Focal point",
            {
                "fields": ["focal_x", "focal_y", "crops"],
                "description": "Where the photo's subject is, so the crops below keep it in view. "
                "50 and 50 is the centre; a face in the upper third is about 50 across, 30 down.",
            },
        ),
    ]

    @admin.display(description="photo")
    def thumbnail(self, photo):
        # The list links the first column to the photo's page: the image names the link.
        return preview(photo, "portrait", 60, alt=f"Edit “{photo.title}”")

    @admin.display(description="uploaded", ordering="created_at")
    def uploaded(self, photo):
        return local_time(photo.created_at)

    @admin.display(description="description for screen readers")
    def description(self, photo):
        return "(decorative only)" if photo.decorative else photo.alt_text

    @admin.display(description="as shown on the site")
    def crops(self, photo):
        if not photo.renditions:
            return "The crops appear here once the photo is saved."
        return format_html(
            '<span class="photo-crops">{} {}</span>',
            preview(photo, "portrait", 160),
            preview(photo, "wide", 300),
        )

    def save_model(self, request, photo, form, change):
        image = form.cleaned_data["image"]
        if image is None and not {"focal_x", "focal_y"} & set(form.changed_data):
            photo.save()
        else:
            previous = Photo.objects.get(pk=photo.pk) if change else None
            photos.process(photo, image=image, previous=previous)
        form.saved()
        # The description is in the pages' bodies too: every change shows on the live site at once.
        if change:
            photo_changed(photo)

    def get_deleted_objects(self, objs, request):
        """A photo anything may still show is never deleted: its uses are listed, each with a link."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        objs = list(objs)
        protected = []
        for photo in objs:
            uses = photo_uses(photo)
            links = [format_html('<a href="{}">{}</a>', use.url, use.where) for use in uses]
            if len(objs) == 1:
                protected += links
            elif links:
                protected.append(
                    format_html(
                        "“{}”, used by: {}", photo, format_html_join(", ", "{}", ((link,) for link in links))
                    )
                )
        # Django counts the practice settings as something the deletion needs permission for: it
        # never deletes them (the photo is refused first).
        return deleted, counts, set() if protected else perms_needed, protected

    def delete_view(self, request, object_id, extra_context=None):
        advice = (
            "Open each place, choose another photo or none and save (or publish, for a published page). "
            "A version that still shows it can be removed under “Versions of this page”. "
            "Then come back here to delete the photo."
        )
        return super().delete_view(request, object_id, {"protected_advice": advice, **(extra_context or {})})

    def delete_model(self, request, photo):
        if photo_uses(photo):
            raise PermissionDenied
        super().delete_model(request, photo)
        photos.deleted([photo])

    def delete_queryset(self, request, queryset):
        deleting = [photo for photo in queryset if not photo_uses(photo)]
        Photo.objects.filter(pk__in=[photo.pk for photo in deleting]).delete()
        photos.deleted(deleting)


def preview(photo, shape, width, alt=""):
    rendition = photo.renditions.get(shape)
    if not rendition:
        return alt
    name, size = rendition["webp"][0]
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}">',
        media_url(name),
        width,
        round(width * rendition["height"] / rendition["width"]),
        alt,
    )


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "page"]
    search_fields = ["old_slug", "page__title"]
    list_select_related = ["page"]


def published(page):
    """Publish the page (or schedule it, for its publish-at time); what the therapist is told."""
    try:
        page = drafts.publish(page, at=page.publish_at)
    except drafts.AddressTaken as taken:
        return (
            f"Not published: another page now has the address /{taken}/. "
            "Change this page's web address, then publish again."
        )
    return drafts.describe(page, saved=True)


def findings_for(page):
    """The checks on `page` as the therapist last saved it: pass the draft, if it has one (drafts.as_draft)."""
    sections = list(page.sections.select_related("photo"))
    images = [
        (f"Photo in section {number}", s.photo.alt_text, s.photo.decorative, s.photo.master.name)
        for number, s in enumerate(sections, start=1)
        if s.photo
    ]
    texts = [(section.heading, section.text) for section in sections]
    practice = PracticeSettings.load()
    findings = check_page(page.title, page.summary, texts, practice, images=images)
    current = snapshot(page, sections)
    return findings + kept_version_findings(page, current, practice)


def findings_html(findings):
    if not findings:
        return "Nothing to point out."
    return format_html(
        '<ul class="publishing-checks">{}</ul>',
        format_html_join("", "<li><strong>{}:</strong> {}</li>", ((f.where, f.message) for f in findings)),
    )
