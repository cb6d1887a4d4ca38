"""What changed between two versions of a page, word by word (pages/compare.py, pages/word_diff.py), without a database."""

from pages.clock import local_time
from pages.compare import compare, count_summary
from pages.word_diff import ADDED, REMOVED, SAME, Piece, count_words, word_diff


def version(sections=(), **fields):
    """A snapshot's content as pages.publishing.snapshot writes it; sections as (heading, text[, photo_id])."""
    content = {
        "title": "Anxiety",
        "slug": "anxiety",
        "kind": "service",
        "summary": "Help with worry.",
        "status": "published",
        "show_in_menu": True,
        "menu_title": "",
        "menu_order": 100,
        "show_relationship_safety_notice": False,
        "publish_at": None,
    }
    content["sections"] = [
        {"order": order, "heading": s[0], "text": s[1], "photo_id": s[2] if len(s) > 2 else None}
        for order, s in enumerate(sections)
    ]
    return content | fields


def marked(pieces):
    """The pieces as text with [-removed-] and {+added+}, easy to read in an assertion."""
    shown = {SAME: "{}", REMOVED: "[-{}-]", ADDED: "{{+{}+}}"}
    return "".join(shown[piece.kind].format(piece.text) for piece in pieces)


def test_identical_versions_have_no_changes():
    """Two equal versions: no field, no section, and the comparison says identical."""
    same = version([("Hello", "Some words.")])
    comparison = compare(same, dict(same))
    assert comparison.identical
    assert comparison.fields == []
    assert comparison.sections == []
    assert comparison.unchanged_sections == 1


def test_words_added_and_removed_are_marked_with_the_text_between_kept():
    """Changed words are marked; spaces, punctuation and line breaks around them stay as written."""
    pieces = word_diff(
        "We offer individual therapy, in person.\n\nCall us.",
        "We offer couples and individual therapy online.\n\nCall us.",
    )
    assert marked(pieces) == (
        "We offer {+couples and+} individual therapy[-, in person-]{+ online+}.\n\nCall us."
    )


def test_a_rewritten_phrase_reads_as_one_removal_and_one_addition():
    """Spaces between changed words join them rather than alternating word by word."""
    pieces = word_diff("I see adults only", "I see couples and families")
    assert marked(pieces) == "I see [-adults only-]{+couples and families+}"


def test_spaces_at_the_ends_of_a_change_stay_outside_its_marks():
    """Words only removed (or only added) are marked without the space beside them."""
    assert (
        marked(word_diff("We meet in person or online.", "We meet online."))
        == "We meet [-in person or-] online."
    )
    assert (
        marked(word_diff("We meet online.", "We meet in person or online."))
        == "We meet {+in person or+} online."
    )


def test_only_spacing_changed_shows_no_change():
    """A line break or extra space where a space was is not a change a reader should be shown."""
    pieces = word_diff("One two. Three", "One two.\n\nThree")
    assert all(piece.kind == SAME for piece in pieces)
    assert "".join(piece.text for piece in pieces) == "One two.\n\nThree"


def test_a_changed_section_counts_its_words_added_and_removed():
    """The counts are of words (not spaces or punctuation), in the heading and the text together."""
    older = version([("Fees", "Sessions cost $150, paid by card.")])
    newer = version([("Fees and insurance", "Sessions cost $160, paid by card or cheque.")])
    [section] = compare(older, newer).sections
    assert section.status == "changed"
    assert marked(section.heading) == "Fees {+and insurance+}"
    assert marked(section.text) == "Sessions cost $[-150-]{+160+}, paid by card {+or cheque+}."
    assert (section.words_added, section.words_removed) == (5, 1)
    assert section.summary == "5 words added, 1 removed"
    assert section.name == "Section 1: Fees and insurance"


