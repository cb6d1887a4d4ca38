import getpass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

# Names every password-guessing script tries first; the account's name is half of what they guess.
GUESSABLE_USERNAMES = {"admin", "administrator", "root", "superuser", "user", "test", "django", "staff"}

ENROLMENT = """
Account "{username}" created. To finish setting it up you need your phone (about two minutes):

  1. Open {login_url} and sign in with this username and password.
  2. The site shows a QR code. Scan it with an authenticator app (Google Authenticator,
     Microsoft Authenticator, 2FAS or your phone's password manager).
  3. Type the six-digit code the app shows.
  4. Write down the ten backup codes shown next and keep them away from your phone:
     each signs you in once if the phone is lost.

From then on, signing in takes the password and the app's code.
"""


class Command(BaseCommand):
    help = (
        "Create the therapist's admin account (all permissions) and print how to set up two-factor "
        "sign-in. Asks for the password twice; it must be at least 15 characters."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help='A name that is not easy to guess (never "admin").')
        parser.add_argument("--email", default="", help="The therapist's email address.")

    def handle(self, *, username, email, **options):
        User = get_user_model()
        username = username.strip()
        if username.lower() in GUESSABLE_USERNAMES:
            raise CommandError(f'"{username}" is the first name attackers try. Choose another username.')
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f'There is already an account called "{username}".')
        user = User(username=username, email=email, is_staff=True, is_superuser=True)
        user.set_password(self.ask_password(user))
        user.full_clean()
        user.save()
        login_url = f"{settings.SITE_URL}/{settings.ADMIN_URL}login/"
        self.stdout.write(ENROLMENT.format(username=username, login_url=login_url))

    def ask_password(self, user):
        for _ in range(3):
            password = getpass.getpass("Password (at least 15 characters): ")
            if password != getpass.getpass("The same password again: "):
                self.stderr.write("The two passwords differ. Please try again.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password
        raise CommandError("No account created: no acceptable password after three tries.")
