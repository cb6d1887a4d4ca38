"""
Several web containers on one database: an edit shows on every one at the next request.

Two gunicorn instances run the image's command on one PostgreSQL (or SQLite file), each with its
own cache folder as two containers would have, then both with one Redis (CACHE_URL).
"""

import http.client
import subprocess
import sys
import uuid

import pytest

from tests.stack import BASE_DIR, Gunicorn


def get(server, path):
    # A first request makes the page on a cold worker: generous, for a loaded machine.
    connection = http.client.HTTPConnection(server.address, timeout=60)
    connection.request("GET", path, headers={"Host": "practice.example", "X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return response.status, body


def rename_practice(env, name):
    """An edit made elsewhere: the practice settings saved by another process, as admin would."""
    code = (
        "from pages.models import PracticeSettings; p = PracticeSettings.load(); "
        f"p.practice_name = {name!r}; p.save()"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.parametrize("shared_cache", [False, True], ids=["cache-per-container", "one-redis"])
def test_an_edit_shows_on_every_instance_at_the_next_request(
    production_env, migrated_database_url, tmp_path, shared_cache
):
    """Each instance has saved the home page; after one edit, both show the new name at once."""
    env = production_env | {"DATABASE_URL": migrated_database_url}
    instances_env = []
    for number in range(2):
        own = {"PAGE_CACHE_DIR": str(tmp_path / f"cache-{number}")}
        if shared_cache:
            own = {"CACHE_URL": "redis://127.0.0.1:6379/0"}
        instances_env.append(env | own)
    rename_practice(env, f"Before {uuid.uuid4()}")
    with Gunicorn(instances_env[0], workers=2) as first, Gunicorn(instances_env[1], workers=2) as second:
        for server in (first, second, first, second, first, second):
            status, body = get(server, "/")
            assert status == 200
            assert "Before" in body
        after = f"After {uuid.uuid4()}"
        rename_practice(env, after)
        for server in (second, first):
            assert after in get(server, "/")[1]
