"""
The practice's first content: the relationship-issues service page (the given
copy, exactly), a home page, a privacy notice, and drafts for the therapist to
complete. Idempotent: a page that already exists is left as the therapist has it.
"""

from django.db import migrations

from pages.rendering import render_sections

RELATIONSHIP_SECTIONS = [
    (
        "Why Relationships Matter",
        [
            "Humans are relational creatures. We’re wired to depend on one another to survive and thrive. We’re meant to keep each other safe and move each other toward our most authentic, creative, and effective selves.",
            "The quality of our relationships therefore have a huge impact on our happiness and wellbeing. Good relationships help regulate our nervous system and emotions, build a positive sense of self, and have even been shown to be a protective factor against physical health issues. It can also be meaningful to know that being a good partner or friend is making someone we care about happier and more well too.",
        ],
    ),
    (
        "When Relationships Feel Hard",
        [
            "Unfortunately, building strong relationships can be challenging. Our early relationships set the stage for how we show up in relationships as adults. And if we were hurt or neglected when we were young, defensive strategies surrounding these wounds can cause us to reflexively behave in ways that kept us safe but cut us off from connection.",
            "You might notice patterns like pulling away when things get close, over-functioning to keep the peace, feeling easily rejected, or getting stuck in cycles of conflict. You may also find yourself overthinking every interaction, feeling like your needs are “too much,” or struggling to trust that others are truly there for you.",
            "Cultural and social influences can also pose challenges. In the West, independence tends to be over-valued, which may leave us with a skewed idea of relational health. Or, the adults surrounding us when we were little and learning may not have had solid relationships for us to look to as examples. And without a good model of a healthy relationship, we might not know what one looks like.",
            "If we don’t know what a healthy relationship looks like or we’re reflexively interacting with others using protective strategies, our relationships can become a source of hurt and stress rather than happiness, wellbeing, and meaning.",
        ],
    ),
    (
        "How Individual Therapy Can Help Relationship Issues",
        [
            "In my approach to therapy, we gently explore your relational patterns with warmth and curiosity. Together, we notice the automatic thoughts, sensations, impulses, and emotions that get activated in your relationships. As you start to witness these patterns, you create more space to choose how you want to show up.",
            "We also work with the deeper layers: the attachment wounds, childhood experiences, and systemic pressures that shaped how you relate to others. You don’t need perfect memories or detailed stories. We focus on how these past experiences live in your present-day body and nervous system.",
            "Therapy can also help you sense into what healthy relationships might look like to you, and support you in taking steps to create those. Over time, you can begin to move toward relationships that feel safer, more reciprocal, and more aligned with who you really are.",
        ],
    ),
]

HOME_SECTIONS = [
    (
        "",
        [
            "Welcome. This is a private psychotherapy practice offering individual therapy for adults. "
            "Much of the work here is with people who want their relationships, with partners, family, "
            "friends and colleagues, to feel safer, steadier and more like themselves.",
        ],
    ),
    (
        "How to begin",
        [
            "If you are wondering whether therapy could help, a free consultation is a gentle first step: "
            "a short conversation about what is bringing you here and whether we are a good fit. "
            "There is no obligation.",
            "You can read about [therapy for relationship issues](/relationship-issues/), "
            "or [request a consultation](/consultation/) whenever you are ready.",
        ],
    ),
]

PRIVACY_SECTIONS = [
    (
        "",
        [
            "Your privacy matters here, especially when you are reaching out about something personal. "
            "This notice explains what this website collects and what happens to it.",
        ],
    ),
    (
        "What this website collects",
        [
            "Only what you type into the consultation request form: the name you would like me to use, how "
            "to reach you, and the answers you choose to give. Nothing is collected when you simply read "
            "these pages.",
            "The site uses no analytics, no advertising or tracking cookies, no social media widgets, and no "
            "third-party services: every page, font and image comes from this website itself. The only "
            "cookies are the ones needed for security, such as protecting the form from forgery; none "
            "follow you around the web.",
        ],
    ),
    (
        "Who sees your request",
        [
            "Only the therapist, and anyone the practice specifically authorises to help with requests, can "
            "read it, after signing in. Every time a request is opened, changed, exported or deleted, that "
            "is recorded.",
            "The email that tells the therapist a new request has arrived contains no details about you: "
            "only a request number. Your details stay on this website's server.",
        ],
    ),
    (
        "How long it is kept",
        [
            "Requests that are closed, go unanswered or are marked as spam are deleted automatically after "
            "180 days. Other requests are kept only while they are needed to arrange and begin our work "
            "together.",
        ],
    ),
    (
        "Asking for deletion",
        [
            "You can ask at any time for your request to be deleted, by phone or email using the contact "
            "details at the bottom of this page. It will be erased from this website.",
        ],
    ),
    (
        "Emergencies",
        [
            "The consultation form is not for emergencies and is not monitored around the clock. In the US, "
            "call or text 988, or call 911 if you are in immediate danger.",
        ],
    ),
]


