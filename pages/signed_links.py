"""
The one reader of the links that act for a visitor (withdraw their request, pick the times offered,
cancel or move their consultation), and the one page that says why such a link no longer works.

Each link holds a record's number and a piece of a secret the record keeps (its form token, its
invite UID), signed with the site's secret under the link's own salt, and, for a link that lasts some
days only, the time it was made: it cannot be guessed or altered into another record, and it names
nobody. The reader checks the signature and the shape, fetches the record and compares the secret
piece in constant time; what the record's state means (withdrawn, cancelled, closed) is for the
link's owner to say, with the same three exceptions. This module knows no app's models: the owner
passes the records to look in and the words its problem page says.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.shortcuts import render
from django.utils.crypto import constant_time_compare

from pages.models import PracticeSettings


class LinkProblem(Exception):
    """Why a link does not work; `problem` names it for the page's words, `status` is the page's."""

    problem = ""
    status = 410


class LinkNotValid(LinkProblem):
    """Altered or cut short, or another record's: 400, as the address itself is wrong and trying again cannot help."""

    problem = "not_valid"
    status = 400


class LinkUsed(LinkProblem):
    """
    Its record was changed with it, or with another link for it; args[0] (if given) says how
    ("cancelled", "moved"), for the page's words. 410: gone for good.
    """

    status = 410

    @property
    def problem(self):
        return self.args[0] if self.args else "used"


class LinkExpired(LinkProblem):
    """Too old, or its record is closed, passed or gone: 410 Gone, as the signature proves it once worked."""

    problem = "expired"
    status = 410


@dataclass(frozen=True)
class SignedLink:
    """
    One kind of link: its salt, how to take the secret piece from its record, and how many days it
    works (None: as long as its record lets it, so every email about one record carries the same link).
    """

    salt: str
    secret_piece: object  # record -> str
    days: int | None = None

    def signer(self):
        return signing.TimestampSigner(salt=self.salt) if self.days else signing.Signer(salt=self.salt)

    def token(self, record):
        return self.signer().sign_object([record.pk, self.secret_piece(record)])

    def read(self, token):
        """The (number, secret piece) the link was made with; LinkNotValid or (too old) LinkExpired."""
        try:
            if self.days:
                content = self.signer().unsign_object(token, max_age=timedelta(days=self.days))
            else:
                content = self.signer().unsign_object(token)
            number, piece = content
        except signing.SignatureExpired as error:
            raise LinkExpired from error
        except (signing.BadSignature, ValueError, TypeError) as error:
            raise LinkNotValid from error
        if not isinstance(number, int) or not isinstance(piece, str):
            raise LinkNotValid
        return number, piece

    def record(self, token, records, lock=False, gone=None):
        """
        The record of `records` the link is for, locked if asked. If it is gone, `gone(number)` says
        which problem that is (LinkExpired if not given). LinkNotValid if its secret piece differs.
        """
        number, piece = self.read(token)
        if lock:
            records = records.select_for_update()
        record = records.filter(pk=number).first()
        if record is None:
            raise gone(number) if gone else LinkExpired()
        # Only this site can sign a link, so a mismatch means a number reused after a restore, or a
        # record that is not the one the email was about: it is not theirs.
        if not constant_time_compare(self.secret_piece(record), piece):
            raise LinkNotValid
        return record


# The problem page.

INCOMPLETE = "This link is not complete"


@dataclass(frozen=True)
class ProblemWords:
    """What the problem page says for one problem: its heading, its lead and an optional next step."""

    heading: str
    lead: str
    advice: str = ""
    title: str = ""  # the browser tab's, when shorter than the heading
    contact: bool = True  # whether to offer the practice's address after it


@dataclass(frozen=True)
class LinkWords:
    """
    The problem page's words for one kind of link: per problem ("expired", "used", ...), and how the
    sentence offering the practice's address begins ("To find a time"). `not_valid_advice` ends the
    shared words for an altered link, saying what the link did not do ("Nothing has been deleted.").
    """

    problems: dict
    reach: str  # may name the practice: "{practice}"
    not_valid_advice: str = ""
    offer_phone_too: bool = False  # "please email … or call …", where both are set

    def of(self, problem):
        if problem == "not_valid":
            advice = "Please go back to the email and click the link there, or copy the whole link, from "
            advice += "the beginning to the end."
            return ProblemWords(
                heading=INCOMPLETE,
                lead="The link may have been copied incompletely, or changed on the way.",
                advice=" ".join(filter(None, [advice, self.not_valid_advice])),
            )
        return self.problems[problem]


def problem_page(request, problem, words):
    """The page for a link that does not work: `problem` a LinkProblem, `words` the link's LinkWords."""
    practice = PracticeSettings.for_request(request)
    context = {
        "words": words.of(problem.problem),
        "reach": words.reach.format(practice=practice.practice_name),
        "offer_phone_too": words.offer_phone_too,
    }
    return render(request, "pages/link_problem.html", context, status=problem.status)
