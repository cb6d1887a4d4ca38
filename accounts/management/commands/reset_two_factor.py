from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp import devices_for_user

from accounts.devices import AUTHENTICATOR_NAME


class Command(BaseCommand):
    help = (
        "For a lost or replaced phone with no backup codes left: remove a staff member's authenticator "
        "app, backup codes and passkeys, so that the next sign-in (password first) sets up a new app."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f'There is no account called "{username}".')
        # Every django-otp device of the account, passkeys (accounts.models.Passkey) included.
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        self.stdout.write(
            f'Removed {len(devices)} sign-in device(s) (app, backup codes, passkeys) for "{username}". At the next sign-in, after the '
            f"password, the site shows a new QR code for the {AUTHENTICATOR_NAME.lower()}."
        )
