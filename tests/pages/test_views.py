import gzip
import re
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from pages.models import Page, PracticeSettings
from tests.pages.factories import make_page


def test_draft_is_404_for_visitors(client, db):
    make_page(slug="draft", status=Page.Status.DRAFT)
    assert client.get("/draft/").status_code == 404


def test_staff_see_at_a_public_address_what_visitors_see_and_drafts_only_in_preview(admin_client):
    page = make_page(slug="draft", title="Unfinished", status=Page.Status.DRAFT)
    assert admin_client.get("/draft/").status_code == 404
    response = admin_client.get(f"/admin/pages/page/{page.pk}/preview/")
    assert response.status_code == 200
    assert "<strong>Preview.</strong>" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_published_page_has_no_preview_banner(admin_client):
    make_page(slug="live")
    html = admin_client.get("/live/").content.decode()
    assert "Preview." not in html and "noindex" not in html


def test_scheduled_page_goes_live_at_its_time_without_any_job(client, db):
    make_page(slug="soon", publish_at=timezone.now() + timedelta(seconds=2))
    assert client.get("/soon/").status_code == 404
    assert Page.objects.get(slug="soon").visibility == "scheduled"
    time.sleep(2.2)
    assert client.get("/soon/").status_code == 200
    assert Page.objects.get(slug="soon").visibility == "published"


def test_home_kind_is_served_at_the_root_only(client, db):
    response = client.get("/home/")
    assert response.status_code == 301
    assert response["Location"] == "/"


def test_unknown_page_gets_the_styled_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn’t find that page".replace("’", "'") in response.content.decode()


def test_service_page_ends_with_a_call_to_action_for_that_service(client, db):
    html = client.get("/relationship-issues/").content.decode()
    assert 'href="/consultation/?service=relationship-issues"' in html
    assert html.index("Request a free consultation") > html.index("How Individual Therapy Can Help")


def test_when_not_accepting_new_clients_calls_to_action_offer_the_waitlist(client, db):
    practice = PracticeSettings.load()
    practice.accepting_new_clients = False
    practice.save()
    html = client.get("/relationship-issues/").content.decode()
    assert "not taking new clients right now" in html
    assert "Ask to join the waitlist" in html


def test_header_menu_and_footer_come_from_admin_data(client, db):
    practice = PracticeSettings.load()
    practice.practice_name = "Calm Harbor Therapy"
    practice.phone = "(555) 010-2000"
    practice.save()
    make_page(slug="approach", title="My approach", show_in_menu=True, menu_order=1)
    html = client.get("/").content.decode()
    assert "Calm Harbor Therapy" in html
    assert '<a href="/approach/">My approach</a>' in html
    assert html.index("My approach") < html.index("Relationship issues"), "menu order is respected"
    assert "(555) 010-2000" in html
    assert "988" in html, "the crisis notice is in the footer"
    assert 'href="/privacy/">Privacy notice' in html


def test_relationship_pages_show_the_domestic_violence_hotline(client, db):
    assert "1-800-799-7233" in client.get("/relationship-issues/").content.decode()
    assert "1-800-799-7233" not in client.get("/privacy/").content.decode()


def test_search_engine_tags(client, db):
    html = client.get("/relationship-issues/", secure=True, headers={"host": "testserver"}).content.decode()
    assert "<title>Therapy for Relationship Issues | Private psychotherapy practice</title>" in html
    assert '<meta name="description" content="Individual therapy for relationship patterns' in html
    assert '<link rel="canonical" href="https://testserver/relationship-issues/">' in html
    assert '<meta property="og:title" content="Therapy for Relationship Issues">' in html
    assert '<meta property="og:url" content="https://testserver/relationship-issues/">' in html
    assert '<script type="application/ld+json">{"@context": "https://schema.org"' in html


def test_json_ld_cannot_be_broken_out_of(client, db):
    practice = PracticeSettings.load()
    practice.practice_name = "</script><script>alert(1)</script>"
    practice.save()
    html = client.get("/").content.decode()
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    assert "<" not in ld


def test_sitemap_lists_published_pages_only(client, db):
    make_page(slug="hidden", status=Page.Status.DRAFT)
    make_page(slug="later", publish_at=timezone.now() + timedelta(days=1))
    xml = client.get("/sitemap.xml").content.decode()
    assert "/relationship-issues/</loc>" in xml
    assert "/privacy/</loc>" in xml
    assert "<lastmod>" in xml
    for unpublished in ["/hidden/", "/later/", "/about/"]:
        assert unpublished not in xml


def test_favicon_is_linked(client, db):
    assert 'rel="icon"' in client.get("/").content.decode()


def test_a_page_without_images_weighs_under_100_kb_compressed(client, db):
    """The HTML and every file it links, gzip-compressed as whitenoise serves them."""
    html = client.get("/relationship-issues/").content
    total = len(gzip.compress(html))
    for url in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        path = settings.STATIC_ROOT / url.decode().removeprefix("/static/")
        total += len(gzip.compress(path.read_bytes()))
    assert total < 100_000, f"{total} bytes"
