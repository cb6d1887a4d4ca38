"""
What changed between two saved versions of a page, in the words the therapist would use.

Pure functions over two revision snapshots (pages.publishing.snapshot), no database: the page's
fields that differ, each before and after, and the sections paired up with their words added and
removed (pages/word_diff.py).
"""

from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from pages.clock import local_time
from pages.models import Page
from pages.word_diff import ADDED, REMOVED, SAME, Piece, count_words, word_diff, words


@dataclass(frozen=True)
class FieldChange:
    """One page field that differs: its label, and its value before and after with the differences marked."""

    label: str
    before: list
    after: list


@dataclass(frozen=True)
class SectionChange:
    """
    One section in either version: `status` is added, removed or changed; `heading` and `text` are
    lists of Pieces; `photo` says what happened to its photo, if anything.
    """

    name: str
    status: str
    heading: list
    text: list
    words_added: int
    words_removed: int
    photo: str = ""

    @property
    def summary(self):
        return count_summary(self.words_added, self.words_removed)

    @property
    def heading_changed(self):
        return any(piece.kind != SAME for piece in self.heading)


@dataclass(frozen=True)
class Comparison:
    fields: list
    sections: list
    unchanged_sections: int

    @property
    def identical(self):
        return not self.fields and not self.sections


def compare(older, newer, photo_titles=None):
    """The changes from one snapshot's content to another's; `photo_titles` names photos by id."""
    changes = section_changes(older.get("sections", []), newer.get("sections", []), photo_titles)
    return Comparison(
        fields=field_changes(older, newer),
        sections=[change for change in changes if change is not None],
        unchanged_sections=changes.count(None),
    )


# The page's fields in the order the editor shows them, each with its label and how to show a value.
def _yes_no(value):
    return "Yes" if value else "No"


def _choice(choices):
    def label(value):
        try:
            return choices(value).label
        except ValueError:
            return str(value)

    return label


def _moment(value):
    if not value:
        return "Not set"
    return local_time(datetime.fromisoformat(value))


FIELDS = [
    ("title", "Title", str),
    ("slug", "Web address", lambda slug: f"/{slug}/"),
    ("kind", "Kind of page", _choice(Page.Kind)),
    ("summary", "Summary", str),
    ("status", "Status", _choice(Page.Status)),
    ("publish_at", "Publish at", _moment),
    ("show_in_menu", "Shown in the menu", _yes_no),
    ("menu_title", "Name in the menu", str),
    ("menu_order", "Place in the menu", str),
    ("show_relationship_safety_notice", "Relationship safety notice shown", _yes_no),
]
# Free text is compared word by word; any other value is shown whole, before and after.
WORDED_FIELDS = {"title", "summary", "menu_title"}


def field_changes(older, newer):
    changes = []
    for key, label, shown in FIELDS:
        before, after = older.get(key), newer.get(key)
        if before == after:
            continue
        if key in WORDED_FIELDS:
            pieces = word_diff(before or "", after or "")
            changes.append(
                FieldChange(
                    label,
                    [piece for piece in pieces if piece.kind != ADDED] or [Piece(SAME, "(empty)")],
                    [piece for piece in pieces if piece.kind != REMOVED] or [Piece(SAME, "(empty)")],
                )
            )
        else:
            before, after = (shown(value) if value is not None else "Not set" for value in (before, after))
            changes.append(FieldChange(label, [Piece(REMOVED, before)], [Piece(ADDED, after)]))
    return changes


def section_changes(older, newer, photo_titles=None):
    """
    Each section of either version as a SectionChange, or None where it is unchanged. Sections the
    same in both anchor the pairing; between them, the rest pair up by the words they share
    (pair_closest), so a new heading keeps a section paired and a new section is shown whole.
    """
    older_keys, newer_keys = [_section_key(s) for s in older], [_section_key(s) for s in newer]
    changes = []
    matcher = SequenceMatcher(None, older_keys, newer_keys, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            changes.extend([None] * (old_end - old_start))
            continue
        before, after = range(old_start, old_end), range(new_start, new_end)
        for old_index, new_index in pair_closest(before, after, older, newer):
            old = older[old_index] if old_index is not None else None
            new = newer[new_index] if new_index is not None else None
            position = new_index if new_index is not None else old_index
            changes.append(section_change(old, new, position + 1, photo_titles or {}))
    return changes


def _section_key(section):
    # The order number itself is not shown to visitors; only the sequence is.
    return (section.get("heading", ""), section.get("text", ""), section.get("photo_id"))


def pair_closest(before, after, older, newer):
    """
    Indexes (old, new) pairing two runs of changed sections in order, None on one side for a
    section only in the other: the pairing with the most words in common, and where sections share
    none, by position from the first.
    """
    before, after = list(before), list(after)
    likeness = [[_likeness(older[old], newer[new]) for new in after] for old in before]
    # best[i][j]: the most likeness pairing before[i:] with after[j:].
    best = [[0.0] * (len(after) + 1) for _ in range(len(before) + 1)]
    for i in reversed(range(len(before))):
        for j in reversed(range(len(after))):
            best[i][j] = max(best[i + 1][j], best[i][j + 1], likeness[i][j] + best[i + 1][j + 1])
    pairs, i, j = [], 0, 0
    while i < len(before) or j < len(after):
        if i < len(before) and j < len(after) and best[i][j] == likeness[i][j] + best[i + 1][j + 1]:
            pairs.append((before[i], after[j]))
            i, j = i + 1, j + 1
        elif i < len(before) and (j == len(after) or best[i][j] == best[i + 1][j]):
            pairs.append((before[i], None))
            i += 1
        else:
            pairs.append((None, after[j]))
            j += 1
    return pairs


def _likeness(old, new):
    def words_of(section):
        return words(section.get("heading", "") + " " + section.get("text", ""))

    return SequenceMatcher(None, words_of(old), words_of(new), autojunk=False).ratio()


def section_change(old, new, position, photo_titles):
    if old is None:
        status = ADDED
    elif new is None:
        status = REMOVED
    else:
        status = "changed"
    old, new = old or {}, new or {}
    heading = word_diff(old.get("heading", ""), new.get("heading", ""))
    text = word_diff(old.get("text", ""), new.get("text", ""))
    added, removed = count_words(heading + text, ADDED), count_words(heading + text, REMOVED)
    shown_heading = new.get("heading") or old.get("heading")
    # A removed section's number is its place in the other version, which a kept section may now have.
    name = f"Section {position}" + (" before" if status == REMOVED else "")
    name += f": {shown_heading}" if shown_heading else ""
    return SectionChange(
        name=name,
        status=status,
        heading=heading,
        text=text,
        words_added=added,
        words_removed=removed,
        photo=photo_change(old.get("photo_id"), new.get("photo_id"), photo_titles),
    )


def photo_change(before, after, photo_titles):
    """What happened to a section's photo, in a sentence, or "" when nothing did."""

    def name(photo_id):
        # The view names every photo that still exists.
        return f"“{photo_titles[photo_id]}”" if photo_id in photo_titles else f"#{photo_id} (since deleted)"

    if before == after:
        return ""
    if before is None:
        return f"Photo added: {name(after)}."
    if after is None:
        return f"Photo removed: {name(before)}."
    return f"Photo changed from {name(before)} to {name(after)}."


def count_summary(added, removed):
    """'12 words added, 3 removed', in plain words, with the singular where it is one."""
    if not added and not removed:
        return "No words changed"
    counted = f"{added or removed} word{'' if (added or removed) == 1 else 's'}"
    if not removed:
        return f"{counted} added"
    if not added:
        return f"{counted} removed"
    return f"{counted} added, {removed} removed"
