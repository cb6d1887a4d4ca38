"""
Checks before publishing: what a careful editor would point out in a page's copy, shown on the
page's admin form and never blocking a save.

Written for a therapy practice: besides plain-language and accessibility checks, a public page
must not carry what could be a client's details, so an email address, a phone number or a
person's full name that is not the practice's own is flagged (a therapist pasting from their
notes, or writing up "a client, Jane Doe, who…").
"""

import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from pages.rendering import render_text

SUMMARY_MOST = 160
PARAGRAPH_MOST_WORDS = 120
GRADE_MOST = 9
VAGUE_LINK_TEXT = {"click here", "here", "read more", "more", "this link", "link", "this page", "learn more"}
IMAGE_FILE_NAME = re.compile(
    r"(\.(jpe?g|png|webp|heic|heif|gif|avif)$)|^(img|dsc|pxl|photo|image)[-_ ]?\d+", re.I
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Seven or more digits written as a phone number: 555-123-4567, (555) 123 4567, +1 555 123 4567.
PHONE = re.compile(r"(?<![\w])\+?\d?[\s.-]?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)")
CAPITALISED = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
TITLED_NAME = re.compile(rf"\b(?:Mr|Mrs|Ms|Mx|Dr)\.? {CAPITALISED}")
WORD = re.compile(r"[A-Za-z’']+")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


@dataclass(frozen=True)
class Finding:
    where: str
    message: str


@cache
def first_names():
    text = (Path(__file__).parent / "data" / "first_names.txt").read_text()
    return frozenset(word for line in text.splitlines() if not line.startswith("#") for word in line.split())


def check_page(title, summary, sections, practice, images=()):
    """
    Everything worth a second look, as Findings in page order. `sections`: (heading, text) pairs;
    `images`: (where, alt, decorative, file name) for each photo on the page.
    """
    findings = summary_findings(summary)
    own = OwnDetails(practice)
    for number, (heading, text) in enumerate(sections, start=1):
        where = f"Section {number}" + (f" ({heading})" if heading else "")
        findings += text_findings(where, text)
        findings += private_detail_findings(where, f"{heading}\n{text}", own)
    findings += private_detail_findings("Title or summary", f"{title}\n{summary}", own)
    findings += heading_findings(sections)
    for where, alt, decorative, file_name in images:
        problem = alt_text_problem(alt, decorative, file_name)
        if problem:
            findings.append(Finding(where, problem))
    return findings


def summary_findings(summary):
    summary = summary.strip()
    if not summary:
        return [Finding("Summary", "The summary is empty: search engines will make one up from the page.")]
    if len(summary) > SUMMARY_MOST:
        return [
            Finding(
                "Summary",
                f"The summary has {len(summary)} characters: search engines cut it after about "
                f"{SUMMARY_MOST}. Shorten it so it ends where you choose.",
            )
        ]
    return []


def text_findings(where, text):
    findings = []
    for paragraph in paragraphs(text):
        words = WORD.findall(paragraph)
        if len(words) > PARAGRAPH_MOST_WORDS:
            findings.append(
                Finding(
                    where,
                    f"A paragraph of {len(words)} words, starting “{' '.join(words[:6])}…”: "
                    f"on a phone, more than {PARAGRAPH_MOST_WORDS} words is a wall of text. Split it.",
                )
            )
    grade = reading_grade(text)
    if grade is not None and grade > GRADE_MOST:
        findings.append(
            Finding(
                where,
                f"Reads at about grade {grade:.1f} (Flesch-Kincaid): aim for {GRADE_MOST} or below, "
                "with shorter sentences and everyday words, for readers who may be anxious or tired.",
            )
        )
    for link_text in link_texts(render_text(text)):
        if link_text.strip().lower().strip(".:!") in VAGUE_LINK_TEXT:
            findings.append(
                Finding(
                    where,
                    f"A link says “{link_text.strip()}”: screen reader users often hear links alone, "
                    "so say where it goes (“Read my fees”).",
                )
            )
    return findings


def heading_findings(sections):
    """Headings written inside a section's text: the page has one title (h1) and section headings (h2)."""
    findings = []
    level = 2
    for number, (_, text) in enumerate(sections, start=1):
        level = 2
        for line in text.splitlines():
            marks = re.match(r"^(#{1,6})\s+\S", line)
            if not marks:
                continue
            found = len(marks.group(1))
            if found <= 2:
                findings.append(
                    Finding(
                        f"Section {number}",
                        f"“{line.strip()}” is written as a main heading inside the text: use the section's "
                        "own heading field, or ### for a smaller one.",
                    )
                )
            elif found > level + 1:
                findings.append(
                    Finding(
                        f"Section {number}",
                        f"“{line.strip()}” skips a heading level (h{found} after h{level}): screen readers "
                        "use the levels to outline the page. Use one more # than the heading above it.",
                    )
                )
            level = found
    return findings


def alt_text_problem(alt, decorative, file_name=""):
    """Why a photo's alt text would fail a screen reader user, or None."""
    alt = (alt or "").strip()
    if decorative:
        return None
    if not alt:
        return "A photo has no alt text: describe it in a few words, or mark it decorative."
    stem = Path(file_name).stem.lower() if file_name else ""
    if IMAGE_FILE_NAME.search(alt) or (stem and alt.lower() == stem):
        return f"A photo's alt text “{alt}” looks like a file name: describe what the photo shows."
    return None


class OwnDetails:
    """The practice's own email, phone numbers and clinician's name, which the copy may of course show."""

    def __init__(self, practice):
        self.emails = {practice.email.lower()} if practice.email else set()
        notices = " ".join([practice.phone, practice.crisis_notice, practice.relationship_safety_notice])
        self.phones = {digits(match) for match in PHONE.findall(notices)}
        self.names = {name.strip() for name in [practice.clinician_name, practice.practice_name] if name}

    def is_own_name(self, name):
        return any(name in own for own in self.names)


def private_details(text, own):
    """What looks like someone's private details in the text, as (what, value) pairs, in a fixed order."""
    emails = sorted(
        {match.group(0) for match in EMAIL.finditer(text) if match.group(0).lower() not in own.emails}
    )
    phones = sorted({match.strip() for match in PHONE.findall(text) if digits(match) not in own.phones})
    names = sorted(name for name in full_names(text) if not own.is_own_name(name))
    return (
        [("email", email) for email in emails]
        + [("phone", phone) for phone in phones]
        + [("name", name) for name in names]
    )


DETAIL_QUESTION = {
    "email": "The email address {} is not the practice's: is it someone's private address?",
    "phone": "The phone number {} is not the practice's: is it someone's private number?",
    "name": "“{}” looks like a person's full name. If it could identify a client, take it out.",
}
DETAIL_NAMED = {"email": "the email address {}", "phone": "the phone number {}", "name": "the name “{}”"}


def private_detail_findings(where, text, own):
    return [Finding(where, DETAIL_QUESTION[what].format(value)) for what, value in private_details(text, own)]


def full_names(text):
    names = set(TITLED_NAME.findall(text))
    known = first_names()
    # A lookahead, so "About Jessica Alvarez" still finds "Jessica Alvarez" after trying "About Jessica".
    for match in re.finditer(rf"(?=\b({CAPITALISED}) ({CAPITALISED})\b)", text):
        if match.group(1) in known:
            names.add(f"{match.group(1)} {match.group(2)}")
    return names


def digits(phone):
    found = re.sub(r"\D", "", phone)
    return found[1:] if len(found) == 11 and found.startswith("1") else found


def paragraphs(text):
    return [part for part in re.split(r"\n\s*\n", text) if part.strip()]


def syllables(word):
    """A plain English syllable estimate: vowel groups, less a silent final e; at least one."""
    word = word.lower().strip("’'")
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def reading_grade(text):
    """Flesch-Kincaid grade level of the text, or None for too little text to judge (under 30 words)."""
    plain = re.sub(r"[*_#>\[\]()]|https?://\S+", " ", text)
    words = WORD.findall(plain)
    if len(words) < 30:
        return None
    sentences = max(len(SENTENCE_END.findall(plain)), 1)
    total_syllables = sum(syllables(word) for word in words)
    return 0.39 * len(words) / sentences + 11.8 * total_syllables / len(words) - 15.59


class LinkTexts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts, self.depth = [], 0

    def handle_starttag(self, tag, attrs):  # noqa: ARG002 - HTMLParser passes them
        if tag == "a":
            self.depth += 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag == "a" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.texts[-1] += data


def link_texts(html):
    parser = LinkTexts()
    parser.feed(html)
    return parser.texts


def kept_version_findings(page, current_content, practice):
    """
    Versions the page keeps (restorable, and the live one) that still hold what looks like someone's
    private details which the current version does not: each named by its number, with what to do.
    """
    own = OwnDetails(practice)
    now_flagged = set(content_private_details(current_content, own))
    findings = []
    for revision in page.revisions.order_by("number"):
        held = [
            detail for detail in content_private_details(revision.content, own) if detail not in now_flagged
        ]
        if not held:
            continue
        named = [DETAIL_NAMED[what].format(value) for what, value in held]
        one = len(named) == 1
        listed = named[0] if one else f"{', '.join(named[:-1])} and {named[-1]}"
        todo = (
            f"It is what visitors see: publish a version without {'it' if one else 'them'}, then remove this one."
            if revision.pk == page.live_revision_id
            else "Remove it under “Versions of this page” if it should not be kept."
        )
        held_in = f"{listed[0].upper()}{listed[1:]} {'is' if one else 'are'} still kept in this version."
        findings.append(Finding(f"Version {revision.number}", f"{held_in} {todo}"))
    return findings


def content_private_details(content, own):
    text = "\n".join(
        [content.get("title", ""), content.get("summary", "")]
        + [f"{s.get('heading', '')}\n{s.get('text', '')}" for s in content.get("sections", [])]
    )
    return private_details(text, own)
