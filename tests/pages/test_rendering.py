"""A section's light Markdown becomes HTML from a short allowlist: tags, attributes and link schemes."""

from types import SimpleNamespace

from pages.rendering import render_sections, render_text


def section(heading, text):
    return SimpleNamespace(heading=heading, text=text)


def test_links_keep_only_their_address_and_title_and_give_the_page_they_open_no_hold_on_this_one():
    html = render_text(
        '<a href="https://example.org/" title="More" hreflang="en" target="_blank" class="x">a</a>'
    )
    assert html == '<p><a href="https://example.org/" title="More" rel="noopener">a</a></p>'


def test_markdown_links_get_the_same_rel():
    html = render_text("[Call](tel:+15551234567)")
    assert html == '<p><a href="tel:+15551234567" rel="noopener">Call</a></p>'


def test_only_web_mail_and_phone_links_keep_their_address():
    for kept in ["https://example.org/", "http://example.org/", "mailto:hi@example.org", "tel:+15551234567"]:
        assert f'href="{kept}"' in render_text(f"[link]({kept})")
    # Schemes a general-purpose sanitiser would allow, which a therapist's page never needs.
    for dropped in ["ftp://example.org/file", "sms:+15551234567", "ssh://example.org", "data:text/html,hi"]:
        html = render_text(f"[link]({dropped})")
        assert "href" not in html and ">link</a>" in html, dropped


def test_sections_are_joined_line_by_line_and_only_a_heading_that_exists_is_shown():
    body = render_sections([section("Why <therapy>", "First *words*."), section("", "Then these.")])
    assert body == (
        "<section><h2>Why &lt;therapy&gt;</h2>\n<p>First <em>words</em>.</p></section>\n"
        "<section><p>Then these.</p></section>"
    )


def test_a_heading_the_checks_flag_is_still_published_as_a_heading_at_a_level_it_can_have():
    html = render_text("# Top\n\n## Big\n\nText.\n\n##### Small\n\n###### Smaller")
    assert html == "<h3>Top</h3>\n<h3>Big</h3>\n<p>Text.</p>\n<h4>Small</h4>\n<h4>Smaller</h4>"
