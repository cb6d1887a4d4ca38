"""The referral list: edited in admin, ticked on the reply page, inserted where a reply says {referrals}."""

import pytest

from intake.life.replies import format_referrals
from intake.models import Referral, TimelineEntry
from tests.html import form_values, texts
from tests.intake.factories import make_request
from tests.intake.replying import open_reply, reply_form, reply_url, send

pytestmark = pytest.mark.django_db
REFERRALS = "/admin/intake/referral/"


@pytest.fixture
def referrals():
    return [
        Referral.objects.create(
            name="Dr. Lee Park", helps_with="Couples, grief", how_to_reach="555-222-3333", order=1
        ),
        Referral.objects.create(
            name="Harbor Clinic",
            helps_with="Teenagers",
            how_to_reach="harborclinic.example",
            accepting_new_clients=False,
            order=2,
        ),
        Referral.objects.create(name="Sam Ortiz", how_to_reach="sam@ortiz.example", order=3),
    ]


def test_the_referral_list_shows_who_they_help_and_whether_they_take_new_clients(admin_client, referrals):
    html = admin_client.get(REFERRALS).content.decode()
    table = html.split('id="result_list"')[1].split("</thead>")[0]
    headers = [" ".join(text.split()) for _, text in texts(table, "a") if text.strip()]
    assert headers == ["Name", "What they help with", "Accepting new clients", "Order"]
    assert "Couples, grief" in html


def test_order_and_accepting_are_edited_right_in_the_list(admin_client, referrals):
    park, harbor, ortiz = referrals
    # The list as the browser sends it (with its signed copy of each row: pages/list_conflicts.py).
    data = form_values(admin_client.get(REFERRALS).content.decode()) | {"_save": "Save"}
    row = {data[f"form-{i}-id"]: i for i in range(int(data["form-TOTAL_FORMS"]))}
    for referral, order, accepting in [(park, "30", False), (harbor, "20", True), (ortiz, "10", True)]:
        i = row[str(referral.pk)]
        data[f"form-{i}-order"] = order
        data.pop(f"form-{i}-accepting_new_clients", None)
        if accepting:
            data[f"form-{i}-accepting_new_clients"] = "on"
    assert admin_client.post(REFERRALS, data).status_code == 302
    assert list(Referral.objects.values_list("name", "accepting_new_clients")) == [
        ("Sam Ortiz", True),
        ("Harbor Clinic", True),
        ("Dr. Lee Park", False),
    ]


def test_a_referral_is_added_in_admin(admin_client):
    data = {"name": "Ana Cruz", "helps_with": "", "how_to_reach": "555-0100", "order": "5"}
    data["accepting_new_clients"] = "on"
    assert admin_client.post(f"{REFERRALS}add/", data).status_code == 302
    assert Referral.objects.get().name == "Ana Cruz"


def test_each_referral_is_a_short_plain_text_block(referrals):
    assert format_referrals(referrals) == (
        "Dr. Lee Park\nHelps with: Couples, grief\nHow to reach them: 555-222-3333\n\n"
        "Harbor Clinic\nHelps with: Teenagers\nHow to reach them: harborclinic.example\n"
        "Not taking new clients just now: ask about a waitlist.\n\n"
        "Sam Ortiz\nHow to reach them: sam@ortiz.example"
    )


def test_the_reply_page_offers_every_referral_and_marks_those_not_taking_new_clients(admin_client, referrals):
    html = open_reply(admin_client, make_request(), "Referral elsewhere").content.decode()
    assert "Dr. Lee Park: Couples, grief</label>" in html
    assert "Harbor Clinic: Teenagers (not taking new clients)</label>" in html
    assert "Sam Ortiz</label>" in html


def test_the_ticked_referrals_and_only_those_are_inserted(admin_client, referrals):
    park, harbor, ortiz = referrals
    send(admin_client, make_request(), "Referral elsewhere", referrals=[str(park.pk), str(ortiz.pk)])
    text = TimelineEntry.objects.get().text
    assert (
        "Here are some people I trust:\n\n" + format_referrals([park, ortiz]) + "\n\nYou are welcome" in text
    )
    assert "Harbor Clinic" not in text


def test_a_reply_with_referrals_but_none_ticked_is_a_form_error(admin_client, referrals):
    consultation = make_request()
    response = send(admin_client, consultation, "Referral elsewhere")
    assert response.status_code == 200
    assert "Tick at least one referral, or remove {referrals} from the message." in response.content.decode()
    assert not TimelineEntry.objects.exists()


def test_without_referrals_in_the_text_none_need_ticking(admin_client, referrals):
    consultation = make_request()
    body = reply_form(admin_client, consultation, "Referral elsewhere")["body"].replace("{referrals}", "")
    send(admin_client, consultation, "Referral elsewhere", body=body)
    assert TimelineEntry.objects.count() == 1


def test_with_no_referrals_yet_the_reply_page_says_so_and_links_to_add_one(admin_client):
    html = open_reply(admin_client, make_request(), "Referral elsewhere").content.decode()
    assert 'No referrals yet. <a href="/admin/intake/referral/add/">Add one</a>.' in html


def test_a_referral_ticked_on_the_page_is_inserted_in_the_preview(admin_client, referrals):
    consultation = make_request()
    data = reply_form(admin_client, consultation, "Referral elsewhere") | {
        "referrals": [str(referrals[0].pk)],
        "preview": "Preview",
    }
    html = admin_client.post(reply_url(consultation), data).content.decode()
    assert "How to reach them: 555-222-3333" in html
    assert not TimelineEntry.objects.exists()
