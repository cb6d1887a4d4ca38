"""
The one settings module, read from the environment and failing closed.

Every variable is listed with a comment in `.env.example`. Debug is off unless
asked for, and production refuses to start without a secret key.
"""

import base64
import hashlib
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from at_rest.encryption import keys_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"true", "1", "yes"}
FALSE_WORDS = {"false", "0", "no"}


def env_bool(name, default):
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false, 1/0, yes/no; got {raw!r}.")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def database_from_url(url):
    """
    DATABASES["default"] from postgres://user:password@host:port/name?sslmode=require
    (dj-database-url). sqlite:///relative/file or sqlite:////absolute/file is accepted
    too, for throwaway databases in tests; nothing else is.
    """
    try:
        database = dj_database_url.parse(
            url,
            # Reuse connections across requests, but check them first so a restarted
            # database never surfaces as an error page.
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    except ValueError:
        database = {}
    if database.get("ENGINE") not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured("DATABASE_URL must start with postgres://, postgresql:// or sqlite:///.")
    return database


def redis_cache(url):
    """Django's RedisCache at `url`, for the page cache when several web containers share it."""
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        # A cache server that stops answering costs a request a second at most (a read and a
        # write), then the page is made as if there were no cache.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "development-only-key-never-used-in-production"  # noqa: S105

# Keys for what visitors typed and what the practice wrote (at_rest/encryption.py,
# docs/privacy-at-rest.md): the first encrypts, the others only decrypt (during a rotation).
# From the environment or a Docker secret file; never from the database or the repository.
FIELD_ENCRYPTION_KEYS = [
    base64.urlsafe_b64encode(k).decode() for k in keys_from_environment("FIELD_ENCRYPTION_KEYS")
]
FIELD_HASH_KEY = next(
    (base64.urlsafe_b64encode(k).decode() for k in keys_from_environment("FIELD_HASH_KEY")), ""
)
if not (FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY):
    if not DEBUG:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY are required when DJANGO_DEBUG is off: without them "
            "no consultation request can be read or saved. Restore them from where you keep them "
            "(docs/privacy-at-rest.md); make new ones only for a new site, with: "
            "python -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())'"
        )
    # Development only: keys derived from the development secret key.
    FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [
        base64.urlsafe_b64encode(hashlib.sha256(b"field-encryption:" + SECRET_KEY.encode()).digest()).decode()
    ]
    FIELD_HASH_KEY = FIELD_HASH_KEY or (
        base64.urlsafe_b64encode(hashlib.sha256(b"field-hash:" + SECRET_KEY.encode()).digest()).decode()
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# A refused consultation form comes back with what was typed, not a dead end (practice/csrf_failure.py).
CSRF_FAILURE_VIEW = "practice.csrf_failure.csrf_failure"
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    # Django's admin, with the two-factor site as its default site.
    "practice.apps.PracticeAdminConfig",
    # django.contrib.auth, shown in admin as "Staff accounts".
    "practice.apps.StaffAccountsConfig",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # The database constraint that keeps two people from booking one consultation time.
    "django.contrib.postgres",
    # Two-factor sign-in for admin: an authenticator app (TOTP), and one-time backup codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Locks a username out from one address after repeated failed sign-ins.
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "accounts",
    "pages",
    "intake",
    "booking",
]

MIDDLEWARE = [
    # First, so everything after it sees the visitor's address rather than the proxy's.
    "practice.visitor_address.VisitorAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After the security headers, so its 400 page carries them too.
    "practice.readable_input.ReadableInputMiddleware",
    # Above the session, CSRF and message middleware: it must see every cookie they set, and it
    # serves a saved public page without running them (pages/freshness/page_cache.py).
    "pages.freshness.page_cache.PageCacheMiddleware",
    # Django's, leaving the session alone on error pages (a database outage must not hide the form).
    "accounts.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A method the route does not serve (OPTIONS, TRACE, PUT…) gets 405 before the view runs.
    "practice.http_methods.AllowedMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.sessions.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Last, so that it sees the sign-in view's verdict and answers with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "practice.urls"
WSGI_APPLICATION = "practice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context_processors.practice",
            ],
        },
    },
]

# PostgreSQL in production, compose and CI; a local SQLite file otherwise, so
# that `make run` needs nothing installed.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time from the start of each transaction: the form's hourly count
    # and its insert then happen as one step (PostgreSQL uses a lock, intake.form.spam).
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}

# The whole-page cache's saved pages (pages/freshness/page_cache.py). Whether one is still right is
# decided by the content version in PostgreSQL, the same for every web container, so a saved page
# is never stale wherever it is kept. Without CACHE_URL they are files, shared by the gunicorn
# workers of one machine: measured on this machine kind (a 7.5 KB page, 3,000 reads in a loop on
# loopback), a read costs 50 µs from files, 530 µs from DatabaseCache, 340 µs from Redis, 6 µs
# from LocMemCache, which each worker keeps apart (every edit would then re-render a page once per
# worker; page_cache.py keeps such a copy only in front of the shared one). The files win on one
# machine: no new service, and a tenth of DatabaseCache's cost. With several web containers, CACHE_URL
# (redis://host:6379/0, Redis or Valkey, Django's own RedisCache) keeps them in one place, so a page
# is made once for all.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL must start with redis://, rediss:// or unix://.")
    CACHES = {"default": redis_cache(CACHE_URL)}
