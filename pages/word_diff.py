"""
Two texts compared word by word with difflib, as runs the same in both, removed or added.

The spaces, line breaks and punctuation between words are kept as written, so the text still
reads like the page (pages/compare.py shows it with the changes marked).
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

SAME, ADDED, REMOVED = "same", "added", "removed"

# A word (with an apostrophe or hyphen inside it), a run of spaces or line breaks, or one other character.
TOKEN = re.compile(r"\w+(?:['’-]\w+)*|\s+|[^\w\s]")
WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Piece:
    """A run of text that is the same in both versions, or only in the older (removed) or newer (added)."""

    kind: str
    text: str


def word_diff(before, after):
    """
    The two texts as Pieces, word by word. Spaces between two changes join them, so a rewritten
    phrase reads as one removal and one addition rather than alternating word by word.
    """
    old, new = TOKEN.findall(before), TOKEN.findall(after)
    opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    pieces = []
    pending_removed, pending_added = "", ""
    for index, (tag, old_start, old_end, new_start, new_end) in enumerate(opcodes):
        old_text, new_text = "".join(old[old_start:old_end]), "".join(new[new_start:new_end])
        between_changes = 0 < index < len(opcodes) - 1 and not old_text.strip()
        if tag == "equal" and not between_changes:
            _flush(pieces, pending_removed, pending_added)
            pending_removed, pending_added = "", ""
            pieces.append(Piece(SAME, old_text))
        else:
            pending_removed += old_text
            pending_added += new_text
    _flush(pieces, pending_removed, pending_added)
    return pieces


def _flush(pieces, removed, added):
    if removed.strip() == added.strip():
        # Only spacing differed (or nothing): show it once, as it is now.
        if added:
            pieces.append(Piece(SAME, added))
        return
    # Spaces at either end of a change belong to the text around it, not to the marked words.
    lead = _shared_space(removed, added, lambda text: text[: len(text) - len(text.lstrip())])
    trail = _shared_space(removed, added, lambda text: text[len(text.rstrip()) :])
    removed, added = (
        removed[len(lead) : len(removed) - len(trail)],
        added[len(lead) : len(added) - len(trail)],
    )
    if lead:
        pieces.append(Piece(SAME, lead))
    if removed:
        pieces.append(Piece(REMOVED, removed))
    if added:
        pieces.append(Piece(ADDED, added))
    if trail:
        pieces.append(Piece(SAME, trail))


def _shared_space(removed, added, space_of):
    """
    Spaces at one end of a change that only adds or only removes words. (When both sides have
    words, difflib has already kept any spaces they share out of the change.)
    """
    if not removed:
        return space_of(added)
    if not added:
        return space_of(removed)
    return ""


def words(text):
    return [token for token in TOKEN.findall(text) if WORD.search(token)]


def count_words(pieces, kind):
    return sum(len(words(piece.text)) for piece in pieces if piece.kind == kind)
