from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from pages import photos
from pages.checks import check_page
from pages.compare_view import compare_versions
from pages.drafts import restore
from pages.models import Page, PageRevision, Photo, PracticeSettings, Section, SlugRedirect
from pages.publishing import page_saved, photo_changed
from pages.templatetags.pictures import media_url
from pages.us_states import US_STATES


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["order", "heading", "photo", "text"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 10, "class": "vLargeTextField"})},
        models.CharField: {"widget": forms.TextInput(attrs={"class": "vLargeTextField"})},
    }


class RevisionInline(admin.TabularInline):
    """Every earlier version of the page, newest first, each one click from coming back."""

    model = PageRevision
    verbose_name = "saved version"
    verbose_name_plural = "history: earlier versions of this page"
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["created_at", "created_by", "title_then", "restore"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    @admin.display(description="title then")
    def title_then(self, revision):
        return revision.content.get("title", "")

    @admin.display(description="")
    def restore(self, revision):
        if revision.pk is None:
            return ""
        url = reverse("admin:pages_page_restore", args=[revision.page_id, revision.pk])
        # formaction posts the change form (and its CSRF token) to the restore view instead.
        return format_html(
            '<button type="submit" class="button" formaction="{}" formmethod="post">Restore this version</button>',
            url,
        )


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "visibility_label",
        "kind",
        "show_in_menu",
        "menu_order",
        "updated_at",
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
    readonly_fields = ["publishing_checks"]
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
                "fields": ["status", "publish_at"],
                "description": "Drafts are visible only to you, at the page's address, with a preview banner.",
            },
        ),
        ("Menu", {"fields": ["show_in_menu", "menu_title", "menu_order"]}),
        ("Advanced options", {"classes": ["collapse"], "fields": ["show_relationship_safety_notice"]}),
    ]

    @admin.display(description="status", ordering="status")
    def visibility_label(self, page):
        return page.visibility

    @admin.display(description="on the site")
    def site_link(self, page):
        label = "View" if page.is_live else "Preview"
        return format_html('<a href="{}">{}</a>', page.get_absolute_url(), label)

    @admin.display(description="checks")
    def publishing_checks(self, page):
        if page is None or page.pk is None:
            return "The checks appear here once the page is saved."
        findings = findings_for(page)
        if not findings:
            return "Nothing to point out."
        return format_html(
            '<ul class="publishing-checks">{}</ul>',
            format_html_join(
                "", "<li><strong>{}:</strong> {}</li>", ((f.where, f.message) for f in findings)
            ),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the sections are saved too; the form's initial data still holds the address it had.
        page_saved(form.instance, request.user, old_slug=form.initial.get("slug") if change else None)
        findings = findings_for(form.instance)
        if findings:
            count = len(findings)
            self.message_user(
                request,
                f"Saved. {count} suggestion{'s' if count != 1 else ''} to look at before you publish: "
                "see “Before you publish” at the top of the page.",
                messages.WARNING,
            )

    def get_urls(self):
        restore = self.admin_site.admin_view(require_POST(self.restore_view))
        return [
            path("<int:page_id>/restore/<int:revision_id>/", restore, name="pages_page_restore"),
            path(
                "<int:page_id>/compare/",
                self.admin_site.admin_view(compare_versions),
                name="pages_page_compare",
            ),
            *super().get_urls(),
        ]

    def restore_view(self, request, page_id, revision_id):
        page = get_object_or_404(Page, pk=page_id)
        if not self.has_change_permission(request, page):
            raise PermissionDenied
        revision = get_object_or_404(PageRevision, pk=revision_id, page=page)
        restore(revision, request.user)
        self.message_user(
            request,
            f"Restored the version saved {revision.created_at:%B %-d, %Y at %H:%M}.",
            messages.SUCCESS,
        )
        return redirect("admin:pages_page_change", page.pk)


class PracticeSettingsForm(forms.ModelForm):
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
        self.fields["digest_time"].help_text += f" The practice's time zone is {settings.TIME_ZONE}."

    def clean_licensed_states(self):
        return ",".join(self.cleaned_data["licensed_states"])


@admin.register(PracticeSettings)
class PracticeSettingsAdmin(admin.ModelAdmin):
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


class PhotoForm(forms.ModelForm):
    image = forms.FileField(
        label="photo file",
        required=False,
        widget=forms.FileInput(
            attrs={"accept": ",".join(f"image/{name.lower()}" for name in photos.ACCEPTED_FORMATS)}
        ),
        help_text=f"{photos.ACCEPTED_LABEL}; up to {photos.MAX_UPLOAD_BYTES // 1024 // 1024} MB and "
        f"{photos.MAX_PIXELS // 1_000_000} million pixels. The photo's location and camera details are removed. "
        "Choose a new file to replace this photo everywhere it is shown.",
    )

    class Meta:
        model = Photo
        fields = ["title", "image", "alt_text", "decorative", "focal_x", "focal_y"]

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if not upload:
            if self.instance.pk is None:
                raise forms.ValidationError("Choose a photo to upload.", code="required")
            return None
        return photos.read_upload(upload)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    """Photos for the practice settings and page sections; each upload is cleaned and resized once (pages/photos.py)."""

    form = PhotoForm
    list_display = ["thumbnail", "title", "description", "created_at"]
    search_fields = ["title", "alt_text"]
    readonly_fields = ["crops"]
    fieldsets = [
        (None, {"fields": ["title", "image", "alt_text", "decorative"]}),
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
        return preview(photo, "portrait", 60)

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
            return
        previous = Photo.objects.get(pk=photo.pk) if change else None
        photos.process(photo, image=image, previous=previous)
        photo_changed(photo)

    def delete_model(self, request, photo):
        super().delete_model(request, photo)
        photos.deleted([photo])

    def delete_queryset(self, request, queryset):
        deleting = list(queryset)
        super().delete_queryset(request, queryset)
        photos.deleted(deleting)


def preview(photo, shape, width):
    rendition = photo.renditions.get(shape)
    if not rendition:
        return ""
    name, size = rendition["webp"][0]
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="">',
        media_url(name),
        width,
        round(width * rendition["height"] / rendition["width"]),
    )


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "page"]
    search_fields = ["old_slug", "page__title"]
    list_select_related = ["page"]


def findings_for(page):
    sections = [(section.heading, section.text) for section in page.sections.all()]
    return check_page(page.title, page.summary, sections, PracticeSettings.load())