def guidance(*paragraphs):
    return [("", list(paragraphs))]


DRAFTS = [
    (
        "about",
        "About",
        "About the therapist: training, approach and what working together is like.",
        20,
        guidance(
            "**Draft: write this page in your own words, then publish it.**",
            "Suggestions: who you are, the training and licences you actually hold, how you work, and what a "
            "first session feels like. Only state credentials, memberships and experience you can verify. "
            "Avoid promising outcomes.",
        ),
    ),
    (
        "fees",
        "Fees & insurance",
        "Session fees, insurance, superbills and the Good Faith Estimate.",
        30,
        guidance(
            "**Draft: fill in your real fees and policies, then publish it.**",
            "Suggestions: your session fee and length, whether you are in network with any insurers or "
            "provide superbills for out-of-network benefits, sliding-scale places if you offer them, your "
            "cancellation policy, and the No Surprises Act notice that clients who are not using insurance "
            "can ask for a Good Faith Estimate.",
        ),
    ),
    (
        "faq",
        "Questions",
        "Answers to common questions about starting therapy.",
        40,
        guidance(
            "**Draft: replace these suggestions with your answers, then publish it.**",
            "Suggestions: How does the free consultation work? Do you offer telehealth? How often will we "
            "meet? What if I am in crisis? How do you keep my information private?",
        ),
    ),
]


class Section:
    """What render_sections needs: a heading and Markdown text."""

    def __init__(self, heading, text):
        self.heading = heading
        self.text = text


def add_page(apps, slug, title, summary, kind, sections, status, menu_order=None, **fields):
    Page = apps.get_model("pages", "Page")
    if Page.objects.filter(slug=slug).exists():
        return Page.objects.get(slug=slug)
    if kind == "home" and Page.objects.filter(kind="home").exists():
        return Page.objects.get(kind="home")
    texts = [(heading, "\n\n".join(paragraphs)) for heading, paragraphs in sections]
    page = Page.objects.create(
        slug=slug,
        title=title,
        summary=summary,
        kind=kind,
        status=status,
        show_in_menu=menu_order is not None,
        menu_order=menu_order or 100,
        body_html=render_sections(Section(heading, text) for heading, text in texts),
        **fields,
    )
    for order, (heading, text) in enumerate(texts):
        page.sections.create(order=order, heading=heading, text=text)
    apps.get_model("pages", "PageRevision").objects.create(
        page=page,
        content={
            **{f: getattr(page, f) for f in ["title", "slug", "kind", "summary", "status", "show_in_menu"]},
            **{f: getattr(page, f) for f in ["menu_title", "menu_order", "show_relationship_safety_notice"]},
            "publish_at": None,
            "sections": [{"order": o, "heading": h, "text": t} for o, (h, t) in enumerate(texts)],
        },
    )
    return page


def add_content(apps, schema_editor):
    add_page(
        apps,
        "relationship-issues",
        "Therapy for Relationship Issues",
        "Individual therapy for relationship patterns: pulling away, over-functioning, feeling easily "
        "rejected, or getting stuck in cycles of conflict.",
        "service",
        RELATIONSHIP_SECTIONS,
        "published",
        menu_order=10,
        menu_title="Relationship issues",
        show_relationship_safety_notice=True,
    )
    add_page(
        apps,
        "home",
        "Therapy for the relationships that matter to you",
        "A private psychotherapy practice offering individual therapy for relationship issues. "
        "Request a free consultation.",
        "home",
        HOME_SECTIONS,
        "published",
    )
    privacy = add_page(
        apps,
        "privacy",
        "Privacy notice",
        "What this website collects, who sees it, how long it is kept, and how to ask for deletion.",
        "standard",
        PRIVACY_SECTIONS,
        "published",
    )
    for slug, title, summary, menu_order, sections in DRAFTS:
        add_page(apps, slug, title, summary, "standard", sections, "draft", menu_order=menu_order)

    PracticeSettings = apps.get_model("pages", "PracticeSettings")
    practice, _ = PracticeSettings.objects.get_or_create(pk=1)
    if practice.privacy_page_id is None:
        practice.privacy_page = privacy
        practice.save()


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_pages_and_practice_settings")]

    operations = [migrations.RunPython(add_content, migrations.RunPython.noop)]
