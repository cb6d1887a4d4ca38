"""
The first reply templates, for the therapist to edit in admin. Subjects are the practice's name
only: a subject line is seen by anyone who glances at an inbox. A template that already exists
(by name) is left alone.
"""

from django.db import migrations

# The clinician's name, or the practice's when there is none: one line, never the same name twice.
SIGNATURE = "Warmly,\n{clinician}"
WITHDRAW = "If you would rather I deleted your request, you can withdraw it here: {withdraw_link}"

TEMPLATES = [
    (
        "Offer a consultation",
        "contacted",
        "Hello {name},\n\n"
        "Thank you for reaching out, and for telling me a little about what brings you. I would be glad "
        "to offer you a free consultation, by phone or video, so we can talk about what you are looking "
        "for and see whether working together feels right.\n\n"
        "Could you reply with two or three times over the next week that suit you? I will confirm one of "
        "them. I answer messages within {reply_days} business days.",
    ),
    (
        "Waitlist",
        "waitlisted",
        "Hello {name},\n\n"
        "Thank you for getting in touch. My practice is full at the moment, so I cannot offer you a first "
        "appointment right away. I have added you to my waitlist, and I will write to you as soon as a "
        "place opens.\n\n"
        "If you would rather not wait, tell me and I will gladly suggest colleagues who may be able to see "
        "you sooner. If things become urgent, please do not wait for me: call or text 988, or call 911 in "
        "an emergency.",
    ),
    (
        "Referral elsewhere",
        "referred",
        "Hello {name},\n\n"
        "Thank you for reaching out, and for trusting me with your request. Having read it, I think a "
        "colleague whose work fits what you are looking for more closely would serve you better than I "
        "could. Here are some people I trust:\n\n"
        "{referrals}\n\n"
        "You are welcome to mention that I suggested them. If none of them works out, write back and I "
        "will try to think of someone else.",
    ),
    (
        "Outside my licensed states",
        "referred",
        "Hello {name},\n\n"
        "Thank you for getting in touch. I can only work with people who are in a state where I am "
        "licensed at the time of their sessions, and you will be somewhere else, so I am not able to see "
        "you myself. I am sorry: I know it takes something to reach out.\n\n"
        "A therapist directory that lets you search by state, or your state's psychological or counselors' "
        "association, can point you to someone licensed where you are. If you would like a hand finding "
        "someone, write back and tell me where you will be.",
    ),
    (
        "Not a fit right now",
        "not_fit",
        "Hello {name},\n\n"
        "Thank you for reaching out. I have thought carefully about your request, and I do not think I am "
        "the right person to help with this at the moment. That is about my practice, not about you, and "
        "I would not want you to wait for something I cannot offer.\n\n"
        "If you would like, write back and I will try to suggest someone who may be a better fit.",
    ),
]


def seed(apps, schema_editor):
    ReplyTemplate = apps.get_model("intake", "ReplyTemplate")
    for order, (name, moves_to, opening) in enumerate(TEMPLATES, start=1):
        ReplyTemplate.objects.get_or_create(
            name=name,
            defaults={
                "subject": "{practice}",
                "body": f"{opening}\n\n{SIGNATURE}\n\n{WITHDRAW}",
                "moves_to": moves_to,
                "order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("intake", "0005_timeline_replies_referrals_digest")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
