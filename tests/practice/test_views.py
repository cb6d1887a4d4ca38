"""The site-wide answers: health check, robots.txt and favicon."""

from django.conf import settings


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_sets_no_cookie(client, db):
    response = client.get("/healthz")
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


def test_robots_txt_disallows_admin_and_the_thank_you_page_and_names_the_sitemap(client, db):
    text = client.get("/robots.txt").content.decode()
    assert f"Disallow: /{settings.ADMIN_URL}" in text
    assert "Disallow: /consultation/thanks/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_favicon_ico_leads_to_the_icon_pages_link(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)