elif DEBUG and not os.environ.get("PAGE_CACHE_DIR"):
    # runserver reloads code, not templates: a saved page would hide a template being edited.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("PAGE_CACHE_DIR")
            or Path(tempfile.gettempdir()) / "practice-page-cache",
            # One entry per public address: far more than the site has.
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Axes first: it refuses a locked-out username and address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2 for new and changed passwords; older hashes still verify and are upgraded at sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Length beats complexity rules (NIST SP 800-63B, OWASP ASVS): at least 15 characters.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 15}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "America/New_York")
USE_I18N = True
# Django's own admin words replaced by plainer ones (locale/en/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django's date and time formats made the practice's clock's (practice/formats/en/formats.py).
FORMAT_MODULE_PATH = ["practice.formats"]
USE_TZ = True

# Static files are served by the application itself (whitenoise): compressed,
# with hashed names so browsers may cache them for a year.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

# Photos uploaded in admin and their renditions (pages/photos.py), served by the site with
# content-hashed names and long caching (practice/views.py). compose keeps them on the `media` volume.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: SMTP when EMAIL_HOST is set, the console otherwise. The timeout keeps a
# slow mail server from holding anything up for long.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Consultation requests. The alert about a new one (number and admin link only) goes
# to PRACTICE_NOTIFY_EMAIL, or to the public email in the practice settings when unset.
PRACTICE_NOTIFY_EMAIL = os.environ.get("PRACTICE_NOTIFY_EMAIL", "")
# The site's public address, for that admin link: SITE_URL, else https:// and the first allowed host.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if ALLOWED_HOSTS else ""
)
INTAKE_ACKNOWLEDGE_VISITORS = env_bool("INTAKE_ACKNOWLEDGE_VISITORS", default=False)
INTAKE_RETENTION_DAYS = env_int("INTAKE_RETENTION_DAYS", 180)
# `make bench` only: a folder of pre-rendered pages the benchmark compares the site with, served at
# /bench-ceiling/<name> (practice/bench_ceiling.py). Unset, as in every deployment: no such address.
BENCH_CEILING_DIR = os.environ.get("BENCH_CEILING_DIR", "")
# The proxies (addresses or networks) whose X-Forwarded-For names the visitor, for
# the form's rate limit and the sign-in lockout; gunicorn reads the same variable.
TRUSTED_PROXY_IPS = env_list("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Security baseline. Django's own middleware sets all of these headers.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # the TLS proxy must set this header
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
# The __Host- prefix makes browsers refuse these cookies unless they are secure,
# for the whole site, and set by this host alone (no subdomain can plant one).
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"
X_FRAME_OPTIONS = "DENY"
# The largest request body (form fields) the site reads: 1 MiB, the proxy's limit too (Caddyfile).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# Admin sign-in. The admin shows health information (HIPAA's technical safeguards,
# OWASP ASVS): a password and a second factor, throttled guessing, sessions that end.
# A session ends after 30 idle minutes (each request pushes the expiry on), when the
# browser closes, and 8 hours after signing in whatever happens (accounts/sessions.py).
SESSION_COOKIE_AGE = 60 * 30
# Django's database sessions, one query lighter for a new one.
SESSION_ENGINE = "accounts.sessions"
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SIGNED_IN_SESSION_MAX_AGE = 60 * 60 * 8
# Two-factor sign-in is always required unless debug is on and this asks to skip it.
ADMIN_TWO_FACTOR_REQUIRED = not env_bool("DJANGO_DEV_SKIP_TWO_FACTOR", default=False)
if not ADMIN_TWO_FACTOR_REQUIRED and not DEBUG:
    raise ImproperlyConfigured("DJANGO_DEV_SKIP_TWO_FACTOR is for local development only: unset it.")
# Passkeys for every staff member (docs/passkeys.md): a code from the app or a backup code then only
# lets its owner add a passkey, and a passkey is the one way past the password into admin.
ADMIN_PASSKEYS_REQUIRED = env_bool("DJANGO_ADMIN_PASSKEYS_REQUIRED", default=False)
# The name authenticator apps show next to the admin's six-digit codes, and passkeys beside theirs.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Practice website")
# Five failed sign-ins (password or code) for one username from one address lock
# that pair for 15 minutes. The address is the one the trusted proxy saw.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "practice.visitor_address.remote_addr"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# Axes would log each failure with the username and address; the lockout itself is enough.
AXES_VERBOSE = False
# Axes' own admin pages are off: accounts.admin shows its sign-in log and failed sign-ins in plain words.
AXES_ENABLE_ADMIN = False

# Browser features no page here uses, turned off for the site and anything it might embed.
# Passkeys (publickey-credentials-get and -create) keep their default: this site only.
# Only names Chromium knows: it reports an unknown one (Linux builds lack bluetooth, web-share and
# ambient-light-sensor) as an error in the console.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "clipboard-read",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    ]
}

SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

# Error reports and logged tracebacks show the code path, never a variable, a form
# value or an exception's message, which can quote a database row (practice/error_privacy.py).
DEFAULT_EXCEPTION_REPORTER = "practice.error_privacy.PrivateExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "practice.error_privacy.PrivateExceptionReporterFilter"

# Logs go to stdout for the container runtime. Only the method and path are
# ever logged: never query strings or bodies (see gunicorn.conf.py too).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "practice.error_privacy.TracebackWithoutValuesFormatter",
            "format": "{asctime} {levelname} {name} {message}",
            "style": "{",
        }
    },
    "filters": {"hide_secret_paths": {"()": "practice.log_paths.HideSecretPaths"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["hide_secret_paths"],
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # runserver's own access log prints the whole request line, query
        # string included; Django's error log (django.request) names only the path.
        "django.server": {"handlers": [], "propagate": False},
    },
}
