"""
Admin sign-in: a password, then a second factor, because the admin shows health information.

1. Password (`views.sign_in`). A right password signs nobody in: it only marks the
   session as waiting for the second step, for a few minutes.
2. Code (`views.enter_code`): six digits from the authenticator app, or a one-time
   backup code. Only now is the user signed in. Or, offered first when the account has one,
   a passkey (`passkey_views.use_passkey`, docs/passkeys.md): the same second factor.
   Or, for an account with no authenticator yet, set-up (`views.set_up_authenticator`):
   a QR code drawn by the site, then the backup codes, shown once.

Failed passwords, codes and passkeys all count towards the lockout (django-axes, settings.AXES_*).
"""