def test_a_section_whose_heading_changed_is_still_paired():
    """Same text under a new heading is one changed section, not one removed and one added."""
    older = version([("Fees", "Sessions cost $150."), ("Where", "In Brooklyn.")])
    newer = version([("What it costs", "Sessions cost $150."), ("Where", "In Brooklyn.")])
    comparison = compare(older, newer)
    [section] = comparison.sections
    assert section.status == "changed"
    assert marked(section.heading) == "[-Fees-]{+What it costs+}"
    assert marked(section.text) == "Sessions cost $150."
    assert comparison.unchanged_sections == 1


def test_an_added_section_is_shown_whole_as_added_in_its_place():
    """A new section in the middle is added whole; those around it are unchanged."""
    older = version([("One", "First."), ("Three", "Third.")])
    newer = version([("One", "First."), ("Two", "A new second section."), ("Three", "Third.")])
    comparison = compare(older, newer)
    [section] = comparison.sections
    assert section.status == "added"
    assert section.name == "Section 2: Two"
    assert marked(section.heading) == "{+Two+}"
    assert marked(section.text) == "{+A new second section.+}"
    assert section.summary == "5 words added"
    assert comparison.unchanged_sections == 2


def test_a_removed_section_is_shown_whole_as_removed():
    """A deleted section is removed whole, counted, and named by its place in the version before."""
    older = version([("One", "First."), ("Two", "Gone soon.")])
    newer = version([("One", "First.")])
    [section] = compare(older, newer).sections
    assert section.status == "removed"
    assert section.name == "Section 2 before: Two"
    assert marked(section.text) == "[-Gone soon.-]"
    assert section.summary == "3 words removed"


def test_a_section_added_next_to_a_changed_one_pairs_the_changed_one_with_its_new_self():
    """Among changed sections, the ones with words in common pair up; the new one is added."""
    older = version([("About me", "I have worked with adults for ten years.")])
    newer = version(
        [
            ("Welcome", "A brand new opening."),
            ("About me", "I have worked with adults and couples for ten years."),
        ]
    )
    added, changed = compare(older, newer).sections
    assert (added.status, added.name) == ("added", "Section 1: Welcome")
    assert (changed.status, changed.name) == ("changed", "Section 2: About me")
    assert (changed.words_added, changed.words_removed) == (2, 0)


def test_a_section_added_first_and_another_removed_last_keep_the_rest_paired():
    """Same number of sections, shifted by one: not paired by position but with their own new selves."""
    older = version([("About me", "I see adults."), ("Fees", "Sessions cost $150."), ("News", "We moved.")])
    newer = version(
        [
            ("Where", "A quiet room."),
            ("About me", "I see adults and couples."),
            ("Fees", "Sessions cost $160."),
        ]
    )
    sections = compare(older, newer).sections
    assert [(s.status, s.name) for s in sections] == [
        ("added", "Section 1: Where"),
        ("changed", "Section 2: About me"),
        ("changed", "Section 3: Fees"),
        ("removed", "Section 3 before: News"),
    ]


def test_sections_with_no_words_in_common_pair_by_position():
    """Rewritten from scratch in place, the first old section pairs with the first new one."""
    older = version([("One", "alpha beta")])
    newer = version([("Two", "gamma delta"), ("Three", "epsilon zeta")])
    first, second = compare(older, newer).sections
    assert (first.status, marked(first.heading)) == ("changed", "[-One-]{+Two+}")
    assert (second.status, second.name) == ("added", "Section 2: Three")


def test_sections_only_renumbered_are_unchanged():
    """The order numbers themselves are not compared, only what is shown and in which sequence."""
    older = version([("One", "First."), ("Two", "Second.")])
    newer = version([("One", "First."), ("Two", "Second.")])
    for number, section in enumerate(newer["sections"]):
        section["order"] = (number + 1) * 10
    assert compare(older, newer).identical


def test_photo_added_removed_and_changed_are_named_by_title_or_number():
    """A photo's change is said in words, with its title, or its number when it no longer exists."""
    titles = {7: "Office", 8: "Garden"}
    older = version([("A", "x"), ("B", "y", 7), ("C", "z", 7)])
    newer = version([("A", "x", 7), ("B", "y"), ("C", "z", 9)])
    added, removed, changed = compare(older, newer, titles).sections
    assert added.photo == "Photo added: “Office”."
    assert removed.photo == "Photo removed: “Office”."
    assert changed.photo == "Photo changed from “Office” to #9 (since deleted)."
    assert added.summary == "No words changed"


