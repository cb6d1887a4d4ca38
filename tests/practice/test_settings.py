"""Settings are read from the environment and fail closed. Each case starts a fresh process."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from practice.settings import database_from_url
from tests.processes import run_manage, run_python


def test_missing_secret_key_stops_production_with_the_variable_named(production_env):
    del production_env["DJANGO_SECRET_KEY"]
    result = run_manage(production_env, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_debug_is_off_unless_asked_for(production_env):
    result = run_python(production_env, "from django.conf import settings; print(settings.DEBUG)")
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("word", ["TRUE", "yes", "1", "True"])
def test_debug_accepts_true_words_in_any_case_without_a_secret(production_env, word):
    del production_env["DJANGO_SECRET_KEY"]
    production_env["DJANGO_DEBUG"] = word
    result = run_python(production_env, "from django.conf import settings; print(settings.DEBUG)")
    assert result.stdout.strip() == "True", result.stderr


def test_debug_rejects_an_unknown_word(production_env):
    production_env["DJANGO_DEBUG"] = "maybe"
    result = run_manage(production_env, "check")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_deploy_checks_pass_with_production_values(production_env):
    result = run_manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_database_url_selects_postgresql(production_env):
    production_env["DATABASE_URL"] = "postgres://site:p%40ss@db.internal:6543/practice?sslmode=require"
    code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['USER'], d['PASSWORD'], d['HOST'], d['PORT'], d['NAME'], d['OPTIONS'], d['CONN_HEALTH_CHECKS'])"
    result = run_python(production_env, code)
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "site",
        "p@ss",
        "db.internal",
        "6543",
        "practice",
        "{'sslmode':",
        "'require'}",
        "True",
    ], result.stderr


def test_database_url_keeps_every_query_option_and_the_connection_age(monkeypatch):
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "15")
    database = database_from_url("postgresql://site@db/practice?sslmode=verify-full&connect_timeout=5")
    assert database["OPTIONS"] == {"sslmode": "verify-full", "connect_timeout": 5}
    assert database["CONN_MAX_AGE"] == 15
    assert database["CONN_HEALTH_CHECKS"] is True


def test_database_url_may_name_a_sqlite_file_for_throwaway_databases():
    assert database_from_url("sqlite:////srv/data/smoke.sqlite3")["NAME"] == "/srv/data/smoke.sqlite3"
    assert database_from_url("sqlite:///smoke.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"


@pytest.mark.parametrize("url", ["mysql://site@db/practice", "practice", "redis://localhost:6379/0"])
def test_database_url_for_anything_else_stops_with_a_clear_error(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must start with postgres://"):
        database_from_url(url)


def test_without_database_url_sqlite_is_the_default(production_env):
    production_env.pop("DATABASE_URL", None)
    code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['OPTIONS'])"
    result = run_python(production_env, code)
    # One writer from the start of each transaction: the form's hourly count and its save are one step.
    assert result.stdout.split() == ["django.db.backends.sqlite3", "{'transaction_mode':", "'IMMEDIATE'}"], (
        result.stderr
    )


def test_a_sqlite_database_url_takes_one_writer_at_a_time_too(production_env, tmp_path):
    production_env["DATABASE_URL"] = f"sqlite:///{tmp_path}/db.sqlite3"
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    assert run_python(production_env, code).stdout.strip() == "{'transaction_mode': 'IMMEDIATE'}"


def test_email_host_configures_smtp_with_a_timeout(production_env):
    production_env.update(
        EMAIL_HOST="smtp.example", EMAIL_PORT="2525", EMAIL_HOST_USER="u", EMAIL_USE_TLS="yes"
    )
    code = "from django.core.mail import mailers; m = mailers.default; print(type(m).__name__, m.host, m.port, m.use_tls, m.timeout)"
    result = run_python(production_env, code)
    assert result.stdout.split() == ["EmailBackend", "smtp.example", "2525", "True", "10"], result.stderr


def test_without_email_host_mail_goes_to_the_console(production_env):
    del production_env["EMAIL_HOST"]
    code = "from django.core.mail import mailers; print(type(mailers.default).__module__)"
    result = run_python(production_env, code)
    assert result.stdout.strip() == "django.core.mail.backends.console", result.stderr


def test_no_model_changes_lack_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_passwords_are_hashed_with_argon2(production_env):
    """In a fresh process: pytest-django swaps in a fast hasher for the suite."""
    code = "from django.contrib.auth.hashers import make_password; print(make_password('maple river quietly 42'))"
    assert run_python(production_env, code).stdout.startswith("argon2$argon2id$")


def test_the_admin_address_comes_from_django_admin_url(production_env):
    production_env["DJANGO_ADMIN_URL"] = "practice-office/"
    result = run_python(production_env, "from django.urls import reverse; print(reverse('admin:login'))")
    assert result.stdout.strip() == "/practice-office/login/"


def test_skipping_two_factor_is_refused_unless_debug_is_on(production_env):
    production_env["DJANGO_DEV_SKIP_TWO_FACTOR"] = "true"
    result = run_manage(production_env, "check")
    assert result.returncode != 0
    assert "DJANGO_DEV_SKIP_TWO_FACTOR is for local development only" in result.stderr


def test_skipping_two_factor_works_with_debug_on(production_env):
    production_env.update(DJANGO_DEV_SKIP_TWO_FACTOR="true", DJANGO_DEBUG="true")
    result = run_python(
        production_env, "from django.conf import settings; print(settings.ADMIN_TWO_FACTOR_REQUIRED)"
    )
    assert result.stdout.strip() == "False"


def test_two_factor_is_required_by_default(production_env):
    result = run_python(
        production_env, "from django.conf import settings; print(settings.ADMIN_TWO_FACTOR_REQUIRED)"
    )
    assert result.stdout.strip() == "True"


def test_saved_pages_are_files_shared_by_the_workers_unless_cache_url_is_set(production_env, tmp_path):
    """Without CACHE_URL the page cache is files in PAGE_CACHE_DIR; with it, Django's RedisCache."""
    code = (
        "from django.conf import settings; c = settings.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
    )
    result = run_python(production_env | {"PAGE_CACHE_DIR": str(tmp_path)}, code)
    assert result.stdout.split() == ["django.core.cache.backends.filebased.FileBasedCache", str(tmp_path)]
    result = run_python(production_env | {"CACHE_URL": "redis://cache:6379/0"}, code)
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "redis://cache:6379/0"]


def test_a_cache_url_that_is_not_redis_stops_with_a_clear_error(production_env):
    result = run_manage(production_env | {"CACHE_URL": "memcached://cache:11211"}, "check")
    assert result.returncode != 0
    assert "CACHE_URL must start with redis://" in result.stderr


def test_debug_saves_no_pages_unless_a_cache_is_named(production_env, tmp_path):
    """runserver reloads code but not templates: with debug on, pages are made at each request."""
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = production_env | {"DJANGO_DEBUG": "true"}
    assert run_python(env, code).stdout.strip() == "django.core.cache.backends.dummy.DummyCache"
    result = run_python(env | {"PAGE_CACHE_DIR": str(tmp_path)}, code)
    assert result.stdout.strip() == "django.core.cache.backends.filebased.FileBasedCache"