def test_changed_page_fields_are_listed_with_plain_labels_before_and_after():
    """Each differing field appears once, in plain words, with its old and new value."""
    older = version()
    newer = version(
        title="Anxiety and worry",
        slug="anxiety-help",
        show_in_menu=False,
        kind="standard",
        menu_order=5,
        show_relationship_safety_notice=True,
    )
    fields = {
        change.label: (marked(change.before), marked(change.after)) for change in compare(older, newer).fields
    }
    assert fields == {
        "Title": ("Anxiety ", "Anxiety {+and worry+}"),
        "Web address": ("[-/anxiety/-]", "{+/anxiety-help/+}"),
        "Kind of page": (
            "[-Service (ends with a consultation request button)-]",
            "{+Standard (about, fees, FAQ, privacy)+}",
        ),
        "Shown in the menu": ("[-Yes-]", "{+No+}"),
        "Place in the menu": ("[-100-]", "{+5+}"),
        "Relationship safety notice shown": ("[-No-]", "{+Yes+}"),
    }


def test_an_emptied_text_field_says_empty():
    """A menu name given, then taken away, shows "(empty)" on the side where there is none."""
    [change] = compare(version(menu_title="Worry"), version()).fields
    assert change.label == "Name in the menu"
    assert marked(change.before) == "[-Worry-]"
    assert marked(change.after) == "(empty)"


def test_publish_at_is_shown_in_the_practices_time_zone(settings):
    """A scheduled time is written the way the therapist reads it, in the practice's zone."""
    settings.TIME_ZONE = "America/Los_Angeles"
    [change] = compare(version(), version(publish_at="2026-11-27T20:04:00+00:00")).fields
    assert change.label == "Publish at"
    assert change.before == [Piece(REMOVED, "Not set")]
    assert change.after == [Piece(ADDED, "27 November 2026, 12:04 pm")]


def test_versions_from_before_a_field_existed_compare_without_error():
    """An old snapshot missing a field or sections compares, the field shown as changed from "Not set"."""
    older = {"title": "Old", "slug": "old"}
    comparison = compare(older, version(title="Old", slug="old", sections=[("Hi", "There.")]))
    kind = next(change for change in comparison.fields if change.label == "Kind of page")
    assert kind.before == [Piece(REMOVED, "Not set")]
    assert [section.status for section in comparison.sections] == ["added"]


def test_count_summary_in_plain_words():
    """Singular for one word, and only the side that changed."""
    assert count_summary(12, 3) == "12 words added, 3 removed"
    assert count_summary(1, 1) == "1 word added, 1 removed"
    assert count_summary(0, 2) == "2 words removed"
    assert count_summary(1, 0) == "1 word added"
    assert count_summary(0, 0) == "No words changed"


def test_times_read_like_a_person_writes_them_on_the_practices_clock(settings):
    """Day, month name, year, and a 12-hour clock with am or pm, in the practice's zone."""
    from datetime import UTC, datetime

    settings.TIME_ZONE = "America/New_York"
    assert local_time(datetime(2026, 11, 27, 20, 4, tzinfo=UTC)) == "27 November 2026, 3:04 pm"
    assert local_time(datetime(2026, 1, 2, 5, 30, tzinfo=UTC)) == "2 January 2026, 12:30 am"
    assert local_time(datetime(2026, 1, 2, 17, 0, tzinfo=UTC)) == "2 January 2026, 12:00 pm"


def test_a_long_text_with_common_words_still_shows_only_the_word_changed():
    """difflib's "popular word" shortcut is off: in a long text, one changed word is one change."""
    paragraph = "The room is quiet and the chairs are soft and the light is low. " * 30
    changed = paragraph.replace("soft", "firm", 1)
    pieces = word_diff(paragraph, changed)
    assert (count_words(pieces, ADDED), count_words(pieces, REMOVED)) == (1, 1)
